"""Who may read and publish the Kreisentwicklungskonzept."""

from __future__ import annotations

from typing import Any

from portal.core.permissions import is_moderator
from portal.core.permissions import rule


@rule("concept.view")
def can_view(_user: Any, version: Any) -> bool:
    """Published versions are public, always: that is what publishing means."""
    return version is not None


@rule("concept.preview")
def can_preview(user: Any, _obj: Any = None) -> bool:
    """The live draft assembled from today's data, before anybody published it."""
    return is_moderator(user)


@rule("concept.publish")
def can_publish(user: Any, _obj: Any = None) -> bool:
    """Publish a version as a draft for the council or as decided."""
    return is_moderator(user)
