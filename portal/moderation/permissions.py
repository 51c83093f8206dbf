"""Rules of the back office: who may open it, work the queue, hide and restore, decide, merge.

Moderators (and admins, who may do everything moderators may) work the queue. Department staff
enter the back office too, but only for their assessments (portal/assessments) and measures.
Answer templates are written by admins; moderators use them.
"""

from __future__ import annotations

from typing import Any

from portal.core.permissions import can
from portal.core.permissions import is_admin
from portal.core.permissions import is_moderator
from portal.core.permissions import is_verified
from portal.core.permissions import rule
from portal.proposals import workflow
from portal.proposals.models import ProposalStatus


def is_staff(user: Any) -> bool:
    """Verified department staff, moderator or admin."""
    return is_verified(user) and bool(user.is_staff)


@rule("moderation.access")
def can_access(user: Any, _obj: Any = None) -> bool:
    """The back office's start page (/verwaltung) and its link in the account menu."""
    return is_staff(user)


@rule("moderation.queue")
def can_see_queue(user: Any, _obj: Any = None) -> bool:
    """The queue, the dashboard counts and the moderation page of a proposal or comment."""
    return is_moderator(user)


@rule("moderation.bulk")
def can_bulk(user: Any, _obj: Any = None) -> bool:
    """Bulk actions on checked queue items (each item is checked again by its own rule)."""
    return is_moderator(user)


@rule("moderation.hide")
def can_hide(user: Any, obj: Any) -> bool:
    """Hide a proposal or comment with a reason the author is told: visible content, or content
    that reports hid automatically (the moderator confirms it and gives the reason)."""
    from portal.flags.services import AUTO_HIDDEN_REASON

    return (
        is_moderator(user)
        and obj is not None
        and (obj.hidden_at is None or obj.hidden_reason == AUTO_HIDDEN_REASON)
    )


@rule("moderation.restore")
def can_restore(user: Any, obj: Any) -> bool:
    """Show a hidden proposal or comment again, with a reason the author is told."""
    return is_moderator(user) and obj is not None and obj.hidden_at is not None


@rule("moderation.change_status")
def can_change_status(user: Any, proposal: Any) -> bool:
    """Open the status form: some edge of the workflow leads on from here for this moderator.

    Merging has its own page; each edge is checked again by the workflow when taken.
    """
    if not is_moderator(user) or proposal is None:
        return False
    return any(
        can(edge.rule, proposal, user=user)
        for edge in workflow.TRANSITIONS
        if edge.source == proposal.status and edge.moderator and edge.target is not ProposalStatus.MERGED
    )


@rule("moderation.merge")
def can_merge(user: Any, proposal: Any) -> bool:
    """Merge a duplicate into another proposal (the workflow's merge edge decides)."""
    return proposal is not None and can("proposals.merge", proposal, user=user)


@rule("moderation.edit_templates")
def can_edit_templates(user: Any, _obj: Any = None) -> bool:
    """Write, change and delete answer templates."""
    return is_admin(user)
