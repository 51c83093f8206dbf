"""The read-only open-data API under /api/v1/ (JSON; see /api/v1/openapi.json).

An entry point only: each endpoint parses its query parameters strictly (an unknown or invalid
one is a 400, never silently ignored), asks the domains' queries and serialises public fields.
"""

from __future__ import annotations

from typing import Any

from flask import Response
from flask import abort
from flask import request

from portal.api import bp
from portal.api import http
from portal.api import queries as api_queries
from portal.api import serializers
from portal.strategy.queries import get_strategy

#: Query parameters of the proposals list, as on the web list (/vorschlaege), plus pages.
PROPOSAL_PARAMETERS = (
    "oberziel",
    "unterziel",
    "gemeinde",
    "status",
    "horizont",
    "sortierung",
    "q",
    "stellungnahmen",
    "seed",
    "page",
    "per_page",
)
#: Statuses a listed proposal can have (merged and withdrawn ones are not in the API).
LISTED_STATUSES = ("submitted", "published", "under_review", "accepted", "rejected")
SORTS = ("neu", "unterstuetzt", "diskutiert", "zufall")
WHOLE_DISTRICT = "district"
#: Ids are 32-bit integers in the database; larger ones cannot exist (and PostgreSQL would refuse them).
MAX_ID = 2**31 - 1
MEASURE_PARAMETERS = (
    "goal",
    "subgoal",
    "department",
    "municipality",
    "status",
    "horizon",
    "page",
    "per_page",
)


@bp.after_app_request
def _api_headers(response: Response) -> Response:
    """ETag/304 come from :func:`http.json_response`; caching and CORS for everything under /api/v1/."""
    if request.path.startswith("/api/v1/"):
        http.keep_session_cookie_out()
        return http.add_headers(response)
    return response


@bp.get("/api/v1/")
def index():  # type: ignore[no-untyped-def]
    """What the API offers, with absolute links."""
    http.allowed_parameters()
    return http.json_response(
        {
            "name": "Beteiligungsportal open data",
            "version": "v1",
            "openapi": http.absolute("api.openapi"),
            "endpoints": {
                "goals": http.absolute("api.goals"),
                "proposals": http.absolute("api.proposals"),
                "measures": http.absolute("api.measures"),
                "priorities": http.absolute("api.priorities"),
                "statistics": http.absolute("api.statistics"),
            },
        }
    )


@bp.get("/api/v1/openapi.json")
def openapi():  # type: ignore[no-untyped-def]
    """The OpenAPI 3.1 document describing exactly these responses."""
    from portal.api.openapi import document

    http.allowed_parameters()
    return http.json_response(document())


@bp.get("/api/v1/goals")
def goals():  # type: ignore[no-untyped-def]
    """The strategy: Leitbild, Oberziele with their Unterziele and focus areas, texts per language."""
    http.allowed_parameters()
    strategy = get_strategy()
    return http.json_response(
        {
            "strategy": serializers.strategy(strategy),
            "data": [serializers.goal(goal) for goal in strategy.goals] if strategy else [],
        }
    )


def _proposal_filters(strategy: Any) -> Any:
    """The list filters from the query string, with the web list's names and values."""
    from portal.proposals import queries
    from portal.proposals.models import Horizon
    from portal.proposals.models import ProposalStatus
    from portal.strategy import queries as strategy_queries

    http.allowed_parameters(*PROPOSAL_PARAMETERS)
    subgoal_ids: tuple[int, ...] | None = None
    goal_id = None
    goal_number = http.integer("oberziel", None)
    subgoal_number = request.args.get("unterziel")
    if subgoal_number is not None:
        found = strategy_queries.find_subgoal(strategy, subgoal_number) if strategy else None
        if found is None:
            http.bad_request("unterziel: no such sub-goal")
        subgoal_ids = (found.id,)
    elif goal_number is not None:
        goal = strategy_queries.find_goal(strategy, goal_number) if strategy else None
        if goal is None:
            http.bad_request("oberziel: no such main goal")
        goal_id = goal.id
        subgoal_ids = tuple(sub.id for sub in goal.subgoals)
    municipality_id = None
    key = request.args.get("gemeinde")
    if key == WHOLE_DISTRICT:
        municipality_id = 0
    elif key is not None:
        found_municipality = next((item for item in queries.municipalities() if item.key == key), None)
        if found_municipality is None:
            http.bad_request(f"gemeinde must be {WHOLE_DISTRICT!r} or a municipality key")
        municipality_id = found_municipality.id
    status = http.choice("status", LISTED_STATUSES)
    horizon = http.choice("horizont", [item.value for item in Horizon])
    sort = http.choice("sortierung", SORTS) or "neu"
    flag = http.choice("stellungnahmen", ["0", "1", "true", "false"])
    seed = http.integer("seed", None, minimum=0)
    text = request.args.get("q", "")
    if len(text) > 200:
        http.bad_request("q must be at most 200 characters")
    return queries.ListFilters(
        goal_id=goal_id,
        subgoal_ids=subgoal_ids,
        municipality_id=municipality_id,
        status=ProposalStatus(status) if status else None,
        horizon=Horizon(horizon) if horizon else None,
        query=text.strip(),
        statements_only=flag in ("1", "true"),
        sort=queries.Sort(sort),
        seed=seed if seed is not None else queries.daily_seed(),
    )


