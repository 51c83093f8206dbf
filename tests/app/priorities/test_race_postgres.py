"""Two requests cast a person's first ballot at the same moment: one ballot results (PostgreSQL).

The requests run in two threads with their own connections and real commits (a second app on
the same database), so the data is created committed and removed again at the end.
"""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import select

from config import TestingConfig
from portal.core import clock
from tests.conftest import DATABASE
from tests.conftest import TODAY

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(DATABASE != "postgresql", reason="needs PostgreSQL (PORTAL_TEST_DATABASE=postgresql)"),
]


def test_concurrent_first_ballots_make_one_ballot(app, database_url, monkeypatch):
    from portal import create_app
    from portal.accounts.models import User
    from portal.extensions import db
    from portal.process.models import Phase
    from portal.process.models import PhaseKind
    from portal.strategy.models import Goal
    from portal.strategy.models import Strategy
    from portal.strategy.models import SubGoal

    other = create_app(TestingConfig, overrides={"SQLALCHEMY_DATABASE_URI": database_url})
    tag = uuid.uuid4().hex[:8]
    created: dict[str, int] = {}

    def cleanup() -> None:
        with other.app_context():
            db.session.rollback()
            if "user" in created:
                db.session.execute(delete(User).where(User.id == created["user"]))
            if "phase" in created:
                db.session.execute(delete(Phase).where(Phase.id == created["phase"]))
            if "strategy" in created:
                db.session.execute(delete(Strategy).where(Strategy.id == created["strategy"]))
            db.session.commit()
            for engine in db.engines.values():
                engine.dispose()

    try:
        with other.app_context():
            strategy = Strategy(
                slug=f"race-{tag}",
                region_name={"de": "R"},
                title={"de": "R"},
                horizon_year=2030,
                motto={"de": "R"},
            )
            goal = Goal(number=1, title={"de": "G"}, text={"de": "G"})
            goal.subgoals = [
                SubGoal(number=f"1.{n}", position=n, title={"de": f"S{n}"}, text={"de": "S"})
                for n in range(1, 5)
            ]
            strategy.goals = [goal]
            phase = Phase(
                key=f"race-{tag}",
                kind=PhaseKind.PRIORITISATION,
                title={"de": "P"},
                starts_on=TODAY - timedelta(days=1),
                ends_on=TODAY + timedelta(days=1),
            )
            user = User(email=f"race-{tag}@example.org", display_name="Race", email_verified_at=clock.now())
            db.session.add_all([strategy, phase, user])
            db.session.flush()
            created.update(user=user.id, phase=phase.id, strategy=strategy.id)
            subgoal_ids = [subgoal.id for subgoal in goal.subgoals]
            db.session.commit()
        user_id = created["user"]
        race(other, user_id, subgoal_ids, monkeypatch)
    finally:
        cleanup()


def race(other, user_id: int, subgoal_ids: list[int], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Both threads look up the person's ballot, find none, and insert one at the same time."""
    from portal.accounts.models import User
    from portal.extensions import db
    from portal.priorities import services
    from portal.priorities.models import PriorityAllocation
    from portal.priorities.models import PriorityBallot

    barrier = threading.Barrier(2, timeout=20)
    original = services._find

    def find_then_wait(statement):  # type: ignore[no-untyped-def]
        found = original(statement)
        barrier.wait()  # both requests have looked and found nothing
        return found

    monkeypatch.setattr(services, "_find", find_then_wait)
    ballots = {
        "first": {subgoal_ids[0]: 3, subgoal_ids[1]: 3, subgoal_ids[2]: 3, subgoal_ids[3]: 1},
        "second": {subgoal_ids[0]: 1, subgoal_ids[1]: 3, subgoal_ids[2]: 3, subgoal_ids[3]: 3},
    }
    errors: list[BaseException] = []

    def request(name: str) -> None:
        try:
            with other.test_request_context():
                person = db.session.get(User, user_id)
                services.cast_citizen_ballot(person, ballots[name], set(subgoal_ids))
                db.session.commit()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=request, args=(name,)) for name in ballots]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    with other.app_context():
        rows = db.session.scalars(select(PriorityBallot).where(PriorityBallot.user_id == user_id)).all()
        assert len(rows) == 1
        stored = dict(
            db.session.execute(
                select(PriorityAllocation.subgoal_id, PriorityAllocation.points).where(
                    PriorityAllocation.ballot_id == rows[0].id
                )
            ).all()
        )
        assert stored in (ballots["first"], ballots["second"])
        count = select(func.count(PriorityAllocation.id)).where(PriorityAllocation.ballot_id == rows[0].id)
        assert db.session.scalar(count) == 4
