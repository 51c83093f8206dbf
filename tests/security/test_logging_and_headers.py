"""Logs hold no secrets; security events are logged; security.txt; security headers."""

from __future__ import annotations

import logging

import pytest
from flask import Flask

from portal.core.logging import SECURITY_LOGGER
from portal.core.logging import RedactSecrets
from portal.core.logging import redact
from tests.conftest import TEST_PASSWORD
from tests.security.conftest import World
from tests.security.conftest import sign_in
from tests.security.htmlforms import forms_of

SECRETS = [
    ("password=hunter2-geheim", "hunter2-geheim"),
    ('{"password": "hunter2-geheim"}', "hunter2-geheim"),
    ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc.def", "eyJhbGciOiJIUzI1NiJ9"),
    ("Authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz"),
    ("Cookie: session=.eJwlzjEOwzAIAMC_MHvAGBvIZyqDQe2aNFPVv7dS55vuA4864nrC8T7", ".eJwlzjEOwzAIAMC"),
    ("Set-Cookie: remember_token=42|abcdef0123456789; HttpOnly", "abcdef0123456789"),
    ("csrf_token=IjQ5ZmE2YzQ4ZDk1ZmM1", "IjQ5ZmE2YzQ4ZDk1ZmM1"),
    ("GET /passwort-neu/InVzZXIxIg.Zx9Q.abcdefghijklmnopqrstuvwx HTTP/1.1", "InVzZXIxIg.Zx9Q"),
    ("smtp_password='s3cr3t-smtp'", "s3cr3t-smtp"),
    ("totp_secret=JBSWY3DPEHPK3PXP", "JBSWY3DPEHPK3PXP"),
]


@pytest.mark.parametrize(("line", "secret"), SECRETS)
def test_secrets_are_redacted(line: str, secret: str) -> None:
    assert secret not in redact(line)


def test_filter_scrubs_arguments_and_extra_fields() -> None:
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "login %s with %s", ("a@b.de", "password=pw123456"), None
    )
    record.password = "pw123456"
    record.headers = {"Authorization": "Bearer tok-123456", "Accept": "text/html"}
    RedactSecrets().filter(record)
    text = record.getMessage() + repr(vars(record))
    assert "pw123456" not in text and "tok-123456" not in text
    assert "text/html" in text


def test_sign_in_failure_is_logged_without_the_password(
    app: Flask, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    client = app.test_client()
    form = next(f for f in forms_of(client.get("/anmelden").get_data(as_text=True)) if "password" in f.kinds)
    caplog.set_level(logging.DEBUG)
    client.post(
        "/anmelden", data={**form.fields, "email": "owner@example.org", "password": "Falsch-Geheim-123"}
    )
    client.post("/anmelden", data={**form.fields, "email": "owner@example.org", "password": TEST_PASSWORD})
    everything = caplog.text + repr([vars(r) for r in caplog.records])
    assert "Falsch-Geheim-123" not in everything
    assert TEST_PASSWORD not in everything
    assert "owner@example.org" not in [r.getMessage() for r in caplog.records if r.name == SECURITY_LOGGER]
    assert any("event=login_failed" in r.getMessage() for r in caplog.records if r.name == SECURITY_LOGGER)


def test_refusals_and_rate_limits_are_logged(
    app: Flask, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    client = app.test_client()
    sign_in(client, world.people["citizen"])
    caplog.set_level(logging.INFO, logger=SECURITY_LOGGER)
    assert client.get("/verwaltung/benutzer").status_code == 403
    assert client.post("/abmelden").status_code == 400  # no CSRF token
    messages = [r.getMessage() for r in caplog.records if r.name == SECURITY_LOGGER]
    assert any("event=permission_denied" in m and "/verwaltung/benutzer" in m for m in messages)
    assert any("event=bad_request" in m for m in messages)
    anonymous = app.test_client()
    form = next(
        f for f in forms_of(anonymous.get("/anmelden").get_data(as_text=True)) if "password" in f.kinds
    )
    for _ in range(12):
        anonymous.post("/anmelden", data={**form.fields, "email": "x@example.org", "password": "nope"},
                       environ_base={"REMOTE_ADDR": "192.0.2.77"})  # fmt: skip
    messages = [r.getMessage() for r in caplog.records if r.name == SECURITY_LOGGER]
    assert any("event=rate_limited" in m for m in messages)


def test_role_changes_are_logged(
    app: Flask, world: World, create_user, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO, logger=SECURITY_LOGGER)
    create_user("moderator")
    assert any("event=role_granted" in r.getMessage() for r in caplog.records if r.name == SECURITY_LOGGER)


def test_security_txt(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    for field in ("Contact: ", "Expires: ", "Preferred-Languages: ", "Canonical: "):
        assert field in text


@pytest.mark.parametrize("path", ["/", "/anmelden", "/vorschlaege", "/gibt-es-nicht", "/healthz"])
def test_security_headers_everywhere(client, demo, path: str) -> None:  # type: ignore[no-untyped-def]
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "object-src 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
