"""Writes for measures: create, edit, record progress. Services flush, the view commits.

They take validated data (plain dataclasses), never forms or the request, so the CLI (demo
data), tests and later an API call them the same way. The rules a form checks are checked here
again where breaking them would corrupt data (a measure leaving "planned" without a department).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from typing import Any

from sqlalchemy import select

from portal.audit.services import record
from portal.core import clock
from portal.core.sanitize import clean_text
from portal.core.sanitize import render_markdown
from portal.extensions import db
from portal.measures.models import BudgetLine
from portal.measures.models import Direction
from portal.measures.models import Indicator
from portal.measures.models import IndicatorValue
from portal.measures.models import Measure
from portal.measures.models import MeasureHorizon
from portal.measures.models import MeasureStatus
from portal.measures.models import ProgressUpdate
from portal.organisations.models import Department
from portal.organisations.models import Municipality
from portal.strategy.models import SubGoal


class MeasureRuleError(ValueError):
    """The data breaks a rule of measures (the forms prevent it; services refuse it anyway)."""


@dataclass
class BudgetLineData:
    year: int
    amount_cents: int
    funding_source: str = ""


@dataclass
class IndicatorData:
    name: str
    unit: str
    direction: Direction
    baseline_value: float
    baseline_year: int
    target_value: float
    target_year: int
    #: The indicator this row edits; None for a new one.
    indicator_id: int | None = None


@dataclass
class MeasureData:
    title: str
    horizon: MeasureHorizon
    description: str = ""
    subgoal_ids: list[int] = field(default_factory=list)
    department_ids: list[int] = field(default_factory=list)
    lead_department_id: int | None = None
    municipality_ids: list[int] = field(default_factory=list)
    start_year: int | None = None
    end_year: int | None = None
    status: MeasureStatus = MeasureStatus.PLANNED
    progress: int = 0
    is_public: bool = True
    budget_lines: list[BudgetLineData] = field(default_factory=list)
    indicators: list[IndicatorData] = field(default_factory=list)
    #: Accepted proposals the measure came from (linked when it is created).
    proposal_ids: list[int] = field(default_factory=list)


def check_rules(data: MeasureData) -> None:
    """Raise MeasureRuleError where the data breaks a rule of measures."""
    if not data.title.strip():
        raise MeasureRuleError("a measure needs a title")
    if data.status is not MeasureStatus.PLANNED and not data.department_ids:
        raise MeasureRuleError("a measure leaves 'planned' only with a responsible department")
    if not 0 <= data.progress <= 100:
        raise MeasureRuleError("progress is a percentage")
    if data.start_year and data.end_year and data.end_year < data.start_year:
        raise MeasureRuleError("the end year is before the start year")
    if data.lead_department_id and data.lead_department_id not in data.department_ids:
        raise MeasureRuleError("the lead department is not a responsible department")
    for line in data.budget_lines:
        if line.amount_cents < 0:
            raise MeasureRuleError("a budget line's amount is negative")
    for indicator in data.indicators:
        if indicator.target_year <= indicator.baseline_year:
            raise MeasureRuleError("an indicator's target year is not after its baseline year")


def _by_ids(model: Any, ids: Iterable[int]) -> list[Any]:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    found = {obj.id: obj for obj in db.session.scalars(select(model).where(model.id.in_(wanted)))}
    return [found[i] for i in wanted if i in found]


def _apply(measure: Measure, data: MeasureData) -> None:
    measure.title = clean_text(data.title)[:200]
    measure.description = clean_text(data.description)
    measure.description_html = render_markdown(measure.description)
    measure.horizon = data.horizon
    measure.start_year = data.start_year
    measure.end_year = data.end_year
    measure.status = data.status
    measure.progress = data.progress
    measure.subgoals = _by_ids(SubGoal, data.subgoal_ids)
    measure.departments = _by_ids(Department, data.department_ids)
    measure.municipalities = _by_ids(Municipality, data.municipality_ids)
    lead_id = data.lead_department_id
    if lead_id is None and measure.departments:
        lead_id = min(measure.departments, key=lambda department: (department.position, department.id)).id
    measure.lead_department_id = lead_id
    measure.budget_lines = [
        BudgetLine(
            year=line.year, amount_cents=line.amount_cents, funding_source=clean_text(line.funding_source)
        )
        for line in sorted(data.budget_lines, key=lambda line: line.year)
    ]


def _apply_indicators(measure: Measure, rows: list[IndicatorData], *, new: bool) -> None:
    existing = {} if new else {indicator.id: indicator for indicator in measure.indicators}
    kept: list[Indicator] = []
    for position, row in enumerate(rows):
        indicator = existing.pop(row.indicator_id, None) if row.indicator_id else None
        if indicator is None:
            indicator = Indicator(values=[])
        indicator.position = position
        indicator.name = clean_text(row.name)[:200]
        indicator.unit = clean_text(row.unit)[:50]
        indicator.direction = row.direction
        indicator.baseline_value = row.baseline_value
        indicator.baseline_year = row.baseline_year
        indicator.target_value = row.target_value
        indicator.target_year = row.target_year
        kept.append(indicator)
    # Indicators whose row was emptied go, with their values (delete-orphan).
    measure.indicators = kept


def _accepted_proposals(ids: list[int]) -> list[Any]:
    if not ids:
        return []
    from portal.proposals.models import Proposal
    from portal.proposals.models import ProposalStatus

    proposals = _by_ids(Proposal, ids)
    if len(proposals) != len(set(ids)) or any(p.status is not ProposalStatus.ACCEPTED for p in proposals):
        raise MeasureRuleError("only accepted proposals become measures")
    return proposals


def _publish_effects(measure: Measure, *, actor: Any, was_public: bool) -> None:
    if measure.is_public and not was_public and measure.published_at is None:
        measure.published_at = clock.now()
        from portal.measures import notifications

        notifications.measure_published(measure, actor=actor)


def create_measure(data: MeasureData, *, actor: Any, is_public: bool | None = None) -> Measure:
    """A new measure with its budget lines and indicators."""
    check_rules(data)
    measure = Measure(
        created_by_id=getattr(actor, "id", None),
        is_public=data.is_public if is_public is None else is_public,
        subgoals=[],
        departments=[],
        municipalities=[],
        budget_lines=[],
        indicators=[],
        updates=[],
    )
    _apply(measure, data)
    _apply_indicators(measure, data.indicators, new=True)
    measure.proposals = _accepted_proposals(data.proposal_ids)
    db.session.add(measure)
    db.session.flush()
    _publish_effects(measure, actor=actor, was_public=False)
    record(
        "measures.created",
        actor=actor,
        obj=measure,
        title=measure.title,
        status=measure.status.value,
        public=measure.is_public,
        budget_cents=measure.budget_total_cents,
        proposals=[proposal.id for proposal in measure.proposals] or None,
    )
    db.session.flush()
    return measure


def update_measure(measure: Measure, data: MeasureData, *, actor: Any) -> None:
    """Change a measure (the relationships it edits must be loaded)."""
    check_rules(data)
    before = {
        "title": measure.title,
        "status": measure.status.value,
        "progress": measure.progress,
        "public": measure.is_public,
        "budget_cents": measure.budget_total_cents,
    }
    was_public = measure.is_public
    _apply(measure, data)
    _apply_indicators(measure, data.indicators, new=False)
    measure.is_public = data.is_public
    db.session.flush()
    _publish_effects(measure, actor=actor, was_public=was_public)
    after = {
        "title": measure.title,
        "status": measure.status.value,
        "progress": measure.progress,
        "public": measure.is_public,
        "budget_cents": measure.budget_total_cents,
    }
    changed = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    record("measures.updated", actor=actor, obj=measure, changed=changed or None)


def record_progress(
    measure: Measure,
    *,
    actor: Any,
    status: MeasureStatus,
    progress: int,
    values: list[tuple[int, int, float]],
    update_text: str = "",
    update_date: date | None = None,
) -> ProgressUpdate | None:
    """Status, progress and the measured values ``[(indicator_id, year, value)]`` of a measure.

    The values given replace the measure's recorded values (a value left out is removed); an
    update text, if any, is published as a progress update.
    """
    if status is not MeasureStatus.PLANNED and not measure.departments:
        raise MeasureRuleError("a measure leaves 'planned' only with a responsible department")
    if not 0 <= progress <= 100:
        raise MeasureRuleError("progress is a percentage")
    indicators = {indicator.id: indicator for indicator in measure.indicators}
    wanted: dict[tuple[int, int], float] = {}
    for indicator_id, year, value in values:
        if indicator_id not in indicators:
            raise MeasureRuleError("the indicator belongs to another measure")
        wanted[(indicator_id, year)] = value
    changes = 0
    for indicator in indicators.values():
        kept = []
        for stored in indicator.values:
            key = (indicator.id, stored.year)
            if key in wanted:
                new_value = wanted.pop(key)
                if stored.value != new_value:
                    stored.value = new_value
                    stored.recorded_by_id = getattr(actor, "id", None)
                    changes += 1
                kept.append(stored)
            else:
                changes += 1
        for (indicator_id, year), value in sorted(wanted.items()):
            if indicator_id == indicator.id:
                kept.append(IndicatorValue(year=year, value=value, recorded_by_id=getattr(actor, "id", None)))
                changes += 1
        indicator.values = sorted(kept, key=lambda stored: stored.year)
    before = (measure.status.value, measure.progress)
    measure.status = status
    measure.progress = progress
    update = None
    text = clean_text(update_text)
    if text:
        update = ProgressUpdate(
            published_on=update_date or clock.today(),
            body=text,
            body_html=render_markdown(text),
            author_id=getattr(actor, "id", None),
        )
        measure.updates.append(update)
    db.session.flush()
    record(
        "measures.progress_recorded",
        actor=actor,
        obj=measure,
        status=[before[0], status.value] if before[0] != status.value else None,
        progress=[before[1], progress] if before[1] != progress else None,
        values_changed=changes or None,
        update_id=update.id if update else None,
    )
    return update
