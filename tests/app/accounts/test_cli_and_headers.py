"""create-user on the command line; security headers on the account pages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.conftest import login
from tests.conftest import post_form


def _run(app, *args, stdin=""):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["create-user", *args], input=stdin)


def test_create_the_first_admin(app, client):
    result = _run(
        app,
        "First.Admin@Example.org",
        "--role",
        "admin",
        "--name",
        "Erste Admin",
        "--password-stdin",
        stdin=TEST_PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "admin@example.org" in result.output.lower() and "admin" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "first.admin@example.org"))
        assert user.is_verified and user.is_admin and user.display_name == "Erste Admin"
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "accounts.role_granted"))
    response = post_form(client, "/anmelden", {"email": "first.admin@example.org", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get("/verwaltung/benutzer").status_code == 200


def test_create_a_representative_and_staff(app, demo):
    rep = _run(
        app,
        "rep@example.org",
        "--role",
        "municipality_rep",
        "--municipality",
        "schoeningen",
        "--password-stdin",
        stdin=TEST_PASSWORD + "\n",
    )
    assert rep.exit_code == 0, rep.output
    staff = _run(
        app,
        "staff@example.org",
        "--role",
        "department_staff",
        "--department",
        "demo-bauen-umwelt",
        "--password-stdin",
        stdin=TEST_PASSWORD + "\n",
    )
    assert staff.exit_code == 0, staff.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "rep@example.org"))
        assert user.represented_municipality_ids


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["weak@example.org", "--password-stdin"], "short\n", "password refused"),
        (
            ["rep2@example.org", "--role", "municipality_rep", "--password-stdin"],
            TEST_PASSWORD + "\n",
            "Gemeinde",
        ),
    ],
)
def test_create_user_refuses(app, args, stdin, message):
    result = _run(app, *args, stdin=stdin)
    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == args[0])) is None


def test_create_user_refuses_an_existing_address(app, create_user):
    create_user(email="dup@example.org")
    result = _run(app, "dup@example.org", "--password-stdin", stdin=TEST_PASSWORD + "\n")
    assert result.exit_code != 0
    assert "exists already" in result.output


def test_security_headers_on_account_and_site_pages(client, create_user):
    visitor_pages = [
        "/registrieren",
        "/anmelden",
        "/passwort-vergessen",
        "/e-mail-gesendet",
        "/impressum",
        "/bestaetigen/invalid",
    ]
    user_pages = [
        "/konto",
        "/konto/passwort",
        "/konto/zwei-faktor",
        "/konto/daten",
        "/konto/loeschen",
        "/verwaltung/benutzer",
        "/verwaltung/seiten/datenschutz",
    ]
    for url in visitor_pages:
        _check_headers(client.get(url))
    login(client, create_user("admin"))
    for url in user_pages:
        response = client.get(url)
        _check_headers(response)
        if not url.startswith("/verwaltung/seiten"):
            assert response.headers["Cache-Control"] == "no-store"


def _check_headers(response) -> None:  # type: ignore[no-untyped-def]
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "img-src 'self' data:" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert response.headers["Permissions-Policy"]
    body = response.get_data(as_text=True)
    assert " style=" not in body and "<script" not in body
