"""Signed links: expired, reused, tampered with, or made for another purpose."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.accounts.models import User
from portal.accounts.tokens import Purpose
from portal.accounts.tokens import TokenError
from portal.accounts.tokens import check_token
from portal.accounts.tokens import make_token
from portal.core import clock
from portal.extensions import db
from tests.conftest import TODAY
from tests.conftest import post_form


def _token(app, user_id, purpose, **kwargs):  # type: ignore[no-untyped-def]
    with app.test_request_context():
        return make_token(db.session.get(User, user_id), purpose, **kwargs)


def test_verification_link_expires_after_three_days(app, client, create_user):
    user_id = create_user(verified=False)
    token = _token(app, user_id, Purpose.VERIFY)
    clock.freeze(clock.now() + timedelta(days=3, minutes=1))
    response = client.get(f"/bestaetigen/{token}")
    assert response.status_code == 400
    assert "abgelaufen" in response.get_data(as_text=True)
    clock.freeze(TODAY)
    assert client.get(f"/bestaetigen/{token}").status_code == 302


def test_tampered_links_are_refused(app, client, create_user):
    user_id = create_user(verified=False)
    token = _token(app, user_id, Purpose.VERIFY)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client.get(f"/bestaetigen/{tampered}")
    assert response.status_code == 400
    assert "ungültig" in response.get_data(as_text=True)
    assert client.get("/bestaetigen/not-a-token").status_code == 400


def test_a_link_for_one_purpose_is_no_good_for_another(app, client, create_user):
    user_id = create_user(verified=False)
    reset = _token(app, user_id, Purpose.RESET)
    assert client.get(f"/bestaetigen/{reset}").status_code == 400
    verify = _token(app, user_id, Purpose.VERIFY)
    assert client.get(f"/passwort-neu/{verify}").status_code == 400
    assert client.get(f"/einladung/{reset}").status_code == 400


def test_reset_link_works_once_and_expires_after_two_hours(app, client, create_user):
    user_id = create_user()
    token = _token(app, user_id, Purpose.RESET)
    assert client.get(f"/passwort-neu/{token}").status_code == 200
    data = {"password": "ein ganz neues Passwort", "password_confirm": "ein ganz neues Passwort"}
    assert post_form(client, f"/passwort-neu/{token}", data).status_code == 302
    used = client.get(f"/passwort-neu/{token}")
    assert used.status_code == 400
    assert "bereits verwendet" in used.get_data(as_text=True)

    token = _token(app, user_id, Purpose.RESET)
    clock.freeze(clock.now() + timedelta(hours=2, seconds=1))
    assert "abgelaufen" in client.get(f"/passwort-neu/{token}").get_data(as_text=True)


def test_tokens_of_deleted_accounts_are_invalid(app, create_user):
    user_id = create_user()
    token = _token(app, user_id, Purpose.RESET)
    with app.app_context():
        db.session.delete(db.session.get(User, user_id))
        db.session.commit()
    with app.test_request_context(), pytest.raises(TokenError) as error:
        check_token(token, Purpose.RESET)
    assert error.value.reason == "invalid"


def test_email_change_token_carries_the_new_address(app, create_user):
    user_id = create_user()
    token = _token(app, user_id, Purpose.EMAIL_CHANGE, new_email="neu@example.org")
    with app.test_request_context():
        assert check_token(token, Purpose.EMAIL_CHANGE).new_email == "neu@example.org"
