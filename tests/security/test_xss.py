"""Stored and reflected XSS: every payload of xss_payloads.txt through every field that is shown
again, sent through the real forms; every response and every page showing the text again must
hold no executable markup (no script, no event handler, no javascript:/data: URL, no inline style)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.security.conftest import World
from tests.security.conftest import sign_in
from tests.security.htmlforms import executable_markup
from tests.security.htmlforms import forms_of

pytestmark = pytest.mark.slow

PAYLOADS = [
    line
    for line in (Path(__file__).with_name("xss_payloads.txt").read_text(encoding="utf-8").splitlines())
    if line.strip() and not line.startswith("#:")
]
#: How many (payload, field) pairs went through the portal, for docs/security-testing.md.
TRIED: dict[str, int] = {}


def test_the_corpus_is_large_enough() -> None:
    assert len(PAYLOADS) >= 100
    assert len(set(PAYLOADS)) == len(PAYLOADS)


def _clean(html: str, where: str) -> None:
    if html.lstrip().startswith(("{", "[")):
        return  # JSON (the API): text in strings, served as application/json with nosniff
    found = executable_markup(html)
    assert not found, f"{where}: executable markup {found[:3]}"


def _form(client: FlaskClient, url: str, field: str) -> tuple[str, dict[str, Any]]:
    """The action and filled-in defaults of the POST form on ``url`` that has ``field``."""
    html = client.get(url).get_data(as_text=True)
    form = next(f for f in forms_of(html) if f.method == "post" and field in f.kinds)
    data: dict[str, Any] = dict(form.fields)
    for name, values in form.options.items():
        if not data.get(name):
            data[name] = next((v for v in values if v), "")
    return form.action or url, data


@pytest.fixture
def relaxed(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rate limits out of the way: the corpus is sent by one person in a second."""
    for key in ("RATELIMIT_PROPOSALS", "RATELIMIT_COMMENTS", "RATELIMIT_FLAGS"):
        monkeypatch.setitem(app.config, key, "100000 per second")


def test_proposal_title_and_body(app: Flask, world: World, relaxed: None) -> None:
    client = app.test_client()
    sign_in(client, world.people["citizen"])
    action, base = _form(client, "/vorschlaege/neu?unterziel=1.1", "title")
    shown = 0
    for number, payload in enumerate(PAYLOADS):
        data = {
            **base,
            "title": f"Vorschlag {number}: {payload}"[:150],
            "body": f"{payload}\n\nGenug Text, damit die Beschreibung lang genug ist. {payload}",
            "confirm": "1",
        }
        response = client.post(action, data=data)
        _clean(response.get_data(as_text=True), f"POST proposal {payload!r}")
        if response.status_code == 303:
            page = client.get(response.headers["Location"])
            assert page.status_code == 200
            _clean(page.get_data(as_text=True), f"proposal page {payload!r}")
            shown += 1
        if number % 3 == 0:  # the preview step shows the rendered Markdown too
            preview = client.post(action, data={k: v for k, v in data.items() if k != "confirm"})
            _clean(preview.get_data(as_text=True), f"preview {payload!r}")
    assert shown >= len(PAYLOADS) * 0.9
    for path in ("/vorschlaege", "/vorschlaege?sort=neu", "/api/v1/proposals", "/"):
        _clean(client.get(path).get_data(as_text=True), path)
    TRIED["proposal title and body"] = len(PAYLOADS) * 2


def test_comments_and_official_statements(app: Flask, world: World, relaxed: None) -> None:
    for role in ("citizen", "municipality_rep"):
        client = app.test_client()
        sign_in(client, world.people[role])
        page = f"/vorschlaege/{world.proposal}"
        action, base = _form(client, page, "body")
        corpus = PAYLOADS if role == "citizen" else PAYLOADS[::5]
        for payload in corpus:
            response = client.post(action, data={**base, "body": payload})
            assert response.status_code in (200, 303), (payload, response.status_code)
            _clean(response.get_data(as_text=True), f"comment {payload!r}")
        _clean(client.get(page).get_data(as_text=True), f"proposal page with {role}'s comments")
        TRIED[f"comment ({role})"] = len(corpus)


