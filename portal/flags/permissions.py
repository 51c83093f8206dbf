"""Who may report content and who decides on reports."""

from __future__ import annotations

from typing import Any

from portal.comments.models import Comment
from portal.core.permissions import is_moderator
from portal.core.permissions import is_signed_in
from portal.core.permissions import rule
from portal.proposals.models import Proposal


def _author_id(obj: Any) -> int | None:
    return obj.author_id if isinstance(obj, Proposal | Comment) else None


@rule("flags.create")
def can_report(user: Any, obj: Proposal | Comment) -> bool:
    """Any signed-in user may report a proposal or comment that is not their own."""
    if not is_signed_in(user) or obj is None:
        return False
    if isinstance(obj, Comment) and obj.deleted_at is not None:
        return False
    return _author_id(obj) != user.id


@rule("flags.resolve")
def can_resolve(user: Any, obj: Any = None) -> bool:
    """Moderators decide on reported content."""
    return is_moderator(user)
