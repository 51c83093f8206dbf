"""Rules of the administration pages: admins only, one rule per area (moderators cannot)."""

from __future__ import annotations

from typing import Any

from portal.core.permissions import is_admin
from portal.core.permissions import rule


@rule("admin.strategy")
def can_edit_strategy(user: Any, _obj: Any = None) -> bool:
    """Texts of the strategy, goals, sub-goals and focus areas, per language."""
    return is_admin(user)


@rule("admin.phases")
def can_edit_phases(user: Any, _obj: Any = None) -> bool:
    """The dated phases of the participation process."""
    return is_admin(user)


@rule("admin.milestones")
def can_edit_milestones(user: Any, _obj: Any = None) -> bool:
    """The decision timeline and its documents."""
    return is_admin(user)


@rule("admin.municipalities")
def can_edit_municipalities(user: Any, _obj: Any = None) -> bool:
    """Municipalities: names, postcodes, inhabitants."""
    return is_admin(user)


@rule("admin.departments")
def can_edit_departments(user: Any, _obj: Any = None) -> bool:
    """Departments of the district administration."""
    return is_admin(user)


@rule("admin.settings")
def can_edit_settings(user: Any, _obj: Any = None) -> bool:
    """Site settings: moderation mode, report threshold, support and prioritisation rules."""
    return is_admin(user)


@rule("admin.audit_log")
def can_read_audit_log(user: Any, _obj: Any = None) -> bool:
    """The audit log of every moderator and admin action."""
    return is_admin(user)
