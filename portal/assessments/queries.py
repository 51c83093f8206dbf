"""Reads for the assessment pages (a fixed number of queries per page)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlalchemy.orm import selectinload

from portal.assessments.models import Assessment
from portal.assessments.models import ProposalDepartment
from portal.assessments.models import SubGoalRouting
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.proposals.queries import Page

PER_PAGE = 25
OPEN = "offen"
DONE = "bewertet"


@dataclass
class AssignedRow:
    """One assignment: the proposal, the department, and the department's assessment if written."""

    assignment: ProposalDepartment
    proposal: Proposal
    assessment: Assessment | None


def list_assigned(
    department_ids: set[int] | None, state: str = "", page: int = 1, per_page: int = PER_PAGE
) -> Page:
    """Assignments of these departments (None: all), newest first; ``state`` open or assessed."""
    assessment = aliased(Assessment)
    statement: Any = (
        select(ProposalDepartment, Proposal, assessment)
        .join(Proposal, Proposal.id == ProposalDepartment.proposal_id)
        .outerjoin(
            assessment,
            (assessment.proposal_id == ProposalDepartment.proposal_id)
            & (assessment.department_id == ProposalDepartment.department_id),
        )
    )
    if department_ids is not None:
        statement = statement.where(ProposalDepartment.department_id.in_(department_ids))
    if state == OPEN:
        statement = statement.where(assessment.id.is_(None))
    elif state == DONE:
        statement = statement.where(assessment.id.is_not(None))
    total = int(db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0)
    page = min(max(1, page), max(1, math.ceil(total / per_page)))
    rows = db.session.execute(
        statement.options(selectinload(ProposalDepartment.department), selectinload(Proposal.municipality))
        .order_by(ProposalDepartment.assigned_at.desc(), ProposalDepartment.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    items = [AssignedRow(row[0], row[1], row[2]) for row in rows]
    return Page(items=items, total=total, page=page, per_page=per_page)


def assignments_for(proposal_id: int) -> list[ProposalDepartment]:
    """The departments asked about a proposal."""
    return list(
        db.session.scalars(
            select(ProposalDepartment)
            .where(ProposalDepartment.proposal_id == proposal_id)
            .options(selectinload(ProposalDepartment.department))
            .order_by(ProposalDepartment.id)
        )
    )


def assessments_for(proposal_id: int, department_ids: set[int] | None) -> dict[int, Assessment]:
    """Assessments of a proposal by department id (only ``department_ids`` unless None)."""
    statement = select(Assessment).where(Assessment.proposal_id == proposal_id)
    if department_ids is not None:
        if not department_ids:
            return {}
        statement = statement.where(Assessment.department_id.in_(department_ids))
    return {item.department_id: item for item in db.session.scalars(statement)}


def routing() -> dict[int, set[int]]:
    """The default routing: Unterziel id → department ids."""
    result: dict[int, set[int]] = {}
    for subgoal_id, department_id in db.session.execute(
        select(SubGoalRouting.subgoal_id, SubGoalRouting.department_id)
    ):
        result.setdefault(subgoal_id, set()).add(department_id)
    return result
