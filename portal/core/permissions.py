"""The one place that says who may do what.

Rules are named (``"proposals.edit"``) and registered by each domain's ``permissions.py`` with
:func:`rule`. Views call :func:`require`; templates call ``can(...)`` so that buttons and routes
share one truth. A rule receives the user (possibly anonymous) and the object, and checks both
the role and the object's state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort
from flask import redirect
from flask import request
from flask import url_for
from flask_login import current_user

Rule = Callable[[Any, Any], bool]
_RULES: dict[str, Rule] = {}


class UnknownRule(KeyError):
    """A view or template asked for a rule nobody registered (a typo, most likely)."""


def rule(name: str) -> Callable[[Rule], Rule]:
    """Register ``function(user, obj) -> bool`` under ``name``."""

    def register(function: Rule) -> Rule:
        if name in _RULES and _RULES[name] is not function:
            raise ValueError(f"permission rule {name!r} registered twice")
        _RULES[name] = function
        return function

    return register


def registered_rules() -> dict[str, Rule]:
    """All rules, for the permission matrix tests."""
    return dict(_RULES)


def can(name: str, obj: Any = None, user: Any = None) -> bool:
    """Whether ``user`` (default: the current user) may do ``name`` to ``obj``."""
    try:
        check = _RULES[name]
    except KeyError:
        raise UnknownRule(name) from None
    return bool(check(current_user if user is None else user, obj))


def require(name: str, obj: Any = None) -> None:
    """Abort unless the current user may: anonymous users go to the sign-in page, others get 403."""
    if can(name, obj):
        return
    if not current_user.is_authenticated:
        abort(redirect(url_for("accounts.login", next=request.full_path.rstrip("?"))))
    abort(403)


# --- role predicates shared by the domains' rules -----------------------------------------


def is_signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated)


def is_verified(user: Any) -> bool:
    """Signed in with a confirmed e-mail address: may take part."""
    return is_signed_in(user) and user.is_verified


def is_moderator(user: Any) -> bool:
    """Moderator or admin, verified."""
    return is_verified(user) and user.is_moderator


def is_admin(user: Any) -> bool:
    return is_verified(user) and user.is_admin


def represents(user: Any, municipality_id: int | None) -> bool:
    """A verified representative of this municipality."""
    return (
        is_verified(user)
        and municipality_id is not None
        and municipality_id in user.represented_municipality_ids
    )


def works_in(user: Any, department_ids: Any) -> bool:
    """Verified staff of at least one of these departments."""
    return is_verified(user) and bool(set(department_ids) & user.department_ids)
