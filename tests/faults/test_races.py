"""Races on supports (a regression seen on other participation platforms: double endorsements).

100 parallel support requests by one person create one support; 50 people supporting at once
give exactly 50. On PostgreSQL only: SQLite in memory serialises everything and proves nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import func
from sqlalchemy import select

from config import TestingConfig
from portal import create_app
from portal.extensions import db
from tests import pg
from tests.conftest import csrf_token
from tests.conftest import login
from tests.faults.support import EMAIL
from tests.faults.support import prepare_database

pytestmark = pytest.mark.slow

PEOPLE = 50
REPEATS = 100


@pytest.fixture(scope="module")
def race_app(postgres: pg.Cluster) -> Iterator[Flask]:
    from portal.extensions import limiter

    url = postgres.create_database("portal_races")
    prepare_database(url, users=PEOPLE + 1)
    # Flask-Limiter keeps "enabled" on the one shared Limiter object: switching it off for this
    # app would switch it off for every other app of this test process. Restore it afterwards.
    was_enabled = limiter.enabled
    app = create_app(
        TestingConfig,
        overrides={
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_ENABLED": False,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "pool_size": 20, "max_overflow": 40},
        },
    )
    try:
        yield app
    finally:
        limiter.enabled = was_enabled
        with app.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()


def _proposal(app: Flask) -> int:
    from portal.accounts.models import User
    from portal.proposals import services
    from portal.proposals.models import CostClass
    from portal.proposals.models import Horizon
    from portal.strategy.models import SubGoal

    with app.test_request_context():
        author = db.session.scalar(select(User).where(User.email == EMAIL))
        subgoal = db.session.scalar(select(SubGoal).where(SubGoal.number == "1.1"))
        data = services.ProposalData(
            subgoal_id=subgoal.id, focus_area_id=None, title="Ein Vorschlag für den Wettlauf-Test",
            body="Eine Beschreibung, lang genug für das Formular und für den Test der Unterstützungen.",
            municipality_id=None, horizon=Horizon.SHORT, cost_class=CostClass.MEDIUM,
        )  # fmt: skip
        proposal = services.create_proposal(author, data)
        db.session.commit()
        return proposal.id


def _user_ids(app: Flask) -> list[int]:
    from portal.accounts.models import User

    with app.app_context():
        return list(db.session.scalars(select(User.id).where(User.email != EMAIL).order_by(User.id)))


def _at_once(app: Flask, proposal_id: int, user_ids: list[int]) -> list[int]:
    """One signed-in client per entry of ``user_ids``; all POST the support at the same moment."""
    clients = []
    for user_id in user_ids:
        client = app.test_client()
        login(client, user_id)
        clients.append((client, csrf_token(client, f"/vorschlaege/{proposal_id}")))
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []
    lock = threading.Lock()

    def run(client, token) -> None:  # type: ignore[no-untyped-def]
        barrier.wait()
        response = client.post(f"/vorschlaege/{proposal_id}/unterstuetzen", data={"csrf_token": token})
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=run, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def _counts(app: Flask, proposal_id: int) -> tuple[int, int]:
    from portal.proposals.models import Proposal
    from portal.proposals.models import Support

    with app.app_context():
        rows = db.session.scalar(select(func.count()).where(Support.proposal_id == proposal_id))
        counter = db.session.get(Proposal, proposal_id).supports_count
        return rows, counter


def test_one_person_supporting_100_times_at_once_counts_once(race_app: Flask) -> None:
    proposal_id = _proposal(race_app)
    person = _user_ids(race_app)[0]
    statuses = _at_once(race_app, proposal_id, [person] * REPEATS)
    assert len(statuses) == REPEATS
    assert set(statuses) <= {303}, sorted(set(statuses))
    assert _counts(race_app, proposal_id) == (1, 1)


def test_fifty_people_supporting_at_once_count_fifty(race_app: Flask) -> None:
    proposal_id = _proposal(race_app)
    statuses = _at_once(race_app, proposal_id, _user_ids(race_app)[:PEOPLE])
    assert statuses.count(303) == PEOPLE, sorted(set(statuses))
    assert _counts(race_app, proposal_id) == (PEOPLE, PEOPLE)
