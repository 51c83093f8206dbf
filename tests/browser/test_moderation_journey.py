"""The back office in a real browser (in English): a citizen reports a proposal, an administrator
writes an answer template, a moderator works the queue: hides the reported proposal with a
reason, merges a duplicate (its old address then leads to the other proposal) and decides about a
proposal with an answer from the template. Every page: axe, Nu, console and CSP; every form once
submitted wrongly."""

from __future__ import annotations

import uuid
from collections.abc import Callable

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

LANG = "en"


def click(page: Page, selector: str) -> Callable[[], None]:
    return lambda: page.locator(selector).first.click()


def flash(page: Page) -> str:
    return page.locator(".flash-messages").inner_text()


def test_moderator_hides_merges_and_decides(
    page: Page,
    visit: Visitor,
    live_user: Callable[..., LiveUser],
    live_proposal: Callable[..., int],
) -> None:
    tag = uuid.uuid4().hex[:6]
    author = live_user(display_name="Rita Radweg")
    main = live_proposal(
        author,
        f"Cycle path between Helmstedt and Schöningen {tag}",
        "A safe cycle path along the B 244 would let pupils and commuters ride between both towns.",
        subgoal="1.2",
    )
    duplicate = live_proposal(
        author,
        f"Build a cycle path Helmstedt–Schöningen {tag}",
        "Please build a cycle path from Helmstedt to Schöningen, the road is too dangerous for bikes.",
        subgoal="1.2",
    )
    spam = live_proposal(
        author,
        f"Cheap watches for sale {tag}",
        "Buy cheap watches now at our shop, the best prices in the whole district, visit us today!",
        subgoal="2.3",
    )

    # -- a citizen reports the spam -----------------------------------------------------------------
    sign_in(visit, live_user(), LANG)
    visit(f"/vorschlaege/{spam}")
    follow(visit, click(page, f'main a[href="/vorschlaege/{spam}/melden"]'))
    check_page(visit, LANG)
    page.locator("#note").fill("Advertising, not a proposal.")
    follow(visit, click(page, "main form button[type=submit]"))
    check_page(visit, LANG)
    assert_field_error(page, "reason")
    assert page.locator("#note").input_value() == "Advertising, not a proposal."
    page.locator("#reason input[value=spam]").check()
    follow(visit, click(page, "main form button[type=submit]"))
    check_page(visit, LANG)
    assert "Thank you. The moderators will look at your report." in flash(page)
    sign_out(visit)

    # -- an administrator writes an answer template ---------------------------------------------------
    sign_in(visit, live_user("admin"), LANG)
    visit("/verwaltung/antwortvorlagen")
    check_page(visit, LANG)
    follow(visit, click(page, 'main a[href="/verwaltung/antwortvorlagen/neu"]'))
    check_page(visit, LANG)
    page.locator("#title_en").fill(f"Accepted {tag}")
    follow(visit, click(page, "main form button[type=submit]"), status=422)
    check_page(visit, LANG)
    assert_field_error(page, "title_de")
    assert_field_error(page, "text_de")
    assert page.locator("#title_en").input_value() == f"Accepted {tag}"
    page.locator("#title_de").fill(f"Angenommen {tag}")
    page.locator("#text_de").fill("Vielen Dank! Ihr Vorschlag wird in das Konzept aufgenommen.")
    page.locator("#text_en").fill(f"Thank you! Your proposal becomes part of the concept. ({tag})")
    follow(visit, click(page, "main form button[type=submit]"))
    check_page(visit, LANG)
    assert "The answer template has been saved." in flash(page)
    sign_out(visit)

    # -- the moderator: dashboard, queue, the reported section ---------------------------------------------
    sign_in(visit, live_user("moderator"), LANG)
    visit("/verwaltung")
    check_page(visit, LANG)
    follow(visit, click(page, 'main a[href="/verwaltung/warteschlange"]'))
    check_page(visit, LANG)
    follow(visit, click(page, 'nav.queue-sections a[href*="bereich=gemeldet"]'))
    check_page(visit, LANG)
    row = page.locator("table.queue-table tr", has_text=f"Cheap watches for sale {tag}")
    assert row.count() == 1, "the reported proposal is not in the reported section"
    follow(visit, lambda: row.locator(f'a[href="/verwaltung/vorschlaege/{spam}"]').click())
    check_page(visit, LANG)

    # hide: refused without a reason, done with one
    follow(visit, click(page, "button[name=visibility][value=hide]"), status=422)
    check_page(visit, LANG)
    assert_field_error(page, "reason", "Please give a reason")
    page.locator("#reason").fill("Advertising is not allowed in the portal.")
    follow(visit, click(page, "button[name=visibility][value=hide]"))
    check_page(visit, LANG)
    assert "Hidden. The author has been told why." in flash(page)
    assert "Advertising is not allowed" in page.locator("main").inner_text()

    # -- merge the duplicate into the main proposal ------------------------------------------------------
    visit(f"/verwaltung/vorschlaege/{duplicate}")
    check_page(visit, LANG)
    follow(visit, click(page, f'main a[href="/verwaltung/vorschlaege/{duplicate}/zusammenfuehren"]'))
    check_page(visit, LANG)
    page.locator("#target").fill(str(main))
    follow(visit, click(page, "main form button.kern-btn--primary[type=submit]"), status=422)
    check_page(visit, LANG)
    assert_field_error(page, "answer")
    assert page.locator("#target").input_value() == str(main)
    page.locator("#answer").fill("Merged: both ask for the same cycle path.")
    follow(visit, click(page, "main form button.kern-btn--primary[type=submit]"))
    check_page(visit, LANG)
    assert f"/verwaltung/vorschlaege/{main}" in page.url
    assert f"Merged into proposal {main}." in flash(page)

    # -- decide: under review, then accepted with the template's answer ------------------------------------
    page.locator("#status").select_option("under_review")
    follow(visit, click(page, "form[action$='/status'] button.kern-btn--primary"))
    check_page(visit, LANG)
    page.locator("#status").select_option("accepted")
    follow(visit, click(page, "form[action$='/status'] button.kern-btn--primary"), status=422)
    check_page(visit, LANG)
    assert_field_error(page, "answer")
    assert page.locator("#status").input_value() == "accepted", "the chosen status was lost"
    page.locator("#template").select_option(label=f"Accepted {tag}")  # named in the page's language
    follow(visit, click(page, "form[action$='/status'] button[name=insert_template]"))
    check_page(visit, LANG)
    assert tag in page.locator("#answer").input_value(), "the template did not fill in the answer"
    page.locator("#status").select_option("accepted")
    follow(visit, click(page, "form[action$='/status'] button.kern-btn--primary"))
    check_page(visit, LANG)
    assert "The status is now" in flash(page)
    sign_out(visit)

    # -- the public: the old address leads to the main proposal; the answer is in the history --------------
    response = visit(f"/vorschlaege/{duplicate}")
    assert response.request.redirected_from is not None, "the merged proposal did not redirect"
    assert f"/vorschlaege/{main}" in page.url
    check_page(visit, LANG)
    assert page.locator(".kern-alert--info", has_text="merged into this one").count() == 1
    history = page.locator(".status-history").inner_text()
    assert tag in history and "Merged: both ask" not in history
    visit(f"/vorschlaege/{spam}", status=404)
    check_page(visit, LANG)


@run_last
def test_moderation_pages_are_valid_html(html_checker: HtmlChecker) -> None:
    """Every page of this module (and any collected before) through the Nu checker."""
    assert_html_valid(html_checker)
