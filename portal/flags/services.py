"""Reports: recording them, hiding content at the configured threshold, and the moderator's decision."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from portal.audit.services import record
from portal.comments.models import Comment
from portal.core import clock
from portal.core.sanitize import clean_text
from portal.core.settings import get_setting
from portal.extensions import db
from portal.flags.models import Flag
from portal.flags.models import FlagDecision
from portal.flags.models import FlagReason
from portal.proposals.models import Proposal

#: Setting: this many open reports hide a proposal or comment until a moderator decides.
HIDE_THRESHOLD = "flags.hide_threshold"
DEFAULT_HIDE_THRESHOLD = 3
AUTO_HIDDEN_REASON = "reports"


class AlreadyReported(Exception):
    """The user has reported this before."""


def _target(obj: Proposal | Comment) -> Any:
    return Flag.proposal_id == obj.id if isinstance(obj, Proposal) else Flag.comment_id == obj.id


def hide_threshold() -> int:
    """Open reports that hide content (at least 1)."""
    return max(1, int(get_setting(HIDE_THRESHOLD, DEFAULT_HIDE_THRESHOLD)))


def open_count(obj: Proposal | Comment) -> int:
    """Reports on ``obj`` that no moderator has decided on."""
    return int(
        db.session.scalar(
            select(func.count()).select_from(Flag).where(_target(obj), Flag.resolved_at.is_(None))
        )
        or 0
    )


def report(obj: Proposal | Comment, user: Any, reason: FlagReason, note: str | None = None) -> Flag:
    """Record a report; at the threshold the content is hidden until a moderator decides."""
    already = db.session.scalar(select(Flag.id).where(_target(obj), Flag.user_id == user.id))
    if already is not None:
        raise AlreadyReported
    flag = Flag(
        user_id=user.id,
        proposal_id=obj.id if isinstance(obj, Proposal) else None,
        comment_id=obj.id if isinstance(obj, Comment) else None,
        reason=reason,
        note=clean_text(note) or None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(flag)
    except IntegrityError:
        raise AlreadyReported from None
    if obj.hidden_at is None and open_count(obj) >= hide_threshold():
        obj.hidden_at = clock.now()
        obj.hidden_reason = AUTO_HIDDEN_REASON
        db.session.flush()
        record(f"flags.{type(obj).__name__.lower()}_hidden", actor=None, obj=obj, threshold=hide_threshold())
    return flag


def decide(obj: Proposal | Comment, actor: Any, decision: FlagDecision, reason: str | None = None) -> int:
    """A moderator's decision on all open reports of ``obj``: keep it hidden, or show it again.

    Returns the number of reports closed. The screens come with the back office.
    """
    now = clock.now()
    result = db.session.execute(
        update(Flag)
        .where(_target(obj), Flag.resolved_at.is_(None))
        .values(resolved_at=now, resolved_by_id=actor.id, decision=decision)
        .execution_options(synchronize_session=False)
    )
    if decision is FlagDecision.HIDDEN:
        obj.hidden_at = obj.hidden_at or now
        obj.hidden_reason = clean_text(reason) or obj.hidden_reason or AUTO_HIDDEN_REASON
    else:
        obj.hidden_at = None
        obj.hidden_reason = None
    db.session.flush()
    record(f"flags.{decision.value}", actor=actor, obj=obj, reason=reason, reports=result.rowcount)
    return int(result.rowcount or 0)
