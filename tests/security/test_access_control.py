"""Access control: every GET route × every role (from the URL map), admin-only routes, and
objects of another user, department or municipality (IDOR)."""

from __future__ import annotations

import inspect
import re
import time
from typing import Any

import pytest
from flask import Flask

from portal.core.permissions import registered_rules
from portal.extensions import db
from tests.conftest import csrf_token
from tests.security.conftest import NON_STAFF
from tests.security.conftest import ROLES
from tests.security.conftest import World
from tests.security.conftest import routes
from tests.security.conftest import sign_in

RULE_CALL = re.compile(r"""\b(?:require|can)\(\s*["']([\w.]+)["']""")
#: Figures for docs/security-testing.md.
FIGURES: dict[str, int] = {}
TIMINGS: dict[str, float] = {}


def _user(user_id: int | None) -> Any:
    from flask_login import AnonymousUserMixin

    from portal.accounts.models import User

    return AnonymousUserMixin() if user_id is None else db.session.get(User, user_id)


def _rules_of(app: Flask, endpoint: str) -> set[str]:
    """The permission rules a view checks (read from its source, including its module's helpers)."""
    view = app.view_functions[endpoint]
    try:
        source = inspect.getsource(inspect.unwrap(view))
    except (OSError, TypeError):
        return set()
    return set(RULE_CALL.findall(source))


def _admin_only_rules(app: Flask, full_world: World) -> set[str]:
    """Rules that a moderator fails and an admin passes (checked without an object)."""
    found = set()
    with app.test_request_context():
        moderator, admin = _user(full_world.people["moderator"]), _user(full_world.people["admin"])
        for name, check in registered_rules().items():
            try:
                if not check(moderator, None) and check(admin, None):
                    found.add(name)
            except Exception:
                continue
    return found


