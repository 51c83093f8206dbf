"""Prioritisation and statistics in a real browser: casting and changing a ballot (with and
without JavaScript), the results and statistics pages; axe-core, Nu checker, 320 px reflow."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from datetime import timedelta

import pytest
from flask import Flask
from playwright.sync_api import Browser
from playwright.sync_api import Page
from playwright.sync_api import expect

from portal.core import clock
from portal.extensions import db
from tests.browser.helpers import HtmlChecker
from tests.browser.helpers import Visitor
from tests.browser.helpers import describe_violations
from tests.browser.helpers import run_axe
from tests.browser.helpers import run_last

#: The live server imports the demo on 2026-11-25; its prioritisation runs from +90 to +119.
IMPORT_DAY = date(2026, 11, 25)
DURING = IMPORT_DAY + timedelta(days=95)
AFTER = IMPORT_DAY + timedelta(days=125)
PASSWORD = "correct horse battery staple"

#: The pages of this domain, for the Nu HTML checker (collected while the tests run).
OWN_PAGES: dict[str, bytes] = {}


@pytest.fixture
def during() -> Iterator[None]:
    """Move the live server's clock (same process) into the prioritisation phase."""
    clock.freeze(DURING)
    yield
    clock.freeze(None)


@pytest.fixture
def voter(live_app: Flask) -> str:
    """A verified citizen in the live database; returns the e-mail address."""
    from portal.accounts.models import User
    from portal.accounts.passwords import hash_password

    email = f"voter-{uuid.uuid4().hex[:8]}@example.org"
    with live_app.app_context():
        db.session.add(
            User(
                email=email,
                display_name="Wählerin",
                password_hash=hash_password(PASSWORD),
                email_verified_at=clock.now(),
            )
        )
        db.session.commit()
        db.session.remove()
    return email


@pytest.fixture
def representative(live_app: Flask) -> str:
    """A verified representative of Stadt Helmstedt in the live database; returns the address."""
    from sqlalchemy import select

    from portal.accounts.models import Role
    from portal.accounts.models import RoleAssignment
    from portal.accounts.models import User
    from portal.accounts.passwords import hash_password
    from portal.organisations.models import Municipality

    email = f"rep-{uuid.uuid4().hex[:8]}@example.org"
    with live_app.app_context():
        helmstedt = db.session.scalar(select(Municipality.id).where(Municipality.key == "helmstedt"))
        user = User(
            email=email,
            display_name="Vertretung",
            password_hash=hash_password(PASSWORD),
            email_verified_at=clock.now(),
        )
        user.roles.append(RoleAssignment(role=Role.MUNICIPALITY_REP, municipality_id=helmstedt))
        db.session.add(user)
        db.session.commit()
        db.session.remove()
    return email


def sign_in(page: Page, base_url: str, email: str) -> None:
    page.goto(base_url + "/anmelden")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert "/anmelden" not in page.url, "sign-in failed"


def keep(visit: Visitor, path: str, status: int = 200) -> None:
    """Visit ``path`` and keep its raw HTML for this module's Nu check."""
    response = visit(path, status)
    OWN_PAGES[path] = response.body()


def assert_axe_clean(page: Page) -> None:
    violations = run_axe(page)
    assert not violations, f"{page.url}\n{describe_violations(violations)}"


def test_cast_and_change_a_ballot(page: Page, base_url: str, visit: Visitor, voter: str, during: None):
    sign_in(page, base_url, voter)
    keep(visit, "/priorisierung")
    assert_axe_clean(page)
    status = page.locator(".ballot__status")
    expect(status).to_contain_text("Verteilte Punkte: 0 von 10.")

    # the script shows the points distributed while typing
    page.get_by_label("1.1 attraktiven Wohnraum").fill("3")
    page.get_by_label("2.1 Gewerbe- und Industriestandort").fill("3")
    expect(status).to_contain_text("Verteilte Punkte: 6 von 10.")

    # a wrong total is explained by the server, the typed values stay
    page.get_by_role("button", name="Meine Prioritäten speichern").click()
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Sie haben 6 von 10 Punkten verteilt")
    expect(page.get_by_label("1.1 attraktiven Wohnraum")).to_have_value("3")
    OWN_PAGES["/priorisierung (error)"] = page.content().encode()
    assert_axe_clean(page)

    page.get_by_label("3.1 finanzielle Handlungsfähigkeit").fill("3")
    page.locator("input[name=points_1_2]").fill("1")
    expect(status).to_contain_text("Verteilte Punkte: 10 von 10.")
    page.get_by_role("button", name="Meine Prioritäten speichern").click()
    page.wait_for_load_state()
    expect(page.locator(".flash-messages")).to_contain_text("Ihre Prioritäten wurden gespeichert")
    expect(page.locator("input[name=points_3_1]")).to_have_value("3")

    # change it: move the points of 1.2 to 1.3
    page.locator("input[name=points_1_2]").fill("0")
    page.locator("input[name=points_1_3]").fill("1")
    page.get_by_role("button", name="Meine Prioritäten speichern").click()
    page.wait_for_load_state()
    expect(page.locator(".flash-messages")).to_contain_text("Ihre Prioritäten wurden gespeichert")
    expect(page.locator("input[name=points_1_2]")).to_have_value("0")
    expect(page.locator("input[name=points_1_3]")).to_have_value("1")
    expect(page.get_by_text("Sie haben bereits abgestimmt")).to_be_visible()


