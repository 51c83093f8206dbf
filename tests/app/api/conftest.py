"""Fixtures for the API tests: the demo strategy with participation data and measures."""

from __future__ import annotations

from typing import Any

import pytest

from tests.app.priorities.conftest import seed_ballot  # noqa: F401  (a fixture, used here too)
from tests.app.statistics.seeding import Seeder


@pytest.fixture
def seed(app, demo) -> Seeder:
    return Seeder(app)


@pytest.fixture
def make_measure(app, demo):  # type: ignore[no-untyped-def]
    """Factory: a measure with sub-goals, departments, budget lines and an indicator; returns its id."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.measures.models import BudgetLine
    from portal.measures.models import Indicator
    from portal.measures.models import IndicatorValue
    from portal.measures.models import Measure
    from portal.measures.models import MeasureHorizon
    from portal.organisations.models import Department
    from portal.organisations.models import Municipality
    from portal.strategy.models import SubGoal

    def factory(title: str = "Radweg Helmstedt–Schöningen", *, public: bool = True, **extra: Any) -> int:
        with app.app_context():
            measure = Measure(
                title=title,
                description=extra.pop("description", "Ein durchgehender Radweg."),
                description_html="<p>Ein durchgehender Radweg.</p>",
                horizon=MeasureHorizon.MEDIUM,
                start_year=2027,
                end_year=2029,
                progress=10,
                is_public=public,
                **extra,
            )
            measure.subgoals = list(
                db.session.scalars(select(SubGoal).where(SubGoal.number.in_(["1.4", "1.2"])))
            )
            measure.departments = list(
                db.session.scalars(select(Department).where(Department.key == "demo-ordnung-verkehr"))
            )
            measure.municipalities = list(
                db.session.scalars(
                    select(Municipality).where(Municipality.key.in_(["helmstedt", "schoeningen"]))
                )
            )
            measure.lead_department = measure.departments[0]
            measure.budget_lines = [
                BudgetLine(year=2027, amount_cents=12_345_67, funding_source="Haushalt"),
                BudgetLine(year=2028, amount_cents=50_000_00, funding_source="Förderung Land"),
            ]
            indicator = Indicator(
                name="Radweg-Kilometer",
                unit="km",
                baseline_value=0,
                baseline_year=2026,
                target_value=12.5,
                target_year=2029,
            )
            indicator.values = [IndicatorValue(year=2027, value=3.5)]
            measure.indicators = [indicator]
            db.session.add(measure)
            db.session.commit()
            return measure.id

    return factory
