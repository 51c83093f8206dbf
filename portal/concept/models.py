"""ConceptVersion: a published version of the Kreisentwicklungskonzept, frozen as it was published."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from portal.accounts.models import User
from portal.core import clock
from portal.core.db import str_enum
from portal.core.i18n import lazy_pgettext
from portal.extensions import db


class ConceptStatus(StrEnum):
    DRAFT_FOR_COUNCIL = "draft_for_council"
    DECIDED = "decided"

    @property
    def label(self) -> str:
        """Translated name, resolved at render time."""
        return str(CONCEPT_STATUS_LABELS[self])

    @property
    def badge(self) -> str:
        """KERN badge variant."""
        return "success" if self is ConceptStatus.DECIDED else "info"


CONCEPT_STATUS_LABELS = {
    ConceptStatus.DRAFT_FOR_COUNCIL: lazy_pgettext("concept status", "Draft for the district council"),
    ConceptStatus.DECIDED: lazy_pgettext("concept status", "Decided by the district council"),
}


class ConceptVersion(db.Model):
    """One published version; ``snapshot`` is the assembled document (JSON) exactly as published.

    The snapshot holds data, not HTML: content texts keep all their languages, figures are
    stored as numbers (money in cents), so the web view and the PDF of an old version look the
    same tomorrow whatever happens to the measures.
    """

    __tablename__ = "concept_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    status: Mapped[ConceptStatus] = mapped_column(str_enum(ConceptStatus))
    #: A short public note ("Vorlage für den Kreistag am 12.03.2027").
    note: Mapped[str] = mapped_column(String(500), default="")
    snapshot: Mapped[dict[str, Any]]
    published_at: Mapped[datetime] = mapped_column(default=clock.now)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    published_by: Mapped[User | None] = relationship(lazy="raise")

    def __repr__(self) -> str:
        return f"<ConceptVersion {self.number} {self.status}>"
