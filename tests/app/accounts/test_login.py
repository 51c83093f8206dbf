"""Signing in and out: errors, enumeration, remember-me, session rotation, timeouts, limits."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.core import clock
from portal.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.conftest import TODAY
from tests.conftest import login
from tests.conftest import post_form


def _sign_in(client, email, password=TEST_PASSWORD, **extra):  # type: ignore[no-untyped-def]
    return post_form(client, "/anmelden", {"email": email, "password": password, **extra})


def _without_token(html: str) -> str:
    return re.sub(r'name="csrf_token"[^>]*value="[^"]+"', "", html)


def _events(app, action):  # type: ignore[no-untyped-def]
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "", "password": "x"}, "email", "Bitte geben Sie Ihre E-Mail-Adresse ein."),
        ({"email": "a@example.org", "password": ""}, "password", "Bitte geben Sie Ihr Passwort ein."),
    ],
)
def test_sign_in_fields_explain_missing_input(client, data, field, message):
    html = post_form(client, "/anmelden", data).get_data(as_text=True)
    assert message in html
    assert f'id="{field}-error"' in html


def test_wrong_password_and_unknown_address_answer_the_same(client, create_user):
    create_user(email="known@example.org")
    known = _sign_in(client, "known@example.org", "wrong password here")
    unknown = _sign_in(client, "unknown@example.org", "wrong password here")
    assert known.status_code == unknown.status_code == 200
    known_html = _without_token(known.get_data(as_text=True)).replace("known@example.org", "X")
    unknown_html = _without_token(unknown.get_data(as_text=True)).replace("unknown@example.org", "X")
    assert known_html == unknown_html
    assert "Die E-Mail-Adresse oder das Passwort ist nicht richtig." in known_html


def test_address_is_case_insensitive_and_next_is_followed(client, create_user):
    create_user(email="case@example.org")
    post_form(client, "/anmelden", {}, form_url="/anmelden?next=/ablauf")
    response = _sign_in(client, "  CASE@Example.org ", next="/ablauf")
    assert response.status_code == 302
    assert response.headers["Location"] == "/ablauf"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_next_never_leads_to_another_site(client, create_user, target):
    create_user(email="next@example.org")
    response = _sign_in(client, "next@example.org", next=target)
    assert response.headers["Location"] == "/konto"


def test_session_is_rotated_at_sign_in_and_keeps_the_language(client, create_user):
    create_user(email="fix@example.org")
    client.get("/?lang=en")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    before = client.get_cookie("session").value
    _sign_in(client, "fix@example.org")
    after = client.get_cookie("session").value
    assert before != after
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["lang"] == "en"
        assert ":" in session["_user_id"]


def test_remember_me_for_citizens(client, create_user):
    create_user(email="citizen@example.org")
    _sign_in(client, "citizen@example.org", remember="y")
    assert client.get_cookie("remember_token") is not None
    with client.session_transaction() as session:
        assert session.permanent


@pytest.mark.parametrize("role", ["department_staff", "moderator", "admin"])
def test_remember_me_is_refused_for_staff(client, create_user, demo, role):
    department = "demo-bauen-umwelt" if role == "department_staff" else None
    create_user(role, email="staff@example.org", department=department)
    response = _sign_in(client, "staff@example.org", remember="y")
    assert response.status_code == 302
    assert client.get_cookie("remember_token") is None
    with client.session_transaction() as session:
        assert not session.permanent
    assert "nicht dauerhaft angemeldet" in client.get("/konto").get_data(as_text=True)


def test_municipality_representatives_may_stay_signed_in(client, create_user, demo):
    # Representatives are not staff in the sense of DESIGN.md: they may stay signed in.
    create_user("municipality_rep", email="rep@example.org", municipality="schoeningen")
    _sign_in(client, "rep@example.org", remember="y")
    assert client.get_cookie("remember_token") is not None


def test_sign_out_is_post_only_and_ends_the_session_everywhere(app, client, create_user):
    user_id = create_user(email="out@example.org")
    _sign_in(client, "out@example.org", remember="y")
    other_device = app.test_client()
    login(other_device, user_id)
    assert other_device.get("/konto").status_code == 200
    stolen_cookie = client.get_cookie("session").value

    assert client.get("/abmelden").status_code == 405
    response = post_form(client, "/abmelden", {}, form_url="/konto")
    assert response.status_code == 302
    assert client.get("/konto").status_code == 302
    assert client.get_cookie("remember_token") is None
    # Every other copy of the session is over as well.
    assert other_device.get("/konto").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", stolen_cookie)
    assert replay.get("/konto").status_code == 302


def test_remember_cookie_stops_working_after_sign_out_elsewhere(app, client, create_user):
    user_id = create_user(email="rem@example.org")
    _sign_in(client, "rem@example.org", remember="y")
    remember = client.get_cookie("remember_token").value
    with app.app_context():
        db.session.get(User, user_id).session_version += 1
        db.session.commit()
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember)
    assert fresh.get("/konto").status_code == 302


def test_citizens_stay_signed_in_for_days_staff_for_thirty_minutes(client, create_user, demo):
    create_user(email="idle@example.org")
    _sign_in(client, "idle@example.org")
    clock.freeze(clock.now() + timedelta(days=13))
    assert client.get("/konto").status_code == 200
    clock.freeze(clock.now() + timedelta(days=15))
    response = client.get("/konto")
    assert response.status_code == 302
    clock.freeze(TODAY)

    staff = create_user("moderator", email="mod@example.org")
    assert staff
    _sign_in(client, "mod@example.org")
    clock.freeze(clock.now() + timedelta(minutes=29))
    assert client.get("/konto").status_code == 200
    clock.freeze(clock.now() + timedelta(minutes=29))
    assert client.get("/konto").status_code == 200  # activity renews the half hour
    clock.freeze(clock.now() + timedelta(minutes=31))
    response = client.get("/konto")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/anmelden")
    assert "ohne Aktivität abgemeldet" in client.get("/anmelden").get_data(as_text=True)


def test_staff_sign_in_is_audited_citizen_sign_in_is_not(app, client, create_user):
    admin_id = create_user("admin", email="admin@example.org")
    create_user(email="plain@example.org")
    _sign_in(client, "plain@example.org")
    post_form(client, "/abmelden", {}, form_url="/konto")
    _sign_in(client, "admin@example.org")
    [event] = _events(app, "accounts.staff_login")
    assert event.actor_id == admin_id
    assert event.details == {"two_factor": False}
    with app.app_context():
        assert db.session.get(User, admin_id).last_login_at is not None


def test_failed_staff_sign_in_is_audited_without_the_password(app, client, create_user):
    admin_id = create_user("admin", email="admin2@example.org")
    _sign_in(client, "admin2@example.org", "not the password at all")
    [event] = _events(app, "accounts.staff_login_failed")
    assert event.object_id == str(admin_id)
    assert event.actor_id is None
    assert "not the password" not in str(event.details)


def test_sign_in_is_rate_limited_per_address(client, create_user):
    create_user(email="limit@example.org")
    for _ in range(10):
        assert _sign_in(client, "limit@example.org", "wrong wrong wrong").status_code == 200
    response = _sign_in(client, "limit@example.org", "wrong wrong wrong")
    assert response.status_code == 429
    assert "Zu viele Anfragen" in response.get_data(as_text=True)


def test_successful_sign_ins_do_not_use_up_the_limit(client, create_user):
    create_user(email="many@example.org")
    for _ in range(12):
        assert _sign_in(client, "many@example.org").status_code == 302
        post_form(client, "/abmelden", {}, form_url="/konto")


def test_invited_account_without_password_cannot_sign_in(app, client):
    with app.app_context():
        db.session.add(User(email="inv@example.org", display_name="Invited", password_hash=None))
        db.session.commit()
    assert _sign_in(client, "inv@example.org", "").status_code == 200
    html = _sign_in(client, "inv@example.org", "anything at all here").get_data(as_text=True)
    assert "nicht richtig" in html


def test_signed_in_visitors_of_the_sign_in_page_go_to_their_account(client, create_user):
    login(client, create_user())
    response = client.get("/anmelden")
    assert response.status_code == 302
    assert response.headers["Location"] == "/konto"


def test_header_offers_sign_in_and_registration_to_visitors(client):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/anmelden"' in html
    assert 'href="/registrieren"' in html
    assert 'action="/abmelden"' not in html


def test_a_post_without_csrf_token_is_refused(client, create_user):
    create_user(email="csrf@example.org")
    response = client.post("/anmelden", data={"email": "csrf@example.org", "password": TEST_PASSWORD})
    assert response.status_code == 400