def test_the_ballot_works_without_javascript(browser: Browser, base_url: str, voter: str, during: None):
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    try:
        page = context.new_page()
        sign_in(page, base_url, voter)
        page.goto(base_url + "/priorisierung")
        ballot = {"points_1_1": "3", "points_1_2": "3", "points_2_1": "3", "points_3_1": "1"}
        for name, value in ballot.items():
            page.locator(f"input[name={name}]").fill(value)
        page.get_by_role("button", name="Meine Prioritäten speichern").click()
        page.wait_for_load_state()
        expect(page.locator(".flash-messages")).to_contain_text("Ihre Prioritäten wurden gespeichert")
        expect(page.locator("input[name=points_2_1]")).to_have_value("3")
    finally:
        context.close()


def test_official_ballot_and_closed_ballot_pages(
    page: Page, base_url: str, visit: Visitor, representative: str, during: None
):
    sign_in(page, base_url, representative)
    keep(visit, "/priorisierung/gemeinde/helmstedt")
    assert_axe_clean(page)
    for name, value in {"points_1_1": "3", "points_2_1": "3", "points_2_2": "3", "points_3_1": "1"}.items():
        page.locator(f"input[name={name}]").fill(value)
    page.get_by_role("button", name="Offizielle Prioritäten speichern").click()
    page.wait_for_load_state()
    expect(page.locator(".flash-messages")).to_contain_text("Die offiziellen Prioritäten")
    clock.freeze(AFTER)  # a month later: the idle session has ended, sign in again
    sign_in(page, base_url, representative)
    keep(visit, "/priorisierung")
    assert_axe_clean(page)
    expect(page.get_by_text("Die Priorisierung ist beendet")).to_be_visible()
    keep(visit, "/priorisierung/gemeinde/helmstedt")
    assert_axe_clean(page)
    keep(visit, "/priorisierung/ergebnisse")
    official = page.get_by_role("region", name="Offizielle Prioritäten der Gemeinden")
    expect(official.get_by_role("columnheader", name="Stadt Helmstedt")).to_be_visible()
    assert_axe_clean(page)


def test_results_and_statistics_pages(page: Page, visit: Visitor):
    clock.freeze(AFTER)
    try:
        pages = ("/priorisierung/ergebnisse", "/priorisierung/ergebnisse?gemeinde=helmstedt", "/statistik")
        for path in pages:
            keep(visit, path)
            assert_axe_clean(page)
            assert page.locator("svg[role=img]").count() >= 1
        keep(visit, "/priorisierung/ergebnisse?lang=en")
        assert_axe_clean(page)
        keep(visit, "/statistik?lang=en")
        assert_axe_clean(page)
    finally:
        clock.freeze(None)


@pytest.mark.parametrize("path", ["/priorisierung/ergebnisse", "/statistik"])
def test_pages_reflow_at_320_px(page: Page, visit: Visitor, path: str):
    clock.freeze(AFTER)
    try:
        page.set_viewport_size({"width": 320, "height": 640})
        visit(path)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways at 320 px by {overflow}px"
    finally:
        clock.freeze(None)


@run_last
def test_priority_pages_are_valid_html(tmp_path) -> None:
    """This module's pages through the Nu HTML checker (the public-pages test checks them too)."""
    if not OWN_PAGES:
        pytest.skip("no pages collected")
    checker = HtmlChecker(tmp_path)
    for path, html in OWN_PAGES.items():
        checker.add(path, html)
    messages = checker.check()
    assert not messages, f"Nu HTML checker, {len(messages)} errors:\n" + "\n".join(map(str, messages))
