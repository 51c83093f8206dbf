"""Measures and the development concept in a real browser: the public pages in both languages
(axe, Nu, console and CSP, 320 px reflow), turning accepted proposals into a measure (errors next
to the fields, typed text kept, a row added without JavaScript, mail to the author), recording
values as department staff, and publishing the concept with its PDF."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from playwright.sync_api import Page

from portal.extensions import db
from tests.browser.helpers import LANGUAGES
from tests.browser.helpers import HtmlChecker
from tests.browser.helpers import LiveUser
from tests.browser.helpers import Mailbox
from tests.browser.helpers import Visitor
from tests.browser.helpers import assert_field_error
from tests.browser.helpers import assert_html_valid
from tests.browser.helpers import check_page
from tests.browser.helpers import follow
from tests.browser.helpers import run_last
from tests.browser.helpers import with_lang

#: The elements that stick out to the right of the viewport (innermost first).
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const sticksOut = (el) => el.getBoundingClientRect().right > width + 0.5;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.kern-table-responsive')) continue;
    if (sticksOut(el) && ![...el.children].some(sticksOut)) out.push(el.tagName + '.' + el.className);
  }
  return out.slice(0, 10);
}"""


@pytest.fixture(scope="module")
def world(live_app: Flask) -> dict[str, int]:
    """The demo measures and a published concept version in the live database."""
    from sqlalchemy import select

    from portal.measures.demo import seed_demo_measures
    from portal.measures.models import Indicator
    from portal.measures.models import Measure

    with live_app.app_context():
        seed_demo_measures()
        db.session.commit()
        with_indicators = db.session.scalar(
            select(Measure.id)
            .join(Indicator, Indicator.measure_id == Measure.id)
            .order_by(Measure.id)
            .limit(1)
        )
        db.session.remove()
    return {"measure": with_indicators}


@pytest.fixture
def accepted(live_app: Flask, live_user: Callable[..., LiveUser]) -> tuple[LiveUser, list[int]]:
    """An author with two accepted, published proposals."""
    from sqlalchemy import select

    from portal.core import clock
    from portal.proposals.models import CostClass
    from portal.proposals.models import Horizon
    from portal.proposals.models import Proposal
    from portal.proposals.models import ProposalStatus
    from portal.strategy.models import SubGoal

    author = live_user(display_name="Anna Autorin")
    with live_app.app_context():
        subgoals = dict(db.session.execute(select(SubGoal.number, SubGoal.id)).all())
        proposals = [
            Proposal(
                subgoal_id=subgoals[number],
                author_id=author.id,
                title=title,
                body=f"{title}: so würde es gehen.",
                body_html=f"<p>{title}: so würde es gehen.</p>",
                horizon=Horizon.SHORT,
                cost_class=CostClass.MEDIUM,
                status=ProposalStatus.ACCEPTED,
                published_at=clock.now(),
            )
            for number, title in (("1.2", "Bürgerbus für Süpplingen"), ("1.4", "Fahrradmitnahme im Bus"))
        ]
        db.session.add_all(proposals)
        db.session.commit()
        ids = [proposal.id for proposal in proposals]
        db.session.remove()
    return author, ids


def _reflows(page: Page, path: str) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    try:
        sticking_out = page.evaluate(OVERFLOWING)
        assert not sticking_out, f"{path} at 320 px: {sticking_out}"
    finally:
        page.set_viewport_size({"width": 1280, "height": 800})


@pytest.mark.parametrize("lang", LANGUAGES)
def test_public_measure_and_concept_pages(
    page: Page, visit: Visitor, world: dict[str, int], lang: str
) -> None:
    for path in (
        "/massnahmen",
        "/massnahmen?goal=1&status=in_progress",
        f"/massnahmen/{world['measure']}",
        "/massnahmen/uebersicht",
        "/konzept",
        "/konzept/1",
    ):
        visit(with_lang(path, lang))
        check_page(visit, lang)
        _reflows(page, path)
    # the indicator chart is an image with a name, and its table is there too
    visit(with_lang(f"/massnahmen/{world['measure']}", lang))
    chart = page.locator("svg.chart--line").first
    assert chart.get_attribute("role") == "img"
    assert chart.locator("title").count() == 1 and chart.locator("desc").count() == 1
    assert page.locator(".chart-pair table").count() >= 1
    # the filters work without JavaScript
    visit(with_lang("/massnahmen", lang))
    page.locator("#status").select_option("completed")
    follow(visit, lambda: page.locator("form.filter-form button[type=submit]").click())
    assert "status=completed" in page.url
    assert page.locator(".measure-card").count() >= 1
    check_page(visit, lang)
    # the PDF link delivers a PDF
    pdf = page.request.get(visit.base_url + "/konzept/1.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")


