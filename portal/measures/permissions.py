"""Who may do what with measures.

Moderators and admins create and edit every measure. Department staff record indicator values,
progress and progress updates for the measures their department is responsible for, and never
for others'. Everybody reads public measures; unpublished ones only the back office sees.
"""

from __future__ import annotations

from typing import Any

from portal.core.permissions import is_moderator
from portal.core.permissions import is_verified
from portal.core.permissions import rule
from portal.core.permissions import works_in


def is_department_staff(user: Any) -> bool:
    """Verified staff of at least one department."""
    return is_verified(user) and bool(user.department_ids)


@rule("measures.view")
def can_view(user: Any, measure: Any) -> bool:
    """Public measures for everybody; unpublished ones for moderators and their departments' staff."""
    if measure is None:
        return False
    return bool(measure.is_public) or is_moderator(user) or works_in(user, measure.department_ids)


@rule("measures.back_office")
def can_use_back_office(user: Any, _obj: Any = None) -> bool:
    """The back-office list: moderators see every measure, department staff their own."""
    return is_moderator(user) or is_department_staff(user)


@rule("measures.create")
def can_create(user: Any, _obj: Any = None) -> bool:
    """Write a new measure (directly or from accepted proposals)."""
    return is_moderator(user)


@rule("measures.edit")
def can_edit(user: Any, measure: Any) -> bool:
    """Change everything about a measure: texts, goals, departments, budget, indicators."""
    return measure is not None and is_moderator(user)


@rule("measures.record_progress")
def can_record_progress(user: Any, measure: Any) -> bool:
    """Record indicator values, status, progress and public progress updates."""
    if measure is None:
        return False
    return is_moderator(user) or works_in(user, measure.department_ids)


@rule("measures.export_all")
def can_export_all(user: Any, _obj: Any = None) -> bool:
    """Exports with unpublished measures too (finance planning); everybody else gets public ones."""
    return is_moderator(user) or is_department_staff(user)
