"""Password reset by mail, password change, the password policy."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.passwords import common_passwords
from portal.accounts.passwords import password_problem
from portal.audit.models import AuditEvent
from portal.extensions import db
from tests.app.accounts.conftest import link_in
from tests.conftest import TEST_PASSWORD
from tests.conftest import login
from tests.conftest import post_form

NEW = "Sommerregen ueber dem Elm"


def test_reset_answers_the_same_for_known_and_unknown_addresses(client, create_user, outbox):
    create_user(email="known@example.org")
    known = post_form(client, "/passwort-vergessen", {"email": "known@example.org"})
    unknown = post_form(client, "/passwort-vergessen", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"]
    assert known.get_data() == unknown.get_data()
    assert [m.recipient for m in outbox()] == ["known@example.org"]
    page = client.get(known.headers["Location"]).get_data(as_text=True)
    assert "Wenn es ein Konto mit der eingegebenen Adresse gibt" in page


@pytest.mark.parametrize(
    ("value", "message"),
    [("", "Bitte geben Sie Ihre E-Mail-Adresse ein."), ("nope", "in der Form name@beispiel.de")],
)
def test_reset_request_field_errors(client, value, message):
    html = post_form(client, "/passwort-vergessen", {"email": value}).get_data(as_text=True)
    assert message in html
    assert 'id="email-error"' in html


def test_reset_journey_signs_out_everywhere_and_notifies(app, client, create_user, outbox):
    user_id = create_user(email="reset@example.org", verified=False)
    other_device = app.test_client()
    login(other_device, user_id)
    post_form(client, "/passwort-vergessen", {"email": "reset@example.org"})
    [mail] = outbox("reset@example.org")
    assert mail.subject == "Neues Passwort wählen"
    link = link_in(mail.body_text, "/passwort-neu/")

    bad = post_form(client, link, {"password": "kurz", "password_confirm": "kurz"})
    assert "mindestens 12 Zeichen" in bad.get_data(as_text=True)
    response = post_form(client, link, {"password": NEW, "password_confirm": NEW})
    assert response.status_code == 302
    assert response.headers["Location"] == "/anmelden"

    assert other_device.get("/konto").status_code == 302
    signed_in = post_form(client, "/anmelden", {"email": "reset@example.org", "password": NEW})
    assert signed_in.status_code == 302
    with app.app_context():
        assert db.session.get(User, user_id).is_verified  # the link proved the address
    subjects = [m.subject for m in outbox("reset@example.org")]
    assert "Ihr Passwort wurde geändert" in subjects


def test_reset_password_checks_the_policy_against_the_address(app, client, create_user):
    user_id = create_user(email="jonas.meyer@example.org")
    from portal.accounts.tokens import Purpose
    from portal.accounts.tokens import make_token

    with app.test_request_context():
        token = make_token(db.session.get(User, user_id), Purpose.RESET)
    html = post_form(
        client,
        f"/passwort-neu/{token}",
        {"password": "jonas.meyer2026!", "password_confirm": "jonas.meyer2026!"},
    ).get_data(as_text=True)
    assert "Das Passwort darf Ihre E-Mail-Adresse nicht enthalten." in html


def test_change_password(app, client, create_user, outbox):
    user_id = create_user(email="change@example.org")
    login(client, user_id)
    other_device = app.test_client()
    login(other_device, user_id)

    wrong = post_form(
        client,
        "/konto/passwort",
        {"current_password": "not it at all", "password": NEW, "password_confirm": NEW},
    )
    html = wrong.get_data(as_text=True)
    assert "Das aktuelle Passwort ist nicht richtig." in html
    assert 'id="current_password-error"' in html

    response = post_form(
        client,
        "/konto/passwort",
        {"current_password": TEST_PASSWORD, "password": NEW, "password_confirm": NEW},
    )
    assert response.status_code == 302
    assert client.get("/konto").status_code == 200  # this session continues
    assert other_device.get("/konto").status_code == 302  # the others end
    assert [m.subject for m in outbox("change@example.org")] == ["Ihr Passwort wurde geändert"]
    with app.app_context():
        events = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(user_id)))
        assert "accounts.password_changed" in list(events)


@pytest.mark.parametrize(
    ("field", "data", "message"),
    [
        ("current_password", {"current_password": ""}, "Bitte geben Sie Ihr aktuelles Passwort ein."),
        ("password", {"password": "", "password_confirm": ""}, "Bitte wählen Sie ein Passwort."),
        ("password", {"password": "a" * 11, "password_confirm": "a" * 11}, "mindestens 12 Zeichen"),
        ("password", {"password": "aaaaaaaaaaaaaaa", "password_confirm": "aaaaaaaaaaaaaaa"}, "zu verbreitet"),
        ("password_confirm", {"password_confirm": "anders als vorher"}, "stimmen nicht überein"),
    ],
)
def test_change_password_field_errors(client, create_user, field, data, message):
    login(client, create_user())
    payload = {"current_password": TEST_PASSWORD, "password": NEW, "password_confirm": NEW} | data
    html = post_form(client, "/konto/passwort", payload).get_data(as_text=True)
    assert message in html
    assert f'id="{field}-error"' in html


def test_common_password_list_is_shipped_and_used():
    assert len(common_passwords()) > 3000
    assert "passwort1234" in common_passwords()
    assert all(entry == entry.lower() for entry in list(common_passwords())[:100])


def test_policy(app):
    with app.test_request_context():
        assert password_problem(TEST_PASSWORD) is None
        assert password_problem("Helmstedt2024") is not None  # on the list (case-insensitive)
        assert password_problem("eins zwei drei vier", "zwei@example.org") is not None
        assert password_problem("eins zwei drei vier", "jo@example.org") is None  # too short a local part
