"""Writing comments and official statements. Services flush; the view commits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update

from portal.comments.models import Comment
from portal.core import clock
from portal.core.i18n import current_language
from portal.core.sanitize import clean_text
from portal.core.sanitize import render_markdown
from portal.core.signals import comment_posted
from portal.extensions import db
from portal.proposals.models import Proposal


@dataclass(frozen=True)
class Voice:
    """In whose name a comment is written: personally, or for a municipality or department."""

    municipality_id: int | None = None
    department_id: int | None = None

    @property
    def official(self) -> bool:
        return self.municipality_id is not None or self.department_id is not None


PERSONAL = Voice()


def _count(proposal_id: int, delta: int) -> None:
    db.session.execute(
        update(Proposal)
        .where(Proposal.id == proposal_id, Proposal.comments_count + delta >= 0)
        .values(comments_count=Proposal.comments_count + delta)
        .execution_options(synchronize_session=False)
    )


def post_comment(
    proposal: Proposal,
    author: Any,
    body: str,
    *,
    voice: Voice = PERSONAL,
    parent: Comment | None = None,
    language: str | None = None,
) -> Comment:
    """A new comment, reply (``parent``) or official statement (``voice``); the view checked the rights."""
    if parent is not None and (parent.parent_id is not None or parent.proposal_id != proposal.id):
        raise ValueError("replies go to top-level comments of the same proposal")
    if parent is not None and voice.official:
        raise ValueError("official statements are top-level comments")
    text = clean_text(body)
    comment = Comment(
        proposal_id=proposal.id,
        parent_id=parent.id if parent is not None else None,
        author_id=author.id,
        body=text,
        body_html=render_markdown(text),
        official_municipality_id=voice.municipality_id,
        official_department_id=voice.department_id,
        language=language or current_language(),
    )
    db.session.add(comment)
    db.session.flush()
    _count(proposal.id, +1)
    db.session.refresh(proposal, ["comments_count"])
    comment_posted.send(comment, proposal=proposal, parent=parent, actor=author)
    return comment


def edit_comment(comment: Comment, body: str, language: str | None = None) -> None:
    """Change the text (within the edit window; the view checked it)."""
    comment.body = clean_text(body)
    if language:
        comment.language = language
    comment.body_html = render_markdown(comment.body)
    comment.edited_at = clock.now()
    db.session.flush()


def _has_replies(comment: Comment) -> bool:
    return bool(
        db.session.scalar(select(func.count()).select_from(Comment).where(Comment.parent_id == comment.id))
    )


def delete_comment(comment: Comment) -> None:
    """Delete a comment; one with replies stays as a "deleted" marker so the replies keep their place."""
    proposal_id = comment.proposal_id
    parent_id = comment.parent_id
    if _has_replies(comment):
        comment.body = ""
        comment.body_html = ""
        comment.deleted_at = clock.now()
    else:
        db.session.delete(comment)
    db.session.flush()
    _count(proposal_id, -1)
    if parent_id is not None:
        parent = db.session.get(Comment, parent_id)
        # A deleted marker whose last reply is gone has nothing left to hold.
        if parent is not None and parent.deleted_at is not None and not _has_replies(parent):
            db.session.delete(parent)
            db.session.flush()
