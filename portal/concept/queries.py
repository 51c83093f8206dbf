"""Reads for the concept pages."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import defer

from portal.concept.models import ConceptVersion
from portal.extensions import db


def list_versions() -> list[ConceptVersion]:
    """Published versions, newest first, without loading their (large) snapshots."""
    return list(
        db.session.scalars(
            select(ConceptVersion)
            .order_by(ConceptVersion.number.desc())
            .options(defer(ConceptVersion.snapshot))
        )
    )


def get_version(number: int) -> ConceptVersion | None:
    """A published version by its number."""
    return db.session.scalar(select(ConceptVersion).where(ConceptVersion.number == number))


def next_number() -> int:
    """The number the next published version gets."""
    return (db.session.scalar(select(func.max(ConceptVersion.number))) or 0) + 1
