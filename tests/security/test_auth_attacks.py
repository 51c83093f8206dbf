"""Sign-in attacks: open redirects, session fixation, brute force, user enumeration."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import TEST_PASSWORD
from tests.security.conftest import World
from tests.security.conftest import routes
from tests.security.conftest import sign_in
from tests.security.htmlforms import forms_of

EXTERNAL = [
    "//evil.example",
    "https://evil.example",
    "http://evil.example/anmelden",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    " //evil.example",
    "///evil.example",
    "https:evil.example",
    "https:/evil.example",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.domain)",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example@localhost",
    "http://localhost@evil.example",
]
REDIRECT_PARAMETERS = ("next", "return_to", "redirect", "back", "url", "target", "ziel", "zurueck")


def _is_local(location: str) -> bool:
    """A Location the browser resolves to this site."""
    if re.search(r"[\\\t\n\r]", location):
        return False
    parts = urlsplit(location)
    if parts.scheme not in ("", "http", "https"):
        return False
    if parts.netloc not in ("", "localhost"):
        return False
    return not location.lstrip().startswith("//")


def _login_form(client: FlaskClient, next_value: str | None = None) -> dict[str, str]:
    url = "/anmelden" + (f"?next={next_value}" if next_value is not None else "")
    form = next(f for f in forms_of(client.get(url).get_data(as_text=True)) if "password" in f.kinds)
    return dict(form.fields)


def test_sign_in_never_redirects_off_site(app: Flask, world: World) -> None:
    from urllib.parse import quote

    for target in EXTERNAL[:6]:  # through the form (each costs a password check)
        client = app.test_client()
        data = _login_form(client, quote(target, safe=""))
        data.update(email="owner@example.org", password=TEST_PASSWORD, next=target)
        response = client.post("/anmelden", data=data)
        assert response.status_code in (302, 303)
        assert _is_local(response.headers["Location"]), (target, response.headers["Location"])
    for target in EXTERNAL:  # already signed in: /anmelden?next=... redirects at once
        again = client.get("/anmelden", query_string={"next": target})
        assert again.status_code in (302, 303) and _is_local(again.headers["Location"]), target


def test_no_route_turns_a_parameter_into_an_external_location(app: Flask, world: World) -> None:
    """Every GET route with redirect-like parameters (and the language switch) stays on the site."""
    checked = 0
    for role in ("visitor", "citizen"):
        client = app.test_client()
        sign_in(client, world.people[role])
        for rule in routes(app, {"GET"}):
            url = world.url_for_rule(rule)
            if not url or url.endswith(".pdf"):
                continue
            # One request per route: each redirect-like parameter carries another external target.
            query = {name: EXTERNAL[n % len(EXTERNAL)] for n, name in enumerate(REDIRECT_PARAMETERS)}
            response = client.get(url, query_string=query | {"lang": "en"})
            checked += 1
            location = response.headers.get("Location")
            if location:
                assert _is_local(location), f"{role} GET {url}: Location {location}"
    assert checked > 100


def test_session_is_renewed_at_sign_in(app: Flask, world: World) -> None:
    """Session fixation: what was planted before the sign-in is gone, the cookie is a new one."""
    client = app.test_client()
    data = _login_form(client)
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    before = client.get_cookie("session")
    assert before is not None
    data.update(email="owner@example.org", password=TEST_PASSWORD)
    response = client.post("/anmelden", data=data)
    assert response.status_code in (302, 303)
    after = client.get_cookie("session")
    assert after is not None and after.value != before.value
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("_user_id")
    cookie = next(
        v for k, v in response.headers.items() if k.lower() == "set-cookie" and v.startswith("session=")
    )
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def _attempt(client: FlaskClient, data: dict[str, str], address: str) -> int:
    return client.post("/anmelden", data=data, environ_base={"REMOTE_ADDR": address}).status_code


def test_password_guessing_is_held_by_rate_limits(app: Flask, world: World) -> None:
    client = app.test_client()
    data = _login_form(client)
    data.update(email="owner@example.org", password="wrong password 1")
    statuses = [_attempt(client, data, "198.51.100.7") for _ in range(12)]
    assert 429 in statuses, statuses
    first_refusal = statuses.index(429)
    assert first_refusal <= 10, statuses
    # Even the right password is refused while the limit holds (no oracle for the guesser).
    data["password"] = TEST_PASSWORD
    assert _attempt(client, data, "198.51.100.7") == 429


def test_password_guessing_from_many_addresses_is_held_per_account(app: Flask, world: World) -> None:
    client = app.test_client()
    data = _login_form(client)
    data.update(email="owner@example.org", password="wrong password")
    statuses = [_attempt(client, data, f"203.0.113.{n}") for n in range(1, 14)]
    assert 429 in statuses, statuses


def _normalised(html: str) -> str:
    html = re.sub(r'name="csrf_token"[^>]*>', "", html)
    html = re.sub(r'value="[^"]*"', 'value=""', html)
    return html


def test_sign_in_does_not_tell_whether_an_address_exists(app: Flask, world: World) -> None:
    answers = []
    for email in ("owner@example.org", "nobody-here@example.org"):
        client = app.test_client()
        data = _login_form(client)
        data.update(email=email, password="wrong password")
        response = client.post("/anmelden", data=data)
        answers.append((response.status_code, _normalised(response.get_data(as_text=True))))
    assert answers[0] == answers[1]


@pytest.mark.parametrize(("url", "field"), [("/registrieren", "password"), ("/passwort-vergessen", "email")])
def test_registration_and_reset_do_not_tell_whether_an_address_exists(
    app: Flask, world: World, url: str, field: str
) -> None:
    answers = []
    for email in ("owner@example.org", "brand-new@example.org"):
        client = app.test_client()
        form = next(f for f in forms_of(client.get(url).get_data(as_text=True)) if field in f.kinds)
        data = dict(form.fields)
        for name, values in form.options.items():
            data.setdefault(name, next((v for v in values if v), ""))
        for name, kind in form.kinds.items():
            if kind == "checkbox":
                data[name] = "y"
        secret = "ein langes sicheres Passwort 42"
        data.update(
            email=email, password=secret, password2=secret, confirm=secret, display_name="Neue Person"
        )
        for name, kind in form.kinds.items():
            if kind == "password":
                data[name] = "ein langes sicheres Passwort 42"
        response = client.post(url, data=data)
        answers.append((response.status_code, response.headers.get("Location")))
    assert answers[0] == answers[1]
    assert answers[0][0] in (302, 303), answers
