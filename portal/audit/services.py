"""Writing audit events (flush only: the request commits together with the change itself)."""

from __future__ import annotations

from typing import Any

from portal.audit.models import AuditEvent
from portal.extensions import db


def record(
    action: str,
    *,
    actor: Any | None,
    obj: Any | None = None,
    reason: str | None = None,
    **details: Any,
) -> AuditEvent:
    """Add an audit event for ``action`` done by ``actor`` on ``obj``."""
    actor_id = (
        getattr(actor, "id", None)
        if actor is not None and getattr(actor, "is_authenticated", False)
        else None
    )
    event = AuditEvent(
        actor_id=actor_id,
        action=action,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=str(obj.id) if obj is not None and getattr(obj, "id", None) is not None else None,
        reason=reason,
        details={key: value for key, value in details.items() if value is not None},
    )
    db.session.add(event)
    return event
