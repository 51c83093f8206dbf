"""Who may edit the site pages: admins."""

from __future__ import annotations

from typing import Any

from portal.core.permissions import is_admin
from portal.core.permissions import rule


@rule("pages.edit")
def can_edit_pages(user: Any, page: Any = None) -> bool:
    """Admins write Impressum, privacy notice, accessibility statement and terms of use."""
    return is_admin(user)
