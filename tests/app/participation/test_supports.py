"""Supports: one per verified person, withdrawable while the phase runs, the residence rule as a
setting, rate limits, and races (a double click or parallel requests never make a second support)."""

from __future__ import annotations

import os
import threading

import pytest
from sqlalchemy import func
from sqlalchemy import select

from portal.core import clock
from portal.core.settings import set_setting
from portal.extensions import db
from portal.proposals import services
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus
from portal.proposals.models import Support
from tests.app.participation.conftest import ROLES
from tests.app.participation.conftest import municipality_id
from tests.app.participation.conftest import text_of
from tests.conftest import login
from tests.conftest import post_form


def supports(app, proposal_id: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(rows in the table, the proposal's counter)."""
    with app.app_context():
        rows = db.session.scalar(
            select(func.count()).select_from(Support).where(Support.proposal_id == proposal_id)
        )
        return rows, db.session.get(Proposal, proposal_id).supports_count


def support(client, proposal_id: int, action: str = "unterstuetzen", token_from: str | None = None):  # type: ignore[no-untyped-def]
    """POST the support button; the CSRF token comes from the proposal page (or ``token_from``)."""
    form_url = token_from or f"/vorschlaege/{proposal_id}"
    return post_form(client, f"/vorschlaege/{proposal_id}/{action}", {}, form_url=form_url)


def test_support_and_withdraw(app, client, people, make_proposal):
    proposal_id = make_proposal(people["author"])
    login(client, people["citizen"])
    page = text_of(client.get(f"/vorschlaege/{proposal_id}"))
    assert "0 Unterstützungen" in page and "Diesen Vorschlag unterstützen" in page
    response = support(client, proposal_id)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/vorschlaege/{proposal_id}#unterstuetzen")
    assert supports(app, proposal_id) == (1, 1)
    page = text_of(client.get(f"/vorschlaege/{proposal_id}"))
    assert "1 Unterstützung" in page and "Sie unterstützen diesen Vorschlag." in page
    assert "Meine Unterstützung zurücknehmen" in page
    support(client, proposal_id, "unterstuetzung-zuruecknehmen")
    assert supports(app, proposal_id) == (0, 0)
    support(client, proposal_id, "unterstuetzung-zuruecknehmen")  # nothing to withdraw: no harm
    assert supports(app, proposal_id) == (0, 0)


def test_a_second_click_changes_nothing(app, client, people, make_proposal):
    proposal_id = make_proposal(people["author"])
    login(client, people["citizen"])
    first, second = support(client, proposal_id), support(client, proposal_id)
    assert first.status_code == second.status_code == 303
    assert supports(app, proposal_id) == (1, 1)


def test_a_lost_race_gives_the_same_result(app, client, people, make_proposal, monkeypatch):
    """The check before inserting missed a parallel insert: the constraint catches it, the user sees
    the same page, the counter stays right."""
    proposal_id = make_proposal(people["author"])
    login(client, people["citizen"])
    support(client, proposal_id)
    monkeypatch.setattr(services, "_exists", lambda *args: False)
    response = support(client, proposal_id)
    assert response.status_code == 303
    assert "Vielen Dank für Ihre Unterstützung." in text_of(client.get(response.headers["Location"]))
    assert supports(app, proposal_id) == (1, 1)


SUPPORTERS = {"citizen", "author", "municipality_rep", "department_staff", "moderator", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_support_permission_matrix(app, client, people, make_proposal, role):
    proposal_id = make_proposal(people["author"])
    if people[role]:
        login(client, people[role])
    response = support(
        client, proposal_id, token_from="/anmelden" if role == "visitor" else "/benachrichtigungen"
    )
    if role == "visitor":
        assert response.status_code == 302 and "/anmelden" in response.headers["Location"]
        page = text_of(client.get(f"/vorschlaege/{proposal_id}"))
        assert "Melden Sie sich an, um diesen Vorschlag zu unterstützen." in page
    elif role in SUPPORTERS:
        assert response.status_code == 303
        assert supports(app, proposal_id) == (1, 1)
    else:
        assert response.status_code == 303
        page = text_of(client.get(response.headers["Location"]))
        assert "Bestätigen Sie Ihre E-Mail-Adresse, um Vorschläge zu unterstützen." in page
        assert "Diesen Vorschlag unterstützen" not in page.replace(
            "Bestätigen Sie Ihre E-Mail-Adresse, um Vorschläge zu unterstützen.", ""
        )
    if role != "visitor" and role not in SUPPORTERS:
        assert supports(app, proposal_id) == (0, 0)


def test_the_residence_rule_is_a_setting(app, client, people, make_proposal):
    proposal_id = make_proposal(people["author"])
    with app.app_context():
        set_setting("supports.require_residence", True)
        db.session.commit()
    login(client, people["citizen"])
    page = text_of(client.get(f"/vorschlaege/{proposal_id}"))
    assert "Nur Einwohnerinnen und Einwohner des Landkreises können Vorschläge unterstützen" in page
    support(client, proposal_id)
    assert supports(app, proposal_id) == (0, 0)
    with app.app_context():
        from portal.accounts.models import User

        db.session.get(User, people["citizen"]).municipality_id = municipality_id("velpke")
        db.session.commit()
    support(client, proposal_id)
    assert supports(app, proposal_id) == (1, 1)


def test_no_supports_after_the_phase(app, client, people, make_proposal):
    proposal_id = make_proposal(people["author"])
    login(client, people["citizen"])
    support(client, proposal_id)
    clock.freeze(clock.today().replace(year=2027, month=1, day=24))
    client = client.application.test_client()  # two months later: a fresh session
    login(client, people["citizen"])
    page = text_of(client.get(f"/vorschlaege/{proposal_id}"))
    assert "Vorschläge konnten bis 23. Januar 2027 unterstützt werden." in page
    assert "Meine Unterstützung zurücknehmen" not in page
    response = support(client, proposal_id, "unterstuetzung-zuruecknehmen", token_from="/benachrichtigungen")
    assert "Vorschläge konnten bis 23. Januar 2027 unterstützt werden." in text_of(
        client.get(response.headers["Location"])
    )
    assert supports(app, proposal_id) == (1, 1)


@pytest.mark.parametrize(
    "status", [ProposalStatus.ACCEPTED, ProposalStatus.REJECTED, ProposalStatus.WITHDRAWN]
)
def test_no_supports_for_decided_proposals(app, client, people, make_proposal, status):
    proposal_id = make_proposal(people["author"], status=status)
    login(client, people["citizen"])
    assert "Dieser Vorschlag sammelt keine Unterstützung mehr." in text_of(
        client.get(f"/vorschlaege/{proposal_id}")
    )
    support(client, proposal_id)
    assert supports(app, proposal_id) == (0, 0)


def test_no_supports_for_what_one_cannot_see(app, client, people, make_proposal):
    proposal_id = make_proposal(people["author"], published=False)
    login(client, people["citizen"])
    assert support(client, proposal_id).status_code == 404


def test_posts_need_the_csrf_token(client, people, make_proposal):
    proposal_id = make_proposal(people["author"])
    login(client, people["citizen"])
    assert client.post(f"/vorschlaege/{proposal_id}/unterstuetzen").status_code == 400


def test_supporting_is_rate_limited(app, client, people, make_proposal, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_SUPPORTS", "3 per minute")
    proposal_id = make_proposal(people["author"])
    login(client, people["citizen"])
    codes = [
        support(client, proposal_id, action).status_code
        for action in ("unterstuetzen", "unterstuetzung-zuruecknehmen", "unterstuetzen", "unterstuetzen")
    ]
    assert codes[:3] == [303, 303, 303]
    assert codes[3] == 429
    assert supports(app, proposal_id) == (1, 1)


# --- races against PostgreSQL ------------------------------------------------------------------


@pytest.fixture
def race_app(app, database_url):
    """A second app on the same PostgreSQL database with its own connection pool, so threads really
    run in parallel and commit; everything it wrote is removed afterwards."""
    if os.environ.get("PORTAL_TEST_DATABASE") != "postgresql":
        pytest.skip("race tests need PostgreSQL (PORTAL_TEST_DATABASE=postgresql)")
    from config import TestingConfig
    from portal import create_app

    racing = create_app(TestingConfig, overrides={"SQLALCHEMY_DATABASE_URI": database_url})
    yield racing
    with racing.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.engine.dispose()


def _race(race_app, proposal_id: int, user_ids: list[int]) -> list[object]:
    from portal.accounts.models import User

    barrier = threading.Barrier(len(user_ids))
    results: list[object] = [None] * len(user_ids)

    def run(index: int, user_id: int) -> None:
        with race_app.app_context():
            proposal = db.session.get(Proposal, proposal_id)
            supporter = db.session.get(User, user_id)
            barrier.wait()
            try:
                results[index] = services.support(proposal, supporter)
                db.session.commit()
            except Exception as error:
                db.session.rollback()
                results[index] = error

    threads = [threading.Thread(target=run, args=(i, uid)) for i, uid in enumerate(user_ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.mark.postgres_only
def test_parallel_supports_by_one_person_make_one_support(race_app):
    from portal.accounts.models import User
    from portal.strategy.importer import import_strategy_file
    from tests.conftest import DEMO_STRATEGY

    with race_app.test_request_context():
        import_strategy_file(DEMO_STRATEGY)
        people = [
            User(email=f"race{n}@example.org", display_name=f"R {n}", email_verified_at=clock.now())
            for n in range(6)
        ]
        db.session.add_all(people)
        db.session.flush()
        from tests.app.participation.conftest import subgoal_id

        data = services.ProposalData(
            subgoal_id=subgoal_id("1.2"),
            focus_area_id=None,
            title="Bürgerbus im Nord-Elm",
            body="Ein Bürgerbus für die Dörfer im Nord-Elm, zweimal täglich.",
            municipality_id=None,
            horizon=services.Horizon.SHORT,
            cost_class=services.CostClass.SMALL,
        )
        proposal = services.create_proposal(people[0], data)
        db.session.commit()
        proposal_id, ids = proposal.id, [person.id for person in people]

    one_person = _race(race_app, proposal_id, [ids[1]] * 8)
    assert [r for r in one_person if isinstance(r, Exception)] == []
    assert sorted(one_person, key=bool) == [False] * 7 + [True]
    many_people = _race(race_app, proposal_id, ids[2:])
    assert many_people == [True] * 4
    with race_app.app_context():
        rows = db.session.scalar(
            select(func.count()).select_from(Support).where(Support.proposal_id == proposal_id)
        )
        assert rows == 5
        assert db.session.get(Proposal, proposal_id).supports_count == 5
