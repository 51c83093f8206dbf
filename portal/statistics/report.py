"""The statistics as plain data, shared by the page, its CSV download and the open-data API."""

from __future__ import annotations

import copy
import threading
import time
from typing import Any

from flask import current_app
from sqlalchemy import select

from portal.extensions import db
from portal.organisations.models import Municipality
from portal.statistics import queries
from portal.strategy.models import Strategy

METRICS = ("participants", "proposals", "comments", "statements", "supports")
#: Figures that are also given per 1,000 inhabitants of a municipality.
PER_THOUSAND = ("participants", "proposals", "comments", "supports")


def per_thousand(value: int, inhabitants: int | None) -> float | None:
    """``value`` per 1,000 inhabitants, one decimal; None where the inhabitants are not known."""
    if not inhabitants:
        return None
    return round(value * 1000 / inhabitants, 1)


def build(strategy: Strategy | None) -> dict[str, Any]:
    """Totals, per month, per Oberziel/Unterziel, per municipality and the proposals' outcomes.

    Texts are translation mappings (``{"de": ..., "en": ...}``) or names; no personal data.
    """
    totals = queries.totals()
    outcomes = queries.outcomes()
    months = queries.per_month()
    by_subgoal = queries.per_subgoal()
    by_goal = queries.per_goal()
    by_municipality = queries.per_municipality()
    municipalities = list(
        db.session.scalars(select(Municipality).order_by(Municipality.position, Municipality.id))
    )

    goals = []
    for goal in strategy.goals if strategy else []:
        counts = by_goal.get(goal.id, queries.Counts())
        goals.append(
            {
                "number": goal.number,
                "title": dict(goal.title),
                **counts.as_dict(),
                "subgoals": [
                    {
                        "number": subgoal.number,
                        "title": dict(subgoal.title),
                        **by_subgoal.get(subgoal.id, queries.Counts()).as_dict(),
                    }
                    for subgoal in goal.subgoals
                ],
            }
        )

    def municipality_row(municipality: Municipality | None) -> dict[str, Any]:
        counts = by_municipality.get(municipality.id if municipality else None, queries.Counts())
        inhabitants = municipality.inhabitants if municipality else None
        return {
            "key": municipality.key if municipality else None,
            "name": municipality.name if municipality else None,
            "inhabitants": inhabitants,
            "inhabitants_date": (
                municipality.inhabitants_date.isoformat()
                if municipality and municipality.inhabitants_date
                else None
            ),
            **counts.as_dict(),
            "per_thousand": {
                metric: per_thousand(getattr(counts, metric), inhabitants) for metric in PER_THOUSAND
            },
        }

    return {
        "totals": totals.as_dict(),
        "outcomes": {
            "proposals": outcomes.proposals,
            "answered": outcomes.answered,
            "accepted": outcomes.accepted,
            "in_measures": outcomes.in_measures,
            "answered_share": round(outcomes.answered_share, 4),
            "accepted_share": round(outcomes.accepted_share, 4),
            "in_measures_share": round(outcomes.in_measures_share, 4),
        },
        "months": [{"month": month, **counts.as_dict()} for month, counts in months],
        "goals": goals,
        "municipalities": [municipality_row(municipality) for municipality in municipalities],
        #: Participants without a stated municipality; proposals for the whole district;
        #: statements of departments.
        "without_municipality": municipality_row(None),
    }


_cache: dict[int, tuple[float, dict[str, Any]]] = {}
_cache_lock = threading.Lock()


def build_cached(strategy: Strategy | None) -> dict[str, Any]:
    """:func:`build`, kept for ``STATISTICS_CACHE_SECONDS`` (default 300) per app process.

    The figures aggregate every proposal, support and comment (about 1.8 s on SQLite with 10,000
    proposals and 100,000 supports, see docs/benchmarks.md) and change slowly, so the public page
    and the API share one computation per process every few minutes. The data holds no personal
    data and no language (texts are translation mappings), so one entry serves everybody.
    """
    ttl = float(current_app.config.get("STATISTICS_CACHE_SECONDS", 300))
    if ttl <= 0:
        return build(strategy)
    key = id(current_app._get_current_object())  # type: ignore[attr-defined]
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(key)
        if hit and now - hit[0] < ttl:
            return copy.deepcopy(hit[1])
    data = build(strategy)
    with _cache_lock:
        _cache[key] = (now, data)
    return copy.deepcopy(data)
