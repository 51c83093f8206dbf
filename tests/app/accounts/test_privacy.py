"""DSGVO self-service: data export (Art. 15/20) and account deletion (Art. 17)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func
from sqlalchemy import select

from portal.accounts import privacy
from portal.accounts.models import RoleAssignment
from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.audit.services import record
from portal.extensions import db
from portal.mail.models import OutboxMessage
from tests.conftest import TEST_PASSWORD
from tests.conftest import login
from tests.conftest import post_form


def test_export_holds_the_users_data_and_nobody_elses(app, client, create_user, demo):
    me = create_user(
        "municipality_rep", email="me@example.org", display_name="Meine Person", municipality="schoeningen"
    )
    other = create_user(email="other@example.org", display_name="Andere Person")
    with app.test_request_context():
        record("accounts.something", actor=db.session.get(User, me), obj=db.session.get(User, me))
        record("accounts.something", actor=db.session.get(User, other), obj=db.session.get(User, other))
        db.session.commit()
    login(client, me)
    response = client.get("/konto/daten")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["format"] == "beteiligungsportal-data-export"
    assert data["account"]["email"] == "me@example.org"
    assert data["account"]["display_name"] == "Meine Person"
    assert data["account"]["roles"][0]["role"] == "municipality_rep"
    assert data["audit_log"] and all(entry["by_you"] for entry in data["audit_log"])
    text = json.dumps(data)
    assert "other@example.org" not in text
    assert "Andere Person" not in text
    assert "password" not in text.lower() or "password_hash" not in text
    assert "totp_secret" not in text


def test_unverified_accounts_can_export_and_delete(client, create_user):
    login(client, create_user(verified=False))
    assert client.get("/konto/daten").status_code == 200
    assert client.get("/konto/loeschen").status_code == 200


def test_other_domains_join_the_export_and_the_deletion(app, client, create_user):
    calls: list[tuple[str, str]] = []

    @privacy.exporter("test_contributions", order=50)
    def export_contributions(user):  # type: ignore[no-untyped-def]
        return [{"title": f"Idea of {user.display_name}"}]

    @privacy.eraser("test_contributions")
    def erase_contributions(user, mode):  # type: ignore[no-untyped-def]
        calls.append((user.email, mode.value))

    try:
        user_id = create_user(email="plugin@example.org", display_name="Plugin")
        login(client, user_id)
        data = client.get("/konto/daten").get_json(force=True)
        assert data["test_contributions"] == [{"title": "Idea of Plugin"}]
        post_form(client, "/konto/loeschen", {"mode": "remove", "password": TEST_PASSWORD, "confirm": "y"})
        assert calls == [("plugin@example.org", "remove")]
    finally:
        privacy._exporters.pop("test_contributions", None)
        privacy._erasers.pop("test_contributions", None)


@pytest.mark.parametrize("mode", ["anonymise", "remove"])
def test_deleting_the_account(app, client, create_user, demo, outbox, mode):
    admin = create_user("admin", email="boss@example.org")
    user_id = create_user(
        "municipality_rep", email="gone@example.org", municipality="helmstedt", language="en"
    )
    with app.test_request_context():
        record("accounts.role_granted", actor=db.session.get(User, admin), obj=db.session.get(User, user_id))
        db.session.commit()
    login(client, user_id)
    page = client.get("/konto/loeschen").get_data(as_text=True)
    assert "Was passiert" in page
    assert "gelöschten Konto" in page

    response = post_form(client, "/konto/loeschen", {"mode": mode, "password": TEST_PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/konto").status_code == 302
    with app.app_context():
        assert db.session.get(User, user_id) is None
        assert (
            db.session.scalar(
                select(func.count()).select_from(RoleAssignment).where(RoleAssignment.user_id == user_id)
            )
            == 0
        )
        deleted = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "accounts.deleted"))
        assert deleted.details["mode"] == mode
        # the admin's earlier event stays, pointing at no one
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "accounts.role_granted"))
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.recipient == "gone@example.org")
            )
            == 1
        )
    [goodbye] = outbox("gone@example.org")
    assert goodbye.subject == "Your account has been deleted"
    expected = "removed" if mode == "remove" else "deleted account"
    assert expected in goodbye.body_text


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"password": TEST_PASSWORD, "confirm": "y"},
            "mode",
            "Bitte wählen Sie, was mit Ihren Beiträgen geschehen soll.",
        ),
        ({"mode": "remove", "confirm": "y"}, "password", "Bitte geben Sie Ihr aktuelles Passwort ein."),
        (
            {"mode": "remove", "password": TEST_PASSWORD},
            "confirm",
            "Bitte bestätigen Sie, dass Sie Ihr Konto löschen möchten.",
        ),
        ({"mode": "burn", "password": TEST_PASSWORD, "confirm": "y"}, "mode", "Keine gültige Auswahl"),
    ],
)
def test_deletion_field_errors(app, client, create_user, data, field, message):
    user_id = create_user()
    login(client, user_id)
    html = post_form(client, "/konto/loeschen", data).get_data(as_text=True)
    assert message in html
    assert f'id="{field}-error"' in html or f'id="{field}"' in html
    with app.app_context():
        assert db.session.get(User, user_id) is not None


def test_deletion_needs_the_right_password(app, client, create_user):
    user_id = create_user()
    login(client, user_id)
    html = post_form(
        client, "/konto/loeschen", {"mode": "anonymise", "password": "wrong wrong", "confirm": "y"}
    ).get_data(as_text=True)
    assert "Das Passwort ist nicht richtig." in html
    with app.app_context():
        assert db.session.get(User, user_id) is not None


def test_the_last_admin_cannot_delete_the_account(app, client, create_user):
    user_id = create_user("admin")
    login(client, user_id)
    html = post_form(
        client, "/konto/loeschen", {"mode": "anonymise", "password": TEST_PASSWORD, "confirm": "y"}
    ).get_data(as_text=True)
    assert "einzige" in html
    with app.app_context():
        assert db.session.get(User, user_id) is not None


def test_wrong_password_on_deletion_is_shown_next_to_the_field(client, create_user, app):
    user_id = create_user()
    login(client, user_id)
    response = post_form(
        client, "/konto/loeschen", {"mode": "anonymise", "password": "not my password", "confirm": "y"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="password-error"' in html
    assert "Das Passwort ist nicht richtig." in html
    assert (
        'aria-invalid="true"' in html.split('id="password"')[0][-400:] + html.split('id="password"')[1][:400]
    )
    with app.app_context():
        assert db.session.get(User, user_id) is not None
