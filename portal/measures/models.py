"""Measure (Maßnahme) with budget lines, indicators (Kennzahlen), their values and progress updates.

Amounts are stored as whole euro cents (integers): exact on every database, no float rounding,
and no Decimal-on-SQLite warnings. Indicator values are floats (they are measurements, not money).
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger
from sqlalchemy import CheckConstraint
from sqlalchemy import Column
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import Table
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from portal.accounts.models import User
from portal.core import clock
from portal.core.db import TimestampMixin
from portal.core.db import str_enum
from portal.core.horizons import HORIZON_LABELS  # noqa: F401  (re-exported)
from portal.core.horizons import Horizon as MeasureHorizon
from portal.core.i18n import _l
from portal.core.i18n import lazy_pgettext
from portal.extensions import db
from portal.organisations.models import Department
from portal.organisations.models import Municipality
from portal.proposals.models import Proposal
from portal.strategy.models import SubGoal

#: Years a budget line, an indicator or a measure may name.
MIN_YEAR = 2000
MAX_YEAR = 2100


class MeasureStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    DEFERRED = "deferred"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        """Translated name, resolved at render time."""
        return str(STATUS_LABELS[self])

    @property
    def badge(self) -> str:
        """KERN badge variant (the status is always shown as text too)."""
        return STATUS_BADGES[self]


STATUS_LABELS = {
    MeasureStatus.PLANNED: lazy_pgettext("measure status", "Planned"),
    MeasureStatus.IN_PROGRESS: lazy_pgettext("measure status", "In progress"),
    MeasureStatus.COMPLETED: lazy_pgettext("measure status", "Completed"),
    MeasureStatus.DEFERRED: lazy_pgettext("measure status", "Deferred"),
    MeasureStatus.DROPPED: lazy_pgettext("measure status", "Dropped"),
}
STATUS_BADGES = {
    MeasureStatus.PLANNED: "info",
    MeasureStatus.IN_PROGRESS: "warning",
    MeasureStatus.COMPLETED: "success",
    MeasureStatus.DEFERRED: "warning",
    MeasureStatus.DROPPED: "danger",
}


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"

    @property
    def label(self) -> str:
        """Translated "higher is better" / "lower is better"."""
        return str(DIRECTION_LABELS[self])


DIRECTION_LABELS = {
    Direction.HIGHER: _l("Higher is better"),
    Direction.LOWER: _l("Lower is better"),
}

measure_subgoals = Table(
    "measure_subgoals",
    db.metadata,
    Column("measure_id", ForeignKey("measures.id", ondelete="CASCADE"), primary_key=True),
    Column("subgoal_id", ForeignKey("subgoals.id", ondelete="CASCADE"), primary_key=True, index=True),
)
measure_departments = Table(
    "measure_departments",
    db.metadata,
    Column("measure_id", ForeignKey("measures.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True, index=True),
)
measure_municipalities = Table(
    "measure_municipalities",
    db.metadata,
    Column("measure_id", ForeignKey("measures.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "municipality_id", ForeignKey("municipalities.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)

#: The proposals a measure came from (accepted proposals, linked when the measure is written).
measure_proposals = Table(
    "measure_proposals",
    db.metadata,
    Column("measure_id", ForeignKey("measures.id", ondelete="CASCADE"), primary_key=True),
    Column("proposal_id", ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Measure(TimestampMixin, db.Model):
    """A measure of the development concept.

    ``is_public`` decides whether visitors see it; ``published_at`` is when it first became
    public (the authors of its source proposals are told then). The lead department
    (federführend) is one of the responsible departments; the budget summary by department
    counts each measure's budget once, under its lead department.
    """

    __tablename__ = "measures"
    __table_args__ = (
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_percent"),
        CheckConstraint(
            "end_year IS NULL OR start_year IS NULL OR end_year >= start_year", name="years_order"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    #: Markdown as typed, and the sanitised HTML rendered from it when written.
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    horizon: Mapped[MeasureHorizon] = mapped_column(str_enum(MeasureHorizon), index=True)
    start_year: Mapped[int | None]
    end_year: Mapped[int | None]
    status: Mapped[MeasureStatus] = mapped_column(
        str_enum(MeasureStatus), default=MeasureStatus.PLANNED, index=True
    )
    progress: Mapped[int] = mapped_column(default=0)
    lead_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id", ondelete="SET NULL"))
    is_public: Mapped[bool] = mapped_column(default=False, index=True)
    published_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    subgoals: Mapped[list[SubGoal]] = relationship(
        secondary=measure_subgoals, order_by=lambda: [SubGoal.goal_id, SubGoal.position], lazy="raise"
    )
    departments: Mapped[list[Department]] = relationship(
        secondary=measure_departments, order_by="Department.position", lazy="raise"
    )
    municipalities: Mapped[list[Municipality]] = relationship(
        secondary=measure_municipalities, order_by="Municipality.position", lazy="raise"
    )
    lead_department: Mapped[Department | None] = relationship(lazy="raise", foreign_keys=[lead_department_id])
    proposals: Mapped[list[Proposal]] = relationship(
        secondary=measure_proposals, order_by=lambda: Proposal.id, lazy="raise"
    )
    budget_lines: Mapped[list[BudgetLine]] = relationship(
        back_populates="measure",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by=lambda: [BudgetLine.year, BudgetLine.id],
        lazy="raise",
    )
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="measure",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by=lambda: [Indicator.position, Indicator.id],
        lazy="raise",
    )
    updates: Mapped[list[ProgressUpdate]] = relationship(
        back_populates="measure",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by=lambda: [ProgressUpdate.published_on.desc(), ProgressUpdate.id.desc()],
        lazy="raise",
    )

    @property
    def department_ids(self) -> frozenset[int]:
        """Ids of the responsible departments (the relationship must be loaded)."""
        return frozenset(department.id for department in self.departments)

    @property
    def budget_total_cents(self) -> int:
        """Sum of the loaded budget lines."""
        return sum(line.amount_cents for line in self.budget_lines)

    def budget_by_year(self) -> list[tuple[int, int]]:
        """``[(year, cents)]`` of the loaded budget lines, one entry per year, ascending."""
        totals: dict[int, int] = {}
        for line in self.budget_lines:
            totals[line.year] = totals.get(line.year, 0) + line.amount_cents
        return sorted(totals.items())

    def __repr__(self) -> str:
        return f"<Measure {self.id} {self.status}>"


class BudgetLine(db.Model):
    """Money planned for a measure in one year from one funding source (years beyond the plan allowed)."""

    __tablename__ = "budget_lines"
    __table_args__ = (
        CheckConstraint("amount_cents >= 0", name="amount_not_negative"),
        CheckConstraint(f"year >= {MIN_YEAR} AND year <= {MAX_YEAR}", name="year_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    funding_source: Mapped[str] = mapped_column(String(200), default="")

    measure: Mapped[Measure] = relationship(back_populates="budget_lines", lazy="raise")

    def __repr__(self) -> str:
        return f"<BudgetLine {self.measure_id} {self.year} {self.amount_cents}>"


class Indicator(db.Model):
    """A Kennzahl: what is measured, which way is better, where it starts and where it should get."""

    __tablename__ = "indicators"
    __table_args__ = (
        CheckConstraint("target_year > baseline_year", name="target_after_baseline"),
        CheckConstraint(
            f"baseline_year >= {MIN_YEAR} AND baseline_year <= {MAX_YEAR}"
            f" AND target_year >= {MIN_YEAR} AND target_year <= {MAX_YEAR}",
            name="years_in_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(50), default="")
    direction: Mapped[Direction] = mapped_column(str_enum(Direction), default=Direction.HIGHER)
    baseline_value: Mapped[float]
    baseline_year: Mapped[int]
    target_value: Mapped[float]
    target_year: Mapped[int]

    measure: Mapped[Measure] = relationship(back_populates="indicators", lazy="raise")
    values: Mapped[list[IndicatorValue]] = relationship(
        back_populates="indicator",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="IndicatorValue.year",
        lazy="raise",
    )

    def __repr__(self) -> str:
        return f"<Indicator {self.id} {self.name!r}>"


class IndicatorValue(db.Model):
    """A measured value of an indicator for one year (one value per year)."""

    __tablename__ = "indicator_values"
    __table_args__ = (
        UniqueConstraint("indicator_id", "year"),
        CheckConstraint(f"year >= {MIN_YEAR} AND year <= {MAX_YEAR}", name="year_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    year: Mapped[int]
    value: Mapped[float]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    indicator: Mapped[Indicator] = relationship(back_populates="values", lazy="raise")

    def __repr__(self) -> str:
        return f"<IndicatorValue {self.indicator_id} {self.year}={self.value}>"


class ProgressUpdate(db.Model):
    """A public note on how a measure is going ("Ausschreibung veröffentlicht")."""

    __tablename__ = "progress_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    published_on: Mapped[date]
    #: Markdown as typed, and the sanitised HTML rendered from it when written.
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    measure: Mapped[Measure] = relationship(back_populates="updates", lazy="raise")
    author: Mapped[User | None] = relationship(lazy="raise")

    def __repr__(self) -> str:
        return f"<ProgressUpdate {self.measure_id} {self.published_on}>"
