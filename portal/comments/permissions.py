"""Who may comment, reply, edit, delete and give official statements, and why not, in words."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from typing import Any

from portal.comments.models import Comment
from portal.core import clock
from portal.core.i18n import _
from portal.core.permissions import is_moderator
from portal.core.permissions import is_signed_in
from portal.core.permissions import is_verified
from portal.core.permissions import rule
from portal.core.settings import get_setting
from portal.proposals import phases
from portal.proposals.models import Proposal
from portal.proposals.permissions import sign_in_refusal
from portal.proposals.phases import Action

#: Setting: minutes during which the author may still edit a comment.
EDIT_WINDOW = "comments.edit_window_minutes"
DEFAULT_EDIT_WINDOW = 15


def edit_window() -> timedelta:
    """How long after writing a comment its author may change it."""
    return timedelta(minutes=int(get_setting(EDIT_WINDOW, DEFAULT_EDIT_WINDOW)))


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes (stored in the district's time zone); PostgreSQL aware ones."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=clock.TIMEZONE)


def is_comment_author(user: Any, comment: Comment) -> bool:
    return is_signed_in(user) and comment.author_id is not None and comment.author_id == user.id


def comment_refusal(user: Any, proposal: Proposal) -> str | None:
    """Why ``user`` cannot comment on ``proposal`` now, or None."""
    if not proposal.is_open or not proposal.is_public:
        return _("This proposal is closed for comments.")
    closed = phases.closed_message(Action.COMMENT)
    if closed:
        return closed
    if not is_signed_in(user):
        return sign_in_refusal(_("Sign in to comment."))
    if not is_verified(user):
        return _("Confirm your e-mail address to comment.")
    return None


def has_official_voice(user: Any) -> bool:
    """Represents a municipality or works in a department."""
    return is_verified(user) and bool(user.represented_municipality_ids or user.department_ids)


@rule("comments.create")
def can_create(user: Any, proposal: Proposal) -> bool:
    return comment_refusal(user, proposal) is None


@rule("comments.statement")
def can_give_statement(user: Any, proposal: Proposal) -> bool:
    """Write as one's municipality or department (an official statement)."""
    return (
        has_official_voice(user)
        and proposal.is_open
        and proposal.is_public
        and phases.is_open(Action.STATEMENT)
    )


@rule("comments.reply")
def can_reply(user: Any, comment: Comment) -> bool:
    """Replies go to top-level comments that are still there (commenting must be open, too)."""
    return (
        is_verified(user)
        and comment.parent_id is None
        and comment.deleted_at is None
        and comment.hidden_at is None
    )


@rule("comments.edit")
def can_edit(user: Any, comment: Comment) -> bool:
    return (
        is_comment_author(user, comment)
        and comment.deleted_at is None
        and clock.now() - _aware(comment.created_at) <= edit_window()
    )


@rule("comments.delete")
def can_delete(user: Any, comment: Comment) -> bool:
    return is_comment_author(user, comment) and comment.deleted_at is None


@rule("comments.see_hidden")
def can_see_hidden(user: Any, comment: Comment) -> bool:
    """Moderators read hidden comments (marked as hidden); authors read their own."""
    return is_moderator(user) or is_comment_author(user, comment)
