"""E-mail about proposals people follow: listeners on the portal's signals, per user preference.

Each kind (status changes, official statements, replies) is sent immediately (one mail each, into
the outbox in the same transaction as the change), collected for a daily digest (``send-digest``),
or not at all. Mail goes only to verified addresses, never to the person who caused the event.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import groupby
from typing import Any

from flask import current_app
from flask import has_request_context
from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.comments.models import Comment
from portal.core import clock
from portal.core.signals import comment_posted
from portal.core.signals import proposal_status_changed
from portal.extensions import db
from portal.mail.services import queue_mail
from portal.notifications.models import DEFAULT_FREQUENCY
from portal.notifications.models import DigestItem
from portal.notifications.models import Frequency
from portal.notifications.models import NotificationKind
from portal.notifications.models import NotificationPreference
from portal.organisations.models import Municipality
from portal.proposals.models import Follow
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus

_muted: ContextVar[bool] = ContextVar("notifications_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """No notifications inside this block (demo and load data)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def absolute_url(endpoint: str, **values: Any) -> str:
    """An absolute link for e-mail, on PORTAL_BASE_URL, also outside requests (send-digest)."""
    base = str(current_app.config.get("PORTAL_BASE_URL") or "").rstrip("/")
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        with current_app.test_request_context("/"):
            path = url_for(endpoint, **values)
    return base + path


def preferences(user_id: int) -> dict[NotificationKind, Frequency]:
    """A user's frequency per kind (defaults filled in)."""
    stored = {
        row.kind: row.frequency
        for row in db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user_id)
        )
    }
    return {kind: stored.get(kind, DEFAULT_FREQUENCY) for kind in NotificationKind}


def set_preferences(user_id: int, choices: dict[NotificationKind, Frequency]) -> None:
    """Store a user's choices (flush only)."""
    existing = {
        row.kind: row
        for row in db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user_id)
        )
    }
    for kind, frequency in choices.items():
        if kind in existing:
            existing[kind].frequency = frequency
        else:
            db.session.add(NotificationPreference(user_id=user_id, kind=kind, frequency=frequency))
    db.session.flush()


def _verified(users: Iterable[User], actor: Any) -> list[User]:
    actor_id = getattr(actor, "id", None)
    seen: set[int] = set()
    result = []
    for user in users:
        if user.id in seen or user.id == actor_id or user.email_verified_at is None:
            continue
        seen.add(user.id)
        result.append(user)
    return result


def _followers(proposal: Proposal) -> list[User]:
    return list(
        db.session.scalars(
            select(User).join(Follow, Follow.user_id == User.id).where(Follow.proposal_id == proposal.id)
        )
    )


def _users(*ids: int | None) -> list[User]:
    wanted = [ident for ident in ids if ident is not None]
    if not wanted:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(wanted))))


def deliver(
    users: list[User],
    kind: NotificationKind,
    proposal: Proposal,
    *,
    comment: Comment | None = None,
    status: ProposalStatus | None = None,
    answer: str | None = None,
    voice: str | None = None,
) -> None:
    """Mail now, keep for the digest, or drop, as each recipient chose for ``kind``."""
    if not users:
        return
    chosen = {
        row.user_id: row.frequency
        for row in db.session.scalars(
            select(NotificationPreference).where(
                NotificationPreference.user_id.in_([user.id for user in users]),
                NotificationPreference.kind == kind,
            )
        )
    }
    url = absolute_url("proposals.detail", proposal_id=proposal.id)
    if comment is not None:
        url = absolute_url("proposals.detail", proposal_id=proposal.id, _anchor=f"kommentar-{comment.id}")
    settings_url = absolute_url("notifications.preferences")
    for user in users:
        frequency = chosen.get(user.id, DEFAULT_FREQUENCY)
        if frequency is Frequency.OFF:
            continue
        if frequency is Frequency.DAILY:
            db.session.add(
                DigestItem(
                    user_id=user.id,
                    kind=kind,
                    proposal_id=proposal.id,
                    comment_id=comment.id if comment is not None else None,
                    status=status.value if status is not None else None,
                )
            )
            continue
        queue_mail(
            user.email,
            f"notifications/{kind.value}",
            language=user.language or "de",
            user=user,
            proposal=proposal,
            comment=comment,
            status=status,
            answer=answer,
            voice=voice,
            url=url,
            settings_url=settings_url,
        )


def _voice(comment: Comment) -> str | None:
    """The municipality an official statement speaks for (None for a department's)."""
    if comment.official_municipality_id is None:
        return None
    municipality = db.session.get(Municipality, comment.official_municipality_id)
    return municipality.name if municipality else None


def on_status_changed(proposal: Proposal, *, change: Any, actor: Any, **_extra: Any) -> None:
    """Tell the author and the followers about a new status (not about the creation)."""
    if _muted.get() or change.from_status is None:
        return
    recipients = _verified([*_users(proposal.author_id), *_followers(proposal)], actor)
    deliver(
        recipients, NotificationKind.STATUS_CHANGES, proposal, status=change.to_status, answer=change.answer
    )


def on_comment_posted(
    comment: Comment, *, proposal: Proposal, parent: Comment | None, actor: Any, **_extra: Any
) -> None:
    """Statements go to the followers; replies to the comment's author; comments to the proposal's author."""
    if _muted.get():
        return
    if comment.is_official:
        recipients = _verified(_followers(proposal), actor)
        deliver(
            recipients, NotificationKind.OFFICIAL_STATEMENTS, proposal, comment=comment, voice=_voice(comment)
        )
    elif parent is not None:
        deliver(
            _verified(_users(parent.author_id), actor), NotificationKind.REPLIES, proposal, comment=comment
        )
    else:
        deliver(
            _verified(_users(proposal.author_id), actor), NotificationKind.REPLIES, proposal, comment=comment
        )


proposal_status_changed.connect(on_status_changed)
comment_posted.connect(on_comment_posted)


def send_digests() -> int:
    """Queue one digest mail per user with collected items; returns the number of mails."""
    items = list(
        db.session.scalars(
            select(DigestItem)
            .where(DigestItem.sent_at.is_(None))
            .order_by(DigestItem.user_id, DigestItem.created_at, DigestItem.id)
        )
    )
    if not items:
        return 0
    users = {user.id: user for user in _users(*{item.user_id for item in items})}
    proposals = {
        proposal.id: proposal
        for proposal in db.session.scalars(
            select(Proposal)
            .where(Proposal.id.in_({item.proposal_id for item in items}))
            .options(selectinload(Proposal.municipality))
        )
    }
    comment_ids = {item.comment_id for item in items if item.comment_id}
    comments = (
        {c.id: c for c in db.session.scalars(select(Comment).where(Comment.id.in_(comment_ids)))}
        if comment_ids
        else {}
    )
    now = clock.now()
    mails = 0
    for user_id, group in groupby(items, key=lambda item: item.user_id):
        batch = list(group)
        user = users.get(user_id)
        if user is not None and user.email_verified_at is not None:
            entries = [
                {
                    "kind": item.kind,
                    "proposal": proposals[item.proposal_id],
                    "comment": comments.get(item.comment_id) if item.comment_id else None,
                    "status": ProposalStatus(item.status) if item.status else None,
                    "url": absolute_url("proposals.detail", proposal_id=item.proposal_id),
                }
                for item in batch
            ]
            queue_mail(
                user.email,
                "notifications/digest",
                language=user.language or "de",
                user=user,
                entries=entries,
                settings_url=absolute_url("notifications.preferences"),
            )
            mails += 1
        for item in batch:
            item.sent_at = now
    db.session.flush()
    return mails
