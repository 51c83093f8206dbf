"""Regressions of what hit other participation platforms, one test each (the race on
endorsements runs on PostgreSQL in tests/faults/test_races.py; a quick sequential check is here)."""

from __future__ import annotations

import json

from flask import Flask
from sqlalchemy import func
from sqlalchemy import select

from portal.extensions import db
from tests.conftest import csrf_token
from tests.security.conftest import World
from tests.security.conftest import sign_in
from tests.security.htmlforms import executable_markup
from tests.security.htmlforms import forms_of


def _supports(app: Flask, proposal_id: int) -> int:
    from portal.proposals.models import Support

    with app.app_context():
        return db.session.scalar(select(func.count()).where(Support.proposal_id == proposal_id)) or 0


def test_script_in_user_content_cannot_make_visitors_support(app: Flask, world: World) -> None:
    target = f"/vorschlaege/{world.proposal}/unterstuetzen"
    attacker = app.test_client()
    sign_in(attacker, world.people["municipality_rep"])
    page = f"/vorschlaege/{world.proposal}"
    form = next(f for f in forms_of(attacker.get(page).get_data(as_text=True)) if "body" in f.kinds)
    bait = (
        f'<form method="post" action="{target}"><button>Gewinnspiel</button></form>'
        f'<img src="{target}"><script>fetch("{target}",{{method:"POST"}})</script>'
        f"[Jetzt gewinnen]({target})"
    )
    attacker.post(form.action, data={**form.fields, "body": bait})
    visitor = app.test_client()
    sign_in(visitor, world.people["citizen"])
    html = visitor.get(page).get_data(as_text=True)
    assert not executable_markup(html)
    # No form of the attacker's reaches the page: the only support form is the portal's own.
    support_forms = [f for f in forms_of(html) if f.action.endswith("/unterstuetzen")]
    assert all(f.fields.get("csrf_token") for f in support_forms)
    # What the markup would have sent: a GET, or a POST without the visitor's token.
    assert visitor.get(target).status_code == 405
    assert visitor.post(target).status_code == 400
    assert _supports(app, world.proposal) == 0


def test_data_export_holds_only_the_own_data(app: Flask, world: World) -> None:
    client = app.test_client()
    sign_in(client, world.people["citizen"])
    response = client.get("/konto/daten")
    assert response.status_code == 200
    assert response.headers.get("Cache-Control", "").startswith("no-store")
    text = response.get_data(as_text=True)
    data = json.loads(text)
    assert data
    for foreign in ("owner@example.org", "Olga Owner", "Ein Kommentar von jemand anderem", "Mona Mod"):
        assert foreign not in text, f"the export leaks {foreign!r}"
    assert "Carla Citizen" in text
    # Nobody reaches another person's export: there is no id in the URL, and visitors sign in first.
    assert app.test_client().get("/konto/daten").status_code in (302, 303, 401)


def test_a_second_support_by_the_same_person_does_not_count(app: Flask, world: World) -> None:
    client = app.test_client()
    sign_in(client, world.people["citizen"])
    token = csrf_token(client, f"/vorschlaege/{world.proposal}")
    for _ in range(3):
        client.post(f"/vorschlaege/{world.proposal}/unterstuetzen", data={"csrf_token": token})
    assert _supports(app, world.proposal) == 1


def test_back_office_pages_are_not_reachable_by_others(app: Flask, world: World) -> None:
    for role in ("visitor", "unverified", "citizen", "municipality_rep"):
        client = app.test_client()
        sign_in(client, world.people[role])
        for path in (
            "/verwaltung",
            "/verwaltung/warteschlange",
            "/verwaltung/benutzer",
            "/verwaltung/protokoll",
        ):
            assert client.get(path).status_code != 200, (role, path)
    moderator = app.test_client()
    sign_in(moderator, world.people["moderator"])
    for path in ("/verwaltung/benutzer", "/verwaltung/protokoll", "/verwaltung/einstellungen"):
        assert moderator.get(path).status_code in (403, 404), path
