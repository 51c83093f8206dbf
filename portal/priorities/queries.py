"""Reads for the prioritisation: rules, the phase window, ballots and aggregate totals.

Every total is one aggregate SQL query (GROUP BY), so the results cost the same number of
queries whatever the number of ballots.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import distinct
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.core import clock
from portal.core.settings import get_setting
from portal.extensions import db
from portal.organisations.models import Municipality
from portal.priorities.models import BallotKind
from portal.priorities.models import PriorityAllocation
from portal.priorities.models import PriorityBallot
from portal.process import queries as process_queries
from portal.process.models import Phase
from portal.process.models import PhaseKind
from portal.strategy.models import SubGoal

#: Setting keys owned by this domain (values are JSON: int, int, bool).
POINTS_PER_BALLOT = "priorities.points_per_ballot"
MAX_PER_SUBGOAL = "priorities.max_per_subgoal"
RESULTS_LIVE = "priorities.results_live"

#: Filter value for "people who gave no municipality of residence".
UNKNOWN = "unknown"


@dataclass(frozen=True)
class BallotRules:
    """How many points a ballot distributes, the most one Unterziel may get, live results."""

    points_per_ballot: int = 10
    max_per_subgoal: int = 3
    results_live: bool = False


def ballot_rules() -> BallotRules:
    """The rules from the settings (defaults: 10 points, at most 3 per Unterziel, results after the phase)."""
    defaults = BallotRules()
    return BallotRules(
        points_per_ballot=int(get_setting(POINTS_PER_BALLOT, defaults.points_per_ballot)),
        max_per_subgoal=int(get_setting(MAX_PER_SUBGOAL, defaults.max_per_subgoal)),
        results_live=bool(get_setting(RESULTS_LIVE, defaults.results_live)),
    )


class WindowState(StrEnum):
    OPEN = "open"
    UPCOMING = "upcoming"
    ENDED = "ended"
    NONE = "none"


@dataclass(frozen=True)
class Window:
    """Where the prioritisation stands today, and the phase that says so."""

    state: WindowState
    phase: Phase | None

    @property
    def is_open(self) -> bool:
        return self.state is WindowState.OPEN


def prioritisation_window(phases: Sequence[Phase] | None = None, day: date | None = None) -> Window:
    """Open (a prioritisation phase runs), upcoming, ended, or none planned."""
    day = day or clock.today()
    candidates = [
        phase
        for phase in (phases if phases is not None else process_queries.list_phases())
        if phase.kind is PhaseKind.PRIORITISATION
    ]
    running = next((phase for phase in candidates if phase.is_current(day)), None)
    if running is not None:
        return Window(WindowState.OPEN, running)
    upcoming = [phase for phase in candidates if phase.starts_on > day]
    if upcoming:
        return Window(WindowState.UPCOMING, min(upcoming, key=lambda phase: phase.starts_on))
    if candidates:
        return Window(WindowState.ENDED, max(candidates, key=lambda phase: phase.ends_on))
    return Window(WindowState.NONE, None)


def results_are_public(window: Window, rules: BallotRules) -> bool:
    """Results show once the phase has ended, or while it runs when the setting says "live"."""
    return window.state is WindowState.ENDED or (rules.results_live and window.state is WindowState.OPEN)


def citizen_ballot(user_id: int) -> PriorityBallot | None:
    """The person's ballot with its allocations, or None."""
    return db.session.scalar(
        select(PriorityBallot)
        .where(PriorityBallot.user_id == user_id)
        .options(selectinload(PriorityBallot.allocations))
    )


def municipal_ballot(municipality_id: int) -> PriorityBallot | None:
    """The municipality's official ballot with its allocations, or None."""
    return db.session.scalar(
        select(PriorityBallot)
        .where(PriorityBallot.municipality_id == municipality_id)
        .options(selectinload(PriorityBallot.allocations))
    )


def municipalities_by_ids(ids: frozenset[int] | set[int]) -> list[Municipality]:
    """Municipalities with these ids, in their display order (one query; none for an empty set)."""
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Municipality)
            .where(Municipality.id.in_(ids))
            .order_by(Municipality.position, Municipality.id)
        )
    )


def list_municipalities() -> list[Municipality]:
    """All municipalities in display order."""
    return list(db.session.scalars(select(Municipality).order_by(Municipality.position, Municipality.id)))


def find_municipality(key: str) -> Municipality | None:
    """The municipality with this key."""
    return db.session.scalar(select(Municipality).where(Municipality.key == key))


