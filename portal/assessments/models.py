"""Department assignments of proposals, the default routing by Unterziel, and internal assessments.

Assessments are internal: never shown on public pages, in data exports or in the API. Each
department reads and writes only its own; moderators read all of them.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint
from sqlalchemy import ForeignKey
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from portal.core import clock
from portal.core.db import TimestampMixin
from portal.core.db import str_enum
from portal.core.i18n import _l
from portal.extensions import db
from portal.organisations.models import Department


class ProposalDepartment(db.Model):
    """A department asked to assess a proposal (by a moderator, or by the default routing)."""

    __tablename__ = "proposal_departments"
    __table_args__ = (UniqueConstraint("proposal_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"), index=True)
    #: None when the default routing assigned it.
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime] = mapped_column(default=clock.now)
    #: True when the default routing by Unterziel made the assignment.
    routed: Mapped[bool] = mapped_column(default=False)

    department: Mapped[Department] = relationship(lazy="raise")

    def __repr__(self) -> str:
        return f"<ProposalDepartment {self.proposal_id} {self.department_id}>"


class SubGoalRouting(db.Model):
    """Default routing: new proposals under this Unterziel go to this department."""

    __tablename__ = "subgoal_routings"
    __table_args__ = (UniqueConstraint("subgoal_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subgoal_id: Mapped[int] = mapped_column(ForeignKey("subgoals.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"))

    def __repr__(self) -> str:
        return f"<SubGoalRouting {self.subgoal_id} {self.department_id}>"


class Feasibility(StrEnum):
    FEASIBLE = "feasible"
    CONDITIONAL = "conditional"
    NOT_FEASIBLE = "not_feasible"
    UNCLEAR = "unclear"

    @property
    def label(self) -> str:
        """Translated name, resolved at render time."""
        return str(FEASIBILITY_LABELS[self])


FEASIBILITY_LABELS = {
    Feasibility.FEASIBLE: _l("Feasible"),
    Feasibility.CONDITIONAL: _l("Feasible under conditions"),
    Feasibility.NOT_FEASIBLE: _l("Not feasible"),
    Feasibility.UNCLEAR: _l("Not yet clear"),
}


class Responsibility(StrEnum):
    DISTRICT = "district"
    MUNICIPALITY = "municipality"
    SHARED = "shared"
    OTHER = "other"

    @property
    def label(self) -> str:
        """Translated name, resolved at render time."""
        return str(RESPONSIBILITY_LABELS[self])


RESPONSIBILITY_LABELS = {
    Responsibility.DISTRICT: _l("The district"),
    Responsibility.MUNICIPALITY: _l("A municipality"),
    Responsibility.SHARED: _l("District and municipalities together"),
    Responsibility.OTHER: _l("Others (state, federation, third parties)"),
}


class Assessment(TimestampMixin, db.Model):
    """A department's internal assessment of a proposal: one per proposal and department."""

    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("proposal_id", "department_id"),
        CheckConstraint("cost_estimate IS NULL OR cost_estimate >= 0", name="cost_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    feasibility: Mapped[Feasibility] = mapped_column(str_enum(Feasibility))
    #: Rough cost estimate in whole euros (None: not estimated).
    cost_estimate: Mapped[int | None]
    responsibility: Mapped[Responsibility] = mapped_column(str_enum(Responsibility))
    #: Internal text (plain; never rendered outside the back office).
    text: Mapped[str] = mapped_column(Text, default="")

    department: Mapped[Department] = relationship(lazy="raise")

    def __repr__(self) -> str:
        return f"<Assessment {self.proposal_id} {self.department_id}>"
