"""Assigning departments, the default routing of new proposals, and writing assessments.

Services flush; the view commits. Every moderator and admin action is audited; an assessment's
text never goes into the audit log (it is internal and the log is exported to its actors).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete
from sqlalchemy import insert
from sqlalchemy import literal
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.assessments.models import Assessment
from portal.assessments.models import Feasibility
from portal.assessments.models import ProposalDepartment
from portal.assessments.models import Responsibility
from portal.assessments.models import SubGoalRouting
from portal.audit.services import record
from portal.core import clock
from portal.core.sanitize import clean_text
from portal.core.signals import proposal_status_changed
from portal.extensions import db
from portal.organisations.models import Department
from portal.proposals.models import Proposal


def assign(proposal: Proposal, department: Department, actor: Any, *, routed: bool = False) -> bool:
    """Ask ``department`` to assess ``proposal``; False when it already is."""
    exists = db.session.scalar(
        select(ProposalDepartment.id).where(
            ProposalDepartment.proposal_id == proposal.id, ProposalDepartment.department_id == department.id
        )
    )
    if exists is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(
                ProposalDepartment(
                    proposal_id=proposal.id,
                    department_id=department.id,
                    assigned_by_id=getattr(actor, "id", None),
                    routed=routed,
                )
            )
    except IntegrityError:  # a parallel request assigned it first
        return False
    if actor is not None:
        record("assessments.assigned", actor=actor, obj=proposal, department=department.key)
    return True


def unassign(proposal: Proposal, department: Department, actor: Any) -> bool:
    """Take the assignment back (an assessment already written stays, for the record)."""
    result = db.session.execute(
        delete(ProposalDepartment)
        .where(
            ProposalDepartment.proposal_id == proposal.id, ProposalDepartment.department_id == department.id
        )
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:
        return False
    record("assessments.unassigned", actor=actor, obj=proposal, department=department.key)
    return True


def copy_assignments(source: Proposal, target: Proposal) -> None:
    """Merging: the departments asked about the duplicate are asked about the target too."""
    already = select(ProposalDepartment.department_id).where(ProposalDepartment.proposal_id == target.id)
    db.session.execute(
        insert(ProposalDepartment).from_select(
            ["proposal_id", "department_id", "assigned_by_id", "assigned_at", "routed"],
            select(
                literal(target.id),
                ProposalDepartment.department_id,
                ProposalDepartment.assigned_by_id,
                literal(clock.now()),
                ProposalDepartment.routed,
            ).where(
                ProposalDepartment.proposal_id == source.id, ProposalDepartment.department_id.not_in(already)
            ),
        )
    )


def route_new_proposal(proposal: Proposal) -> int:
    """Assign the departments the routing names for the proposal's Unterziel; returns how many."""
    department_ids = list(
        db.session.scalars(
            select(SubGoalRouting.department_id).where(SubGoalRouting.subgoal_id == proposal.subgoal_id)
        )
    )
    if not department_ids:
        return 0
    now = clock.now()
    db.session.execute(
        insert(ProposalDepartment),
        [
            {"proposal_id": proposal.id, "department_id": ident, "assigned_at": now, "routed": True}
            for ident in department_ids
        ],
    )
    return len(department_ids)


def _on_status_changed(proposal: Proposal, *, change: Any, **_extra: Any) -> None:
    """A new proposal (the edge "(new) → submitted") arrives routed."""
    if change.from_status is None:
        route_new_proposal(proposal)


proposal_status_changed.connect(_on_status_changed)


def set_routing(routing: dict[int, set[int]], actor: Any) -> int:
    """Replace the default routing: Unterziel id → department ids. Returns the number of changes."""
    current: dict[int, set[int]] = {}
    for subgoal_id, department_id in db.session.execute(
        select(SubGoalRouting.subgoal_id, SubGoalRouting.department_id)
    ):
        current.setdefault(subgoal_id, set()).add(department_id)
    changes = 0
    for subgoal_id, wanted in routing.items():
        have = current.get(subgoal_id, set())
        for department_id in wanted - have:
            db.session.add(SubGoalRouting(subgoal_id=subgoal_id, department_id=department_id))
            changes += 1
        removed = have - wanted
        if removed:
            db.session.execute(
                delete(SubGoalRouting).where(
                    SubGoalRouting.subgoal_id == subgoal_id, SubGoalRouting.department_id.in_(removed)
                )
            )
            changes += len(removed)
    db.session.flush()
    if changes:
        record(
            "assessments.routing_changed",
            actor=actor,
            routing={str(key): sorted(value) for key, value in sorted(routing.items()) if value},
        )
    return changes


@dataclass
class AssessmentData:
    """What the assessment form collected."""

    feasibility: Feasibility
    cost_estimate: int | None
    responsibility: Responsibility
    text: str


def save_assessment(assignment: ProposalDepartment, data: AssessmentData, author: Any) -> Assessment:
    """Write (or overwrite) the department's assessment of the assigned proposal."""
    assessment = db.session.scalar(
        select(Assessment).where(
            Assessment.proposal_id == assignment.proposal_id,
            Assessment.department_id == assignment.department_id,
        )
    )
    created = assessment is None
    if assessment is None:
        assessment = Assessment(proposal_id=assignment.proposal_id, department_id=assignment.department_id)
        db.session.add(assessment)
    assessment.author_id = author.id
    assessment.feasibility = data.feasibility
    assessment.cost_estimate = data.cost_estimate
    assessment.responsibility = data.responsibility
    assessment.text = clean_text(data.text)
    db.session.flush()
    # The audit log names the event only: the text and figures are internal to the department.
    record(
        "assessments.written" if created else "assessments.changed",
        actor=author,
        obj=assessment,
        proposal=assignment.proposal_id,
        department=assignment.department_id,
    )
    return assessment
