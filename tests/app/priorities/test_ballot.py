"""The ballot: casting, changing, validation, phase rules, races, and who may vote."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func
from sqlalchemy import select

from portal.core.settings import set_setting
from portal.extensions import db
from portal.priorities.models import BallotKind
from portal.priorities.models import PriorityAllocation
from portal.priorities.models import PriorityBallot
from tests.app.priorities.conftest import cast
from tests.app.priorities.conftest import field
from tests.app.priorities.conftest import municipality_id
from tests.conftest import login
from tests.conftest import post_form

VALID = {"1.1": 3, "1.2": 2, "2.1": 3, "3.1": 2}


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    html = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def stored(app, user_id: int) -> dict[int, int] | None:  # type: ignore[no-untyped-def]
    with app.app_context():
        ballot = db.session.scalar(select(PriorityBallot).where(PriorityBallot.user_id == user_id))
        if ballot is None:
            return None
        rows = db.session.execute(
            select(PriorityAllocation.subgoal_id, PriorityAllocation.points).where(
                PriorityAllocation.ballot_id == ballot.id
            )
        )
        return dict(rows.all())


def ballot_count(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(func.count(PriorityBallot.id)))


def input_value(response, number: str) -> str:  # type: ignore[no-untyped-def]
    html = response.get_data(as_text=True)
    match = re.search(rf'<input[^>]*name="{field(number)}"[^>]*>', html)
    assert match, f"no field for {number}"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


# --- casting and changing ---------------------------------------------------------------------


def test_form_has_one_number_field_per_subgoal_grouped_by_goal(app, client, create_user, during):
    login(client, create_user())
    response = client.get("/priorisierung")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert len(re.findall(r'<input[^>]*type="number"', html)) == 13
    assert html.count('<fieldset class="kern-fieldset ballot__group">') == 3
    page = text_of(response)
    assert "Oberziel 1: Attraktiver Lebensraum" in page
    assert "1.1 attraktiven Wohnraum" in page
    assert "genau 10 Punkte" in page and "höchstens 3" in page
    # every field is labelled; the optional script comes from 'self', nothing inline
    assert f'<label class="kern-label" for="{field("1.1")}">' in html
    assert re.search(r'<script src="/static/js/priorities\.js\?v=\w+" defer></script>', html)
    assert "<script>" not in html and "style=" not in html
    assert "Verteilte Punkte: 0 von 10." in page


def test_citizen_casts_and_changes_the_ballot(app, client, create_user, during, subgoal_ids):
    user = create_user()
    login(client, user)
    response = cast(client, VALID)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/priorisierung")
    assert stored(app, user) == {subgoal_ids[number]: points for number, points in VALID.items()}
    page = client.get("/priorisierung")
    assert "Ihre Prioritäten wurden gespeichert" in text_of(page)
    assert input_value(page, "1.1") == "3"
    assert input_value(page, "1.3") == "0"
    assert "Sie haben bereits abgestimmt" in text_of(page)

    with app.app_context():
        first_id = db.session.scalar(select(PriorityBallot.id).where(PriorityBallot.user_id == user))
    changed = {"1.1": 1, "1.3": 3, "2.1": 3, "3.3": 3}
    assert cast(client, changed).status_code == 302
    assert stored(app, user) == {subgoal_ids[number]: points for number, points in changed.items()}
    with app.app_context():
        assert db.session.scalar(select(PriorityBallot.id).where(PriorityBallot.user_id == user)) == first_id
    assert ballot_count(app) == 1


@pytest.mark.parametrize(
    ("points", "message"),
    [
        (
            {"1.1": 3, "1.2": 3, "1.3": 3, "1.4": 3},
            "Sie haben 12 Punkte verteilt, aber nur 10 stehen zur Verfügung",
        ),
        ({"1.1": 3, "1.2": 2}, "Sie haben 5 von 10 Punkten verteilt. Bitte verteilen Sie die restlichen 5."),
        ({}, "Sie haben 0 von 10 Punkten verteilt."),
    ],
)
def test_wrong_total_is_explained_and_nothing_is_saved(app, client, create_user, during, points, message):
    user = create_user()
    login(client, user)
    response = cast(client, points)
    assert response.status_code == 200
    page = text_of(response)
    assert message in page
    assert "Bitte korrigieren Sie den folgenden Fehler" in page
    assert stored(app, user) is None
    for number, value in points.items():
        assert input_value(response, number) == str(value)


@pytest.mark.parametrize(
    ("value", "message", "kept"),
    [
        ("4", "Höchstens 3 Punkte pro Unterziel; Sie haben 4 eingegeben.", "4"),
        ("-1", "Punkte können nicht negativ sein.", "-1"),
        ("zwei", "Geben Sie eine ganze Zahl von Punkten ein, zum Beispiel 2.", "zwei"),
        ("1.5", "Geben Sie eine ganze Zahl von Punkten ein, zum Beispiel 2.", "1.5"),
    ],
)
def test_bad_value_is_explained_next_to_its_field_and_kept(
    app, client, create_user, during, value, message, kept
):
    user = create_user()
    login(client, user)
    response = cast(client, {"1.1": value, "1.2": 3, "2.1": 3, "3.1": 1})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    error = re.search(rf'<p class="kern-error" id="{field("1.1")}-error"[^>]*>(.*?)</p>', html, re.S)
    assert error and message in re.sub(r"\s+", " ", error.group(1)).replace("&#39;", "'")
    assert 'aria-invalid="true"' in html
    assert f'href="#{field("1.1")}"' in html  # the error summary links to the field
    assert input_value(response, "1.1") == kept
    assert input_value(response, "2.1") == "3"
    assert stored(app, user) is None


def test_settings_change_the_rules(app, client, create_user, during, subgoal_ids):
    with app.app_context():
        set_setting("priorities.points_per_ballot", 5)
        set_setting("priorities.max_per_subgoal", 5)
        db.session.commit()
    user = create_user()
    login(client, user)
    page = text_of(client.get("/priorisierung"))
    assert "genau 5 Punkte" in page and "höchstens 5" in page
    assert cast(client, {"1.1": 5}).status_code == 302
    assert stored(app, user) == {subgoal_ids["1.1"]: 5}


def test_post_without_csrf_token_is_rejected(app, client, create_user, during):
    user = create_user()
    login(client, user)
    response = client.post("/priorisierung", data={field("1.1"): 3})
    assert response.status_code == 400
    assert stored(app, user) is None


def test_english_form(app, client, create_user, during):
    login(client, create_user())
    page = text_of(client.get("/priorisierung?lang=en"))
    assert "Prioritise the sub-goals" in page
    assert "Distribute exactly 10 points" in page
    assert "Main goal 1: Attractive place to live" in page


# --- the phase --------------------------------------------------------------------------------


def test_before_the_phase_the_page_says_when_it_opens(app, client, create_user, demo):
    user = create_user()
    login(client, user)
    response = client.get("/priorisierung")
    assert response.status_code == 200
    page = text_of(response)
    assert "Die Priorisierung hat noch nicht begonnen" in page
    assert 'type="number"' not in response.get_data(as_text=True)
    refused = post_form(client, "/priorisierung", {field(n): v for n, v in VALID.items()}, form_url="/")
    assert refused.status_code == 409
    assert "nicht gespeichert" in text_of(refused)
    assert stored(app, user) is None


def test_on_the_last_day_the_ballot_can_still_be_changed(app, client, create_user, demo):
    from portal.core import clock
    from tests.app.priorities.conftest import LAST_DAY

    clock.freeze(LAST_DAY)
    user = create_user()
    login(client, user)
    assert cast(client, VALID).status_code == 302
    assert stored(app, user)


def test_after_the_phase_the_ballot_is_closed_and_shown(
    app, client, create_user, demo, seed_ballot, subgoal_ids
):
    from portal.core import clock
    from tests.app.priorities.conftest import AFTER

    user = create_user()
    seed_ballot(user, VALID)
    clock.freeze(AFTER)
    login(client, user)
    response = client.get("/priorisierung")
    page = text_of(response)
    assert "Die Priorisierung ist beendet" in page
    assert "Ihre Stimmabgabe" in page
    assert "1.1 attraktiven Wohnraum 3" in page
    assert 'type="number"' not in response.get_data(as_text=True)
    assert "/priorisierung/ergebnisse" in response.get_data(as_text=True)
    refused = post_form(client, "/priorisierung", {field("1.1"): 1}, form_url="/")
    assert refused.status_code == 409
    assert stored(app, user) == {subgoal_ids[number]: points for number, points in VALID.items()}


def test_service_refuses_when_closed(app, demo, create_user):
    from portal.accounts.models import User
    from portal.priorities import services

    user_id = create_user()
    with app.test_request_context():
        user = db.session.get(User, user_id)
        with pytest.raises(services.BallotClosed):
            services.cast_citizen_ballot(user, {1: 10}, {1})


def test_service_rejects_invalid_points_even_without_the_form(app, during, create_user, subgoal_ids):
    from portal.accounts.models import User
    from portal.priorities import services

    user_id = create_user()
    ids = set(subgoal_ids.values())
    with app.test_request_context():
        user = db.session.get(User, user_id)
        for points in ({subgoal_ids["1.1"]: 10}, {subgoal_ids["1.1"]: 3}, {-1: 3, subgoal_ids["1.1"]: 3}):
            with pytest.raises(services.InvalidBallot):
                services.cast_citizen_ballot(user, points, ids)


# --- races ------------------------------------------------------------------------------------


def test_a_concurrent_first_ballot_is_changed_not_duplicated(
    app, during, create_user, subgoal_ids, monkeypatch
):
    """Simulates the race: the lookup misses a ballot another request has just stored."""
    from portal.accounts.models import User
    from portal.priorities import services

    user_id = create_user()
    ids = set(subgoal_ids.values())
    with app.test_request_context():
        user = db.session.get(User, user_id)
        services.cast_citizen_ballot(
            user,
            {subgoal_ids["1.1"]: 3, subgoal_ids["1.2"]: 3, subgoal_ids["1.3"]: 3, subgoal_ids["1.4"]: 1},
            ids,
        )
        db.session.commit()

    monkeypatch.setattr(services, "_find", lambda statement: None)  # "not there yet"
    with app.test_request_context():
        user = db.session.get(User, user_id)
        ballot = services.cast_citizen_ballot(
            user,
            {subgoal_ids["2.1"]: 3, subgoal_ids["2.2"]: 3, subgoal_ids["2.3"]: 3, subgoal_ids["2.4"]: 1},
            ids,
        )
        db.session.commit()
        assert ballot.user_id == user_id
    assert ballot_count(app) == 1
    assert stored(app, user_id) == {
        subgoal_ids["2.1"]: 3,
        subgoal_ids["2.2"]: 3,
        subgoal_ids["2.3"]: 3,
        subgoal_ids["2.4"]: 1,
    }


def test_the_database_refuses_a_second_ballot(app, demo, create_user, seed_ballot):
    from sqlalchemy.exc import IntegrityError

    user = create_user()
    seed_ballot(user, VALID)
    with app.app_context():
        db.session.add(PriorityBallot(kind=BallotKind.CITIZEN, user_id=user))
        with pytest.raises(IntegrityError):
            db.session.flush()


# --- official municipal ballots ---------------------------------------------------------------


def test_representative_casts_the_official_ballot_of_their_municipality(
    app, client, create_user, during, subgoal_ids
):
    rep = create_user("municipality_rep", municipality="schoeningen")
    login(client, rep)
    page = client.get("/priorisierung")
    assert "/priorisierung/gemeinde/schoeningen" in page.get_data(as_text=True)
    assert "Offizielle Stimmabgabe: Stadt Schöningen" in text_of(page)

    response = cast(client, VALID, url="/priorisierung/gemeinde/schoeningen")
    assert response.status_code == 302
    with app.app_context():
        ballot = db.session.scalar(
            select(PriorityBallot).where(
                PriorityBallot.municipality_id == municipality_id(app, "schoeningen")
            )
        )
        assert ballot.kind is BallotKind.MUNICIPAL and ballot.user_id is None and ballot.cast_by_id == rep
        from portal.audit.models import AuditEvent

        assert (
            db.session.scalar(
                select(func.count(AuditEvent.id)).where(
                    AuditEvent.action == "priorities.municipal_ballot_cast"
                )
            )
            == 1
        )
    # the representative's own citizen ballot is separate
    assert stored(app, rep) is None
    assert cast(client, {"3.1": 3, "3.2": 3, "3.3": 3, "3.4": 1}).status_code == 302
    assert stored(app, rep) == {
        subgoal_ids["3.1"]: 3,
        subgoal_ids["3.2"]: 3,
        subgoal_ids["3.3"]: 3,
        subgoal_ids["3.4"]: 1,
    }

    # a second representative of the same municipality changes the same official ballot
    other = create_user("municipality_rep", municipality="schoeningen")
    login(client, other)
    assert (
        cast(
            client, {"2.1": 3, "2.2": 3, "2.3": 3, "2.4": 1}, url="/priorisierung/gemeinde/schoeningen"
        ).status_code
        == 302
    )
    with app.app_context():
        official = db.session.scalars(
            select(PriorityBallot).where(PriorityBallot.kind == BallotKind.MUNICIPAL)
        ).all()
        assert len(official) == 1 and official[0].cast_by_id == other


def test_official_ballot_is_validated_like_a_citizen_ballot(app, client, create_user, during):
    login(client, create_user("municipality_rep", municipality="helmstedt"))
    response = cast(client, {"1.1": 3}, url="/priorisierung/gemeinde/helmstedt")
    assert response.status_code == 200
    assert "Sie haben 3 von 10 Punkten verteilt" in text_of(response)


def test_unknown_municipality_is_404(client, create_user, during):
    login(client, create_user("municipality_rep", municipality="helmstedt"))
    assert client.get("/priorisierung/gemeinde/atlantis").status_code == 404


# --- permission matrix ------------------------------------------------------------------------

ROLES = [
    ("citizen", None, {}),
    ("municipality_rep", "municipality_rep", {"municipality": "schoeningen"}),
    ("department_staff", "department_staff", {"department": "demo-bauen-umwelt"}),
    ("moderator", "moderator", {}),
    ("admin", "admin", {}),
]


def test_visitor_is_sent_to_sign_in(client, during):
    for url in ("/priorisierung", "/priorisierung/gemeinde/schoeningen"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/anmelden" in response.headers["Location"]
    response = client.post("/priorisierung", data={field("1.1"): 3})
    assert response.status_code in (302, 400)  # CSRF or sign-in: never a stored ballot


def test_unverified_account_is_told_to_confirm_its_address(app, client, create_user, during):
    user = create_user(verified=False)
    login(client, user)
    response = client.get("/priorisierung")
    assert response.status_code == 403
    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in text_of(response)
    assert client.get("/priorisierung/gemeinde/schoeningen").status_code == 403
    unverified_rep = create_user("municipality_rep", verified=False, municipality="schoeningen")
    login(client, unverified_rep)
    assert client.get("/priorisierung/gemeinde/schoeningen").status_code == 403


@pytest.mark.parametrize(("label", "role", "extra"), ROLES)
def test_every_verified_role_casts_its_own_citizen_ballot(
    app, client, create_user, during, label, role, extra
):
    user = create_user(role, **extra)
    login(client, user)
    assert client.get("/priorisierung").status_code == 200
    assert cast(client, VALID).status_code == 302
    assert stored(app, user)


@pytest.mark.parametrize(("label", "role", "extra"), ROLES)
def test_only_representatives_cast_their_municipality_ballot(
    app, client, create_user, during, label, role, extra
):
    user = create_user(role, **extra)
    login(client, user)
    own = client.get("/priorisierung/gemeinde/schoeningen").status_code
    foreign = client.get("/priorisierung/gemeinde/helmstedt").status_code
    assert own == (200 if label == "municipality_rep" else 403)
    assert foreign == 403
    response = client.post("/priorisierung/gemeinde/helmstedt", data={field("1.1"): 3})
    assert response.status_code in (400, 403)


def test_permission_rules_as_a_matrix(app, create_user, demo):
    from portal.accounts.models import User
    from portal.core.permissions import can
    from portal.organisations.models import Municipality

    ids = {label: create_user(role, **extra) for label, role, extra in ROLES}
    ids["unverified"] = create_user(verified=False)
    with app.test_request_context():
        from flask_login import AnonymousUserMixin

        schoeningen = db.session.scalar(select(Municipality).where(Municipality.key == "schoeningen"))
        helmstedt = db.session.scalar(select(Municipality).where(Municipality.key == "helmstedt"))
        users = {label: db.session.get(User, user_id) for label, user_id in ids.items()}
        users["visitor"] = AnonymousUserMixin()
        expected_vote = {label: label not in ("visitor", "unverified") for label in users}
        for label, user in users.items():
            assert can("priorities.vote", user=user) is expected_vote[label], label
            assert can("priorities.vote_municipal", schoeningen, user=user) is (
                label == "municipality_rep"
            ), label
            assert can("priorities.vote_municipal", helmstedt, user=user) is False, label
            assert can("priorities.preview_results", user=user) is (label in ("moderator", "admin")), label


# --- bounded queries --------------------------------------------------------------------------


def test_ballot_page_query_count_does_not_grow_with_ballots(
    app, client, create_user, during, seed_ballot, count_queries
):
    user = create_user("municipality_rep", municipality="helmstedt")
    seed_ballot(user, VALID)
    login(client, user)
    client.get("/priorisierung")
    with count_queries() as few:
        assert client.get("/priorisierung").status_code == 200
    for _ in range(15):
        seed_ballot(create_user(), VALID)
    with count_queries() as many:
        assert client.get("/priorisierung").status_code == 200
    assert many.count == few.count
    assert few.count <= 14
