"""Fixtures for measures: the demo strategy, a measure factory, users of every role."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from portal.extensions import db

#: The department the "own" staff works in, and another one.
OWN_DEPARTMENT = "demo-bauen-umwelt"
OTHER_DEPARTMENT = "demo-ordnung-verkehr"

ROLES = (
    "visitor",
    "unverified",
    "citizen",
    "municipality_rep",
    "staff_own",
    "staff_other",
    "moderator",
    "admin",
)


@pytest.fixture(autouse=True)
def _quick_password_hashing(monkeypatch):  # type: ignore[no-untyped-def]
    """Cheap argon2 parameters: these tests create many users and never check a password."""
    from argon2 import PasswordHasher

    from portal.accounts import passwords

    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


def text_of(response: Any) -> str:
    """The page's text without tags, whitespace collapsed."""
    html = response.get_data(as_text=True)
    text = re.sub(r"<[^>]+>", " ", html)
    text = text.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&").replace("&nbsp;", " ")
    return re.sub(r"\s+", " ", text.replace("\xa0", " "))


@pytest.fixture
def ids(app, demo) -> dict[str, dict[str, int]]:
    """Keys to ids: ``ids["subgoal"]["1.1"]``, ``ids["department"][key]``, ``ids["municipality"][key]``."""
    from portal.organisations.models import Department
    from portal.organisations.models import Municipality
    from portal.strategy.models import SubGoal

    with app.app_context():
        return {
            "subgoal": dict(db.session.execute(select(SubGoal.number, SubGoal.id)).all()),
            "department": dict(db.session.execute(select(Department.key, Department.id)).all()),
            "municipality": dict(db.session.execute(select(Municipality.key, Municipality.id)).all()),
        }


@pytest.fixture
def make_measure(app, ids):  # type: ignore[no-untyped-def]
    """Factory: a measure through the service; returns its id.

    ``make_measure(title=..., subgoals=["1.1"], departments=[key], municipalities=[key],
    budget=[(year, cents, source)], indicators=[(name, unit, direction, b, by, t, ty)],
    values=[(indicator_index, year, value)], status=..., progress=..., public=True, horizon=...)``
    """
    from portal.measures.models import Direction
    from portal.measures.models import MeasureHorizon
    from portal.measures.models import MeasureStatus
    from portal.measures.services import BudgetLineData
    from portal.measures.services import IndicatorData
    from portal.measures.services import MeasureData
    from portal.measures.services import create_measure
    from portal.measures.services import record_progress

    def factory(
        title: str = "Radweg Helmstedt–Schöningen",
        *,
        subgoals: tuple[str, ...] | list[str] = ("1.2",),
        departments: tuple[str, ...] | list[str] = (OWN_DEPARTMENT,),
        lead: str | None = None,
        municipalities: tuple[str, ...] | list[str] = (),
        budget: tuple[tuple[int, int, str], ...] | list[Any] = ((2026, 100_000_00, "Eigenmittel"),),
        indicators: tuple[Any, ...] | list[Any] = (),
        values: tuple[Any, ...] | list[Any] = (),
        status: str = "planned",
        progress: int = 0,
        public: bool = True,
        horizon: str = "medium",
        description: str = "Ein **Radweg** entlang der B 244.",
    ) -> int:
        with app.app_context():
            measure = create_measure(
                MeasureData(
                    title=title,
                    description=description,
                    horizon=MeasureHorizon(horizon),
                    subgoal_ids=[ids["subgoal"][number] for number in subgoals],
                    department_ids=[ids["department"][key] for key in departments],
                    lead_department_id=ids["department"][lead] if lead else None,
                    municipality_ids=[ids["municipality"][key] for key in municipalities],
                    start_year=2026,
                    end_year=2029,
                    status=MeasureStatus(status),
                    progress=progress,
                    is_public=public,
                    budget_lines=[BudgetLineData(year, cents, source) for year, cents, source in budget],
                    indicators=[
                        IndicatorData(n, u, Direction(d), b, by, t, ty)
                        for n, u, d, b, by, t, ty in indicators
                    ],
                ),
                actor=None,
            )
            if values:
                record_progress(
                    measure,
                    actor=None,
                    status=measure.status,
                    progress=measure.progress,
                    values=[(measure.indicators[index].id, year, value) for index, year, value in values],
                )
            db.session.commit()
            return measure.id

    return factory


@pytest.fixture
def users(create_user, demo) -> dict[str, int | None]:
    """One user id per role of the permission matrix (``visitor`` is None)."""
    return {
        "visitor": None,
        "unverified": create_user(verified=False),
        "citizen": create_user(),
        "municipality_rep": create_user("municipality_rep", municipality="helmstedt"),
        "staff_own": create_user("department_staff", department=OWN_DEPARTMENT),
        "staff_other": create_user("department_staff", department=OTHER_DEPARTMENT),
        "moderator": create_user("moderator"),
        "admin": create_user("admin"),
    }


@pytest.fixture
def moderator(create_user, demo) -> int:
    return create_user("moderator")


def measure_form(ids: dict[str, dict[str, int]], **overrides: Any) -> dict[str, Any]:
    """A complete, valid measure form as posted (override or add fields by name)."""
    data: dict[str, Any] = {
        "title": "Sanierung der Kreisstraße K 12",
        "description": "Deckschicht und Radweg.",
        "subgoals": [ids["subgoal"]["1.2"]],
        "departments": [ids["department"][OWN_DEPARTMENT]],
        "lead_department": "0",
        "horizon": "medium",
        "start_year": "2026",
        "end_year": "2028",
        "status": "planned",
        "progress": "0",
        "is_public": "y",
        "budget_lines-0-year": "2026",
        "budget_lines-0-amount": "250.000",
        "budget_lines-0-funding_source": "Eigenmittel",
        "budget_lines-1-year": "2031",
        "budget_lines-1-amount": "1.500,50",
        "budget_lines-1-funding_source": "GVFG",
        "indicators-0-indicator_id": "",
        "indicators-0-name": "Sanierte Straßenkilometer",
        "indicators-0-unit": "km",
        "indicators-0-direction": "higher",
        "indicators-0-baseline_value": "0",
        "indicators-0-baseline_year": "2025",
        "indicators-0-target_value": "12,5",
        "indicators-0-target_year": "2028",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
