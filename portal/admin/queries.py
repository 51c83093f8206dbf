"""Reads of the administration pages and the audit log (bounded: paginated, one query per part)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import aliased

from portal.accounts.models import User
from portal.admin.models import MilestoneDocument
from portal.audit.models import AuditEvent
from portal.core import clock
from portal.extensions import db
from portal.organisations.models import Department
from portal.organisations.models import Municipality
from portal.process.models import Milestone
from portal.proposals.queries import Page

AUDIT_PER_PAGE = 50


def municipalities() -> list[Municipality]:
    """All municipalities in their order."""
    return list(db.session.scalars(select(Municipality).order_by(Municipality.position, Municipality.name)))


def departments() -> list[Department]:
    """All departments in their order."""
    return list(db.session.scalars(select(Department).order_by(Department.position, Department.id)))


def documents_of(milestone_ids: list[int]) -> dict[int, list[MilestoneDocument]]:
    """The documents of each milestone, in their order (one query)."""
    result: dict[int, list[MilestoneDocument]] = {}
    if not milestone_ids:
        return result
    for document in db.session.scalars(
        select(MilestoneDocument)
        .where(MilestoneDocument.milestone_id.in_(milestone_ids))
        .order_by(MilestoneDocument.position, MilestoneDocument.id)
    ):
        result.setdefault(document.milestone_id, []).append(document)
    return result


def milestones() -> list[Milestone]:
    """The decision timeline, oldest first."""
    return list(db.session.scalars(select(Milestone).order_by(Milestone.sort_date, Milestone.position)))


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    person: str = ""
    since: date | None = None
    until: date | None = None


def audit_actions() -> list[str]:
    """The actions that occur in the log (for the filter; as many as there are kinds of action)."""
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clock.TIMEZONE)


def audit_log(filters: AuditFilters, page: int = 1, per_page: int = AUDIT_PER_PAGE) -> Page:
    """A page of audit events, newest first, each with its actor (2 queries)."""
    actor = aliased(User)
    statement: Any = select(AuditEvent, actor).outerjoin(actor, actor.id == AuditEvent.actor_id)
    if filters.action:
        statement = statement.where(AuditEvent.action == filters.action)
    if filters.person:
        pattern = f"%{filters.person.lower()}%"
        statement = statement.where(
            or_(func.lower(actor.display_name).like(pattern), func.lower(actor.email).like(pattern))
        )
    if filters.since:
        statement = statement.where(AuditEvent.created_at >= _day_start(filters.since))
    if filters.until:
        statement = statement.where(AuditEvent.created_at < _day_start(filters.until + timedelta(days=1)))
    total = int(db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0)
    page = min(max(1, page), max(1, math.ceil(total / per_page)))
    rows = db.session.execute(
        statement.order_by(AuditEvent.id.desc()).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return Page(items=[(row[0], row[1]) for row in rows], total=total, page=page, per_page=per_page)
