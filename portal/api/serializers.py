"""Domain objects as the API's JSON: public fields only, every item with the ``url`` of its page.

Texts that come from data are translation mappings (``{"de": ..., "en": ...}``), so one
response serves every language. Nothing here reads an author, an e-mail address or an internal
assessment; hidden, withdrawn and unpublished content never reaches these functions.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import Any

from portal.api.http import absolute
from portal.core.clock import TIMEZONE


def iso(value: datetime | date | None) -> str | None:
    """ISO 8601; times with their offset in the district's time zone (SQLite returns them naive,
    in the wall time they were written with)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.replace(tzinfo=TIMEZONE) if value.tzinfo is None else value.astimezone(TIMEZONE)
    return value.isoformat()


class StrategyIndex:
    """Lookups into the loaded strategy (numbers, titles) so lists cost no extra queries."""

    def __init__(self, strategy: Any) -> None:
        self.goals = {goal.id: goal for goal in strategy.goals} if strategy else {}
        self.subgoals = {sub.id: sub for goal in strategy.goals for sub in goal.subgoals} if strategy else {}
        self.focus_areas = (
            {area.id: area for goal in strategy.goals for sub in goal.subgoals for area in sub.focus_areas}
            if strategy
            else {}
        )

    def subgoal_ref(self, subgoal_id: int) -> dict[str, Any] | None:
        subgoal = self.subgoals.get(subgoal_id)
        if subgoal is None:
            return None
        goal = self.goals.get(subgoal.goal_id)
        return {
            "number": subgoal.number,
            "title": dict(subgoal.title),
            "goal_number": goal.number if goal else None,
            "url": absolute("strategy.subgoal", number=subgoal.number),
        }


def strategy(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "title": dict(value.title),
        "region_name": dict(value.region_name),
        "motto": dict(value.motto),
        "intro": dict(value.intro or {}),
        "horizon_year": value.horizon_year,
        "url": absolute("strategy.home"),
    }


def goal(value: Any) -> dict[str, Any]:
    return {
        "number": value.number,
        "title": dict(value.title),
        "text": dict(value.text),
        "url": absolute("strategy.goal", number=value.number),
        "subgoals": [
            {
                "number": sub.number,
                "title": dict(sub.title),
                "text": dict(sub.text),
                "url": absolute("strategy.subgoal", number=sub.number),
                "focus_areas": [
                    {"position": area.position, "title": dict(area.title)} for area in sub.focus_areas
                ],
            }
            for sub in value.subgoals
        ],
    }


def municipality(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"key": value.key, "name": value.name}


def proposal(value: Any, index: StrategyIndex, counts: tuple[int, int]) -> dict[str, Any]:
    """A listed proposal without any trace of its author."""
    area = index.focus_areas.get(value.focus_area_id) if value.focus_area_id else None
    return {
        "id": value.id,
        "url": absolute("proposals.detail", proposal_id=value.id),
        "title": value.title,
        "body": value.body,
        "language": value.language,
        "subgoal": index.subgoal_ref(value.subgoal_id),
        "focus_area": dict(area.title) if area is not None else None,
        "municipality": municipality(value.municipality),
        "horizon": value.horizon.value,
        "cost_class": value.cost_class.value,
        "status": value.status.value,
        "published_at": iso(value.published_at),
        "supports_count": value.supports_count,
        "comments_count": counts[0],
        "statements_count": counts[1],
    }


def status_change(value: Any) -> dict[str, Any]:
    """One step of the public history: no actor."""
    return {
        "from_status": value.from_status.value if value.from_status else None,
        "to_status": value.to_status.value,
        "answer": value.answer,
        "at": iso(value.created_at),
    }


def statement(value: Any) -> dict[str, Any]:
    """An official statement, named by its municipality or department (never by the person)."""
    department = value.official_department
    return {
        "municipality": municipality(value.official_municipality),
        "department": {"key": department.key, "name": dict(department.name)} if department else None,
        "body": value.body,
        "at": iso(value.created_at),
    }


def measure(value: Any, index: StrategyIndex, *, budget_cents: int | None = None) -> dict[str, Any]:
    """A public measure (list form: totals; the detail adds lines and indicators)."""
    total = budget_cents if budget_cents is not None else value.budget_total_cents
    return {
        "id": value.id,
        "url": absolute("measures.detail", measure_id=value.id),
        "title": value.title,
        "description": value.description,
        "status": value.status.value,
        "progress": value.progress,
        "horizon": value.horizon.value,
        "start_year": value.start_year,
        "end_year": value.end_year,
        "subgoals": [index.subgoal_ref(sub.id) for sub in value.subgoals],
        "departments": [{"key": dep.key, "name": dict(dep.name)} for dep in value.departments],
        "budget_total": cents(total),
    }


def cents(value: int | None) -> dict[str, Any] | None:
    """Money as exact cents plus euros (a decimal string, no float rounding)."""
    if value is None:
        return None
    return {"cents": value, "euros": f"{value // 100}.{value % 100:02d}", "currency": "EUR"}


def measure_detail(value: Any, index: StrategyIndex, sources: list[Any]) -> dict[str, Any]:
    """A public measure with its lines, indicators, updates and the listed proposals it came from."""
    data = measure(value, index)
    data.update(
        {
            "source_proposals": [
                {"id": item.id, "title": item.title, "url": absolute("proposals.detail", proposal_id=item.id)}
                for item in sources
            ],
            "municipalities": [municipality(item) for item in value.municipalities],
            "lead_department": (
                {"key": value.lead_department.key, "name": dict(value.lead_department.name)}
                if value.lead_department
                else None
            ),
            "budget_lines": [
                {"year": line.year, "amount": cents(line.amount_cents), "funding_source": line.funding_source}
                for line in value.budget_lines
            ],
            "indicators": [
                {
                    "name": indicator.name,
                    "unit": indicator.unit,
                    "direction": indicator.direction.value,
                    "baseline": {"value": indicator.baseline_value, "year": indicator.baseline_year},
                    "target": {"value": indicator.target_value, "year": indicator.target_year},
                    "values": [{"year": item.year, "value": item.value} for item in indicator.values],
                }
                for indicator in value.indicators
            ],
            "updates": [{"date": iso(update.published_on), "body": update.body} for update in value.updates],
        }
    )
    return data