@bp.get("/api/v1/proposals")
def proposals():  # type: ignore[no-untyped-def]
    """Listed proposals, filtered and sorted like the web list; no author identity."""
    from portal.proposals import queries

    strategy = get_strategy()
    filters = _proposal_filters(strategy)
    page, per_page = http.page_arguments()
    result = queries.list_proposals(filters, page, per_page)
    if page > 1 and page > result.pages:
        abort(http.error(404, f"page {page} does not exist; there are {result.pages}"))
    counts = api_queries.comment_counts([item.id for item in result.items])
    index = serializers.StrategyIndex(strategy)
    items = [serializers.proposal(item, index, counts.get(item.id, (0, 0))) for item in result.items]
    return http.json_response(
        http.paginated(items, total=result.total, page=page, per_page=per_page, endpoint="api.proposals")
    )


@bp.get("/api/v1/proposals/<int:proposal_id>")
def proposal(proposal_id: int):  # type: ignore[no-untyped-def]
    """One listed proposal with its public history and the official statements on it."""
    from portal.comments.queries import threads

    http.allowed_parameters()
    found = api_queries.listed_proposal(proposal_id) if 1 <= proposal_id <= MAX_ID else None
    if found is None:
        abort(http.error(404, "no such proposal"))
    index = serializers.StrategyIndex(get_strategy())
    counts = api_queries.comment_counts([found.id]).get(found.id, (0, 0))
    official, _others = threads(found.id, statements_only=True)
    data = serializers.proposal(found, index, counts)
    data["history"] = [serializers.status_change(change) for change in found.history]
    data["statements"] = [
        serializers.statement(thread.comment)
        for thread in official
        if thread.comment.hidden_at is None and thread.comment.deleted_at is None
    ]
    return http.json_response(data)


def _measure_filters(strategy: Any) -> Any:
    from portal.measures import queries
    from portal.measures.models import MeasureHorizon
    from portal.measures.models import MeasureStatus

    http.allowed_parameters(*MEASURE_PARAMETERS)
    goal_number = http.integer("goal", None)
    if goal_number is not None and not any(goal.number == goal_number for goal in strategy.goals):
        http.bad_request("goal: no such main goal")
    subgoal = request.args.get("subgoal")
    if subgoal is not None and not any(
        sub.number == subgoal for goal in strategy.goals for sub in goal.subgoals
    ):
        http.bad_request("subgoal: no such sub-goal")
    department = request.args.get("department")
    if department is not None and department not in {item.key for item in queries.list_departments()}:
        http.bad_request("department: no such department")
    municipality = request.args.get("municipality")
    if municipality is not None and municipality not in {item.key for item in queries.list_municipalities()}:
        http.bad_request("municipality: no such municipality")
    status = http.choice("status", [item.value for item in MeasureStatus])
    horizon = http.choice("horizon", [item.value for item in MeasureHorizon])
    return queries.Filters(
        goal=goal_number,
        subgoal=subgoal,
        department=department,
        municipality=municipality,
        status=MeasureStatus(status) if status else None,
        horizon=MeasureHorizon(horizon) if horizon else None,
    )


@bp.get("/api/v1/measures")
def measures():  # type: ignore[no-untyped-def]
    """Public measures, filtered like the web list, with goals, departments and budget totals."""
    from portal.measures import queries

    strategy = get_strategy()
    if strategy is None:
        abort(http.error(404, "no strategy has been imported"))
    filters = _measure_filters(strategy)
    page, per_page = http.page_arguments()
    result = queries.list_measures(filters, strategy, page=page, per_page=per_page)
    if page > 1 and page > result.pages:
        abort(http.error(404, f"page {page} does not exist; there are {result.pages}"))
    index = serializers.StrategyIndex(strategy)
    items = [
        serializers.measure(item, index, budget_cents=result.budget_cents.get(item.id, 0))
        for item in result.items
    ]
    return http.json_response(
        http.paginated(items, total=result.total, page=page, per_page=per_page, endpoint="api.measures")
    )


@bp.get("/api/v1/measures/<int:measure_id>")
def measure(measure_id: int):  # type: ignore[no-untyped-def]
    """One public measure with budget lines, indicators with their values, and progress updates."""
    from portal.measures import queries

    http.allowed_parameters()
    found = queries.get_measure(measure_id) if 1 <= measure_id <= MAX_ID else None
    if found is None or not found.is_public:
        abort(http.error(404, "no such measure"))
    from portal.measures.links import proposals_of
    from portal.proposals.models import ProposalStatus

    sources = [
        item
        for item in proposals_of(found)
        if item.status not in (ProposalStatus.WITHDRAWN, ProposalStatus.MERGED)
    ]
    index = serializers.StrategyIndex(get_strategy())
    return http.json_response(serializers.measure_detail(found, index, sources))


@bp.get("/api/v1/priorities")
def priorities():  # type: ignore[no-untyped-def]
    """The prioritisation results, once they are public (404 before)."""
    from portal.priorities.results import results_for_concept

    http.allowed_parameters()
    data = results_for_concept()
    if not data["public"]:
        abort(http.error(404, "the prioritisation results are not public yet"))
    for row in [*data["subgoals"], *(row for scope in data["by_residence"] for row in scope["subgoals"])]:
        row.pop("subgoal_id", None)
        row["url"] = http.absolute("strategy.subgoal", number=row["number"])
    for row in data["goals"]:
        row.pop("goal_id", None)
        row["url"] = http.absolute("strategy.goal", number=row["number"])
    data["url"] = http.absolute("priorities.results_page")
    return http.json_response(data)


@bp.get("/api/v1/statistics")
def statistics():  # type: ignore[no-untyped-def]
    """The participation statistics (the figures of /statistik)."""
    from portal.statistics import report

    http.allowed_parameters()
    data = report.build_cached(get_strategy())
    for goal in data["goals"]:
        goal["url"] = http.absolute("strategy.goal", number=goal["number"])
        for sub in goal["subgoals"]:
            sub["url"] = http.absolute("strategy.subgoal", number=sub["number"])
    data["url"] = http.absolute("statistics.index")
    return http.json_response(data)
