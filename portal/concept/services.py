"""Publishing a version of the concept (flush only: the view commits)."""

from __future__ import annotations

from typing import Any

from portal.audit.services import record
from portal.concept.assemble import assemble_document
from portal.concept.models import ConceptStatus
from portal.concept.models import ConceptVersion
from portal.concept.queries import next_number
from portal.core import clock
from portal.core.sanitize import clean_text
from portal.extensions import db


def publish_version(status: ConceptStatus, *, actor: Any, note: str = "") -> ConceptVersion:
    """Freeze the concept as it stands now into the next numbered version."""
    snapshot = assemble_document()
    version = ConceptVersion(
        number=next_number(),
        status=status,
        note=clean_text(note)[:500],
        snapshot=snapshot,
        published_at=clock.now(),
        published_by_id=getattr(actor, "id", None) if getattr(actor, "is_authenticated", False) else None,
    )
    db.session.add(version)
    db.session.flush()
    record(
        "concept.published",
        actor=actor,
        obj=version,
        number=version.number,
        status=status.value,
        measures=len(snapshot["measures"]),
        budget_cents=snapshot["budget"]["total_cents"],
    )
    return version
