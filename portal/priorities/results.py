"""Prioritisation results: the arithmetic (pure, unit-tested) and the data the pages, the API,
the CSV export and the Kreisentwicklungskonzept share.

Rankings are sequential (1, 2, 3, ...): ties are broken by the Unterziel's (or Oberziel's)
number, so "1.2" comes before "1.10" and "2.1" when both have the same points.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from portal.priorities import queries
from portal.strategy.models import Strategy

# --- pure arithmetic --------------------------------------------------------------------------


def number_key(number: str | int) -> tuple[int, ...]:
    """Sort key of an Unterziel number: "1.10" after "1.2"; non-numeric parts sort last."""
    parts = []
    for part in str(number).split("."):
        parts.append(int(part) if part.isdigit() else 10**9)
    return tuple(parts)


def tally(ballots: Iterable[Mapping[Any, int]]) -> dict[Any, tuple[int, int]]:
    """``{item: (points, people)}`` from ballots given as ``{item: points}``.

    The reference arithmetic: the SQL aggregates in :mod:`portal.priorities.queries` compute the
    same (tests compare them). Zero points do not count a person.
    """
    totals: dict[Any, list[int]] = {}
    for ballot in ballots:
        for item, points in ballot.items():
            if points > 0:
                entry = totals.setdefault(item, [0, 0])
                entry[0] += points
                entry[1] += 1
    return {item: (points, people) for item, (points, people) in totals.items()}


def group_tally(
    ballots: Iterable[Mapping[Any, int]], group_of: Mapping[Any, Any]
) -> dict[Any, tuple[int, int]]:
    """Like :func:`tally` for groups (Oberziele): a person counts once per group they gave points to."""
    grouped = []
    for ballot in ballots:
        per_group: dict[Any, int] = {}
        for item, points in ballot.items():
            if points > 0:
                per_group[group_of[item]] = per_group.get(group_of[item], 0) + points
        grouped.append(per_group)
    return tally(grouped)


@dataclass(frozen=True)
class Ranked:
    """One ranked Unterziel or Oberziel."""

    key: Any
    number: str
    points: int
    people: int
    rank_by_points: int
    rank_by_people: int
    #: Share of all points given (0..1), 0 when nobody voted.
    share: float


def rank(totals: Mapping[Any, tuple[int, int]], numbers: Mapping[Any, str | int]) -> list[Ranked]:
    """Rank every item of ``numbers`` (items without points included) by points; also by people.

    Returns the items ordered by points (desc), ties by number; each carries both ranks.
    """
    grand_total = sum(points for points, _people in totals.values())
    by_points = sorted(numbers, key=lambda key: (-totals.get(key, (0, 0))[0], number_key(numbers[key])))
    by_people = sorted(numbers, key=lambda key: (-totals.get(key, (0, 0))[1], number_key(numbers[key])))
    people_rank = {key: position for position, key in enumerate(by_people, start=1)}
    ranked = []
    for position, key in enumerate(by_points, start=1):
        points, people = totals.get(key, (0, 0))
        ranked.append(
            Ranked(
                key=key,
                number=str(numbers[key]),
                points=points,
                people=people,
                rank_by_points=position,
                rank_by_people=people_rank[key],
                share=(points / grand_total) if grand_total else 0.0,
            )
        )
    return ranked


def by_people(ranking: list[Ranked]) -> list[Ranked]:
    """The same items ordered by number of people (desc), ties by number."""
    return sorted(ranking, key=lambda item: item.rank_by_people)


# --- results from the database ----------------------------------------------------------------


@dataclass
class Results:
    """Citizens' results for one scope (everybody, or the residents of one municipality)."""

    participants: int
    subgoals: list[Ranked]
    goals: list[Ranked]


@dataclass
class MunicipalBallot:
    """One municipality's official ballot: ``points`` per Unterziel id."""

    municipality_id: int
    municipality_key: str
    municipality_name: str
    points: dict[int, int] = field(default_factory=dict)


def subgoal_numbers(strategy: Strategy) -> dict[int, str]:
    """``{subgoal_id: "1.1"}`` of a loaded strategy."""
    return {subgoal.id: subgoal.number for goal in strategy.goals for subgoal in goal.subgoals}


def goal_numbers(strategy: Strategy) -> dict[int, int]:
    """``{goal_id: 1}`` of a loaded strategy."""
    return {goal.id: goal.number for goal in strategy.goals}


