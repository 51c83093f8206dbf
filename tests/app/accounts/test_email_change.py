"""Changing the e-mail address: confirmed through the new address, the old one is told."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.extensions import db
from tests.app.accounts.conftest import link_in
from tests.conftest import TEST_PASSWORD
from tests.conftest import login
from tests.conftest import post_form


def _email(app, user_id):  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.get(User, user_id).email


def test_change_is_confirmed_through_the_new_address(app, client, create_user, outbox):
    user_id = create_user(email="old@example.org", language="en")
    login(client, user_id)
    response = post_form(client, "/konto/e-mail", {"new_email": "New@Example.org", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert _email(app, user_id) == "old@example.org"  # not before the link is opened
    [mail] = outbox("new@example.org")
    assert mail.subject == "Confirm your new e-mail address"
    link = link_in(mail.body_text, "/konto/e-mail/")

    assert client.get(link).status_code == 302
    assert _email(app, user_id) == "new@example.org"
    [notice] = outbox("old@example.org")
    assert notice.subject == "Your e-mail address was changed"
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "accounts.email_changed"))

    again = client.get(link)
    assert again.status_code == 400


def test_an_address_in_use_is_not_revealed(app, client, create_user, outbox):
    create_user(email="other@example.org")
    user_id = create_user(email="me@example.org")
    login(client, user_id)
    taken = post_form(client, "/konto/e-mail", {"new_email": "other@example.org", "password": TEST_PASSWORD})
    free = post_form(client, "/konto/e-mail", {"new_email": "free@example.org", "password": TEST_PASSWORD})
    assert taken.status_code == free.status_code == 302
    assert taken.headers["Location"] == free.headers["Location"]
    [notice] = outbox("other@example.org")
    assert notice.subject == "Jemand wollte Ihre E-Mail-Adresse verwenden"
    assert _email(app, user_id) == "me@example.org"


def test_the_address_taken_meanwhile_is_refused_at_confirmation(app, client, create_user, outbox):
    user_id = create_user(email="first@example.org")
    login(client, user_id)
    post_form(client, "/konto/e-mail", {"new_email": "race@example.org", "password": TEST_PASSWORD})
    link = link_in(outbox("race@example.org")[0].body_text, "/konto/e-mail/")
    create_user(email="race@example.org")
    response = client.get(link)
    assert response.status_code == 400
    assert _email(app, user_id) == "first@example.org"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"new_email": "", "password": TEST_PASSWORD},
            "new_email",
            "Bitte geben Sie Ihre E-Mail-Adresse ein.",
        ),
        ({"new_email": "kaputt", "password": TEST_PASSWORD}, "new_email", "in der Form name@beispiel.de"),
        (
            {"new_email": "n@example.org", "password": ""},
            "password",
            "Bitte geben Sie Ihr aktuelles Passwort ein.",
        ),
    ],
)
def test_field_errors(client, create_user, data, field, message):
    login(client, create_user())
    html = post_form(client, "/konto/e-mail", data).get_data(as_text=True)
    assert message in html
    assert f'id="{field}-error"' in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"new_email": "n@example.org", "password": "wrong wrong wrong"}, "Das Passwort ist nicht richtig."),
        (
            {"new_email": "same@example.org", "password": TEST_PASSWORD},
            "Das ist bereits Ihre E-Mail-Adresse.",
        ),
    ],
)
def test_refusals(client, create_user, data, message):
    login(client, create_user(email="same@example.org"))
    html = post_form(client, "/konto/e-mail", data).get_data(as_text=True)
    assert message in html


def test_change_requests_are_rate_limited(client, create_user):
    login(client, create_user())
    for number in range(5):
        data = {"new_email": f"n{number}@example.org", "password": TEST_PASSWORD}
        assert post_form(client, "/konto/e-mail", data).status_code == 302
    data = {"new_email": "n9@example.org", "password": TEST_PASSWORD}
    assert post_form(client, "/konto/e-mail", data).status_code == 429
