"""Participation figures for the concept: proposals, comments, official statements, people.

Works whatever parts of the participation core a deployment has: a table that does not exist
(yet) is simply left out, and without proposals there is no summary at all. Hidden and deleted
content is not counted; people are counted once, however many ways they took part.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy import func
from sqlalchemy import inspect
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import union

from portal.extensions import db


def _tables(*names: str) -> dict[str, Table]:
    existing = set(inspect(db.session.connection()).get_table_names())
    return {
        name: db.metadata.tables[name] for name in names if name in existing and name in db.metadata.tables
    }


def _visible(table: Table) -> list[Any]:
    conditions = []
    for column in ("hidden_at", "deleted_at"):
        if column in table.c:
            conditions.append(table.c[column].is_(None))
    return conditions


def participation_summary() -> dict[str, int] | None:
    """``{"proposals", "comments", "statements", "people"}``, or None without a proposals table."""
    tables = _tables("proposals", "comments", "supports", "priority_ballots")
    proposals = tables.get("proposals")
    if proposals is None:
        return None
    proposal_conditions = _visible(proposals)
    if "published_at" in proposals.c:
        proposal_conditions.append(proposals.c.published_at.is_not(None))
    summary = {
        "proposals": db.session.scalar(
            select(func.count()).select_from(proposals).where(*proposal_conditions)
        )
        or 0,
        "comments": 0,
        "statements": 0,
        "supports": 0,
    }
    people = []
    if "author_id" in proposals.c:
        people.append(select(proposals.c.author_id.label("person")).where(*proposal_conditions))
    comments = tables.get("comments")
    if comments is not None:
        conditions = _visible(comments)
        official = [
            comments.c[name].is_not(None)
            for name in ("official_municipality_id", "official_department_id")
            if name in comments.c
        ]
        if official:
            is_official = or_(*official)
            summary["statements"] = (
                db.session.scalar(select(func.count()).select_from(comments).where(*conditions, is_official))
                or 0
            )
            summary["comments"] = (
                db.session.scalar(select(func.count()).select_from(comments).where(*conditions, ~is_official))
                or 0
            )
        else:
            summary["comments"] = (
                db.session.scalar(select(func.count()).select_from(comments).where(*conditions)) or 0
            )
        if "author_id" in comments.c:
            people.append(select(comments.c.author_id.label("person")).where(*conditions))
    supports = tables.get("supports")
    if supports is not None:
        summary["supports"] = db.session.scalar(select(func.count()).select_from(supports)) or 0
        if "user_id" in supports.c:
            people.append(select(supports.c.user_id.label("person")))
    ballots = tables.get("priority_ballots")
    if ballots is not None and "user_id" in ballots.c:
        people.append(select(ballots.c.user_id.label("person")).where(ballots.c.user_id.is_not(None)))
    if people:
        everyone = union(*people).subquery()
        summary["people"] = (
            db.session.scalar(
                select(func.count()).select_from(everyone).where(everyone.c.person.is_not(None))
            )
            or 0
        )
    else:
        summary["people"] = 0
    return summary
