"""CSRF: every state-changing route of the URL map refuses a request without a valid token.

The requests come from signed-in users who may do the action (the admin, and the owner of the
objects in the URL), so the 400 is CSRF's refusal, not a permission's.
"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func
from sqlalchemy import select

from portal.extensions import csrf
from portal.extensions import db
from tests.conftest import csrf_token
from tests.security.conftest import STATE_CHANGING
from tests.security.conftest import World
from tests.security.conftest import routes
from tests.security.conftest import sign_in


def _state(app: Flask) -> dict[str, int]:
    """Row counts of every table: a refused request changes none."""
    with app.app_context():
        return {
            table.name: db.session.scalar(select(func.count()).select_from(table)) or 0
            for table in db.metadata.sorted_tables
        }


def test_only_read_only_blueprints_are_exempt(app: Flask) -> None:
    """The read-only API may be exempt (no cookies change anything there); nothing that writes."""
    assert not csrf._exempt_views, f"CSRF-exempt views: {sorted(csrf._exempt_views)}"  # type: ignore[attr-defined]
    for blueprint in csrf._exempt_blueprints:  # type: ignore[attr-defined]
        name = getattr(blueprint, "name", blueprint)
        writing = [rule.rule for rule in routes(app, STATE_CHANGING) if rule.endpoint.startswith(f"{name}.")]
        assert not writing, f"CSRF-exempt blueprint {name} has state-changing routes: {writing}"
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    assert app.config.get("WTF_CSRF_CHECK_DEFAULT", True) is True


def test_every_state_changing_route_refuses_a_missing_or_foreign_token(app: Flask, full_world: World) -> None:
    rules = routes(app, STATE_CHANGING)
    assert len(rules) >= 20, "the URL map lists suspiciously few state-changing routes"
    foreign = app.test_client()
    sign_in(foreign, full_world.people["citizen"])
    foreign_token = csrf_token(foreign, "/konto")
    before = _state(app)
    checked = 0
    for user in (full_world.people["admin"], full_world.owner):
        client = app.test_client()
        sign_in(client, user)
        client.get("/")  # the session has a CSRF secret of its own
        for rule in rules:
            url = full_world.url_for_rule(rule)
            assert url, f"no sample arguments for {rule.rule}"
            for method in sorted(set(rule.methods or ()) & STATE_CHANGING):
                for data in ({"title": "x"}, {"csrf_token": "forged"}, {"csrf_token": foreign_token}):
                    response = client.open(url, method=method, data=data)
                    assert response.status_code == 400, (
                        f"{method} {url} with {sorted(data)} answered {response.status_code}"
                    )
                    checked += 1
    assert _state(app) == before
    print(f"\nCSRF: {len({r.rule for r in rules})} state-changing routes, {checked} forged requests refused")


@pytest.mark.parametrize("header", [{}, {"X-CSRFToken": "forged"}])
def test_json_bodies_do_not_bypass_csrf(app: Flask, full_world: World, header: dict[str, str]) -> None:
    client = app.test_client()
    sign_in(client, full_world.people["citizen"])
    response = client.post(f"/vorschlaege/{full_world.proposal}/unterstuetzen", json={}, headers=header)
    assert response.status_code == 400