def test_accepted_proposals_become_a_measure(
    page: Page,
    visit: Visitor,
    world: dict[str, int],
    signed_in: Callable[..., LiveUser],
    accepted: tuple[LiveUser, list[int]],
    mailbox: Mailbox,
) -> None:
    author, proposal_ids = accepted
    signed_in("moderator")

    # -- the back office offers the accepted proposals; choose both ----------------------------------
    visit("/verwaltung/massnahmen")
    check_page(visit, "de")
    for proposal_id in proposal_ids:
        page.locator(f"input[name=vorschlag][value='{proposal_id}']").check()
    follow(visit, lambda: page.locator("main form[method=get] button[type=submit]").click())
    check_page(visit, "de")
    assert page.locator("#title").input_value() == "Bürgerbus für Süpplingen"
    assert "Fahrradmitnahme im Bus" in page.locator("#description").input_value()

    # -- a wrong submit: errors next to the fields, typed text kept --------------------------------
    page.locator("#title").fill("")
    page.locator("#budget_lines-0-year").fill("2027")
    page.locator("#budget_lines-0-amount").fill("-500")
    page.locator("#budget_lines-0-funding_source").fill("Nahverkehrsmittel")
    page.locator("#status").select_option("in_progress")
    follow(visit, lambda: page.locator("main form button.kern-btn--primary[type=submit]").last.click())
    check_page(visit, "de")
    assert_field_error(page, "title", "Bitte geben Sie einen Titel ein.")
    assert_field_error(page, "budget_lines-0-amount", "Der Betrag darf nicht negativ sein.")
    assert_field_error(page, "departments")
    assert page.locator("#budget_lines-0-funding_source").input_value() == "Nahverkehrsmittel"

    # -- fixed; one more budget line through the button (no JavaScript needed) --------------------
    page.locator("#title").fill("Bürgerbus und Fahrradmitnahme")
    page.locator("#budget_lines-0-amount").fill("45.000")
    page.locator("#departments-5").check()  # Demo: Ordnung und Verkehr
    rows = page.locator("input[name$='-year'][name^='budget_lines']").count()
    follow(visit, lambda: page.locator("button[name=add_budget_line]").click())
    assert page.locator("input[name$='-year'][name^='budget_lines']").count() == rows + 1
    assert page.locator("#title").input_value() == "Bürgerbus und Fahrradmitnahme"
    page.locator(f"#budget_lines-{rows}-year").fill("2032")
    page.locator(f"#budget_lines-{rows}-amount").fill("12.500,50")
    follow(visit, lambda: page.locator("main form button.kern-btn--primary[type=submit]").last.click())
    check_page(visit, "de")
    assert "wurde angelegt" in page.locator(".flash-messages").inner_text()
    measure_path = page.locator("main a", has_text="Öffentliche Seite dieser Maßnahme").get_attribute("href")

    # -- the public page names the proposals, the proposal page names the measure -----------------
    visit(measure_path)
    check_page(visit, "de")
    main = page.locator("main").inner_text().replace("\xa0", " ")
    assert "Bürgerbus für Süpplingen" in main and "Fahrradmitnahme im Bus" in main
    assert "12.500,50 €" in main
    visit(f"/vorschlaege/{proposal_ids[0]}")
    check_page(visit, "de")
    assert page.locator(f"main a[href='{measure_path}']").count() == 1

    # -- the author hears of it, with a link to the measure -------------------------------------------
    assert (
        mailbox.last(author.email)["Subject"]
        == "Ein Vorschlag wurde zur Maßnahme: „Bürgerbus und Fahrradmitnahme“"
    )
    assert mailbox.link(author.email, "/massnahmen/") == measure_path

    # -- department staff record a value; moderators publish the concept ------------------------
    visit(f"/verwaltung/massnahmen/{world['measure']}/werte")
    check_page(visit, "de")
    page.locator("#progress").fill("45")
    page.locator("#update_text").fill("Die Ausschreibung ist veröffentlicht.")
    follow(visit, lambda: page.locator("main form button.kern-btn--primary[type=submit]").last.click())
    check_page(visit, "de")
    visit("/verwaltung/konzept")
    check_page(visit, "de")
    follow(visit, lambda: page.locator("main form button.kern-btn--primary[type=submit]").click())
    check_page(visit, "de")
    assert_field_error(page, "status")
    page.locator("#status-1").check()
    follow(visit, lambda: page.locator("main form button.kern-btn--primary[type=submit]").click())
    check_page(visit, "de")
    assert "/konzept/" in page.url
    assert "Bürgerbus und Fahrradmitnahme" in page.locator("main").inner_text()
    assert "Vom Kreistag beschlossen" in page.locator("main").inner_text()


@run_last
def test_measure_pages_are_valid_html(html_checker: HtmlChecker) -> None:
    assert_html_valid(html_checker)
