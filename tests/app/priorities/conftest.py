"""Fixtures for the prioritisation: the demo strategy with the clock inside (or after) the phase."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.core import clock
from portal.extensions import db
from tests.conftest import TODAY
from tests.conftest import post_form

#: The demo's prioritisation phase runs from import day +90 to +119 (inclusive).
DURING = TODAY + timedelta(days=95)
AFTER = TODAY + timedelta(days=125)
LAST_DAY = TODAY + timedelta(days=119)


@pytest.fixture
def during(demo) -> None:
    """The demo imported on TODAY, the clock moved into its prioritisation phase."""
    clock.freeze(DURING)


@pytest.fixture
def after(demo) -> None:
    """The demo imported on TODAY, the clock moved past its prioritisation phase."""
    clock.freeze(AFTER)


@pytest.fixture
def subgoal_ids(app, demo) -> dict[str, int]:
    """``{"1.1": id, ...}`` of the demo strategy."""
    from portal.strategy.models import SubGoal

    with app.app_context():
        return {number: id_ for number, id_ in db.session.execute(select(SubGoal.number, SubGoal.id))}


def field(number: str) -> str:
    return "points_" + number.replace(".", "_")


def form_data(points: dict[str, object]) -> dict[str, object]:
    """Form fields for ``{"1.1": 3, ...}``."""
    return {field(number): value for number, value in points.items()}


def cast(client, points: dict[str, object], url: str = "/priorisierung"):  # type: ignore[no-untyped-def]
    """POST a ballot through the real form (CSRF on)."""
    return post_form(client, url, form_data(points))


@pytest.fixture
def seed_ballot(app):  # type: ignore[no-untyped-def]
    """Factory: store a citizen ballot ``{"1.1": 3, ...}`` for ``user_id`` directly (no phase check)."""
    from portal.priorities.models import BallotKind
    from portal.priorities.models import PriorityAllocation
    from portal.priorities.models import PriorityBallot
    from portal.strategy.models import SubGoal

    def factory(user_id: int | None, points: dict[str, int], municipality_id: int | None = None) -> int:
        with app.app_context():
            ids = dict(db.session.execute(select(SubGoal.number, SubGoal.id)).all())
            ballot = PriorityBallot(
                kind=BallotKind.MUNICIPAL if municipality_id else BallotKind.CITIZEN,
                user_id=None if municipality_id else user_id,
                municipality_id=municipality_id,
                allocations=[
                    PriorityAllocation(subgoal_id=ids[number], points=value)
                    for number, value in points.items()
                    if value
                ],
            )
            db.session.add(ballot)
            db.session.commit()
            return ballot.id

    return factory


def municipality_id(app, key: str) -> int:  # type: ignore[no-untyped-def]
    from portal.organisations.models import Municipality

    with app.app_context():
        return db.session.scalar(select(Municipality.id).where(Municipality.key == key))
