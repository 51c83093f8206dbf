"""E-mail about measures: the people behind the source proposals hear what became of them.

When a measure with source proposals first becomes public, the authors and followers of those
proposals get one e-mail each (in their language), unless they switched off e-mail about status
changes. The person who published the measure is not told about their own action.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from portal.accounts.models import User
from portal.extensions import db
from portal.mail.services import queue_mail
from portal.measures.models import Measure


def _absolute_url(endpoint: str, **values: Any) -> str:
    from portal.notifications.services import absolute_url

    return absolute_url(endpoint, **values)


def _switched_off(user_ids: list[int]) -> set[int]:
    """Users who asked for no e-mail about status changes of proposals."""
    try:
        from portal.notifications.models import Frequency
        from portal.notifications.models import NotificationKind
        from portal.notifications.models import NotificationPreference
    except ImportError:  # pragma: no cover - a deployment without notification preferences
        return set()
    return set(
        db.session.scalars(
            select(NotificationPreference.user_id).where(
                NotificationPreference.user_id.in_(user_ids),
                NotificationPreference.kind == NotificationKind.STATUS_CHANGES,
                NotificationPreference.frequency == Frequency.OFF,
            )
        )
    )


def recipients(measure: Measure, *, actor: Any = None) -> list[tuple[User, list[Any]]]:
    """``[(user, [their proposals])]``: verified authors and followers of the source proposals."""
    from portal.proposals.models import Follow

    proposals = {proposal.id: proposal for proposal in measure.proposals}
    if not proposals:
        return []
    wanted: dict[int, list[int]] = {}
    for proposal in proposals.values():
        if proposal.author_id is not None:
            wanted.setdefault(proposal.author_id, []).append(proposal.id)
    for user_id, proposal_id in db.session.execute(
        select(Follow.user_id, Follow.proposal_id).where(Follow.proposal_id.in_(list(proposals)))
    ):
        wanted.setdefault(user_id, [])
        if proposal_id not in wanted[user_id]:
            wanted[user_id].append(proposal_id)
    actor_id = getattr(actor, "id", None)
    wanted.pop(actor_id, None)  # type: ignore[arg-type]
    if not wanted:
        return []
    off = _switched_off(list(wanted))
    users = db.session.scalars(
        select(User).where(User.id.in_(list(wanted)), User.email_verified_at.is_not(None)).order_by(User.id)
    )
    return [
        (user, [proposals[proposal_id] for proposal_id in sorted(wanted[user.id])])
        for user in users
        if user.id not in off
    ]


def measure_published(measure: Measure, *, actor: Any = None) -> int:
    """Queue the e-mails for a measure that just became public; returns how many."""
    found = recipients(measure, actor=actor)
    if not found:
        return 0
    url = _absolute_url("measures.detail", measure_id=measure.id)
    for user, proposals in found:
        queue_mail(
            user.email,
            "measures/proposal_became_measure",
            language=user.language or "de",
            user=user,
            measure=measure,
            proposals=[
                {
                    "title": proposal.title,
                    "url": _absolute_url("proposals.detail", proposal_id=proposal.id),
                    "own": proposal.author_id == user.id,
                }
                for proposal in proposals
            ],
            url=url,
        )
    return len(found)