@pytest.mark.slow
def test_every_get_route_for_every_role(
    app: Flask, full_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No 500 anywhere; the back office (/verwaltung) never answers 200 to non-staff."""
    # Rendering a PDF takes seconds and is tested by the concept suite; access is what counts here.
    monkeypatch.setattr("portal.concept.views.render_pdf", lambda html: b"%PDF-1.7 stub", raising=False)
    rules = [rule for rule in routes(app, {"GET"})]
    problems: list[str] = []
    checked = 0
    for role in ROLES:
        client = app.test_client()
        sign_in(client, full_world.people[role])
        for rule in rules:
            url = full_world.url_for_rule(rule)
            if url is None:
                problems.append(f"no sample arguments for {rule.rule}")
                continue
            started = time.perf_counter()
            try:
                response = client.get(url)
            except Exception as error:  # the test client re-raises what would be a 500
                problems.append(f"{role} GET {url}: {type(error).__name__}: {error}")
                continue
            TIMINGS[url] = TIMINGS.get(url, 0.0) + time.perf_counter() - started
            checked += 1
            if response.status_code >= 500:
                problems.append(f"{role} GET {url}: {response.status_code}")
            if role in NON_STAFF and url.startswith("/verwaltung") and response.status_code == 200:
                problems.append(f"{role} GET {url}: 200 on a back-office page")
            if response.status_code in (301, 302, 303, 307, 308):
                location = response.headers.get("Location", "")
                if location.startswith(("//", "http")) and not location.startswith("http://localhost"):
                    problems.append(f"{role} GET {url}: redirect off-site to {location}")
    FIGURES["routes"], FIGURES["checks"] = len(rules), checked
    print(f"\naccess matrix: {len(rules)} GET routes × {len(ROLES)} roles = {checked} requests")
    assert not problems, "\n".join(problems)


def test_admin_only_routes_refuse_moderators_and_everyone_else(app: Flask, full_world: World) -> None:
    admin_rules = _admin_only_rules(app, full_world)
    assert admin_rules, "no admin-only permission rule found"
    guarded = [rule for rule in routes(app) if _rules_of(app, rule.endpoint) & admin_rules]
    assert guarded, "no route checks an admin-only rule"
    problems = []
    for role in ("visitor", "unverified", "citizen", "municipality_rep", "department_staff", "moderator"):
        client = app.test_client()
        sign_in(client, full_world.people[role])
        for rule in guarded:
            if "GET" not in (rule.methods or ()):
                continue
            url = full_world.url_for_rule(rule)
            if url and client.get(url).status_code == 200:
                problems.append(f"{role} reached the admin page {url}")
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_back_office_routes_need_staff(app: Flask, full_world: World) -> None:
    """Every /verwaltung route, any method: non-staff are refused (403 or sent to sign in)."""
    back_office = [rule for rule in routes(app) if rule.rule.startswith("/verwaltung")]
    assert back_office
    for role in NON_STAFF:
        client = app.test_client()
        sign_in(client, full_world.people[role])
        token = csrf_token(client, "/konto") if full_world.people[role] else None
        for rule in back_office:
            url = full_world.url_for_rule(rule)
            assert url
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                data = {"csrf_token": token} if token and method != "GET" else None
                if method != "GET" and token is None:
                    continue  # a visitor has no token; CSRF refuses (see test_csrf)
                response = client.open(url, method=method, data=data)
                assert response.status_code in (302, 303, 403, 404), (
                    f"{role} {method} {url}: {response.status_code}"
                )
                if response.status_code in (302, 303):
                    assert (
                        "/anmelden" in response.headers["Location"]
                        or "/konto" in response.headers["Location"]
                    )


# --- objects of someone else (IDOR) ---------------------------------------------------------------


def _counts(app: Flask, full_world: World) -> tuple[str, str, str]:
    from portal.comments.models import Comment
    from portal.proposals.models import Proposal

    with app.app_context():
        proposal = db.session.get(Proposal, full_world.proposal)
        comment = db.session.get(Comment, full_world.comment)
        return proposal.title, str(proposal.status), comment.body


@pytest.mark.parametrize("role", ["citizen", "municipality_rep", "department_staff", "unverified"])
def test_someone_elses_proposal_and_comment_cannot_be_changed(
    app: Flask, full_world: World, role: str
) -> None:
    before = _counts(app, full_world)
    client = app.test_client()
    sign_in(client, full_world.people[role])
    token = csrf_token(client, "/konto")
    attempts = {
        f"/vorschlaege/{full_world.proposal}/bearbeiten": {
            "title": "Übernommen von jemand anderem",
            "body": "x" * 40,
        },
        f"/vorschlaege/{full_world.proposal}/zurueckziehen": {"confirm": "1"},
        f"/kommentare/{full_world.comment}/bearbeiten": {"body": "Übernommen"},
        f"/kommentare/{full_world.comment}/loeschen": {"confirm": "1"},
    }
    for url, data in attempts.items():
        if not any(rule.rule.split("<")[0] in url for rule in routes(app)):
            continue
        assert client.get(url).status_code in (403, 404), f"GET {url}"
        response = client.post(url, data={**data, "csrf_token": token})
        assert response.status_code in (403, 404), f"POST {url}: {response.status_code}"
    assert _counts(app, full_world) == before


def _blueprint_rules(app: Flask, prefix: str) -> list[Any]:
    return [rule for rule in routes(app) if rule.endpoint.startswith(prefix)]


def test_another_departments_assessment_is_refused(app: Flask, full_world: World, create_user) -> None:  # type: ignore[no-untyped-def]
    """Staff of one department neither read nor write the assessment of a proposal assigned to another."""
    if not _blueprint_rules(app, "assessments."):
        pytest.fail("missing feature: no assessments routes registered (portal/assessments views)")
    from portal.assessments.models import Assessment
    from portal.assessments.models import ProposalDepartment
    from portal.organisations.models import Department

    own, other = full_world.departments
    with app.app_context():
        other_id = db.session.query(Department.id).filter_by(key=other).scalar()
        db.session.add(ProposalDepartment(proposal_id=full_world.proposal, department_id=other_id))
        db.session.commit()
        before = db.session.query(Assessment).count()
    client = app.test_client()
    sign_in(client, create_user("department_staff", department=own))
    token = csrf_token(client, "/konto")
    assert client.get(f"/verwaltung/bewertungen/{full_world.proposal}").status_code in (403, 404)
    for rule in _blueprint_rules(app, "assessments.save"):
        url = rule.build({"proposal_id": full_world.proposal, "department_key": other}, append_unknown=False)[
            1
        ]
        response = client.post(
            url, data={"csrf_token": token, "summary": "Übernommen", "feasibility": "high"}
        )
        assert response.status_code in (403, 404), f"POST {url}: {response.status_code}"
    with app.app_context():
        assert db.session.query(Assessment).count() == before


def test_another_municipalitys_statement_request_cannot_be_answered(
    app: Flask, full_world: World, create_user
) -> None:  # type: ignore[no-untyped-def]
    """Helmstedt's representative cannot answer a statement request addressed to Schöningen."""
    if not _blueprint_rules(app, "statements.answer"):
        pytest.fail("missing feature: no statements.answer route registered (portal/statements views)")
    from datetime import timedelta

    from portal.core import clock
    from portal.organisations.models import Municipality
    from portal.statements import models as sm

    with app.app_context():
        schoeningen = db.session.query(Municipality).filter_by(key="schoeningen").one()
        request = sm.StatementRequest(
            title="Stellungnahme zum Entwurf", subject=next(iter(sm.Subject)),
            deadline=clock.today() + timedelta(days=14), created_by_id=full_world.people["moderator"],
        )  # fmt: skip
        request.municipalities.append(sm.StatementRequestMunicipality(municipality_id=schoeningen.id))
        db.session.add(request)
        db.session.commit()
        request_id = request.id
        answers_before = db.session.query(sm.StatementAnswer).count()
    client = app.test_client()
    sign_in(client, create_user("municipality_rep", municipality="helmstedt"))
    token = csrf_token(client, "/konto")
    url = f"/stellungnahmen/{request_id}"
    page = client.get(url)
    assert page.status_code in (200, 403, 404)
    response = client.post(url, data={"csrf_token": token, "body": "Übernommene Stellungnahme", "text": "x"})
    assert response.status_code in (400, 403, 404) or response.status_code == 200, response.status_code
    with app.app_context():
        assert db.session.query(sm.StatementAnswer).count() == answers_before
        asked = db.session.query(sm.StatementRequestMunicipality).filter_by(request_id=request_id).one()
        assert asked.answered_at is None
