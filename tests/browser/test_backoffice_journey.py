"""The rest of the back office in a real browser (in English): an administrator routes a
sub-goal to a department and goes through every administration page (each form once submitted
wrongly); department staff assess a routed proposal; a moderator asks the municipalities for
statements and a representative answers from the link in the e-mail. Every page: axe, Nu,
console and CSP."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from playwright.sync_api import Page

from tests.browser.helpers import HtmlChecker
from tests.browser.helpers import LiveUser
from tests.browser.helpers import Mailbox
from tests.browser.helpers import Visitor
from tests.browser.helpers import assert_field_error
from tests.browser.helpers import assert_html_valid
from tests.browser.helpers import check_page
from tests.browser.helpers import follow
from tests.browser.helpers import run_last
from tests.browser.helpers import sign_in
from tests.browser.helpers import sign_out

LANG = "en"
DEPARTMENT = "demo-ordnung-verkehr"


def submit(page: Page, form: str = "main form") -> Callable[[], None]:
    return lambda: page.locator(f"{form} button.kern-btn--primary[type=submit]").first.click()


def flash(page: Page) -> str:
    return page.locator(".flash-messages").inner_text()


def test_routing_assessment_and_statements(
    page: Page,
    visit: Visitor,
    live_user: Callable[..., LiveUser],
    live_proposal: Callable[..., int],
    mailbox: Mailbox,
) -> None:
    tag = uuid.uuid4().hex[:6]

    # -- routing: sub-goal 3.2 goes to the department ------------------------------------------------
    sign_in(visit, live_user("admin"), LANG)
    visit("/verwaltung/zuordnung")
    check_page(visit, LANG)
    page.locator("fieldset", has_text="3.2").locator("label", has_text="Public Order and Transport").click()
    follow(visit, submit(page))
    check_page(visit, LANG)
    assert "The routing has been saved." in flash(page)
    sign_out(visit)

    author = live_user(display_name="Paula Parkplatz")
    proposal = live_proposal(
        author,
        f"Online appointments at the vehicle registration office {tag}",
        "Appointments for registering a car should be bookable online, the queues are far too long.",
        subgoal="3.2",
    )

    # -- department staff assess the routed proposal ---------------------------------------------------
    sign_in(visit, live_user("department_staff", department=DEPARTMENT), LANG)
    visit("/verwaltung")
    check_page(visit, LANG)
    follow(visit, lambda: page.locator('main a[href="/verwaltung/bewertungen"]').first.click())
    check_page(visit, LANG)
    follow(visit, lambda: page.locator(f'main a[href="/verwaltung/bewertungen/{proposal}"]').click())
    check_page(visit, LANG)
    prefix = page.locator("main form").get_attribute("action").rsplit("/", 1)[0]
    assert prefix.endswith(f"/verwaltung/bewertungen/{proposal}")
    fields = page.locator("main form")
    fields.locator("textarea").fill(f"Possible with the new booking software. {tag}")
    follow(visit, submit(page), status=422)
    check_page(visit, LANG)
    feasibility = page.locator("main form fieldset").first.get_attribute("id")
    assert_field_error(page, feasibility)
    assert tag in page.locator("main form textarea").input_value(), "the typed text was lost"
    page.locator("main form fieldset").nth(0).locator("input[value=feasible]").check()
    page.locator("main form fieldset").nth(1).locator("input[value=district]").check()
    follow(visit, submit(page))
    check_page(visit, LANG)
    assert "has been saved" in flash(page)
    sign_out(visit)

    # -- a moderator asks the municipalities, a representative answers ----------------------------------
    representative = live_user("municipality_rep", municipality="helmstedt", language="en")
    sign_in(visit, live_user("moderator"), LANG)
    visit(f"/verwaltung/stellungnahmen/neu?vorschlag={proposal}")
    check_page(visit, LANG)
    page.locator("#title").fill(f"Statements on online appointments {tag}")
    follow(visit, submit(page), status=422)
    check_page(visit, LANG)
    assert_field_error(page, "deadline")
    page.locator("#deadline").fill("2026-12-20")
    follow(visit, submit(page))
    check_page(visit, LANG)
    assert "The municipalities have been asked" in flash(page)
    request_path = page.url.split("/verwaltung/stellungnahmen/", 1)[1]
    visit("/verwaltung/stellungnahmen")
    check_page(visit, LANG)
    sign_out(visit)

    link = mailbox.link(representative.email, "/stellungnahmen/")
    assert link.endswith(f"/stellungnahmen/{request_path}")
    sign_in(visit, representative, LANG)
    visit(link)
    check_page(visit, LANG)
    follow(visit, submit(page), status=422)
    check_page(visit, LANG)
    assert "Write at least one statement." in page.locator("#error-summary").inner_text()
    page.locator(f"#p_{proposal}").fill(f"The town of Helmstedt supports online appointments. {tag}")
    follow(visit, submit(page))
    check_page(visit, LANG)
    assert "has been published" in flash(page)
    sign_out(visit)

    # -- the statement is public, on the proposal, in the municipality's name -----------------------------
    visit(f"/vorschlaege/{proposal}?lang=en")
    check_page(visit, LANG)
    assert f"supports online appointments. {tag}" in page.locator("main").inner_text()


def test_administration_pages(page: Page, visit: Visitor, live_user: Callable[..., LiveUser]) -> None:
    sign_in(visit, live_user("admin"), LANG)
    for path in (
        "/verwaltung",
        "/verwaltung/strategie",
        "/verwaltung/strategie/oberziele/1",
        "/verwaltung/phasen",
        "/verwaltung/meilensteine",
        "/verwaltung/gemeinden",
        "/verwaltung/geschaeftsbereiche",
        "/verwaltung/protokoll",
        "/verwaltung/warteschlange?bereich=neu",
        "/verwaltung/warteschlange?bereich=entscheidung",
        "/verwaltung/warteschlange?bereich=stellungnahmen",
        "/verwaltung/bewertungen",
        "/verwaltung/antwortvorlagen",
        "/verwaltung/stellungnahmen",
    ):
        visit(path)
        check_page(visit, LANG)
    for list_path in ("/verwaltung/gemeinden", "/verwaltung/geschaeftsbereiche", "/verwaltung/phasen"):
        visit(list_path)
        follow(visit, lambda path=list_path: page.locator(f'main a[href^="{path}/"]').first.click())
        check_page(visit, LANG)

    # The queue's bulk form without a checked item: the summary says so.
    visit("/verwaltung/warteschlange?bereich=entscheidung")
    if page.locator("table.queue-table").count():
        page.locator("#action").select_option("review")
        follow(visit, submit(page), status=422)
        check_page(visit, LANG)
        assert "Check at least one item." in page.locator("#error-summary").inner_text()

    # Each form once wrongly: the message is next to the field and the typed text stays.
    cases = [
        ("/verwaltung/strategie/unterziele/1.1", {"#focus_en": "Only one focus area"}, "focus_en"),
        (
            "/verwaltung/phasen/neu",
            {"#title_de": "Test", "#starts_on": "2027-05-10", "#ends_on": "2027-05-01"},
            "ends_on",
        ),
        ("/verwaltung/meilensteine/neu", {"#date_spec": "May 2027", "#title_de": "Sitzung"}, "date_spec"),
        ("/verwaltung/gemeinden/neu", {"#name": "Gemeinde Test", "#postcodes": "3836"}, "postcodes"),
        ("/verwaltung/geschaeftsbereiche/neu", {"#name_en": "Only English"}, "name_de"),
        ("/verwaltung/einstellungen", {"#hide_threshold": "0"}, "hide_threshold"),
    ]
    for path, values, field in cases:
        visit(path)
        check_page(visit, LANG)
        for selector, value in values.items():
            page.locator(selector).fill(value)
        follow(visit, submit(page), status=422)
        check_page(visit, LANG)
        assert_field_error(page, field)
        first_selector, first_value = next(iter(values.items()))
        assert page.locator(first_selector).input_value() == first_value, f"{path}: typed text lost"

    # A milestone with a link as its document, shown on the public timeline.
    visit("/verwaltung/meilensteine/neu")
    page.locator("#date_spec").fill("2027-03-15")
    page.locator("#title_de").fill("Kreistag beschließt das Konzept")
    follow(visit, submit(page))
    check_page(visit, LANG)
    page.locator("#document-title_de").fill("Beschlussvorlage")
    page.locator("#document-url").fill("https://www.landkreis-helmstedt.de/beschluss.pdf")
    follow(visit, lambda: page.locator("form[enctype] button[type=submit]").click())
    check_page(visit, LANG)
    assert "The document has been added." in flash(page)
    visit("/ablauf?lang=en")
    check_page(visit, LANG)
    assert page.locator("a", has_text="Beschlussvorlage").count() == 1


@run_last
def test_backoffice_pages_are_valid_html(html_checker: HtmlChecker) -> None:
    """Every page of this module (and any collected before) through the Nu checker."""
    assert_html_valid(html_checker)