def test_search_queries(app: Flask, world: World) -> None:
    client = app.test_client()
    search_pages = ["/vorschlaege", "/massnahmen", "/verwaltung/benutzer", "/verwaltung/warteschlange"]
    admin = app.test_client()
    sign_in(admin, world.people["admin"])
    tried = 0
    for number, payload in enumerate(PAYLOADS):
        for path in search_pages:
            if path != "/vorschlaege" and number % 5:
                continue  # the public proposal search takes every payload, the others a fifth
            tried += 1
            who = admin if path.startswith("/verwaltung") else client
            response = who.get(path, query_string={"q": payload, "suche": payload})
            assert response.status_code < 500
            _clean(response.get_data(as_text=True), f"search {path} {payload!r}")
    TRIED["search query"] = tried


def test_display_name(app: Flask, world: World) -> None:
    client = app.test_client()
    sign_in(client, world.owner)
    action, base = _form(client, "/konto", "display_name")
    corpus = PAYLOADS[::3]
    for payload in corpus:
        response = client.post(action, data={**base, "display_name": payload[:60]})
        _clean(response.get_data(as_text=True), f"display name {payload!r}")
        _clean(client.get(f"/vorschlaege/{world.proposal}").get_data(as_text=True), f"author {payload!r}")
    TRIED["display name"] = len(corpus)


def test_admin_site_pages(app: Flask, world: World) -> None:
    from portal.extensions import db
    from portal.pages.services import seed_demo_pages

    with app.app_context():
        seed_demo_pages()
        db.session.commit()
    client = app.test_client()
    sign_in(client, world.people["admin"])
    action, base = _form(client, "/verwaltung/seiten/impressum", "csrf_token")
    text_fields = [
        name
        for name, kind in forms_of(client.get("/verwaltung/seiten/impressum").get_data(as_text=True))[
            -1
        ].kinds.items()
        if kind in ("text", "textarea")
    ]
    corpus = PAYLOADS[::4]
    for payload in corpus:
        data = {**base, **{name: f"{payload}\n\nImpressum des Landkreises." for name in text_fields}}
        response = client.post(action, data=data)
        _clean(response.get_data(as_text=True), f"site page form {payload!r}")
        _clean(client.get("/impressum").get_data(as_text=True), f"site page {payload!r}")
    TRIED["admin site page texts"] = len(corpus) * max(1, len(text_fields))


def test_measure_texts(app: Flask, world: World) -> None:
    client = app.test_client()
    sign_in(client, world.people["moderator"])
    html = client.get("/verwaltung/massnahmen/neu").get_data(as_text=True)
    form = next((f for f in forms_of(html) if f.method == "post" and "csrf_token" in f.fields), None)
    if form is None:
        pytest.fail("missing feature: no measure form at /verwaltung/massnahmen/neu")
    text_fields = [name for name, kind in form.kinds.items() if kind in ("text", "textarea")]
    base = dict(form.fields)
    for name, values in form.options.items():
        if not base.get(name):
            base[name] = next((v for v in values if v), "")
    corpus = PAYLOADS[::5]
    created = 0
    for payload in corpus:
        data = {**base, **{name: f"Maßnahme {payload}"[:150] for name in text_fields}}
        response = client.post(form.action or "/verwaltung/massnahmen/neu", data=data)
        _clean(response.get_data(as_text=True), f"measure form {payload!r}")
        if response.status_code in (302, 303):
            created += 1
            _clean(client.get(response.headers["Location"]).get_data(as_text=True), f"measure {payload!r}")
    for path in ("/massnahmen", "/massnahmen/uebersicht", "/konzept/entwurf"):
        _clean(client.get(path).get_data(as_text=True), path)
    TRIED["measure texts"] = len(corpus) * len(text_fields)
