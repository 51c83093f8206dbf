"""Two-factor sign-in with TOTP: set up with the QR code, sign in with a code, switch off."""

from __future__ import annotations

import re
import time

import pyotp
from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.services import REQUIRE_STAFF_TOTP
from portal.audit.models import AuditEvent
from portal.core.settings import set_setting
from portal.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.conftest import login
from tests.conftest import post_form


def _enable(app, client, user_id) -> str:  # type: ignore[no-untyped-def]
    login(client, user_id)
    page = client.get("/konto/zwei-faktor").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page
    secret = re.search(r'<code class="totp-secret">([A-Z2-7]+)</code>', page).group(1)
    response = post_form(client, "/konto/zwei-faktor", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    return secret


def _sign_in(client, email):  # type: ignore[no-untyped-def]
    return post_form(client, "/anmelden", {"email": email, "password": TEST_PASSWORD})


def _sign_out(client):  # type: ignore[no-untyped-def]
    post_form(client, "/abmelden", {}, form_url="/konto")


def test_set_up_and_sign_in_with_a_code(app, client, create_user):
    user_id = create_user("moderator", email="mod@example.org")
    secret = _enable(app, client, user_id)
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.totp_enabled and user.totp_secret == secret
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "accounts.totp_enabled"))
    _sign_out(client)

    response = _sign_in(client, "mod@example.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/anmelden/zwei-faktor"
    assert client.get("/konto").status_code == 302  # not signed in yet

    wrong = post_form(client, "/anmelden/zwei-faktor", {"code": "000000"})
    assert "Der Code ist nicht richtig" in wrong.get_data(as_text=True)
    # The current step's code was used by the setup (codes are single-use): take the next one.
    code = pyotp.TOTP(secret).at(int(time.time()) + 30)
    response = post_form(client, "/anmelden/zwei-faktor", {"code": code})
    assert response.status_code == 302
    assert client.get("/konto").status_code == 200
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent)
            .where(AuditEvent.action == "accounts.staff_login")
            .order_by(AuditEvent.id.desc())
        )
        assert event.details == {"two_factor": True}

    # The same code cannot be used twice (replay).
    _sign_out(client)
    _sign_in(client, "mod@example.org")
    replay = post_form(client, "/anmelden/zwei-faktor", {"code": code})
    assert replay.status_code == 200
    assert client.get("/konto").status_code == 302


def test_setup_refuses_a_wrong_code(client, create_user):
    login(client, create_user())
    html = post_form(client, "/konto/zwei-faktor", {"code": "123456"}).get_data(as_text=True)
    assert "Der Code ist nicht richtig" in html
    html = post_form(client, "/konto/zwei-faktor", {"code": "12"}).get_data(as_text=True)
    assert "Der Code hat sechs Ziffern." in html
    html = post_form(client, "/konto/zwei-faktor", {"code": ""}).get_data(as_text=True)
    assert "Bitte geben Sie den Code aus Ihrer App ein." in html


def test_second_step_without_a_password_first_goes_back_to_sign_in(client):
    response = client.get("/anmelden/zwei-faktor")
    assert response.status_code == 302
    assert response.headers["Location"] == "/anmelden"


def test_switch_off_needs_password_and_code(app, client, create_user):
    user_id = create_user()
    secret = _enable(app, client, user_id)
    response = post_form(
        client,
        "/konto/zwei-faktor/aus",
        {"password": "wrong wrong", "code": pyotp.TOTP(secret).now()},
        form_url="/konto/zwei-faktor",
    )
    assert "Das Passwort ist nicht richtig." in response.get_data(as_text=True)
    # The current step's code was used by the setup: take the next step's code.
    next_code = pyotp.TOTP(secret).at(int(time.time()) + 30)
    response = post_form(
        client,
        "/konto/zwei-faktor/aus",
        {"password": TEST_PASSWORD, "code": next_code},
        form_url="/konto/zwei-faktor",
    )
    assert response.status_code == 302
    with app.app_context():
        assert not db.session.get(User, user_id).totp_enabled


def test_admins_can_require_two_factor_for_staff(app, client, create_user):
    staff_id = create_user("moderator", email="must@example.org")
    citizen_id = create_user(email="free@example.org")
    with app.app_context():
        set_setting(REQUIRE_STAFF_TOTP, True, None)
        db.session.commit()

    response = _sign_in(client, "must@example.org")
    assert response.headers["Location"] == "/konto/zwei-faktor"
    # Nothing else is reachable until it is set up.
    redirect = client.get("/konto")
    assert redirect.status_code == 302 and redirect.headers["Location"] == "/konto/zwei-faktor"
    assert client.get("/").status_code == 302
    assert client.get("/impressum").status_code == 200
    secret = _enable(app, client, staff_id)
    assert client.get("/konto").status_code == 200
    # ... and it cannot be switched off while required.
    page = client.get("/konto/zwei-faktor").get_data(as_text=True)
    assert "vorgeschrieben" in page and "/konto/zwei-faktor/aus" not in page
    assert secret

    login(client, citizen_id)
    assert client.get("/konto").status_code == 200
