"""Assembling the Kreisentwicklungskonzept from the strategy, the prioritisation and the measures.

The result is plain JSON-serialisable data (the snapshot a published version keeps): content
texts keep all their languages (``{"de": ..., "en": ...}``), money is in cents, and each
measure appears once, under its first Unterziel, so every figure is counted exactly once and
the summary tables add up.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm import selectinload

from portal.concept.participation import participation_summary
from portal.core import clock
from portal.extensions import db
from portal.measures.models import Indicator
from portal.measures.models import Measure
from portal.measures.models import MeasureStatus
from portal.strategy.queries import get_strategy

log = logging.getLogger(__name__)

SCHEMA = 1


def concept_measures() -> list[Measure]:
    """The measures the concept contains: public ones that were not dropped."""
    return list(
        db.session.scalars(
            select(Measure)
            .where(Measure.is_public.is_(True), Measure.status != MeasureStatus.DROPPED)
            .order_by(Measure.title, Measure.id)
            .options(
                selectinload(Measure.subgoals),
                selectinload(Measure.departments),
                selectinload(Measure.municipalities),
                joinedload(Measure.lead_department),
                selectinload(Measure.budget_lines),
                selectinload(Measure.indicators).selectinload(Indicator.values),
            )
        )
    )


def priorities_for_concept() -> dict[str, Any] | None:
    """The prioritisation results, if the priorities module offers them and they are public.

    Hook: ``portal.priorities.results.results_for_concept()``. Anything missing, not yet
    public, without participants, or failing leaves the section out of the concept.
    """
    try:
        module = importlib.import_module("portal.priorities.results")
    except ImportError:
        return None
    hook = getattr(module, "results_for_concept", None)
    if not callable(hook):
        return None
    try:
        results = hook()
    except Exception:  # the concept must not fail because another module does
        log.exception("prioritisation results could not be read for the concept")
        return None
    if not isinstance(results, dict) or not results.get("public", True) or not results.get("participants"):
        return None
    subgoals = [
        {
            "number": str(row.get("number", "")),
            "title": row.get("title") or {},
            "points": int(row.get("points") or 0),
            "people": int(row.get("people") or 0),
            "share": float(row.get("share") or 0),
            "rank": int(row.get("rank_by_points") or 0),
        }
        for row in results.get("subgoals") or []
        if isinstance(row, dict)
    ]
    if not subgoals:
        return None
    return {
        "participants": int(results.get("participants") or 0),
        "final": bool(results.get("final")),
        "points_per_ballot": results.get("points_per_ballot"),
        "subgoals": subgoals,
        "municipal_ballots": [
            {
                "municipality": ballot.get("municipality_name") or "",
                "allocations": [
                    {"number": str(item.get("subgoal_number", "")), "points": int(item.get("points") or 0)}
                    for item in ballot.get("allocations") or []
                ],
            }
            for ballot in results.get("municipal_ballots") or []
            if isinstance(ballot, dict)
        ],
    }


def _measure_entry(measure: Measure, code: str, home: str, proposals: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": measure.id,
        "code": code,
        "home": home,
        "title": measure.title,
        "description_html": measure.description_html,
        "status": measure.status.value,
        "progress": measure.progress,
        "horizon": measure.horizon.value,
        "start_year": measure.start_year,
        "end_year": measure.end_year,
        "subgoals": [subgoal.number for subgoal in measure.subgoals],
        "lead_department": dict(measure.lead_department.name) if measure.lead_department else None,
        "departments": [dict(department.name) for department in measure.departments],
        "municipalities": [municipality.name for municipality in measure.municipalities],
        "budget": [{"year": year, "cents": cents} for year, cents in measure.budget_by_year()],
        "budget_total_cents": measure.budget_total_cents,
        "indicators": [
            {
                "name": indicator.name,
                "unit": indicator.unit,
                "direction": indicator.direction.value,
                "baseline_value": indicator.baseline_value,
                "baseline_year": indicator.baseline_year,
                "target_value": indicator.target_value,
                "target_year": indicator.target_year,
                "latest": (
                    {"year": indicator.values[-1].year, "value": indicator.values[-1].value}
                    if indicator.values
                    else None
                ),
            }
            for indicator in measure.indicators
        ],
        "proposals": proposals,
    }


def assemble_document() -> dict[str, Any]:
    """The concept as it stands now, ready to be shown or frozen into a version."""
    from portal.measures import links

    strategy = get_strategy()
    measures = concept_measures()
    proposals_by_measure = links.proposals_for_concept([measure.id for measure in measures])

    order: dict[int, tuple[int, int]] = {}
    goals_data: list[dict[str, Any]] = []
    if strategy is not None:
        for goal_index, goal in enumerate(strategy.goals):
            for subgoal_index, subgoal in enumerate(goal.subgoals):
                order[subgoal.id] = (goal_index, subgoal_index)

    def home_of(measure: Measure) -> Any:
        known = [subgoal for subgoal in measure.subgoals if subgoal.id in order]
        return min(known, key=lambda subgoal: order[subgoal.id]) if known else None

    homed: dict[int, list[Measure]] = {}
    unplaced: list[Measure] = []
    for measure in measures:
        home = home_of(measure)
        if home is None:
            unplaced.append(measure)
        else:
            homed.setdefault(home.id, []).append(measure)

    entries: list[dict[str, Any]] = []
    code_of: dict[int, str] = {}
    if strategy is not None:
        for goal in strategy.goals:
            for subgoal in goal.subgoals:
                for index, measure in enumerate(homed.get(subgoal.id, []), start=1):
                    code = f"{subgoal.number}.{index}"
                    code_of[measure.id] = code
                    entries.append(
                        _measure_entry(
                            measure, code, subgoal.number, proposals_by_measure.get(measure.id, [])
                        )
                    )
    for index, measure in enumerate(unplaced, start=1):
        code = f"0.{index}"
        code_of[measure.id] = code
        entries.append(_measure_entry(measure, code, "", proposals_by_measure.get(measure.id, [])))

    if strategy is not None:
        for goal in strategy.goals:
            subgoals_data = []
            for subgoal in goal.subgoals:
                related = [measure for measure in measures if subgoal in measure.subgoals]
                subgoals_data.append(
                    {
                        "number": subgoal.number,
                        "title": dict(subgoal.title),
                        "text": dict(subgoal.text),
                        "measures": [code_of[m.id] for m in homed.get(subgoal.id, [])],
                        "also": [code_of[m.id] for m in related if m not in homed.get(subgoal.id, [])],
                    }
                )
            goals_data.append(
                {
                    "number": goal.number,
                    "title": dict(goal.title),
                    "text": dict(goal.text),
                    "subgoals": subgoals_data,
                }
            )

    years = sorted({line["year"] for entry in entries for line in entry["budget"]})
    by_year = {year: 0 for year in years}
    by_department: dict[str, dict[str, Any]] = {}
    for measure, entry in zip(_in_entry_order(measures, entries), entries, strict=True):
        department = measure.lead_department
        key = department.key if department else ""
        row = by_department.setdefault(
            key,
            {
                "key": key,
                "name": dict(department.name) if department else None,
                "position": (department.position, department.id) if department else (10**9, 0),
                "cents_by_year": dict.fromkeys(years, 0),
            },
        )
        for line in entry["budget"]:
            by_year[line["year"]] += line["cents"]
            row["cents_by_year"][line["year"]] += line["cents"]
    department_rows = []
    for row in sorted(by_department.values(), key=lambda item: item["position"]):
        cents = [row["cents_by_year"][year] for year in years]
        department_rows.append(
            {"key": row["key"], "name": row["name"], "cents": cents, "total_cents": sum(cents)}
        )

    status_counts = {status.value: 0 for status in MeasureStatus if status is not MeasureStatus.DROPPED}
    for entry in entries:
        status_counts[entry["status"]] += 1

    return {
        "schema": SCHEMA,
        "assembled_at": clock.now().isoformat(),
        "strategy": (
            {
                "region_name": dict(strategy.region_name),
                "title": dict(strategy.title),
                "motto": dict(strategy.motto),
                "intro": dict(strategy.intro or {}),
                "horizon_year": strategy.horizon_year,
            }
            if strategy is not None
            else None
        ),
        "goals": goals_data,
        "measures": entries,
        "status_counts": status_counts,
        "priorities": priorities_for_concept(),
        "participation": participation_summary(),
        "budget": {
            "years": years,
            "by_year": [{"year": year, "cents": by_year[year]} for year in years],
            "by_department": department_rows,
            "total_cents": sum(by_year.values()),
        },
    }


def _in_entry_order(measures: list[Measure], entries: list[dict[str, Any]]) -> list[Measure]:
    by_id = {measure.id: measure for measure in measures}
    return [by_id[entry["id"]] for entry in entries]
