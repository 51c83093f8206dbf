"""Reads for the measures pages, each with a fixed number of queries whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import Any

from sqlalchemy import Select
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.measures.models import BudgetLine
from portal.measures.models import Indicator
from portal.measures.models import Measure
from portal.measures.models import MeasureHorizon
from portal.measures.models import MeasureStatus
from portal.measures.models import ProgressUpdate
from portal.measures.models import measure_departments
from portal.measures.models import measure_municipalities
from portal.measures.models import measure_subgoals
from portal.organisations.models import Department
from portal.organisations.models import Municipality
from portal.strategy.models import Strategy

PER_PAGE = 20


@dataclass
class Filters:
    """What the measures list is narrowed to; keys as they appear in URLs."""

    goal: int | None = None
    subgoal: str | None = None
    department: str | None = None
    municipality: str | None = None
    status: MeasureStatus | None = None
    horizon: MeasureHorizon | None = None

    @classmethod
    def from_args(cls, values: dict[str, str]) -> Filters:
        """From already validated filter values (see forms.FilterForm.cleaned)."""
        return cls(
            goal=int(values["goal"]) if values.get("goal") else None,
            subgoal=values.get("subgoal") or None,
            department=values.get("department") or None,
            municipality=values.get("municipality") or None,
            status=MeasureStatus(values["status"]) if values.get("status") else None,
            horizon=MeasureHorizon(values["horizon"]) if values.get("horizon") else None,
        )

    @property
    def active(self) -> bool:
        return any(value is not None for value in vars(self).values())


@dataclass
class Page:
    items: list[Measure]
    total: int
    page: int
    per_page: int
    budget_cents: dict[int, int] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def list_departments() -> list[Department]:
    """All departments in their order."""
    return list(db.session.scalars(select(Department).order_by(Department.position, Department.id)))


def list_municipalities() -> list[Municipality]:
    """All municipalities in their order."""
    return list(db.session.scalars(select(Municipality).order_by(Municipality.position, Municipality.id)))


def _subgoal_ids(strategy: Strategy | None, filters: Filters) -> list[int] | None:
    if strategy is None or (filters.goal is None and filters.subgoal is None):
        return None
    ids = []
    for goal in strategy.goals:
        if filters.goal is not None and goal.number != filters.goal:
            continue
        for subgoal in goal.subgoals:
            if filters.subgoal is None or subgoal.number == filters.subgoal:
                ids.append(subgoal.id)
    return ids


def _filtered(stmt: Select[Any], filters: Filters, strategy: Strategy | None) -> Select[Any]:
    subgoal_ids = _subgoal_ids(strategy, filters)
    if subgoal_ids is not None:
        stmt = stmt.where(
            Measure.id.in_(
                select(measure_subgoals.c.measure_id).where(measure_subgoals.c.subgoal_id.in_(subgoal_ids))
            )
        )
    if filters.department:
        stmt = stmt.where(
            Measure.id.in_(
                select(measure_departments.c.measure_id)
                .join(Department, Department.id == measure_departments.c.department_id)
                .where(Department.key == filters.department)
            )
        )
    if filters.municipality:
        stmt = stmt.where(
            Measure.id.in_(
                select(measure_municipalities.c.measure_id)
                .join(Municipality, Municipality.id == measure_municipalities.c.municipality_id)
                .where(Municipality.key == filters.municipality)
            )
        )
    if filters.status is not None:
        stmt = stmt.where(Measure.status == filters.status)
    if filters.horizon is not None:
        stmt = stmt.where(Measure.horizon == filters.horizon)
    return stmt


def budget_totals(measure_ids: list[int]) -> dict[int, int]:
    """``{measure_id: cents}`` for these measures, in one query."""
    if not measure_ids:
        return {}
    rows = db.session.execute(
        select(BudgetLine.measure_id, func.sum(BudgetLine.amount_cents))
        .where(BudgetLine.measure_id.in_(measure_ids))
        .group_by(BudgetLine.measure_id)
    )
    return {measure_id: int(total or 0) for measure_id, total in rows}


def list_measures(
    filters: Filters,
    strategy: Strategy | None,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
    public_only: bool = True,
    department_ids: frozenset[int] | None = None,
) -> Page:
    """One page of measures (newest first within status order) with goals, departments and budget.

    ``department_ids`` limits the list to measures of these departments (the staff's back office).
    """
    stmt = select(Measure)
    if public_only:
        stmt = stmt.where(Measure.is_public.is_(True))
    if department_ids is not None:
        stmt = stmt.where(
            Measure.id.in_(
                select(measure_departments.c.measure_id).where(
                    measure_departments.c.department_id.in_(list(department_ids))
                )
            )
        )
    stmt = _filtered(stmt, filters, strategy)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    page = max(1, page)
    items = list(
        db.session.scalars(
            stmt.order_by(Measure.title, Measure.id)
            .offset((page - 1) * per_page)
            .limit(per_page)
            .options(selectinload(Measure.subgoals), selectinload(Measure.departments))
        )
    )
    return Page(
        items=items,
        total=total,
        page=page,
        per_page=per_page,
        budget_cents=budget_totals([measure.id for measure in items]),
    )


def get_measure(measure_id: int) -> Measure | None:
    """A measure with everything its page shows."""
    return db.session.scalar(
        select(Measure)
        .where(Measure.id == measure_id)
        .options(
            selectinload(Measure.subgoals),
            selectinload(Measure.departments),
            selectinload(Measure.municipalities),
            joinedload(Measure.lead_department),
            selectinload(Measure.budget_lines),
            selectinload(Measure.indicators).selectinload(Indicator.values),
            selectinload(Measure.updates).joinedload(ProgressUpdate.author),
            selectinload(Measure.proposals),
        )
    )


@dataclass
class OverviewRow:
    """Figures for one Oberziel or Unterziel."""

    count: int = 0
    progress_sum: int = 0
    budget_cents: int = 0
    by_status: dict[MeasureStatus, int] = field(default_factory=dict)

    @property
    def average_progress(self) -> int | None:
        return round(self.progress_sum / self.count) if self.count else None

    def add(self, status: MeasureStatus, progress: int, budget: int) -> None:
        self.count += 1
        self.progress_sum += progress
        self.budget_cents += budget
        self.by_status[status] = self.by_status.get(status, 0) + 1


@dataclass
class Overview:
    goals: dict[int, OverviewRow]
    subgoals: dict[int, OverviewRow]
    total: OverviewRow


def overview(strategy: Strategy | None) -> Overview:
    """How many public measures each Oberziel and Unterziel has, how far they are, their budget.

    Dropped measures are left out. A measure under two Unterziele of one Oberziel counts once
    for the Oberziel, and once for the whole.
    """
    measures = {
        measure_id: (status, progress)
        for measure_id, status, progress in db.session.execute(
            select(Measure.id, Measure.status, Measure.progress).where(
                Measure.is_public.is_(True), Measure.status != MeasureStatus.DROPPED
            )
        )
    }
    links = db.session.execute(
        select(measure_subgoals.c.measure_id, measure_subgoals.c.subgoal_id).where(
            measure_subgoals.c.measure_id.in_(
                select(Measure.id).where(Measure.is_public.is_(True), Measure.status != MeasureStatus.DROPPED)
            )
        )
    ).all()
    budgets = dict(
        db.session.execute(
            select(BudgetLine.measure_id, func.sum(BudgetLine.amount_cents))
            .join(Measure, Measure.id == BudgetLine.measure_id)
            .where(Measure.is_public.is_(True), Measure.status != MeasureStatus.DROPPED)
            .group_by(BudgetLine.measure_id)
        ).all()
    )
    goal_of_subgoal = {}
    if strategy is not None:
        for goal in strategy.goals:
            for subgoal in goal.subgoals:
                goal_of_subgoal[subgoal.id] = goal.number
    subgoal_rows: dict[int, OverviewRow] = {}
    goal_rows: dict[int, OverviewRow] = {}
    seen_in_goal: set[tuple[int, int]] = set()
    for measure_id, subgoal_id in links:
        status, progress = measures[measure_id]
        budget = int(budgets.get(measure_id) or 0)
        subgoal_rows.setdefault(subgoal_id, OverviewRow()).add(status, progress, budget)
        goal_number = goal_of_subgoal.get(subgoal_id)
        if goal_number is not None and (goal_number, measure_id) not in seen_in_goal:
            seen_in_goal.add((goal_number, measure_id))
            goal_rows.setdefault(goal_number, OverviewRow()).add(status, progress, budget)
    total = OverviewRow()
    for measure_id, (status, progress) in measures.items():
        total.add(status, progress, int(budgets.get(measure_id) or 0))
    return Overview(goals=goal_rows, subgoals=subgoal_rows, total=total)


def measures_for_export(*, public_only: bool) -> list[Measure]:
    """Every measure with what the exports need (5 queries)."""
    stmt = select(Measure).order_by(Measure.id)
    if public_only:
        stmt = stmt.where(Measure.is_public.is_(True))
    return list(
        db.session.scalars(
            stmt.options(
                selectinload(Measure.subgoals),
                selectinload(Measure.departments),
                selectinload(Measure.municipalities),
                joinedload(Measure.lead_department),
                selectinload(Measure.budget_lines),
            )
        )
    )
