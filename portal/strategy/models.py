"""Strategy, Goal (Oberziel), SubGoal (Unterziel) and FocusArea (Handlungsfeld)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from portal.core.db import Translations
from portal.extensions import db


class Strategy(db.Model):
    """The strategic frame a district adopted; a portal serves one strategy."""

    __tablename__ = "strategies"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    region_name: Mapped[Translations]
    title: Mapped[Translations]
    horizon_year: Mapped[int]
    motto: Mapped[Translations]
    intro: Mapped[Translations] = mapped_column(default=dict)
    inhabitants: Mapped[int | None]
    inhabitants_date: Mapped[date | None]

    goals: Mapped[list[Goal]] = relationship(
        back_populates="strategy", order_by="Goal.number", cascade="all, delete-orphan", lazy="raise"
    )

    def __repr__(self) -> str:
        return f"<Strategy {self.slug}>"


class Goal(db.Model):
    """An Oberziel, numbered 1..n."""

    __tablename__ = "goals"
    __table_args__ = (UniqueConstraint("strategy_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    strategy_id: Mapped[int] = mapped_column(ForeignKey("strategies.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    title: Mapped[Translations]
    text: Mapped[Translations]
    #: A summary in "Einfache Sprache" (plain German), shown in a box on the goal's page; ``{}``
    #: when the strategy file gives none.
    plain_summary: Mapped[Translations] = mapped_column(default=dict, server_default="{}")

    strategy: Mapped[Strategy] = relationship(back_populates="goals", lazy="raise")
    subgoals: Mapped[list[SubGoal]] = relationship(
        back_populates="goal", order_by="SubGoal.position", cascade="all, delete-orphan", lazy="raise"
    )

    def __repr__(self) -> str:
        return f"<Goal {self.number}>"


class SubGoal(db.Model):
    """An Unterziel, numbered "1.1"; its title is the seed's bold phrase, its text the sentence."""

    __tablename__ = "subgoals"
    __table_args__ = (UniqueConstraint("goal_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    position: Mapped[int]
    title: Mapped[Translations]
    text: Mapped[Translations]

    goal: Mapped[Goal] = relationship(back_populates="subgoals", lazy="raise")
    focus_areas: Mapped[list[FocusArea]] = relationship(
        back_populates="subgoal", order_by="FocusArea.position", cascade="all, delete-orphan", lazy="raise"
    )

    def __repr__(self) -> str:
        return f"<SubGoal {self.number}>"


class FocusArea(db.Model):
    """A bullet point under an Unterziel ("Generationsgerechtes Wohnen")."""

    __tablename__ = "focus_areas"
    __table_args__ = (UniqueConstraint("subgoal_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subgoal_id: Mapped[int] = mapped_column(ForeignKey("subgoals.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[Translations]

    subgoal: Mapped[SubGoal] = relationship(back_populates="focus_areas", lazy="raise")
