"""Reads for the comments of a proposal page (a fixed number of queries, however many comments)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.comments.models import Comment
from portal.core.i18n import _
from portal.core.i18n import tr
from portal.extensions import db
from portal.organisations.models import Department
from portal.organisations.models import Municipality


@dataclass
class Thread:
    """A top-level comment and its replies."""

    comment: Comment
    replies: list[Comment]


def threads(proposal_id: int, *, statements_only: bool = False) -> tuple[list[Thread], list[Thread]]:
    """(official statements, other comments), each oldest first, with replies and authors loaded."""
    statement = (
        select(Comment)
        .where(Comment.proposal_id == proposal_id, Comment.parent_id.is_(None))
        .order_by(Comment.created_at, Comment.id)
        .options(
            selectinload(Comment.author),
            selectinload(Comment.official_municipality),
            selectinload(Comment.official_department),
            selectinload(Comment.replies).selectinload(Comment.author),
        )
    )
    if statements_only:
        statement = statement.where(
            Comment.official_municipality_id.is_not(None) | Comment.official_department_id.is_not(None)
        )
    official: list[Thread] = []
    others: list[Thread] = []
    for comment in db.session.scalars(statement):
        thread = Thread(comment, list(comment.replies))
        (official if comment.is_official else others).append(thread)
    return official, others


def get_comment(comment_id: int) -> Comment | None:
    """One comment (for edit, delete, reply, report)."""
    return db.session.get(Comment, comment_id)


def voices(user: Any) -> list[tuple[str, str]]:
    """The official voices of ``user`` as form choices: ("m:<id>", label) and ("d:<id>", label)."""
    choices: list[tuple[str, str]] = []
    municipality_ids = sorted(user.represented_municipality_ids) if user.is_authenticated else []
    department_ids = sorted(user.department_ids) if user.is_authenticated else []
    if municipality_ids:
        for municipality in db.session.scalars(
            select(Municipality).where(Municipality.id.in_(municipality_ids)).order_by(Municipality.name)
        ):
            choices.append(
                (
                    f"m:{municipality.id}",
                    _("As %(name)s (official statement)", name=municipality.name),
                )
            )
    if department_ids:
        for department in db.session.scalars(
            select(Department).where(Department.id.in_(department_ids)).order_by(Department.position)
        ):
            choices.append(
                (
                    f"d:{department.id}",
                    _("As %(name)s (statement of the department)", name=tr(department.name)),
                )
            )
    return choices
