"""User administration: list and search, invitations, roles, the staff two-factor setting."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.accounts.models import Role
from portal.accounts.models import User
from portal.accounts.services import require_staff_totp
from portal.audit.models import AuditEvent
from portal.extensions import db
from tests.app.accounts.conftest import link_in
from tests.conftest import login
from tests.conftest import post_form


@pytest.fixture
def admin(client, create_user):  # type: ignore[no-untyped-def]
    user_id = create_user("admin", email="admin@example.org", display_name="Admin")
    login(client, user_id)
    return user_id


def _events(app, action):  # type: ignore[no-untyped-def]
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _roles(app, user_id):  # type: ignore[no-untyped-def]
    with app.app_context():
        return sorted(a.role.value for a in db.session.get(User, user_id).roles)


def test_list_search_and_role_filter(client, admin, create_user, demo):
    create_user(email="anna@example.org", display_name="Anna Apfel")
    create_user(email="bert@example.org", display_name="Bert Birne")
    create_user("municipality_rep", email="carla@example.org", display_name="Carla", municipality="lehre")
    html = client.get("/verwaltung/benutzer").get_data(as_text=True)
    assert "Anna Apfel" in html and "Bert Birne" in html and "Carla" in html
    html = client.get("/verwaltung/benutzer?q=apfel").get_data(as_text=True)
    assert "Anna Apfel" in html and "Bert Birne" not in html
    html = client.get("/verwaltung/benutzer?q=BERT@").get_data(as_text=True)
    assert "Bert Birne" in html and "Anna Apfel" not in html
    html = client.get("/verwaltung/benutzer?rolle=municipality_rep").get_data(as_text=True)
    assert "Carla" in html and "Anna Apfel" not in html
    assert "Gemeinde Lehre" in html
    html = client.get("/verwaltung/benutzer?q=%25_").get_data(as_text=True)
    assert "0 Konten gefunden." in html


def test_list_is_paginated_with_a_bounded_number_of_queries(app, client, admin, create_user, count_queries):
    def queries_for_list() -> int:
        client.get("/verwaltung/benutzer")  # warm up (strategy, session)
        with count_queries() as counter:
            assert client.get("/verwaltung/benutzer").status_code == 200
        return counter.count

    for number in range(3):
        create_user("moderator" if number % 2 else None, email=f"few{number}@example.org")
    few = queries_for_list()
    for number in range(40):
        create_user("moderator" if number % 2 else None, email=f"many{number}@example.org")
    many = queries_for_list()
    assert many == few, (few, many)
    assert many <= 12
    html = client.get("/verwaltung/benutzer").get_data(as_text=True)
    assert "Seite 1 von 2" in html
    assert "Seite 2 von 2" in client.get("/verwaltung/benutzer?seite=2").get_data(as_text=True)


def test_invitation_journey(app, client, admin, demo, outbox):
    response = post_form(
        client,
        "/verwaltung/benutzer/einladen",
        {
            "email": "Neu@Example.org",
            "display_name": "Neue Moderatorin",
            "language": "de",
            "role": "moderator",
            "municipality": "",
            "department": "",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "neu@example.org"))
        assert user.password_hash is None and not user.is_verified
        assert user.has_role(Role.MODERATOR)
        user_id = user.id
    [invited] = _events(app, "accounts.invited")
    assert invited.actor_id == admin and invited.details == {"role": "moderator"}
    [granted] = _events(app, "accounts.role_granted")
    assert granted.details["role"] == "moderator"

    [mail] = outbox("neu@example.org")
    assert mail.subject == "Sie sind zum Beteiligungsportal eingeladen"
    assert "Admin hat für Sie ein Konto" in mail.body_text
    link = link_in(mail.body_text, "/einladung/")

    visitor = app.test_client()
    page = visitor.get(link).get_data(as_text=True)
    assert "Neue Moderatorin" in page
    missing_consent = post_form(
        visitor, link, {"password": "Ein sicheres Passwort 1", "password_confirm": "Ein sicheres Passwort 1"}
    )
    assert "Datenschutzerklärung zustimmen" in missing_consent.get_data(as_text=True)
    done = post_form(
        visitor,
        link,
        {
            "password": "Ein sicheres Passwort 1",
            "password_confirm": "Ein sicheres Passwort 1",
            "accept_privacy": "y",
        },
    )
    assert done.status_code == 302
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.is_verified and user.password_hash and user.privacy_accepted_at
    assert visitor.get(link).status_code == 400  # used
    signed_in = post_form(
        visitor, "/anmelden", {"email": "neu@example.org", "password": "Ein sicheres Passwort 1"}
    )
    assert signed_in.status_code == 302


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": ""}, "email", "Bitte geben Sie Ihre E-Mail-Adresse ein."),
        ({"email": "x"}, "email", "in der Form name@beispiel.de"),
        ({"email": "admin@example.org"}, "email", "Es gibt bereits ein Konto mit dieser E-Mail-Adresse."),
        ({"display_name": ""}, "display_name", "Bitte geben Sie den Namen ein, den andere sehen."),
        ({"role": "emperor"}, "role", "Keine gültige Auswahl"),
        (
            {"role": "municipality_rep"},
            "municipality",
            "Bitte wählen Sie die Gemeinde, die diese Person vertritt.",
        ),
        ({"role": "department_staff"}, "department", "Bitte wählen Sie den Geschäftsbereich"),
        ({"department": "nonexistent"}, "department", "Keine gültige Auswahl"),
        ({"municipality": "atlantis"}, "municipality", "Keine gültige Auswahl"),
    ],
)
def test_invitation_field_errors(client, admin, demo, data, field, message):
    payload = {
        "email": "x@example.org",
        "display_name": "X Y",
        "language": "de",
        "role": "",
        "municipality": "",
        "department": "",
    } | data
    html = post_form(client, "/verwaltung/benutzer/einladen", payload).get_data(as_text=True)
    assert message in html
    assert f'id="{field}-error"' in html


def test_grant_and_withdraw_roles_are_audited(app, client, admin, create_user, demo):
    user_id = create_user(email="staff@example.org")
    url = f"/verwaltung/benutzer/{user_id}"
    response = post_form(
        client,
        url,
        {"role": "department_staff", "department": "demo-schule-kultur-sport", "municipality": ""},
    )
    assert response.status_code == 302
    response = post_form(
        client, url, {"role": "municipality_rep", "municipality": "velpke", "department": ""}
    )
    assert response.status_code == 302
    assert _roles(app, user_id) == ["department_staff", "municipality_rep"]
    html = client.get(url).get_data(as_text=True)
    assert "Samtgemeinde Velpke" in html
    assert "Schule" in html

    duplicate = post_form(
        client, url, {"role": "municipality_rep", "municipality": "velpke", "department": ""}
    )
    assert "Diese Person hat diese Rolle bereits." in duplicate.get_data(as_text=True)

    with app.app_context():
        assignment = next(a for a in db.session.get(User, user_id).roles if a.role is Role.MUNICIPALITY_REP)
        assignment_id = assignment.id
    response = post_form(client, f"{url}/rollen/{assignment_id}/entziehen", {}, form_url=url)
    assert response.status_code == 302
    assert _roles(app, user_id) == ["department_staff"]

    granted = _events(app, "accounts.role_granted")
    assert {
        (e.details["role"], e.details.get("municipality"), e.details.get("department")) for e in granted
    } == {
        ("department_staff", None, "demo-schule-kultur-sport"),
        ("municipality_rep", "velpke", None),
    }
    assert all(e.actor_id == admin and e.object_id == str(user_id) for e in granted)
    [withdrawn] = _events(app, "accounts.role_withdrawn")
    assert withdrawn.details["role"] == "municipality_rep"


def test_granting_a_staff_role_ends_long_lived_sessions(app, client, admin, create_user):
    user_id = create_user(email="soon-staff@example.org")
    with app.app_context():
        before = db.session.get(User, user_id).session_version
    post_form(
        client, f"/verwaltung/benutzer/{user_id}", {"role": "moderator", "municipality": "", "department": ""}
    )
    with app.app_context():
        assert db.session.get(User, user_id).session_version == before + 1


def test_admins_cannot_withdraw_their_own_admin_role(app, client, admin):
    with app.app_context():
        assignment_id = db.session.get(User, admin).roles[0].id
    url = f"/verwaltung/benutzer/{admin}"
    post_form(client, f"{url}/rollen/{assignment_id}/entziehen", {}, form_url=url)
    assert _roles(app, admin) == ["admin"]
    assert "nicht entziehen" in client.get(url).get_data(as_text=True)


def test_unknown_user_and_assignment(client, admin):
    assert client.get("/verwaltung/benutzer/999999").status_code == 404
    url = f"/verwaltung/benutzer/{admin}"
    response = post_form(client, f"{url}/rollen/999999/entziehen", {}, form_url=url)
    assert response.status_code == 302
    assert "gibt es nicht" in client.get(url).get_data(as_text=True)


def test_staff_two_factor_setting_is_audited(app, client, admin):
    response = post_form(
        client,
        "/verwaltung/benutzer/zwei-faktor-pflicht",
        {"require_staff_totp": "y"},
        form_url="/verwaltung/benutzer",
    )
    assert response.status_code == 302
    with app.app_context():
        assert require_staff_totp() is True
    [event] = _events(app, "settings.changed")
    assert event.details["key"] == "accounts.require_staff_totp"
    assert event.details["new"] is True
