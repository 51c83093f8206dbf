"""Registration → verification link → sign-in, through the real forms and a real SMTP server."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.extensions import db
from portal.mail.services import deliver_pending
from portal.pages.services import seed_demo_pages
from tests.app.accounts.conftest import body_text
from tests.app.accounts.conftest import link_in
from tests.conftest import post_form

GOOD = {
    "email": "Anna.Schmidt@Example.org",
    "password": "Mein Garten blueht im Mai",
    "password_confirm": "Mein Garten blueht im Mai",
    "display_name": "Anna S.",
    "municipality": "schoeningen",
    "language": "de",
    "accept_privacy": "y",
}


def _user(app, email):  # type: ignore[no-untyped-def]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


def test_registration_verification_and_sign_in_journey(app, client, demo, smtp_server):
    with app.app_context():
        seed_demo_pages()
        db.session.commit()

    page = client.get("/registrieren")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'href="/datenschutz"' in html
    assert "Schöningen" in html

    response = post_form(client, "/registrieren", GOOD)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/e-mail-gesendet?reason=registered")
    assert "Bitte schauen Sie in Ihr Postfach" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )

    user = _user(app, "anna.schmidt@example.org")
    assert user is not None and not user.is_verified
    assert user.display_name == "Anna S."
    assert user.privacy_version == 1 and user.privacy_accepted_at is not None
    assert user.password_hash and "Mein Garten" not in user.password_hash

    with app.app_context():
        assert deliver_pending() == (1, 0)
    [message] = smtp_server.messages
    assert message["To"] == "anna.schmidt@example.org"
    assert message["Subject"] == "Bitte bestätigen Sie Ihre E-Mail-Adresse"
    assert message.get_body(preferencelist=("html",)) is not None
    link = link_in(body_text(message), "/bestaetigen/")

    # Unverified: signed in, may read, may not take part (edit the profile).
    response = post_form(
        client, "/anmelden", {"email": "anna.schmidt@example.org", "password": GOOD["password"]}
    )
    assert response.status_code == 302
    account = client.get("/konto").get_data(as_text=True)
    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in account
    assert client.get("/konto/passwort").status_code == 403

    response = client.get(link)
    assert response.status_code == 302
    assert _user(app, "anna.schmidt@example.org").is_verified
    page = client.get("/konto").get_data(as_text=True)
    assert "Ihre E-Mail-Adresse ist bestätigt" in page
    assert 'name="display_name"' in page
    assert client.get("/konto/passwort").status_code == 200

    # The link works once.
    again = client.get(link)
    assert again.status_code == 400
    assert "bereits verwendet" in again.get_data(as_text=True)


def test_sign_in_after_verification_shows_the_name_in_the_header(client, create_user):
    create_user(email="bernd@example.org", display_name="Bernd")
    response = post_form(
        client, "/anmelden", {"email": "bernd@example.org", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/konto"
    html = client.get("/").get_data(as_text=True)
    assert ">Bernd</a>" in html
    assert 'action="/abmelden"' in html


def test_registration_mail_is_in_the_chosen_language(app, client, outbox):
    post_form(
        client, "/registrieren", GOOD | {"email": "en@example.org", "language": "en", "municipality": ""}
    )
    [message] = outbox("en@example.org")
    assert message.subject == "Please confirm your e-mail address"
    assert "Hello Anna S.," in message.body_text
    assert "?lang=en" in message.body_text


def test_existing_address_gets_a_notice_and_the_same_answer(app, client, demo, create_user, outbox):
    create_user(email="taken@example.org", display_name="Original", language="en")
    new = post_form(client, "/registrieren", GOOD | {"email": "new@example.org"})
    taken = post_form(client, "/registrieren", GOOD | {"email": "TAKEN@example.org"})
    assert new.status_code == taken.status_code == 303
    assert new.headers["Location"] == taken.headers["Location"]
    assert new.get_data() == taken.get_data()
    [notice] = outbox("taken@example.org")
    assert notice.subject == "You already have an account"
    assert "/anmelden" in notice.body_text and "/passwort-vergessen" in notice.body_text
    assert _user(app, "taken@example.org").display_name == "Original"


def test_registration_keeps_what_was_typed_on_error(client, demo):
    response = post_form(client, "/registrieren", GOOD | {"password_confirm": "something else entirely"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Anna.Schmidt@Example.org"' in html
    assert 'value="Anna S."' in html
    assert '<option selected value="schoeningen">' in html
    assert 'id="error-summary"' in html
    # passwords are never sent back
    assert "Mein Garten" not in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "", "Bitte geben Sie Ihre E-Mail-Adresse ein."),
        ("email", "keine-adresse", "Bitte geben Sie eine E-Mail-Adresse in der Form name@beispiel.de ein."),
        ("email", "a" * 250 + "@example.org", "Die E-Mail-Adresse ist zu lang."),
        ("password", "", "Bitte wählen Sie ein Passwort."),
        ("password", "kurz", "Bitte verwenden Sie mindestens 12 Zeichen."),
        ("password", "passwort1234", "Dieses Passwort ist zu verbreitet. Bitte wählen Sie ein anderes."),
        ("password", "Qwertzuiop123", "Dieses Passwort ist zu verbreitet. Bitte wählen Sie ein anderes."),
        ("password", "x" * 300, "Bitte verwenden Sie höchstens 256 Zeichen."),
        ("password", "anna.schmidt-ist-toll", "Das Passwort darf Ihre E-Mail-Adresse nicht enthalten."),
        ("password_confirm", "", "Bitte wiederholen Sie das Passwort."),
        ("password_confirm", "Mein Garten blueht im Juni", "Die beiden Passwörter stimmen nicht überein."),
        ("display_name", "", "Bitte geben Sie den Namen ein, den andere sehen."),
        ("display_name", "A", "Der Name muss zwischen 2 und 80 Zeichen lang sein."),
        ("display_name", "A" * 81, "Der Name muss zwischen 2 und 80 Zeichen lang sein."),
        ("municipality", "atlantis", "Not a valid choice."),
        ("language", "fr", "Not a valid choice."),
        ("accept_privacy", "", "Bitte bestätigen Sie, dass Sie der Datenschutzerklärung zustimmen."),
    ],
)
def test_every_registration_field_explains_bad_input(client, demo, field, value, message):
    data = dict(GOOD)
    if field == "password":
        data["password_confirm"] = value
    data[field] = value
    if field == "accept_privacy":
        data.pop("accept_privacy")
    response = post_form(client, "/registrieren", data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    expected = message
    if message == "Not a valid choice.":
        expected = "Keine gültige Auswahl"
    assert expected in html, html[html.find("error-summary") : html.find("error-summary") + 800]
    assert f'id="{field}-error"' in html
    assert f'href="#{field}"' in html


def test_signed_in_users_are_sent_from_registration_to_their_account(client, create_user):
    from tests.conftest import login

    login(client, create_user())
    response = client.get("/registrieren")
    assert response.status_code == 302
    assert response.headers["Location"] == "/konto"


def test_resend_verification(app, client, create_user, outbox):
    from tests.conftest import login

    user_id = create_user(verified=False, email="late@example.org")
    login(client, user_id)
    response = post_form(client, "/konto/bestaetigung-senden", {}, form_url="/konto")
    assert response.status_code == 302
    [message] = outbox("late@example.org")
    link = link_in(message.body_text, "/bestaetigen/")
    assert client.get(link).status_code == 302
    assert _user(app, "late@example.org").is_verified
