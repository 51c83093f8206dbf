"""The statistics as plain data, shared by the page, its CSV download and the open-data API."""

from __future__ import annotations

import copy
import logging
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
_refreshing: set[int] = set()
_cache_lock = threading.Lock()
log = logging.getLogger(__name__)


def build_cached(strategy: Strategy | None) -> dict[str, Any]:
    """:func:`build`, kept for ``STATISTICS_CACHE_SECONDS`` (default 300) per app process.

    The figures aggregate every proposal, support and comment (seconds with the reference data
    of docs/performance.md) and change slowly, so the public page and the API share one
    computation per process every few minutes. Only a process's very first request waits for
    it: after that, a request that finds the figures older than the cache time gets them at
    once and starts one recomputation in the background (stale-while-revalidate), so no visitor
    waits for the aggregation again. The data holds no personal data and no language (texts
    are translation mappings), so one entry serves everybody.
    """
    ttl = float(current_app.config.get("STATISTICS_CACHE_SECONDS", 300))
    if ttl <= 0:
        return build(strategy)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    key = id(app)
    now = time.monotonic()
    start_refresh = False
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None and now - hit[0] >= ttl and key not in _refreshing:
            _refreshing.add(key)
            start_refresh = True
    if hit is None:
        data = build(strategy)
        with _cache_lock:
            _cache[key] = (time.monotonic(), data)
        return copy.deepcopy(data)
    if start_refresh:
        start_background(_refresh, app, key)
    return copy.deepcopy(hit[1])


def start_background(target: Any, *args: Any) -> None:
    """Run ``target(*args)`` in a daemon thread (a seam for the tests)."""
    threading.Thread(target=target, args=args, daemon=True, name="statistics-refresh").start()


def _refresh(app: Any, key: int) -> None:
    """Recompute the figures in their own app context and session; keep the old ones on error."""
    try:
        with app.app_context():
            from portal.strategy.queries import get_strategy

            try:
                data = build(get_strategy())
            finally:
                db.session.remove()
        with _cache_lock:
            _cache[key] = (time.monotonic(), data)
    except Exception:  # the old figures stay; the next stale request tries again
        log.exception("statistics refresh failed")
    finally:
        with _cache_lock:
            _refreshing.discard(key)
