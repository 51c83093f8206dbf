"""Statement requests: asking municipalities (with e-mail to their representatives), answers that
become official statements, reminders before the deadline, closing. Services flush; views commit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.accounts.models import Role
from portal.accounts.models import RoleAssignment
from portal.accounts.models import User
from portal.audit.services import record
from portal.comments import services as comment_services
from portal.core import clock
from portal.core.sanitize import clean_text
from portal.core.sanitize import render_markdown
from portal.extensions import db
from portal.mail.services import queue_mail
from portal.organisations.models import Municipality
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus
from portal.statements.models import StatementAnswer
from portal.statements.models import StatementRequest
from portal.statements.models import StatementRequestMunicipality
from portal.statements.models import Subject

#: Setting: the default number of days before the deadline when representatives are reminded.
REMINDER_DAYS = "statements.reminder_days"
DEFAULT_REMINDER_DAYS = 3


def default_reminder_days() -> int:
    """Days before the deadline for the reminder, as an admin set it (default 3)."""
    from portal.core.settings import get_int

    return max(0, get_int(REMINDER_DAYS, DEFAULT_REMINDER_DAYS))


def representatives(municipality_ids: set[int]) -> dict[int, list[User]]:
    """Verified representatives of each municipality (one query)."""
    result: dict[int, list[User]] = defaultdict(list)
    if not municipality_ids:
        return result
    rows = db.session.execute(
        select(RoleAssignment.municipality_id, User)
        .join(User, User.id == RoleAssignment.user_id)
        .where(
            RoleAssignment.role == Role.MUNICIPALITY_REP,
            RoleAssignment.municipality_id.in_(municipality_ids),
            User.email_verified_at.is_not(None),
        )
        .order_by(User.id)
    )
    for municipality_id, user in rows:
        result[municipality_id].append(user)
    return result


def _mail(request: StatementRequest, asked: list[StatementRequestMunicipality], template: str) -> set[int]:
    """Mail the representatives of the asked municipalities; returns the municipalities reached."""
    from portal.notifications.services import absolute_url

    reps = representatives({row.municipality_id for row in asked})
    names = {
        m.id: m.name
        for m in db.session.scalars(
            select(Municipality).where(Municipality.id.in_([r.municipality_id for r in asked]))
        )
    }
    url = absolute_url("statements.answer", request_id=request.id)
    reached = set()
    for row in asked:
        for user in reps.get(row.municipality_id, []):
            queue_mail(
                user.email,
                f"statements/{template}",
                language=user.language or "de",
                user=user,
                request=request,
                municipality=names.get(row.municipality_id, ""),
                url=url,
            )
            reached.add(row.municipality_id)
    return reached


@dataclass
class RequestData:
    """What the request form collected (validated by the view)."""

    title: str
    message: str
    subject: Subject
    deadline: date
    reminder_days: int
    proposal_ids: list[int]
    municipality_ids: list[int]


def create_request(data: RequestData, actor: Any) -> tuple[StatementRequest, list[int]]:
    """Ask the municipalities; returns the request and the municipalities without a representative."""
    request = StatementRequest(
        title=clean_text(data.title),
        message=clean_text(data.message),
        subject=data.subject,
        deadline=data.deadline,
        reminder_days=data.reminder_days,
        created_by_id=actor.id,
    )
    if data.subject is Subject.PROPOSALS:
        request.proposals = list(
            db.session.scalars(select(Proposal).where(Proposal.id.in_(data.proposal_ids)))
        )
    else:
        request.proposals = []
    request.municipalities = [
        StatementRequestMunicipality(municipality_id=ident) for ident in data.municipality_ids
    ]
    db.session.add(request)
    db.session.flush()
    reached = _mail(request, request.municipalities, "request")
    record(
        "statements.requested",
        actor=actor,
        obj=request,
        subject=data.subject.value,
        proposals=sorted(data.proposal_ids) or None,
        municipalities=sorted(data.municipality_ids),
        deadline=data.deadline.isoformat(),
    )
    return request, [ident for ident in data.municipality_ids if ident not in reached]


def _open_target(proposal: Proposal) -> Proposal:
    """The proposal a statement goes to: a merged proposal's target (followed a few steps)."""
    for _step in range(5):
        if proposal.status is not ProposalStatus.MERGED or proposal.merged_into_id is None:
            break
        target = db.session.get(Proposal, proposal.merged_into_id)
        if target is None:
            break
        proposal = target
    return proposal


def answer(asked: StatementRequestMunicipality, author: Any, texts: dict[int | None, str]) -> int:
    """Record a municipality's answers (proposal id → text; None → the concept); returns how many.

    Answers on proposals are posted there as official statements in the municipality's name.
    """
    request = asked.request
    now = clock.now()
    written = 0
    proposals = {proposal.id: proposal for proposal in request.proposals}
    for key, value in texts.items():
        body = clean_text(value)
        if not body:
            continue
        comment_id = None
        if key is not None:
            proposal = proposals.get(key)
            if proposal is None:
                continue
            comment = comment_services.post_comment(
                _open_target(proposal),
                author,
                body,
                voice=comment_services.Voice(municipality_id=asked.municipality_id),
            )
            comment_id = comment.id
        db.session.add(
            StatementAnswer(
                asked_id=asked.id,
                proposal_id=key,
                comment_id=comment_id,
                body=body,
                body_html=render_markdown(body),
                created_at=now,
            )
        )
        written += 1
    if written:
        if asked.answered_at is None:
            asked.answered_at = now
            asked.answered_by_id = author.id
        db.session.flush()
        record(
            "statements.answered",
            actor=author,
            obj=request,
            municipality=asked.municipality_id,
            answers=written,
            late=True if clock.today() > request.deadline else None,
        )
    return written


def remind(request: StatementRequest, actor: Any | None = None) -> int:
    """Remind the representatives of every municipality that has not answered; returns how many."""
    if request.closed_at is not None:
        return 0
    waiting = [row for row in request.municipalities if row.answered_at is None]
    reached = _mail(request, waiting, "reminder")
    now = clock.now()
    for row in waiting:
        if row.municipality_id in reached:
            row.reminded_at = now
    db.session.flush()
    if actor is not None:
        record("statements.reminded", actor=actor, obj=request, municipalities=sorted(reached) or None)
    return len(reached)


def send_due_reminders(today: date | None = None) -> int:
    """The reminder N days before the deadline, once per municipality; returns the mails' municipalities."""
    today = today or clock.today()
    requests = list(
        db.session.scalars(
            select(StatementRequest)
            .where(StatementRequest.closed_at.is_(None), StatementRequest.deadline >= today)
            .options(selectinload(StatementRequest.municipalities))
        )
    )
    count = 0
    for request in requests:
        if today < request.deadline - timedelta(days=request.reminder_days):
            continue
        due = [row for row in request.municipalities if row.answered_at is None and row.reminded_at is None]
        if not due:
            continue
        reached = _mail(request, due, "reminder")
        now = clock.now()
        for row in due:
            if row.municipality_id in reached:
                row.reminded_at = now
        count += len(reached)
    db.session.flush()
    return count


def close(request: StatementRequest, actor: Any) -> None:
    """No more answers; unanswered municipalities are no longer overdue."""
    request.closed_at = clock.now()
    db.session.flush()
    record("statements.closed", actor=actor, obj=request)
