"""Taking part in a real browser: the guided proposal form (sub-goal, form with a wrong submit,
similar-proposal hint, preview, change, submit), the proposal page, comments and replies,
supporting and withdrawing the support, an official statement of a municipality, and a proposal
submitted with the keyboard alone. Every page: axe, Nu, console and CSP."""

from __future__ import annotations

import re
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

TITLE = "Bürgerbus für die Dörfer am Elm"
BODY = (
    "Ein **Bürgerbus** soll die Dörfer am Elm mit Königslutter verbinden: "
    "zweimal am Vormittag, zweimal am Nachmittag, von Ehrenamtlichen gefahren."
)

#: What the focused element is, for the keyboard journey's messages.
FOCUSED = """() => {
  const el = document.activeElement;
  return el ? `${el.tagName.toLowerCase()}#${el.id}[name=${el.getAttribute('name')}] `
    + (el.textContent || el.value || '').trim().slice(0, 40) : '<nothing>';
}"""


def click(page: Page, selector: str) -> Callable[[], None]:
    return lambda: page.locator(selector).first.click()


def proposal_id_of(page: Page) -> int:
    match = re.search(r"/vorschlaege/(\d+)", page.url)
    assert match, f"not a proposal page: {page.url}"
    return int(match.group(1))


def test_propose_comment_support_and_state(
    page: Page,
    visit: Visitor,
    signed_in: Callable[..., LiveUser],
    live_user: Callable[..., LiveUser],
    live_proposal: Callable[..., int],
) -> None:
    neighbour = live_user(display_name="Nachbarin")
    live_proposal(
        neighbour,
        "Bürgerbus zwischen den Dörfern",
        "Die Dörfer brauchen einen Bürgerbus, damit Ältere ohne Auto zum Arzt und zum Einkaufen kommen.",
        subgoal="1.2",
    )
    author = signed_in(display_name="Anna Vorschlag")

    # -- the list, step 1: the sub-goal ---------------------------------------------------------------
    visit("/vorschlaege")
    check_page(visit, "de")
    visit("/vorschlaege/neu")
    check_page(visit, "de")
    follow(visit, click(page, 'main a[href*="unterziel=1.2"]'))
    check_page(visit, "de")

    # -- step 2: a wrong submit keeps what was typed ----------------------------------------------
    page.locator("#title").fill("Bus")
    page.locator("#body").fill("Mehr Busse.")
    follow(visit, click(page, "main form.proposal-form button[type=submit]"))
    check_page(visit, "de")
    for field_id in ("title", "body", "municipality", "horizon", "cost_class"):
        assert_field_error(page, field_id)
    assert page.locator("#title").input_value() == "Bus"
    assert page.locator("#body").input_value() == "Mehr Busse."

    # -- step 3: the preview with the similar-proposal hint --------------------------------------------
    page.locator("#title").fill(TITLE)
    page.locator("#body").fill(BODY)
    page.locator("#municipality").select_option("koenigslutter-am-elm")
    page.locator("#horizon input[value=short]").check()
    page.locator("#cost_class input[value=small]").check()
    follow(visit, click(page, "main form.proposal-form button[type=submit]"))
    check_page(visit, "de")
    hint = page.locator("section.similar-proposals")
    assert hint.is_visible(), "no similar-proposal hint"
    assert "Ist Ihre Idee schon da?" in hint.inner_text()
    assert "Bürgerbus zwischen den Dörfern" in hint.inner_text()
    assert page.locator(".proposal-preview strong", has_text="Bürgerbus").count() == 1, (
        "Markdown not previewed"
    )

    # "Change" goes back to the form with everything kept, then on to the preview again
    follow(visit, click(page, "main form button[name=change]"))
    check_page(visit, "de")
    assert page.locator("#title").input_value() == TITLE
    assert page.locator("#municipality").input_value() == "koenigslutter-am-elm"
    assert page.locator("#horizon input[value=short]").is_checked()
    follow(visit, click(page, "main form.proposal-form button[type=submit]"))
    follow(visit, click(page, "main form button[name=confirm]"))
    check_page(visit, "de")
    assert "Vielen Dank! Ihr Vorschlag ist veröffentlicht." in page.locator(".flash-messages").inner_text()
    assert page.locator("h1").inner_text() == TITLE
    proposal_id = proposal_id_of(page)
    detail = f"/vorschlaege/{proposal_id}"

    # -- comment (a wrong submit first), then a reply ----------------------------------------------
    follow(visit, click(page, "#kommentieren form button[type=submit]"))
    check_page(visit, "de")
    assert_field_error(page, "body")
    page.locator("#body").fill("Gute Idee – auch für Schülerinnen und Schüler am Nachmittag.")
    follow(visit, click(page, "#kommentieren form button[type=submit]"))
    check_page(visit, "de")
    assert "Ihr Kommentar ist veröffentlicht." in page.locator(".flash-messages").inner_text()
    comment = page.locator("article.comment", has_text="auch für Schülerinnen")
    assert comment.count() == 1
    follow(visit, lambda: comment.get_by_role("link", name="Antworten").click())
    check_page(visit, "de")
    reply = page.locator("section.comment-reply")
    reply.locator("textarea").fill("Und am Wochenende zum Markt in Königslutter.")
    follow(visit, lambda: reply.locator("button[type=submit]").click())
    check_page(visit, "de")
    assert "Ihre Antwort ist veröffentlicht." in page.locator(".flash-messages").inner_text()
    replies = page.locator("article.comment", has_text="auch für Schülerinnen").locator(".comment-replies")
    assert "zum Markt in Königslutter" in replies.inner_text()
    sign_out(visit)
    assert author.email not in page.content()

    # -- a neighbour supports the proposal and withdraws the support ---------------------------------
    supporter = live_user(display_name="Unterstützer")
    sign_in(visit, supporter)
    visit(detail)
    check_page(visit, "de")
    assert page.locator("#unterstuetzen").inner_text() == "0 Unterstützungen"
    follow(visit, click(page, ".proposal-actions form[action$='/unterstuetzen'] button"))
    check_page(visit, "de")
    assert "Vielen Dank für Ihre Unterstützung." in page.locator(".flash-messages").inner_text()
    assert page.locator("#unterstuetzen").inner_text() == "1 Unterstützung"
    follow(visit, click(page, ".proposal-actions form[action$='/unterstuetzung-zuruecknehmen'] button"))
    check_page(visit, "de")
    assert "Sie unterstützen diesen Vorschlag nicht mehr." in page.locator(".flash-messages").inner_text()
    assert page.locator("#unterstuetzen").inner_text() == "0 Unterstützungen"
    sign_out(visit)

    # -- the municipality's representative gives an official statement ------------------------------
    representative = live_user("municipality_rep", municipality="koenigslutter-am-elm")
    sign_in(visit, representative)
    visit(detail)
    check_page(visit, "de")
    voice = page.locator("#kommentieren fieldset#voice")
    assert voice.is_visible(), "no choice to write as the municipality"
    voice.locator("label", has_text="Königslutter").click()
    page.locator("#body").fill(
        "Die Stadt Königslutter am Elm unterstützt den Bürgerbus und stellt Haltestellen."
    )
    follow(visit, click(page, "#kommentieren form button[type=submit]"))
    check_page(visit, "de")
    assert "Ihre Stellungnahme ist veröffentlicht." in page.locator(".flash-messages").inner_text()
    official = page.locator("ol[aria-labelledby=statements-heading] article.comment--official")
    assert official.count() == 1, "the statement is not listed under the official statements"
    badge = official.locator(".kern-badge").inner_text()
    assert "Stellungnahme" in badge and "Königslutter am Elm" in badge, f"badge: {badge!r}"
    # the statements-only filter shows it too
    visit(detail + "?kommentare=stellungnahmen")
    check_page(visit, "de")
    assert page.locator("article.comment--official").count() == 1
    assert page.locator("article.comment:not(.comment--official)").count() == 0


