"""Who may change notification settings."""

from __future__ import annotations

from typing import Any

from portal.core.permissions import is_signed_in
from portal.core.permissions import rule


@rule("notifications.manage")
def can_manage(user: Any, _obj: Any = None) -> bool:
    """Every signed-in user manages their own notifications."""
    return is_signed_in(user)
