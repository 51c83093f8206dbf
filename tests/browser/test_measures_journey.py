"""Measures and the concept in a real browser: a moderator turns two accepted proposals into one
measure (budget lines, an indicator; a wrong submit first), records measured values, the public
measure page shows the indicator's chart with its data table, the concept is published and read.
Every page: axe, Nu, console and CSP."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

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
from tests.browser.helpers import sign_in
from tests.browser.helpers import sign_out

LANG = "de"


def click(page: Page, selector: str) -> Callable[[], None]:
    return lambda: page.locator(selector).first.click()


def accept(live_app: Flask, proposal_id: int, moderator: LiveUser) -> None:
    """Move a proposal to "accepted" through the workflow, as the moderation page would."""
    from portal.accounts.models import User
    from portal.extensions import db
    from portal.moderation import services
    from portal.proposals.models import Proposal
    from portal.proposals.models import ProposalStatus

    with live_app.test_request_context():
        actor = db.session.get(User, moderator.id)
        proposal = db.session.get(Proposal, proposal_id)
        services.change_status(proposal, ProposalStatus.UNDER_REVIEW, actor, None)
        services.change_status(proposal, ProposalStatus.ACCEPTED, actor, "Angenommen: wird eine Maßnahme.")
        db.session.commit()
        db.session.remove()


def test_accepted_proposals_become_a_measure_with_chart_and_concept(
    page: Page,
    visit: Visitor,
    live_app: Flask,
    live_user: Callable[..., LiveUser],
    live_proposal: Callable[..., int],
) -> None:
    tag = uuid.uuid4().hex[:6]
    author = live_user()
    moderator = live_user("moderator")
    titles = [f"Schnelles Internet für Grasleben {tag}", f"Glasfaser in alle Dörfer {tag}"]
    for title in titles:
        proposal_id = live_proposal(
            author,
            title,
            "Glasfaser bis in jedes Haus, damit Homeoffice und Schule online klappen.",
            subgoal="1.2",
        )
        accept(live_app, proposal_id, moderator)

    sign_in(visit, moderator, LANG)
    visit("/verwaltung/massnahmen")
    check_page(visit, LANG)
    picker = page.locator("main fieldset#vorschlag")
    for title in titles:
        picker.get_by_label(title, exact=True).check()
    follow(visit, click(page, "section[aria-labelledby=pick-heading] button[type=submit]"))
    check_page(visit, LANG)
    prefilled = page.locator("main .kern-alert--info").inner_text()
    assert all(title in prefilled for title in titles), prefilled

    # -- a wrong submit: every error next to its field, the typed rows kept ---------------------------
    measure_title = f"Glasfaserausbau im Landkreis {tag}"
    page.locator("#title").fill("")
    page.locator("#subgoals input[type=checkbox]:checked").evaluate_all(
        "boxes => boxes.forEach(b => b.click())"
    )
    page.locator("#budget_lines-0-year").fill("2027")
    page.locator("#budget_lines-0-amount").fill("250.000")
    page.locator("#budget_lines-0-funding_source").fill("Förderprogramm Breitband")
    page.locator("#indicators-0-name").fill("Haushalte mit Glasfaser")
    page.locator("#indicators-0-baseline_value").fill("35")
    page.locator("#indicators-0-baseline_year").fill("2025")
    page.locator("#indicators-0-target_value").fill("90")
    page.locator("#indicators-0-target_year").fill("2024")
    follow(visit, click(page, "form.measure-form > button.kern-btn--primary[type=submit]"))
    check_page(visit, LANG)
    assert_field_error(page, "title")
    assert_field_error(page, "subgoals")
    assert_field_error(page, "indicators-0-target_year")
    assert page.locator("#budget_lines-0-amount").input_value() == "250.000"
    assert page.locator("#indicators-0-name").input_value() == "Haushalte mit Glasfaser"

    # -- corrected and saved --------------------------------------------------------------------------
    page.locator("#title").fill(measure_title)
    page.locator("#subgoals input[type=checkbox]").first.check()
    page.locator("#departments input[type=checkbox]").first.check()
    page.locator("#horizon input[type=radio]").nth(1).check()
    page.locator("#status").select_option("in_progress")
    page.locator("#progress").fill("20")
    page.locator("#budget_lines-1-year").fill("2028")
    page.locator("#budget_lines-1-amount").fill("400.000")
    page.locator("#indicators-0-unit").fill("%")
    page.locator("#indicators-0-target_year").fill("2030")
    follow(visit, click(page, "form.measure-form > button.kern-btn--primary[type=submit]"))
    check_page(visit, LANG)
    assert re.search(r"/verwaltung/massnahmen/\d+$", page.url), page.url
    measure_id = int(page.url.rsplit("/", 1)[1])
    assert page.locator(".flash-messages .kern-alert--success").count() == 1

    # -- measured values --------------------------------------------------------------------------------
    follow(visit, click(page, f'main a[href="/verwaltung/massnahmen/{measure_id}/werte"]'))
    check_page(visit, LANG)
    for row, (year, value) in enumerate((("2025", "38"), ("2026", "51"))):
        page.locator(f"#values-{row}-indicator").select_option(label="Haushalte mit Glasfaser (%)")
        page.locator(f"#values-{row}-year").fill(year)
        page.locator(f"#values-{row}-value").fill(value)
    page.locator("#update_text").fill("Die ersten 1.200 Haushalte in Grasleben sind angeschlossen.")
    follow(visit, click(page, "main form button.kern-btn--primary[type=submit]:not([name])"))
    check_page(visit, LANG)
    assert page.locator(".flash-messages .kern-alert--success").count() == 1
    sign_out(visit)

    # -- the public measure page: chart and data table --------------------------------------------------
    visit(f"/massnahmen/{measure_id}")
    check_page(visit, LANG)
    assert page.locator("h1").inner_text() == measure_title
    chart = page.locator("figure.chart-figure svg")
    assert chart.count() == 1, "no chart"
    assert chart.get_attribute("role") == "img" and (
        chart.get_attribute("aria-labelledby") or chart.get_attribute("aria-label")
    ), "the chart has no accessible name"
    table = page.locator(".chart-pair table")
    assert table.count() == 1, "the chart has no data table"
    cells = table.inner_text()
    for figure in ("35", "38", "51", "90", "2030"):
        assert figure in cells, f"{figure} missing from the data table:\n{cells}"
    assert "650.000" in page.locator("section[aria-labelledby=budget-heading]").inner_text()
    for title in titles:
        assert page.locator("main a", has_text=title).count() >= 1, f"source proposal {title!r} not linked"
    visit("/massnahmen")
    check_page(visit, LANG)
    assert page.locator("main a", has_text=measure_title).count() == 1
    visit(f"/massnahmen/{measure_id}?lang=en")
    check_page(visit, "en")

    # -- the concept: a moderator publishes, everybody reads it -------------------------------------------
    sign_in(visit, moderator, LANG)
    visit("/verwaltung/konzept")
    check_page(visit, LANG)
    follow(visit, click(page, "main form button.kern-btn--primary[type=submit]"))
    check_page(visit, LANG)
    assert_field_error(page, "status")
    page.locator("#note").fill(f"Entwurf für den Kreistag {tag}")
    page.locator("#status input[value=draft_for_council]").check()
    follow(visit, click(page, "main form button.kern-btn--primary[type=submit]"))
    check_page(visit, LANG)
    assert re.search(r"/konzept/\d+$", page.url), page.url
    version_path = page.url.removeprefix(visit.base_url)
    sign_out(visit)
    visit("/konzept")
    check_page(visit, LANG)
    assert page.locator(f'main a[href="{version_path}"]').count() >= 1
    visit(version_path)
    check_page(visit, LANG)
    assert measure_title in page.locator("main").inner_text()
    visit(version_path + "?lang=en")
    check_page(visit, "en")


@run_last
def test_measure_pages_are_valid_html(html_checker: HtmlChecker) -> None:
    """Every page of this module (and any collected before) through the Nu checker."""
    assert_html_valid(html_checker)
