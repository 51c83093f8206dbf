"""PriorityBallot and PriorityAllocation: points distributed over the Unterziele.

A citizen ballot belongs to one verified person (unique ``user_id``). An official municipal
ballot belongs to one municipality (unique ``municipality_id``) and is cast by one of its
representatives; it is shown beside the citizens' results and never counted into them.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import CheckConstraint
from sqlalchemy import ForeignKey
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from portal.core.db import TimestampMixin
from portal.core.db import str_enum
from portal.extensions import db


class BallotKind(StrEnum):
    CITIZEN = "citizen"
    MUNICIPAL = "municipal"


class PriorityBallot(TimestampMixin, db.Model):
    """One person's (or one municipality's) distribution of points."""

    __tablename__ = "priority_ballots"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'citizen' AND municipality_id IS NULL)"
            " OR (kind = 'municipal' AND municipality_id IS NOT NULL AND user_id IS NULL)",
            name="owner_matches_kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[BallotKind] = mapped_column(str_enum(BallotKind), default=BallotKind.CITIZEN)
    #: The voter of a citizen ballot; one ballot per person (a race cannot create a second one).
    #: None once the voter deleted their account keeping their contributions (anonymised).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    #: The municipality of an official ballot; one per municipality.
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), unique=True
    )
    #: The representative who last cast the official ballot (never shown in public).
    cast_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    allocations: Mapped[list[PriorityAllocation]] = relationship(
        back_populates="ballot", cascade="all, delete-orphan", lazy="raise", order_by="PriorityAllocation.id"
    )

    @property
    def total(self) -> int:
        return sum(allocation.points for allocation in self.allocations)

    def points_by_subgoal(self) -> dict[int, int]:
        """``{subgoal_id: points}`` of the loaded allocations."""
        return {allocation.subgoal_id: allocation.points for allocation in self.allocations}

    def __repr__(self) -> str:
        return f"<PriorityBallot {self.id} {self.kind}>"


class PriorityAllocation(db.Model):
    """Points a ballot gives one Unterziel (only non-zero allocations are stored)."""

    __tablename__ = "priority_allocations"
    __table_args__ = (
        UniqueConstraint("ballot_id", "subgoal_id"),
        CheckConstraint("points > 0", name="points_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("priority_ballots.id", ondelete="CASCADE"))
    subgoal_id: Mapped[int] = mapped_column(ForeignKey("subgoals.id", ondelete="CASCADE"), index=True)
    points: Mapped[int]

    ballot: Mapped[PriorityBallot] = relationship(back_populates="allocations", lazy="raise")

    def __repr__(self) -> str:
        return f"<PriorityAllocation {self.ballot_id} {self.subgoal_id}={self.points}>"
