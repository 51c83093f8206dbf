"""Rules for departments and internal assessments.

Moderators assign departments; admins set the default routing. Department staff see the
proposals assigned to their departments and read and write their own department's assessment,
never another department's. Moderators read every assessment but write none.
"""

from __future__ import annotations

from typing import Any

from portal.core.permissions import is_admin
from portal.core.permissions import is_moderator
from portal.core.permissions import is_verified
from portal.core.permissions import rule
from portal.core.permissions import works_in


def is_department_staff(user: Any) -> bool:
    """Verified staff of at least one department."""
    return is_verified(user) and bool(user.department_ids)


@rule("assessments.assign")
def can_assign(user: Any, _proposal: Any = None) -> bool:
    """Assign departments to a proposal, or take an assignment back."""
    return is_moderator(user)


@rule("assessments.configure_routing")
def can_configure_routing(user: Any, _obj: Any = None) -> bool:
    """The default routing from Unterziel to departments."""
    return is_admin(user)


@rule("assessments.list")
def can_list(user: Any, _obj: Any = None) -> bool:
    """The list of assigned proposals: department staff (their own), moderators (all)."""
    return is_department_staff(user) or is_moderator(user)


@rule("assessments.view_proposal")
def can_view_proposal(user: Any, department_ids: Any) -> bool:
    """The assessment page of a proposal assigned to ``department_ids``."""
    return is_moderator(user) or works_in(user, department_ids or ())


@rule("assessments.read")
def can_read(user: Any, assessment: Any) -> bool:
    """Read an assessment: its own department, and moderators."""
    if assessment is None:
        return False
    return is_moderator(user) or works_in(user, (assessment.department_id,))


@rule("assessments.write")
def can_write(user: Any, assignment: Any) -> bool:
    """Write the assessment of an assigned department (a ProposalDepartment): its own staff only."""
    return assignment is not None and works_in(user, (assignment.department_id,))