def tab_to(page: Page, selector: str, *, limit: int = 120) -> None:
    """Press Tab until the focused element matches ``selector`` (keyboard only: nothing is clicked)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector} (last: {page.evaluate(FOCUSED)})")


def test_propose_with_the_keyboard_only(
    page: Page, visit: Visitor, signed_in: Callable[..., LiveUser]
) -> None:
    signed_in()
    visit("/vorschlaege/neu")
    tab_to(page, 'main a[href*="unterziel=3.3"]')
    follow(visit, lambda: page.keyboard.press("Enter"))
    assert "unterziel=3.3" in page.url

    tab_to(page, "#title")
    page.keyboard.type("Sprechstunde des Landkreises im Dorfgemeinschaftshaus")
    tab_to(page, "#body")
    page.keyboard.type(
        "Einmal im Monat sollen Mitarbeitende des Landkreises vor Ort beraten, mit Laptop und Drucker."
    )
    tab_to(page, "#municipality")
    page.keyboard.type("Gemeinde L")  # type-ahead selects the option
    assert page.locator("#municipality").input_value() == "lehre", page.evaluate(FOCUSED)
    tab_to(page, "#horizon input[type=radio]")
    page.keyboard.press("Space")
    tab_to(page, "#cost_class input[type=radio]")
    page.keyboard.press("ArrowDown")  # the second cost class
    assert page.locator("#horizon input:checked").count() == 1
    assert page.locator("#cost_class input:checked").count() == 1
    tab_to(page, "main form.proposal-form button[type=submit]")
    follow(visit, lambda: page.keyboard.press("Enter"))
    check_page(visit, "de")
    assert page.locator("#error-summary").count() == 0, page.locator("#error-summary").inner_text()

    tab_to(page, "main form button[name=confirm]")
    follow(visit, lambda: page.keyboard.press("Enter"))
    check_page(visit, "de")
    assert page.locator("h1").inner_text() == "Sprechstunde des Landkreises im Dorfgemeinschaftshaus"
    assert "Vielen Dank! Ihr Vorschlag ist veröffentlicht." in page.locator(".flash-messages").inner_text()


@run_last
def test_participation_pages_are_valid_html(html_checker: HtmlChecker) -> None:
    """Every page of this module (and any collected before) through the Nu checker."""
    assert_html_valid(html_checker)
