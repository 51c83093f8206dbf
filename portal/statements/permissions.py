"""Rules for statement requests: moderators ask, representatives of the asked municipalities answer."""

from __future__ import annotations

from typing import Any

from portal.core.permissions import is_moderator
from portal.core.permissions import represents
from portal.core.permissions import rule


@rule("statements.manage")
def can_manage(user: Any, _obj: Any = None) -> bool:
    """Create requests, follow their state, remind and close (the back office)."""
    return is_moderator(user)


@rule("statements.view")
def can_view(_user: Any, _request: Any = None) -> bool:
    """The public page of a request: who was asked, by when, who answered, and the answers."""
    return True


@rule("statements.answer")
def can_answer(user: Any, asked: Any) -> bool:
    """Answer for an asked municipality (a StatementRequestMunicipality): its representatives,
    while the request is open (also after the deadline: a late answer is still an answer)."""
    if asked is None or asked.request.closed_at is not None:
        return False
    return represents(user, asked.municipality_id)
