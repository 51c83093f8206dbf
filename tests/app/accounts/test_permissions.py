"""Every account and administration route × every role (visitor included), and other people's objects."""

from __future__ import annotations

import pytest

from portal.accounts.models import User
from portal.core.permissions import registered_rules
from portal.extensions import db
from tests.conftest import login
from tests.conftest import post_form

ROLES = ["visitor", "unverified", "citizen", "municipality_rep", "department_staff", "moderator", "admin"]
SIGNED_IN = ROLES[1:]
VERIFIED = ROLES[2:]

#: (method, url, roles that may) — "{other}" is another person's account id.
ROUTES = [
    ("GET", "/konto", SIGNED_IN),
    ("GET", "/konto/daten", SIGNED_IN),
    ("GET", "/konto/loeschen", SIGNED_IN),
    ("GET", "/konto/e-mail", VERIFIED),
    ("GET", "/konto/passwort", VERIFIED),
    ("GET", "/konto/zwei-faktor", VERIFIED),
    ("POST", "/konto/zwei-faktor/aus", VERIFIED),
    ("GET", "/verwaltung/benutzer", ["admin"]),
    ("GET", "/verwaltung/benutzer/einladen", ["admin"]),
    ("GET", "/verwaltung/benutzer/{other}", ["admin"]),
    ("GET", "/verwaltung/benutzer/{me}", ["admin"]),
    ("POST", "/verwaltung/benutzer/{other}", ["admin"]),
    ("POST", "/verwaltung/benutzer/{other}/rollen/{assignment}/entziehen", ["admin"]),
    ("POST", "/verwaltung/benutzer/zwei-faktor-pflicht", ["admin"]),
    ("GET", "/verwaltung/seiten", ["admin"]),
    ("GET", "/verwaltung/seiten/impressum", ["admin"]),
    ("POST", "/verwaltung/seiten/datenschutz", ["admin"]),
]

ACCOUNT_OPTIONS = {
    "visitor": None,
    "unverified": {"verified": False},
    "citizen": {},
    "municipality_rep": {"role": "municipality_rep", "municipality": "schoeningen"},
    "department_staff": {"role": "department_staff", "department": "demo-bauen-umwelt"},
    "moderator": {"role": "moderator"},
    "admin": {"role": "admin"},
}


@pytest.fixture
def people(app, create_user, demo):  # type: ignore[no-untyped-def]
    other = create_user("municipality_rep", municipality="helmstedt", email="someone.else@example.org")
    with app.app_context():
        assignment = db.session.get(User, other).roles[0].id
    return {"other": other, "assignment": assignment}


def _as(client, create_user, role):  # type: ignore[no-untyped-def]
    options = ACCOUNT_OPTIONS[role]
    if options is None:
        return None
    options = dict(options)
    user_id = create_user(options.pop("role", None), **options)
    login(client, user_id)
    return user_id


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "allowed"), ROUTES, ids=[f"{m} {u}" for m, u, _ in ROUTES])
def test_route_matrix(client, create_user, people, role, method, url, allowed):
    me = _as(client, create_user, role)
    target = url.format(other=people["other"], assignment=people["assignment"], me=me or people["other"])
    if method == "GET":
        response = client.get(target)
    else:
        response = post_form(client, target, {}, form_url="/passwort-vergessen")
    if role == "visitor":
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/anmelden?next=")
    elif role in allowed:
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert not response.headers["Location"].startswith("/anmelden")
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_public_account_pages(client, create_user, demo, role):
    me = _as(client, create_user, role)
    for url in ("/registrieren", "/anmelden", "/passwort-vergessen"):
        response = client.get(url)
        if me is None or url == "/passwort-vergessen":
            assert response.status_code == 200, url
        else:
            assert response.status_code == 302, url
    for url in (
        "/impressum",
        "/datenschutz",
        "/barrierefreiheit",
        "/nutzungsbedingungen",
        "/e-mail-gesendet",
    ):
        assert client.get(url).status_code == 200, url


def test_an_unverified_admin_is_no_admin(client, create_user):
    login(client, create_user("admin", verified=False))
    assert client.get("/verwaltung/benutzer").status_code == 403


def test_the_rules_are_registered():
    assert {
        "accounts.view_own",
        "accounts.edit_own",
        "accounts.manage_users",
        "accounts.manage_roles",
        "pages.edit",
    } <= set(registered_rules())
