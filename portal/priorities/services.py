"""Casting and changing ballots (flush only; the view commits)."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.audit.services import record
from portal.core import clock
from portal.core.i18n import _
from portal.extensions import db
from portal.organisations.models import Municipality
from portal.priorities import queries
from portal.priorities.models import BallotKind
from portal.priorities.models import PriorityAllocation
from portal.priorities.models import PriorityBallot


class BallotClosed(Exception):
    """The prioritisation phase is not running."""


class InvalidBallot(ValueError):
    """Points that break the rules (the form shows these messages; this is the last line of defence)."""


def check_points(points: Mapping[int, int], subgoal_ids: set[int], rules: queries.BallotRules) -> list[str]:
    """The messages for a distribution that breaks the rules (empty if it is valid)."""
    errors = []
    unknown = set(points) - subgoal_ids
    if unknown:
        errors.append(_("Points were given to a sub-goal that does not exist."))
    if any(value < 0 for value in points.values()):
        errors.append(_("Points cannot be negative."))
    if any(value > rules.max_per_subgoal for value in points.values()):
        errors.append(_("At most %(max)d points per sub-goal.", max=rules.max_per_subgoal))
    total = sum(points.values())
    if total != rules.points_per_ballot:
        errors.append(total_message(total, rules.points_per_ballot))
    return errors


def total_message(given: int, total: int) -> str:
    """The message for a wrong total, saying what to do."""
    if given > total:
        return _(
            "You have distributed %(given)d points, but only %(total)d are available. "
            "Please take away %(excess)d.",
            given=given,
            total=total,
            excess=given - total,
        )
    return _(
        "You have distributed %(given)d of %(total)d points. Please distribute the remaining %(left)d.",
        given=given,
        total=total,
        left=total - given,
    )


def _ballot(where: Any, create: Callable[[], PriorityBallot]) -> PriorityBallot:
    """The existing ballot, or a new one; a concurrent first ballot is found, not duplicated.

    The unique constraint decides a race: the losing insert fails inside its own savepoint, and
    the winner's ballot is loaded and changed instead.
    """
    statement = select(PriorityBallot).where(where).options(selectinload(PriorityBallot.allocations))
    ballot = _find(statement)
    if ballot is not None:
        return ballot
    try:
        with db.session.begin_nested():
            ballot = create()
            db.session.add(ballot)
            db.session.flush()
    except IntegrityError:
        ballot = db.session.scalar(statement.execution_options(populate_existing=True))
        if ballot is None:  # the conflict was not about the owner: nothing to recover
            raise
    return ballot


def _find(statement: Any) -> PriorityBallot | None:
    """Look the ballot up (a seam for the race tests)."""
    return db.session.scalar(statement)


def _apply(ballot: PriorityBallot, points: Mapping[int, int]) -> None:
    existing = {allocation.subgoal_id: allocation for allocation in ballot.allocations}
    for subgoal_id, value in sorted(points.items()):
        if value <= 0:
            continue
        if subgoal_id in existing:
            existing[subgoal_id].points = value
        else:
            ballot.allocations.append(PriorityAllocation(subgoal_id=subgoal_id, points=value))
    for subgoal_id, allocation in existing.items():
        if points.get(subgoal_id, 0) <= 0:
            ballot.allocations.remove(allocation)
    ballot.updated_at = clock.now()
    db.session.flush()


def _check(points: Mapping[int, int], subgoal_ids: set[int]) -> dict[int, int]:
    window = queries.prioritisation_window()
    if not window.is_open:
        raise BallotClosed
    errors = check_points(points, subgoal_ids, queries.ballot_rules())
    if errors:
        raise InvalidBallot(" ".join(errors))
    return {subgoal_id: value for subgoal_id, value in points.items() if value > 0}


def cast_citizen_ballot(user: Any, points: Mapping[int, int], subgoal_ids: set[int]) -> PriorityBallot:
    """Create or change the person's ballot; raises BallotClosed or InvalidBallot."""
    points = _check(points, subgoal_ids)
    ballot = _ballot(
        PriorityBallot.user_id == user.id,
        lambda: PriorityBallot(kind=BallotKind.CITIZEN, user_id=user.id, allocations=[]),
    )
    _apply(ballot, points)
    return ballot


def cast_municipal_ballot(
    actor: Any, municipality: Municipality, points: Mapping[int, int], subgoal_ids: set[int]
) -> PriorityBallot:
    """Create or change the municipality's official ballot (audited); raises like the citizen's."""
    points = _check(points, subgoal_ids)
    ballot = _ballot(
        PriorityBallot.municipality_id == municipality.id,
        lambda: PriorityBallot(kind=BallotKind.MUNICIPAL, municipality_id=municipality.id, allocations=[]),
    )
    ballot.cast_by_id = actor.id
    _apply(ballot, points)
    record(
        "priorities.municipal_ballot_cast",
        actor=actor,
        obj=ballot,
        municipality=municipality.key,
        points={str(key): value for key, value in sorted(points.items())},
    )
    return ballot
