"""The OpenAPI 3.1 document of /api/v1/, built per request from the strategy and organisations.

Parameters that name things (main goals, sub-goals, municipalities, departments) are enums of
what exists, so the document says exactly which values the API accepts; every object schema is
closed (``additionalProperties: false``), so the document says exactly what the API returns.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select

from portal.extensions import db
from portal.organisations.models import Department
from portal.organisations.models import Municipality
from portal.strategy.queries import get_strategy

NULL = {"type": "null"}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, NULL]}


def obj(properties: dict[str, Any], *, optional: tuple[str, ...] = ()) -> dict[str, Any]:
    """A closed object whose properties are all required (except ``optional``)."""
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
DATETIME = {"type": "string", "format": "date-time"}
DATE = {"type": "string", "format": "date"}
URL = {"type": "string", "format": "uri"}
COUNT = {"type": "integer", "minimum": 0}


def _schemas() -> dict[str, Any]:
    counts = {
        "participants": COUNT,
        "proposals": COUNT,
        "comments": COUNT,
        "statements": COUNT,
        "supports": COUNT,
    }
    ranked = {
        "points": COUNT,
        "people": COUNT,
        "share": {"type": "number", "minimum": 0, "maximum": 1},
        "rank_by_points": {"type": "integer", "minimum": 1},
        "rank_by_people": {"type": "integer", "minimum": 1},
        "url": URL,
    }
    per_thousand = nullable({"type": "number", "minimum": 0})
    schemas: dict[str, Any] = {
        "Translations": {
            "type": "object",
            "description": 'A text per language code, e.g. {"de": "…", "en": "…"}.',
            "additionalProperties": STRING,
        },
        "Error": obj({"error": INTEGER, "message": STRING}),
        "Meta": obj(
            {
                "page": {"type": "integer", "minimum": 1},
                "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
                "total": COUNT,
                "pages": {"type": "integer", "minimum": 1},
            }
        ),
        "Links": obj({"self": URL, "first": URL, "last": URL, "prev": nullable(URL), "next": nullable(URL)}),
        "Index": obj(
            {
                "name": STRING,
                "version": STRING,
                "openapi": URL,
                "endpoints": obj(
                    {
                        "goals": URL,
                        "proposals": URL,
                        "measures": URL,
                        "priorities": URL,
                        "statistics": URL,
                    }
                ),
            }
        ),
        "Strategy": obj(
            {
                "title": ref("Translations"),
                "region_name": ref("Translations"),
                "motto": ref("Translations"),
                "intro": ref("Translations"),
                "horizon_year": INTEGER,
                "url": URL,
            }
        ),
        "FocusArea": obj({"position": INTEGER, "title": ref("Translations")}),
        "SubGoal": obj(
            {
                "number": STRING,
                "title": ref("Translations"),
                "text": ref("Translations"),
                "url": URL,
                "focus_areas": {"type": "array", "items": ref("FocusArea")},
            }
        ),
        "Goal": obj(
            {
                "number": INTEGER,
                "title": ref("Translations"),
                "text": ref("Translations"),
                "url": URL,
                "subgoals": {"type": "array", "items": ref("SubGoal")},
            }
        ),
        "Goals": obj(
            {"strategy": nullable(ref("Strategy")), "data": {"type": "array", "items": ref("Goal")}}
        ),
        "SubGoalRef": obj(
            {"number": STRING, "title": ref("Translations"), "goal_number": nullable(INTEGER), "url": URL}
        ),
        "Municipality": obj({"key": STRING, "name": STRING}),
        "Department": obj({"key": STRING, "name": ref("Translations")}),
        "Proposal": obj(
            {
                "id": INTEGER,
                "url": URL,
                "title": STRING,
                "body": {
                    "type": "string",
                    "description": "Markdown as written (rendered sanitised on the page).",
                },
                "language": {
                    "type": "string",
                    "description": "The language the author wrote in (an interface language code).",
                },
                "subgoal": nullable(ref("SubGoalRef")),
                "focus_area": nullable(ref("Translations")),
                "municipality": {
                    "anyOf": [ref("Municipality"), NULL],
                    "description": "null: the proposal concerns the whole district.",
                },
                "horizon": {"enum": ["short", "medium", "long"]},
                "cost_class": {"enum": ["small", "medium", "large", "very_large", "unknown"]},
                "status": {"enum": ["submitted", "published", "under_review", "accepted", "rejected"]},
                "published_at": nullable(DATETIME),
                "supports_count": COUNT,
                "comments_count": COUNT,
                "statements_count": COUNT,
            }
        ),
        "StatusChange": obj(
            {
                "from_status": nullable(STRING),
                "to_status": STRING,
                "answer": nullable(STRING),
                "at": DATETIME,
            }
        ),
        "Statement": obj(
            {
                "municipality": nullable(ref("Municipality")),
                "department": nullable(ref("Department")),
                "body": STRING,
                "at": DATETIME,
            }
        ),
        "ProposalList": obj(
            {"data": {"type": "array", "items": ref("Proposal")}, "meta": ref("Meta"), "links": ref("Links")}
        ),
        "Money": obj(
            {
                "cents": {"type": "integer", "minimum": 0},
                "euros": {"type": "string", "pattern": r"^\d+\.\d{2}$"},
                "currency": {"const": "EUR"},
            }
        ),
        "Measure": obj(
            {
                "id": INTEGER,
                "url": URL,
                "title": STRING,
                "description": STRING,
                "status": {"enum": ["planned", "in_progress", "completed", "deferred", "dropped"]},
                "progress": {"type": "integer", "minimum": 0, "maximum": 100},
                "horizon": {"enum": ["short", "medium", "long"]},
                "start_year": nullable(INTEGER),
                "end_year": nullable(INTEGER),
                "subgoals": {"type": "array", "items": nullable(ref("SubGoalRef"))},
                "departments": {"type": "array", "items": ref("Department")},
                "budget_total": nullable(ref("Money")),
            }
        ),
        "MeasureList": obj(
            {"data": {"type": "array", "items": ref("Measure")}, "meta": ref("Meta"), "links": ref("Links")}
        ),
        "Indicator": obj(
            {
                "name": STRING,
                "unit": STRING,
                "direction": {"enum": ["higher", "lower"]},
                "baseline": obj({"value": NUMBER, "year": INTEGER}),
                "target": obj({"value": NUMBER, "year": INTEGER}),
                "values": {"type": "array", "items": obj({"year": INTEGER, "value": NUMBER})},
            }
        ),
        "RankedSubGoal": obj(
            {"number": STRING, "title": ref("Translations"), "goal_number": INTEGER, **ranked}
        ),
        "RankedGoal": obj({"number": INTEGER, "title": ref("Translations"), **ranked}),
        "Priorities": obj(
            {
                "public": {"const": True},
                "final": {"type": "boolean", "description": "true once the prioritisation phase has ended"},
                "phase": nullable(
                    obj(
                        {
                            "state": {"enum": ["open", "upcoming", "ended", "none"]},
                            "starts_on": DATE,
                            "ends_on": DATE,
                        }
                    )
                ),
                "points_per_ballot": {"type": "integer", "minimum": 1},
                "max_per_subgoal": {"type": "integer", "minimum": 1},
                "participants": COUNT,
                "subgoals": {"type": "array", "items": ref("RankedSubGoal")},
                "goals": {"type": "array", "items": ref("RankedGoal")},
                "by_residence": {
                    "type": "array",
                    "description": (
                        "Citizens' results per municipality of residence; the last entry "
                        "(key null) are the participants who stated none."
                    ),
                    "items": obj(
                        {
                            "municipality_key": nullable(STRING),
                            "municipality_name": nullable(STRING),
                            "participants": COUNT,
                            "subgoals": {"type": "array", "items": ref("RankedSubGoal")},
                        }
                    ),
                },
                "municipal_ballots": {
                    "type": "array",
                    "description": (
                        "The municipalities' official ballots, never counted into the citizens' results."
                    ),
                    "items": obj(
                        {
                            "municipality_key": STRING,
                            "municipality_name": STRING,
                            "allocations": {
                                "type": "array",
                                "items": obj(
                                    {"subgoal_number": STRING, "points": {"type": "integer", "minimum": 1}}
                                ),
                            },
                        }
                    ),
                },
                "url": URL,
            }
        ),
        "Counts": obj(counts),
        "Statistics": obj(
            {
                "totals": ref("Counts"),
                "outcomes": obj(
                    {
                        "proposals": COUNT,
                        "answered": COUNT,
                        "accepted": COUNT,
                        "in_measures": COUNT,
                        "answered_share": {"type": "number", "minimum": 0, "maximum": 1},
                        "accepted_share": {"type": "number", "minimum": 0, "maximum": 1},
                        "in_measures_share": {"type": "number", "minimum": 0, "maximum": 1},
                    }
                ),
                "months": {
                    "type": "array",
                    "items": obj({"month": {"type": "string", "pattern": r"^\d{4}-\d{2}$"}, **counts}),
                },
                "goals": {
                    "type": "array",
                    "items": obj(
                        {
                            "number": INTEGER,
                            "title": ref("Translations"),
                            **counts,
                            "url": URL,
                            "subgoals": {
                                "type": "array",
                                "items": obj(
                                    {"number": STRING, "title": ref("Translations"), **counts, "url": URL}
                                ),
                            },
                        }
                    ),
                },
                "municipalities": {"type": "array", "items": ref("MunicipalityFigures")},
                "without_municipality": ref("MunicipalityFigures"),
                "url": URL,
            }
        ),
        "MunicipalityFigures": obj(
            {
                "key": nullable(STRING),
                "name": nullable(STRING),
                "inhabitants": nullable(COUNT),
                "inhabitants_date": nullable(DATE),
                **counts,
                "per_thousand": obj(
                    {
                        "participants": per_thousand,
                        "proposals": per_thousand,
                        "comments": per_thousand,
                        "supports": per_thousand,
                    }
                ),
            }
        ),
    }
    # The detail objects are the list items plus their own fields, closed as well.
    schemas["ProposalDetail"] = obj(
        {
            **schemas["Proposal"]["properties"],
            "history": {"type": "array", "items": ref("StatusChange")},
            "statements": {"type": "array", "items": ref("Statement")},
        }
    )
    schemas["MeasureDetail"] = obj(
        {
            **schemas["Measure"]["properties"],
            "source_proposals": {
                "type": "array",
                "description": "The listed proposals the measure came from.",
                "items": obj({"id": INTEGER, "title": STRING, "url": URL}),
            },
            "municipalities": {"type": "array", "items": ref("Municipality")},
            "lead_department": nullable(ref("Department")),
            "budget_lines": {
                "type": "array",
                "items": obj({"year": INTEGER, "amount": ref("Money"), "funding_source": STRING}),
            },
            "indicators": {"type": "array", "items": ref("Indicator")},
            "updates": {"type": "array", "items": obj({"date": DATE, "body": STRING})},
        }
    )
    return schemas


def _parameter(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _responses(schema: str, *, not_found: str | None = None, bad_request: bool = True) -> dict[str, Any]:
    error = {"application/json": {"schema": ref("Error")}}
    headers = {
        "ETag": {"schema": STRING, "description": "Hash of the body; send it as If-None-Match."},
        "Cache-Control": {"schema": STRING, "description": "public, max-age=60"},
        "Access-Control-Allow-Origin": {"schema": {"const": "*"}},
    }
    responses: dict[str, Any] = {
        "200": {
            "description": "OK",
            "headers": headers,
            "content": {"application/json": {"schema": ref(schema)}},
        },
        "304": {"description": "Not modified (the If-None-Match ETag matches)."},
    }
    if bad_request:
        responses["400"] = {"description": "An unknown or invalid query parameter.", "content": error}
    if not_found:
        responses["404"] = {"description": not_found, "content": error}
    return responses


IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "schema": STRING,
    "description": "The ETag of a copy you hold: 304 if it is still current.",
}


def _page_parameters() -> list[dict[str, Any]]:
    return [
        _parameter("page", {"type": "integer", "minimum": 1, "maximum": 999999999}, "Page number, from 1."),
        _parameter(
            "per_page", {"type": "integer", "minimum": 1, "maximum": 100}, "Items per page (default 20)."
        ),
    ]


def document() -> dict[str, Any]:
    """The OpenAPI document for this portal's data."""
    strategy = get_strategy()
    goal_numbers = [goal.number for goal in strategy.goals] if strategy else []
    subgoal_numbers = [sub.number for goal in strategy.goals for sub in goal.subgoals] if strategy else []
    municipalities = list(db.session.scalars(select(Municipality.key).order_by(Municipality.position)))
    departments = list(db.session.scalars(select(Department.key).order_by(Department.position)))

    def enum(values: list[Any], kind: dict[str, Any]) -> dict[str, Any]:
        return {**kind, "enum": values} if values else {**kind, "not": {}}

    proposal_parameters = [
        _parameter("oberziel", enum(goal_numbers, INTEGER), "Main goal number."),
        _parameter("unterziel", enum(subgoal_numbers, STRING), "Sub-goal number, e.g. 1.1."),
        _parameter(
            "gemeinde", enum(["district", *municipalities], STRING), "A municipality key, or district."
        ),
        _parameter(
            "status",
            {"enum": ["submitted", "published", "under_review", "accepted", "rejected"]},
            "Status of the proposal.",
        ),
        _parameter("horizont", {"enum": ["short", "medium", "long"]}, "Time horizon."),
        _parameter(
            "sortierung",
            {"enum": ["neu", "unterstuetzt", "diskutiert", "zufall"]},
            "Order: newest (default), most supported, most discussed, random (with seed).",
        ),
        _parameter("q", {"type": "string", "maxLength": 200}, "Full-text search in title and text."),
        _parameter(
            "stellungnahmen", {"enum": ["0", "1", "true", "false"]}, "Only proposals with statements."
        ),
        _parameter(
            "seed", {"type": "integer", "minimum": 0, "maximum": 999999999}, "Seed of the random order."
        ),
        *_page_parameters(),
        IF_NONE_MATCH,
    ]
    measure_parameters = [
        _parameter("goal", enum(goal_numbers, INTEGER), "Main goal number."),
        _parameter("subgoal", enum(subgoal_numbers, STRING), "Sub-goal number."),
        _parameter("department", enum(departments, STRING), "Department key."),
        _parameter("municipality", enum(municipalities, STRING), "Partner municipality key."),
        _parameter(
            "status", {"enum": ["planned", "in_progress", "completed", "deferred", "dropped"]}, "Status."
        ),
        _parameter("horizon", {"enum": ["short", "medium", "long"]}, "Time horizon."),
        *_page_parameters(),
        IF_NONE_MATCH,
    ]
    identifier = {"type": "integer", "minimum": 1, "maximum": 2147483647}
    proposal_id = {"name": "proposal_id", "in": "path", "required": True, "schema": identifier}
    measure_id = {"name": "measure_id", "in": "path", "required": True, "schema": identifier}
    schemas = _schemas()

    def get(summary: str, schema: str, parameters: list[dict[str, Any]], **kwargs: Any) -> dict[str, Any]:
        return {
            "get": {
                "summary": summary,
                "operationId": summary.lower().replace(" ", "_").replace(",", ""),
                "parameters": parameters,
                "responses": _responses(schema, **kwargs),
            }
        }

    base_url = str(current_app.config["PORTAL_BASE_URL"]).rstrip("/")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Beteiligungsportal open data",
            "version": "1.0.0",
            "description": (
                "Read-only public data of the participation portal: the strategy, proposals (without "
                "author identity; hidden, withdrawn, merged and unpublished ones excluded), official "
                "statements, measures with budget lines and indicators, prioritisation results once "
                "public, and participation statistics. Every item carries `url`, the absolute address "
                "of its public page. Responses carry an ETag (send If-None-Match for 304), "
                "Cache-Control: public, max-age=60 and Access-Control-Allow-Origin: *. Texts from data "
                "are objects with one entry per language."
            ),
            "license": {"name": "Data: see the portal's terms of use"},
        },
        "servers": [{"url": base_url}],
        "paths": {
            "/api/v1/": get("API index", "Index", [], bad_request=True),
            "/api/v1/goals": get("List goals", "Goals", [IF_NONE_MATCH]),
            "/api/v1/proposals": get(
                "List proposals", "ProposalList", proposal_parameters, not_found="No such page."
            ),
            "/api/v1/proposals/{proposal_id}": get(
                "Get proposal", "ProposalDetail", [proposal_id, IF_NONE_MATCH], not_found="No such proposal."
            ),
            "/api/v1/measures": get(
                "List measures", "MeasureList", measure_parameters, not_found="No such page, or no strategy."
            ),
            "/api/v1/measures/{measure_id}": get(
                "Get measure",
                "MeasureDetail",
                [measure_id, IF_NONE_MATCH],
                not_found="No such public measure.",
            ),
            "/api/v1/priorities": get(
                "Get prioritisation results",
                "Priorities",
                [IF_NONE_MATCH],
                not_found="The results are not public yet.",
            ),
            "/api/v1/statistics": get("Get statistics", "Statistics", [IF_NONE_MATCH]),
        },
        "components": {"schemas": schemas},
    }
