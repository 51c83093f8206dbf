"""Rules for the account pages and the user administration.

Signed-in users may see their own account, download their data and delete the account even
before they confirmed their address (DSGVO rights need no confirmation); changing anything else
needs a confirmed address. Users and roles are the admins' business.
"""

from __future__ import annotations

from typing import Any

from portal.core.permissions import is_admin
from portal.core.permissions import is_signed_in
from portal.core.permissions import is_verified
from portal.core.permissions import rule


@rule("accounts.view_own")
def can_view_own(user: Any, obj: Any = None) -> bool:
    """The own account page, the data export, account deletion, resending the confirmation."""
    return is_signed_in(user)


@rule("accounts.edit_own")
def can_edit_own(user: Any, obj: Any = None) -> bool:
    """Profile, e-mail address, password, two-factor sign-in: confirmed accounts."""
    return is_verified(user)


@rule("accounts.manage_users")
def can_manage_users(user: Any, obj: Any = None) -> bool:
    """The user list, invitations, role assignments and the staff two-factor setting."""
    return is_admin(user)


@rule("accounts.manage_roles")
def can_manage_roles(user: Any, target: Any = None) -> bool:
    """Grant or withdraw roles of ``target`` (admins; their own admin role stays, see services)."""
    return is_admin(user)
