"""Casting and changing a priority ballot in a real browser, in English, with the live server's
clock untouched: the prioritisation phase row is moved around "today" for this test and put back
afterwards. Wrong input first (errors next to the fields, typed text kept). Every page: axe, Nu,
console and CSP. (test_priorities.py covers the German ballot, the live total and no-JS use.)"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from playwright.sync_api import Page

from tests.browser.helpers import HtmlChecker
from tests.browser.helpers import LiveUser
from tests.browser.helpers import Visitor
from tests.browser.helpers import assert_field_error
from tests.browser.helpers import assert_html_valid
from tests.browser.helpers import check_page
from tests.browser.helpers import follow
from tests.browser.helpers import run_last

LANG = "en"


@pytest.fixture
def prioritisation_open(live_app: Flask) -> Iterator[None]:
    """The demo's prioritisation phase runs from yesterday to in ten days, for this test only."""
    from sqlalchemy import select

    from portal.core import clock
    from portal.extensions import db
    from portal.process.models import Phase
    from portal.process.models import PhaseKind

    with live_app.app_context():
        phase = db.session.scalars(select(Phase).where(Phase.kind == PhaseKind.PRIORITISATION)).one()
        saved = (phase.id, phase.starts_on, phase.ends_on)
        today = clock.today()
        phase.starts_on, phase.ends_on = today - timedelta(days=1), today + timedelta(days=10)
        db.session.commit()
        db.session.remove()
    try:
        yield
    finally:
        with live_app.app_context():
            phase = db.session.get(Phase, saved[0])
            phase.starts_on, phase.ends_on = saved[1], saved[2]
            db.session.commit()
            db.session.remove()


def submit(page: Page) -> Callable[[], None]:
    return lambda: page.locator("form.ballot button[type=submit]").click()


def test_cast_and_change_a_ballot_in_english(
    page: Page, visit: Visitor, signed_in: Callable[..., LiveUser], prioritisation_open: None
) -> None:
    signed_in(lang=LANG)
    visit("/priorisierung")
    check_page(visit, LANG)

    # too many points on one sub-goal, negative points on another: both explained next to the field
    page.locator("#points_1_1").fill("4")
    page.locator("#points_1_2").fill("-1")
    follow(visit, submit(page))
    check_page(visit, LANG)
    assert_field_error(page, "points_1_1", "At most 3 points per sub-goal; you entered 4.")
    assert_field_error(page, "points_1_2", "Points cannot be negative.")
    assert page.locator("#points_1_1").input_value() == "4"
    assert page.locator("#points_1_2").input_value() == "-1"

    # a wrong total: the summary says so, nothing is lost
    for name, value in (("1_1", "3"), ("1_2", "3"), ("2_1", "3")):
        page.locator(f"#points_{name}").fill(value)
    follow(visit, submit(page))
    check_page(visit, LANG)
    assert "9" in page.locator("#error-summary").inner_text()
    assert page.locator("#points_2_1").input_value() == "3"

    page.locator("#points_3_1").fill("1")
    follow(visit, submit(page))
    check_page(visit, LANG)
    assert "Your priorities have been saved." in page.locator(".flash-messages").inner_text()
    assert page.locator("#points_3_1").input_value() == "1"

    # change it: the points of 1.2 go to 1.3
    page.locator("#points_1_2").fill("0")
    page.locator("#points_1_3").fill("3")
    follow(visit, submit(page))
    check_page(visit, LANG)
    assert "Your priorities have been saved." in page.locator(".flash-messages").inner_text()
    assert page.locator("#points_1_2").input_value() == "0"
    assert page.locator("#points_1_3").input_value() == "3"
    assert "You have already cast your ballot." in page.locator("main").inner_text()


@run_last
def test_ballot_pages_are_valid_html(html_checker: HtmlChecker) -> None:
    """Every page of this module (and any collected before) through the Nu checker."""
    assert_html_valid(html_checker)