# --- aggregates (citizen ballots only; official ballots are never mixed in) --------------------

#: ``residence``: None = everybody; UNKNOWN = no municipality given; else a municipality id.
Residence = int | str | None


def _citizen_filter(statement, residence: Residence):  # type: ignore[no-untyped-def]
    statement = statement.where(PriorityBallot.kind == BallotKind.CITIZEN)
    if residence is None:
        return statement
    statement = statement.join(User, User.id == PriorityBallot.user_id)
    if residence == UNKNOWN:
        return statement.where(User.municipality_id.is_(None))
    return statement.where(User.municipality_id == residence)


def subgoal_totals(residence: Residence = None) -> dict[int, tuple[int, int]]:
    """``{subgoal_id: (points, people)}`` over the citizens' ballots (one GROUP BY query)."""
    statement = (
        select(
            PriorityAllocation.subgoal_id,
            func.sum(PriorityAllocation.points),
            func.count(distinct(PriorityAllocation.ballot_id)),
        )
        .join(PriorityBallot, PriorityBallot.id == PriorityAllocation.ballot_id)
        .group_by(PriorityAllocation.subgoal_id)
    )
    rows = db.session.execute(_citizen_filter(statement, residence))
    return {subgoal_id: (int(points or 0), int(people)) for subgoal_id, points, people in rows}


def goal_totals(residence: Residence = None) -> dict[int, tuple[int, int]]:
    """``{goal_id: (points, people)}``: people who gave any points to any of the goal's Unterziele."""
    statement = (
        select(
            SubGoal.goal_id,
            func.sum(PriorityAllocation.points),
            func.count(distinct(PriorityAllocation.ballot_id)),
        )
        .join(SubGoal, SubGoal.id == PriorityAllocation.subgoal_id)
        .join(PriorityBallot, PriorityBallot.id == PriorityAllocation.ballot_id)
        .group_by(SubGoal.goal_id)
    )
    rows = db.session.execute(_citizen_filter(statement, residence))
    return {goal_id: (int(points or 0), int(people)) for goal_id, points, people in rows}


def participant_count(residence: Residence = None) -> int:
    """Number of people who cast a ballot."""
    statement = select(func.count(PriorityBallot.id))
    return int(db.session.scalar(_citizen_filter(statement, residence)) or 0)


def participants_by_residence() -> dict[int | None, int]:
    """``{municipality_id or None: participants}`` (one GROUP BY query)."""
    rows = db.session.execute(
        select(User.municipality_id, func.count(PriorityBallot.id))
        .join(User, User.id == PriorityBallot.user_id)
        .where(PriorityBallot.kind == BallotKind.CITIZEN)
        .group_by(User.municipality_id)
    )
    return {municipality_id: int(count) for municipality_id, count in rows}


def subgoal_totals_by_residence() -> dict[int | None, dict[int, tuple[int, int]]]:
    """``{municipality_id or None: {subgoal_id: (points, people)}}`` in one GROUP BY query."""
    rows = db.session.execute(
        select(
            User.municipality_id,
            PriorityAllocation.subgoal_id,
            func.sum(PriorityAllocation.points),
            func.count(distinct(PriorityAllocation.ballot_id)),
        )
        .join(PriorityBallot, PriorityBallot.id == PriorityAllocation.ballot_id)
        .join(User, User.id == PriorityBallot.user_id)
        .where(PriorityBallot.kind == BallotKind.CITIZEN)
        .group_by(User.municipality_id, PriorityAllocation.subgoal_id)
    )
    result: dict[int | None, dict[int, tuple[int, int]]] = {}
    for municipality_id, subgoal_id, points, people in rows:
        result.setdefault(municipality_id, {})[subgoal_id] = (int(points or 0), int(people))
    return result


def municipal_allocations() -> dict[int, dict[int, int]]:
    """The official ballots: ``{municipality_id: {subgoal_id: points}}`` (one query)."""
    rows = db.session.execute(
        select(PriorityBallot.municipality_id, PriorityAllocation.subgoal_id, PriorityAllocation.points)
        .join(PriorityAllocation, PriorityAllocation.ballot_id == PriorityBallot.id)
        .where(PriorityBallot.kind == BallotKind.MUNICIPAL)
    )
    result: dict[int, dict[int, int]] = {}
    for municipality_id, subgoal_id, points in rows:
        result.setdefault(municipality_id, {})[subgoal_id] = int(points)
    return result