def compute(strategy: Strategy, residence: queries.Residence = None) -> Results:
    """The citizens' results for ``residence`` (None: everybody) in three aggregate queries."""
    return Results(
        participants=queries.participant_count(residence),
        subgoals=rank(queries.subgoal_totals(residence), subgoal_numbers(strategy)),
        goals=rank(queries.goal_totals(residence), goal_numbers(strategy)),
    )


def municipal_ballots(municipalities: list[Any] | None = None) -> list[MunicipalBallot]:
    """The official ballots of the municipalities that cast one, in the municipalities' order.

    Pass the loaded municipalities to save their query.
    """
    allocations = queries.municipal_allocations()
    if municipalities is None:
        municipalities = queries.municipalities_by_ids(set(allocations))
    return [
        MunicipalBallot(municipality.id, municipality.key, municipality.name, allocations[municipality.id])
        for municipality in municipalities
        if municipality.id in allocations
    ]


def results_for_concept(strategy: Strategy | None = None) -> dict[str, Any]:
    """Plain, JSON-serialisable results for the Kreisentwicklungskonzept and the open-data API.

    ``public`` says whether the results may be shown yet (phase ended, or live results on);
    callers that publish must check it. ``final`` is True once the phase has ended. Texts are
    translation mappings ``{"de": ..., "en": ...}``; no personal data is included.
    """
    from portal.strategy.queries import get_strategy

    strategy = strategy or get_strategy()
    rules = queries.ballot_rules()
    window = queries.prioritisation_window()
    empty = {
        "public": queries.results_are_public(window, rules),
        "final": window.state is queries.WindowState.ENDED,
        "phase": _phase_data(window),
        "points_per_ballot": rules.points_per_ballot,
        "max_per_subgoal": rules.max_per_subgoal,
        "participants": 0,
        "subgoals": [],
        "goals": [],
        "by_residence": [],
        "municipal_ballots": [],
    }
    if strategy is None:
        return empty

    subgoals = {subgoal.id: (goal, subgoal) for goal in strategy.goals for subgoal in goal.subgoals}
    goals = {goal.id: goal for goal in strategy.goals}
    overall = compute(strategy)
    numbers = subgoal_numbers(strategy)
    municipalities = {municipality.id: municipality for municipality in queries.list_municipalities()}
    participants = queries.participants_by_residence()
    totals_by_residence = queries.subgoal_totals_by_residence()

    def subgoal_row(item: Ranked) -> dict[str, Any]:
        goal, subgoal = subgoals[item.key]
        return {
            "subgoal_id": subgoal.id,
            "number": subgoal.number,
            "title": dict(subgoal.title),
            "goal_number": goal.number,
            "points": item.points,
            "people": item.people,
            "share": round(item.share, 4),
            "rank_by_points": item.rank_by_points,
            "rank_by_people": item.rank_by_people,
        }

    by_residence = []
    for municipality_id in [*municipalities, None]:
        count = participants.get(municipality_id, 0)
        ranking = rank(totals_by_residence.get(municipality_id, {}), numbers)
        municipality = municipalities.get(municipality_id) if municipality_id is not None else None
        by_residence.append(
            {
                "municipality_key": municipality.key if municipality else None,
                "municipality_name": municipality.name if municipality else None,
                "participants": count,
                "subgoals": [subgoal_row(item) for item in ranking],
            }
        )

    return {
        **empty,
        "participants": overall.participants,
        "subgoals": [subgoal_row(item) for item in overall.subgoals],
        "goals": [
            {
                "goal_id": item.key,
                "number": goals[item.key].number,
                "title": dict(goals[item.key].title),
                "points": item.points,
                "people": item.people,
                "share": round(item.share, 4),
                "rank_by_points": item.rank_by_points,
                "rank_by_people": item.rank_by_people,
            }
            for item in overall.goals
        ],
        "by_residence": by_residence,
        "municipal_ballots": [
            {
                "municipality_key": ballot.municipality_key,
                "municipality_name": ballot.municipality_name,
                "allocations": [
                    {"subgoal_number": numbers[subgoal_id], "points": points}
                    for subgoal_id, points in sorted(
                        ballot.points.items(), key=lambda kv: number_key(numbers[kv[0]])
                    )
                    if subgoal_id in numbers
                ],
            }
            for ballot in municipal_ballots(list(municipalities.values()))
        ],
    }


def _phase_data(window: queries.Window) -> dict[str, Any] | None:
    if window.phase is None:
        return None
    return {
        "state": window.state.value,
        "starts_on": window.phase.starts_on.isoformat(),
        "ends_on": window.phase.ends_on.isoformat(),
    }
