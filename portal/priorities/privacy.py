"""The person's ballot in their data export, and what happens to it when they delete their account."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy import update

from portal.accounts import privacy
from portal.extensions import db
from portal.priorities.models import BallotKind
from portal.priorities.models import PriorityAllocation
from portal.priorities.models import PriorityBallot
from portal.strategy.models import SubGoal


@privacy.exporter("priorities")
def export_ballot(user: Any) -> dict[str, Any] | None:
    """The person's own ballot: points per Unterziel and when it was last changed."""
    ballot = db.session.scalar(select(PriorityBallot).where(PriorityBallot.user_id == user.id))
    if ballot is None:
        return None
    rows = db.session.execute(
        select(SubGoal.number, PriorityAllocation.points)
        .join(SubGoal, SubGoal.id == PriorityAllocation.subgoal_id)
        .where(PriorityAllocation.ballot_id == ballot.id)
        .order_by(SubGoal.goal_id, SubGoal.position)
    )
    return {
        "cast_at": ballot.created_at,
        "changed_at": ballot.updated_at,
        "points": {number: points for number, points in rows},
    }


@privacy.eraser("priorities", order=20)
def erase_ballot(user: Any, mode: privacy.DeletionMode) -> None:
    """Remove the ballot, or keep its points without the person (anonymised); forget who cast
    official ballots."""
    owned = PriorityBallot.user_id == user.id
    if mode is privacy.DeletionMode.REMOVE:
        db.session.execute(delete(PriorityBallot).where(owned, PriorityBallot.kind == BallotKind.CITIZEN))
    else:
        db.session.execute(update(PriorityBallot).where(owned).values(user_id=None))
    db.session.execute(
        update(PriorityBallot).where(PriorityBallot.cast_by_id == user.id).values(cast_by_id=None)
    )
    db.session.flush()
