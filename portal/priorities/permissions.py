"""Who may prioritise: every verified person as a citizen; representatives for their municipality."""

from __future__ import annotations

from typing import Any

from portal.core.permissions import is_moderator
from portal.core.permissions import is_verified
from portal.core.permissions import represents
from portal.core.permissions import rule


@rule("priorities.vote")
def can_vote(user: Any, _obj: Any = None) -> bool:
    """Any verified account casts its own citizen ballot (staff rights come on top)."""
    return is_verified(user)


@rule("priorities.vote_municipal")
def can_vote_municipal(user: Any, municipality: Any) -> bool:
    """Only a representative of this municipality casts its official ballot."""
    return municipality is not None and represents(user, municipality.id)


@rule("priorities.preview_results")
def can_preview_results(user: Any, _obj: Any = None) -> bool:
    """Moderators and admins see the results before they are public (marked as a preview)."""
    return is_moderator(user)
