"""Phase and Milestone."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from portal.core.db import Translations
from portal.core.db import str_enum
from portal.core.i18n import _l
from portal.extensions import db


class PhaseKind(StrEnum):
    INFORMATION = "information"
    PROPOSALS = "proposals"
    STATEMENTS = "statements"
    PRIORITISATION = "prioritisation"
    EVALUATION = "evaluation"
    DECISION = "decision"
    IMPLEMENTATION = "implementation"

    @property
    def label(self) -> str:
        """Translated name of the kind (for admins; citizens see the phase's own title)."""
        return str(PHASE_KIND_LABELS[self])


PHASE_KIND_LABELS = {
    PhaseKind.INFORMATION: _l("Information"),
    PhaseKind.PROPOSALS: _l("Proposals"),
    PhaseKind.STATEMENTS: _l("Municipal statements"),
    PhaseKind.PRIORITISATION: _l("Prioritisation"),
    PhaseKind.EVALUATION: _l("Evaluation"),
    PhaseKind.DECISION: _l("Decision"),
    PhaseKind.IMPLEMENTATION: _l("Implementation"),
}


class Phase(db.Model):
    """A dated step of the participation process; its kind decides which actions are open."""

    __tablename__ = "phases"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[PhaseKind] = mapped_column(str_enum(PhaseKind))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[Translations]
    description: Mapped[Translations] = mapped_column(default=dict)
    starts_on: Mapped[date]
    #: Inclusive: the phase is open all day long on this date.
    ends_on: Mapped[date]

    def is_current(self, day: date) -> bool:
        """Whether the phase runs on ``day``."""
        return self.starts_on <= day <= self.ends_on

    def __repr__(self) -> str:
        return f"<Phase {self.key} {self.starts_on}..{self.ends_on}>"


class Milestone(db.Model):
    """An entry of the decision timeline (committee meeting, council resolution).

    ``date_spec`` keeps the precision the source gives: a day ``2017-04-27``, a month
    ``2017-11``, a span of months ``2017-05..2017-08`` or several days ``2018-04-24,2018-05-18``;
    ``sort_date`` is its first day, for ordering.
    """

    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    date_spec: Mapped[str] = mapped_column(String(80))
    sort_date: Mapped[date] = mapped_column(index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[Translations]
    body: Mapped[Translations] = mapped_column(default=dict)
    reference: Mapped[str | None] = mapped_column(String(200))

    def __repr__(self) -> str:
        return f"<Milestone {self.date_spec}>"
