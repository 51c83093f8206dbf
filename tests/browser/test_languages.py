"""The interface languages besides German and English (issue 10) in a real browser.

- axe-core and the Nu HTML checker on the main pages in Turkish, Arabic, Ukrainian, Russian and
  Polish, signed out and signed in, forms with their errors shown (German and English are
  covered page by page in test_public_pages.py and the journeys);
- right to left in Arabic: ``dir``, the header, error marks on the start side, table cells,
  320 px reflow, and screenshots to look at (``PORTAL_SCREENSHOT_DIR``, else pytest's tmp dir);
- the language picker with the keyboard, and the choice remembered;
- user content keeps the language its author wrote it in (``lang``/``dir`` on the text).

One browser for everything; the Nu checker runs once per language (one JVM over its pages).
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page

from config import Config
from portal.extensions import db
from tests.browser.helpers import LANGUAGES
from tests.browser.helpers import LIVE_PASSWORD
from tests.browser.helpers import NOT_FOUND_PATH
from tests.browser.helpers import BrowserErrors
from tests.browser.helpers import HtmlChecker
from tests.browser.helpers import LiveUser
from tests.browser.helpers import Visitor
from tests.browser.helpers import describe_violations
from tests.browser.helpers import follow
from tests.browser.helpers import run_axe
from tests.browser.helpers import sign_in
from tests.browser.helpers import with_lang

#: The languages test_public_pages.py and the journeys do not already check page by page.
OTHER_LANGUAGES = tuple(code for code in Config.LANGUAGES if code not in LANGUAGES)
RTL = "ar"

#: Which element sticks out to the right or left of the viewport (innermost first).
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const sticksOut = (el) => {
    const box = el.getBoundingClientRect();
    return box.right > width + 0.5 || box.left < -0.5;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.kern-table-responsive')) continue;
    if (sticksOut(el) && ![...el.children].some(sticksOut)) {
      const box = el.getBoundingClientRect();
      out.push(`${el.tagName.toLowerCase()}.${String(el.className).trim().replace(/\\s+/g, '.')}`
        + ` [${Math.round(box.left)}, ${Math.round(box.right)}]`);
    }
  }
  return out.slice(0, 10);
}"""

#: Right-to-left elements with a one-sided bar (KERN's error marks, the comments' rule) whose bar
#: is on the left (the end), or whose content touches the bar (padding left on the other side).
MISPLACED_BARS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('main *')) {
    const style = getComputedStyle(el);
    if (style.direction !== 'rtl' || style.display === 'none') continue;
    const left = parseFloat(style.borderLeftWidth), right = parseFloat(style.borderRightWidth);
    const name = `${el.tagName.toLowerCase()}.${String(el.className).trim().replace(/\\s+/g, '.')}`;
    if (left >= 2 && right === 0) out.push(`${name}: bar on the left`);
    else if (right >= 2 && left === 0 && parseFloat(style.paddingRight) === 0) {
      out.push(`${name}: content touches the bar on the right (padding-right 0)`);
    }
  }
  return out.slice(0, 10);
}"""

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return '<nothing>';
  return `${el.tagName.toLowerCase()}.${el.className} ${(el.textContent || '').trim().slice(0, 40)}`;
}"""


# ---- Content in the live database -----------------------------------------------------------------


def _user(display_name: str, language: str = "de") -> Any:
    from portal.accounts.models import User
    from portal.accounts.passwords import hash_password
    from portal.core import clock

    user = User(
        email=f"lang-{uuid.uuid4().hex[:10]}@example.org",
        display_name=display_name,
        password_hash=hash_password(LIVE_PASSWORD),
        email_verified_at=clock.now(),
        language=language,
    )
    db.session.add(user)
    db.session.flush()
    return user


@pytest.fixture(scope="module")
def world(live_app: Flask) -> dict[str, Any]:
    """What the pages show: proposals on sub-goal 1.1 (German, Ukrainian, Arabic), comments and a
    reply in several languages on the German one, the demo measures and a concept version."""
    from sqlalchemy import select

    from portal.comments.services import post_comment
    from portal.measures.demo import seed_demo_measures
    from portal.measures.models import Indicator
    from portal.measures.models import Measure
    from portal.proposals import services
    from portal.proposals.models import CostClass
    from portal.proposals.models import Horizon
    from portal.strategy import queries as strategy_queries

    with live_app.test_request_context("/"):
        author = _user("Leyla Demir", "tr")
        neighbour = _user("Олена Коваль", "uk")
        subgoal = strategy_queries.find_subgoal(strategy_queries.get_strategy(), "1.1")
        assert subgoal is not None

        def propose(title: str, body: str, language: str) -> Any:
            data = services.ProposalData(
                subgoal_id=subgoal.id,
                focus_area_id=None,
                title=title,
                body=body,
                municipality_id=None,
                horizon=Horizon.SHORT,
                cost_class=CostClass.SMALL,
                language=language,
            )
            return services.create_proposal(author, data)

        german = propose(
            "Willkommenslotsen in jeder Gemeinde",
            "Ehrenamtliche **Lotsinnen und Lotsen** begleiten Neuzugezogene zu Ämtern, Ärzten "
            "und Vereinen.\n\n- Sprechstunde im Rathaus\n- Liste der Angebote",
            "de",
        )
        ukrainian = propose(
            "Курси німецької мови ввечері",
            "Вечірні курси німецької мови для працюючих людей у Гельмштедті.",
            "uk",
        )
        arabic = propose(
            "دروس اللغة الألمانية في المساء",
            "دروس مسائية للغة الألمانية للعاملين في هيلمشتيدت، مع رعاية للأطفال.",
            "ar",
        )
        first = post_comment(german, neighbour, "Дуже хороша ідея, я хочу допомагати.", language="uk")
        post_comment(german, author, "Teşekkürler! Her yardım çok değerli.", parent=first, language="tr")
        post_comment(german, neighbour, "Gute Idee, auch für Familien mit Kindern.", language="de")
        post_comment(german, author, "فكرة جيدة جداً.", language="ar")
        seed_demo_measures()
        db.session.commit()
        measure = db.session.scalar(
            select(Measure.id)
            .join(Indicator, Indicator.measure_id == Measure.id)
            .order_by(Measure.id)
            .limit(1)
        )
        ids = {"german": german.id, "uk": ukrainian.id, "ar": arabic.id, "measure": measure}
        db.session.remove()
    return ids


@pytest.fixture(scope="module")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the Arabic screenshots go: ``PORTAL_SCREENSHOT_DIR``, else a folder in pytest's
    temporary directory (which pytest removes after a few more runs)."""
    configured = os.environ.get("PORTAL_SCREENSHOT_DIR")
    if configured:
        directory = Path(configured)
        directory.mkdir(parents=True, exist_ok=True)
        return directory
    return tmp_path_factory.mktemp("screenshots")


# ---- 1. axe and Nu on the main pages in every other language ---------------------------------------


class PageChecks:
    """Visits pages in one language and collects what is wrong, so a run names every problem."""

    def __init__(self, visit: Visitor, lang: str) -> None:
        self.visit = visit
        self.page = visit.page
        self.lang = lang
        self.problems: list[str] = []
        self.checked: list[str] = []

    def check(self, label: str) -> None:
        """The page as it is now: html[lang] and dir, axe, console and CSP."""
        page = self.page
        where = f"{label} ({page.url.removeprefix(self.visit.base_url)})"
        self.checked.append(label)
        html_lang = page.locator("html").get_attribute("lang")
        html_dir = page.locator("html").get_attribute("dir")
        wanted_dir = "rtl" if self.lang == RTL else "ltr"
        if html_lang != self.lang or html_dir != wanted_dir:
            self.problems.append(f"{where}: html lang={html_lang!r} dir={html_dir!r}")
        violations = run_axe(page)
        if violations:
            self.problems.append(f"axe on {where}:\n{describe_violations(violations)}")
        if self.visit.errors.messages:
            self.problems.append(f"console on {where}:\n{self.visit.errors}")
            self.visit.errors.messages.clear()

    def get(self, path: str, status: int = 200, label: str | None = None) -> None:
        self.visit(with_lang(path, self.lang), status=status)
        self.check(label or path)

    def submit_empty(self, label: str, selector: str = "main form button[type=submit]") -> None:
        """Submit the form as it is: the page comes back with the error summary and field errors."""
        follow(self.visit, lambda: self.page.locator(selector).first.click())
        if self.page.locator("#error-summary").count() != 1:
            self.problems.append(f"{label}: no error summary after an empty submit ({self.page.url})")
        self.check(label)


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_pages_in_language(
    page: Page,
    base_url: str,
    browser_errors: BrowserErrors,
    live_user: Callable[..., LiveUser],
    world: dict[str, Any],
    tmp_path: Path,
    lang: str,
) -> None:
    """The main pages in ``lang``, signed out and signed in, forms with their errors: html[lang]
    and dir, no axe violation, no console error or CSP violation, and the raw HTML of every page
    through the Nu checker (one JVM for the language; here rather than in a run-last test, so that
    it also holds when pytest-xdist spreads the languages over workers)."""
    # This test's own checker, not the session's: test_public_pages' run-last test would check
    # these pages a second time.
    checker = HtmlChecker(tmp_path)
    visit = Visitor(page, base_url, browser_errors, checker)
    checks = PageChecks(visit, lang)

    # -- signed out ---------------------------------------------------------------------------------
    for path in (
        "/",
        "/oberziele/1",
        "/unterziele/1.1",
        "/vorschlaege",
        f"/vorschlaege/{world['german']}",
        f"/vorschlaege/{world['ar']}",
        "/massnahmen",
        f"/massnahmen/{world['measure']}",
        "/statistik",
        "/priorisierung/ergebnisse",
        "/ablauf",
    ):
        checks.get(path)
    checks.get(NOT_FOUND_PATH, status=404)
    # Leichte Sprache: the index and every page it links
    checks.get("/leichte-sprache")
    easy = page.evaluate(
        "() => [...new Set([...document.querySelectorAll('main a[href^=\"/leichte-sprache/\"]')]"
        ".map((a) => a.getAttribute('href').split('?')[0]))]"
    )
    assert easy, "the Leichte Sprache index links no page"
    for path in easy:
        checks.get(path)
    checks.get("/registrieren")
    checks.submit_empty("registration with errors")
    checks.get("/anmelden")
    checks.submit_empty("sign-in with errors")

    # -- signed in ----------------------------------------------------------------------------------
    sign_in(visit, live_user(language=lang), lang)
    for path in ("/", f"/vorschlaege/{world['german']}", "/konto", "/vorschlaege/neu"):
        checks.get(path, label=f"{path} signed in")
    checks.get("/vorschlaege/neu?unterziel=1.1", label="proposal form")
    checks.submit_empty("proposal form with errors", "main form.proposal-form button[type=submit]")
    for field_id in ("title", "body", "horizon", "cost_class"):
        if page.locator(f"#{field_id}-error").count() != 1:
            checks.problems.append(f"proposal form: no error next to #{field_id}")
    # the comment form with its errors
    visit(with_lang(f"/vorschlaege/{world['german']}", lang))
    checks.submit_empty("comment form with errors", "#kommentieren form button[type=submit]")

    assert len(checks.checked) >= 25, checks.checked
    assert len(checker.documents) >= 25, sorted(checker.documents)
    checks.problems.extend(f"Nu: {message}" for message in checker.check())
    assert not checks.problems, f"{lang}: {len(checks.problems)} problems\n\n" + "\n\n".join(checks.problems)


# ---- 2. Right to left -----------------------------------------------------------------------------


def _box(page: Page, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not rendered"
    return box


def test_arabic_is_right_to_left(
    page: Page, visit: Visitor, world: dict[str, Any], signed_in: Callable[..., LiveUser]
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    visit(with_lang("/", RTL))
    html = page.locator("html")
    assert html.get_attribute("lang") == "ar"
    assert html.get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"

    # The header starts on the right: the brand is right of the language picker.
    brand = _box(page, ".site-brand")
    picker = _box(page, ".lang-picker__summary")
    assert brand["x"] >= picker["x"] + picker["width"], f"brand {brand} is not right of the picker {picker}"
    assert brand["x"] + brand["width"] > 1280 / 2, f"brand {brand} is not on the right half"
    # the main navigation's first link is the rightmost one
    nav = page.locator(".site-nav a")
    first, second = nav.nth(0).bounding_box(), nav.nth(1).bounding_box()
    assert first and second and first["x"] > second["x"], f"nav links not right to left: {first}, {second}"

    # Tables: text cells on the right (the start), numbers on the left (the end), like KERN's
    # left-to-right tables mirrored.
    visit("/statistik")
    cells = page.evaluate(
        """() => [...document.querySelectorAll('main table th, main table td')].map((cell) => ({
             text: cell.textContent.trim().slice(0, 30),
             numeric: /--numeric/.test(cell.className),
             align: getComputedStyle(cell).textAlign,
             direction: getComputedStyle(cell).direction}))"""
    )
    assert cells, "no table on /statistik"
    wrong = [
        cell
        for cell in cells
        if cell["direction"] != "rtl"
        or (cell["align"] not in (("left", "end") if cell["numeric"] else ("right", "start")))
    ]
    assert not wrong, f"table cells aligned the wrong way in RTL: {wrong[:8]}"
    assert any(not cell["numeric"] and cell["align"] == "right" for cell in cells) or all(
        cell["align"] == "start" for cell in cells if not cell["numeric"]
    )

    # Form errors are marked on the start side (the right).
    signed_in(lang=RTL)
    visit("/vorschlaege/neu?unterziel=1.1")
    follow(visit, lambda: page.locator("main form.proposal-form button[type=submit]").click())
    marks = page.evaluate(
        """() => [...document.querySelectorAll(
               '.kern-form-input--error, .kern-fieldset--error, .kern-form-check--error')].map((el) => {
             const style = getComputedStyle(el);
             return {cls: el.className, right: parseFloat(style.borderRightWidth),
                     left: parseFloat(style.borderLeftWidth),
                     paddingRight: parseFloat(style.paddingRight), id: el.id || el.querySelector('[id]')?.id};
           })"""
    )
    assert len(marks) >= 4, f"error marks: {marks}"
    wrong = [mark for mark in marks if not (mark["right"] > 0 and mark["left"] == 0)]
    assert not wrong, f"error border not on the right side only: {wrong}"
    # the legends of radio groups start on the right too (KERN floats them left)
    legend = page.locator("#horizon legend")
    fieldset = _box(page, "#horizon")
    legend_box = legend.bounding_box()
    assert legend_box is not None
    assert abs((legend_box["x"] + legend_box["width"]) - (fieldset["x"] + fieldset["width"])) < 40, (
        f"legend {legend_box} does not start at the right of its fieldset {fieldset}"
    )


@pytest.mark.parametrize("width", [1280, 320])
def test_arabic_screenshots_and_reflow(
    page: Page,
    visit: Visitor,
    world: dict[str, Any],
    signed_in: Callable[..., LiveUser],
    screenshot_dir: Path,
    width: int,
) -> None:
    """Home, a proposal with comments and the proposal form (with its errors) in Arabic: no
    horizontal scrolling at 320 px, and full-page screenshots to look at."""
    page.set_viewport_size({"width": width, "height": 900})
    signed_in(lang=RTL)
    shots = {
        "home": "/",
        "proposal": f"/vorschlaege/{world['german']}",
        "proposal-ar": f"/vorschlaege/{world['ar']}",
        "measure": f"/massnahmen/{world['measure']}",
        "form": "/vorschlaege/neu?unterziel=1.1",
    }
    too_wide: list[str] = []
    misplaced: list[str] = []
    for name, path in shots.items():
        visit(path)
        assert page.locator("html").get_attribute("dir") == "rtl"
        if name == "form":
            follow(visit, lambda: page.locator("main form.proposal-form button[type=submit]").click())
        bars = page.evaluate(MISPLACED_BARS)
        if bars:
            misplaced.append(f"{name}: {bars}")
        scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
        if width == 320 and scroll_width > 320:
            too_wide.append(f"{name}: scrollWidth {scroll_width}; sticking out: {page.evaluate(OVERFLOWING)}")
        # sub-goal numbers stay on one line ("1.2", not "1." over "2")
        broken = page.evaluate(
            """() => [...document.querySelectorAll('.subgoal-number')]
                 .filter((el) => el.getClientRects().length > 1 || el.getBoundingClientRect().height
                   > 1.5 * parseFloat(getComputedStyle(el).lineHeight)).map((el) => el.textContent)"""
        )
        if broken:
            too_wide.append(f"{name}: sub-goal numbers broken over lines: {broken}")
        page.screenshot(path=str(screenshot_dir / f"ar-{name}-{width}.png"), full_page=True)
    assert not too_wide, f"reflow at {width} px:\n" + "\n".join(too_wide)
    assert not misplaced, "bars not mirrored:\n" + "\n".join(misplaced)
    if width == 1280:
        # the breadcrumbs run right to left: "Home" is the rightmost
        visit(shots["proposal"])
        crumbs = page.locator(".breadcrumbs li")
        home, last = crumbs.first.bounding_box(), crumbs.last.bounding_box()
        assert home and last and home["x"] > last["x"], f"breadcrumbs not right to left: {home}, {last}"
        # A commenter's Latin or Cyrillic name starts the line (on the right) instead of pulling
        # the date into its left-to-right run ("25 · Олена Коваль نوفمبر 2026").
        lines = page.evaluate(
            """() => [...document.querySelectorAll('.comment__meta')].map((meta) => {
                 const style = getComputedStyle(meta);
                 const box = meta.getBoundingClientRect();
                 const name = meta.querySelector('strong').getBoundingClientRect();
                 return {text: meta.textContent.trim().replace(/\\s+/g, ' '),
                         gap: Math.round(box.right - parseFloat(style.paddingRight) - name.right)};
               })"""
        )
        assert lines, "no comment on the proposal"
        wrong = [line for line in lines if abs(line["gap"]) > 2]
        assert not wrong, f"the commenter's name does not start the line: {wrong}"


# ---- 3. The language picker with the keyboard -----------------------------------------------------


def _tab_to(page: Page, test: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({test}); }})()"):
            return
    raise AssertionError(f"Tab never reached {test} (last: {page.evaluate(FOCUSED)})")


def test_language_picker_by_keyboard(page: Page, visit: Visitor) -> None:
    visit("/")
    assert page.locator("html").get_attribute("lang") == "de"
    picker = page.locator("details.lang-picker")
    assert picker.get_attribute("open") is None, "the picker starts open"

    # Tab from the start of the page reaches the picker's summary; Enter opens it.
    _tab_to(page, "el.matches('details.lang-picker > summary')")
    page.keyboard.press("Enter")
    assert picker.get_attribute("open") is not None, "Enter did not open the picker"

    # The next Tabs go through the language links, each in its own language.
    links = page.locator(".lang-picker a")
    assert links.count() == len(Config.LANGUAGES)
    reached = []
    for _ in Config.LANGUAGES:
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.getAttribute('hreflang')"))
    assert reached == list(Config.LANGUAGES), f"Tab order of the language links: {reached}"
    for code in Config.LANGUAGES:
        link = page.locator(f'.lang-picker a[hreflang="{code}"]')
        assert link.count() == 1, f"no link for {code}"
        assert link.get_attribute("lang") == code
        assert link.get_attribute("hreflang") == code
        assert link.is_visible()
        expected_current = "true" if code == "de" else None
        assert link.get_attribute("aria-current") == expected_current, f"{code}: aria-current"
        assert f"lang={code}" in (link.get_attribute("href") or "")
    # the summary names the current language, in that language
    assert page.locator('.lang-picker__summary [lang="de"]').inner_text() == "Deutsch"

    # Back to Türkçe (Shift+Tab) and Enter: the page comes in Turkish.
    for _ in range(10):
        if page.evaluate("document.activeElement.getAttribute('hreflang')") == "tr":
            break
        page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Türkçe"
    follow(visit, lambda: page.keyboard.press("Enter"))
    assert page.locator("html").get_attribute("lang") == "tr"
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator(".skip-link").inner_text() != "Zum Hauptinhalt springen"
    assert page.locator('.lang-picker a[hreflang="tr"]').get_attribute("aria-current") == "true"

    # The next page, without ?lang, stays Turkish.
    visit("/ablauf")
    assert "lang=" not in page.url
    assert page.locator("html").get_attribute("lang") == "tr"
    assert page.locator('.lang-picker a[hreflang="tr"]').get_attribute("aria-current") == "true"
    assert page.locator('.lang-picker a[hreflang="de"]').get_attribute("aria-current") is None
    assert page.locator('.lang-picker__summary [lang="tr"]').inner_text() == "Türkçe"


# ---- 4. User content keeps its language -----------------------------------------------------------


def test_proposals_and_comments_keep_their_language(
    page: Page,
    visit: Visitor,
    signed_in: Callable[..., LiveUser],
    live_user: Callable[..., LiveUser],
    live_proposal: Callable[..., int],
) -> None:
    # -- a Ukrainian proposal written through the form of the German interface -----------------------
    signed_in(display_name="Оксана")
    visit("/vorschlaege/neu?unterziel=1.2")
    assert page.locator("html").get_attribute("lang") == "de"
    language = page.locator("select#language")
    assert language.input_value() == "de", "the language of the text defaults to the interface's"
    assert language.locator('option[value="uk"]').get_attribute("lang") == "uk"
    title = "Безкоштовний автобус до школи"
    page.locator("#title").fill(title)
    page.locator("#body").fill("Діти з сіл повинні їздити до школи в Гельмштедті безкоштовно.")
    language.select_option("uk")
    page.locator("#municipality").select_option("helmstedt")
    page.locator("#horizon input[value=short]").check()
    page.locator("#cost_class input[value=small]").check()
    follow(visit, lambda: page.locator("main form.proposal-form button[type=submit]").click())
    assert page.locator("#error-summary").count() == 0, page.locator("#error-summary").inner_text()
    preview = page.locator("main [lang='uk']", has_text=title)
    assert preview.count() >= 1, "the preview does not mark the title lang=uk"
    follow(visit, lambda: page.locator("main form button[name=confirm]").click())
    match = re.search(r"/vorschlaege/(\d+)", page.url)
    assert match, page.url
    assert page.locator("html").get_attribute("lang") == "de"
    heading = page.locator("h1#proposal-title")
    assert heading.inner_text() == title
    assert heading.get_attribute("lang") == "uk"
    assert heading.get_attribute("dir") == "ltr"
    body = page.locator(".proposal__body")
    assert body.get_attribute("lang") == "uk"
    assert "безкоштовно" in body.inner_text()
    # the breadcrumbs name it in its language too; the interface around it stays German
    crumb = page.locator(".breadcrumbs a[aria-current=page]")
    assert crumb.inner_text() == title
    assert crumb.get_attribute("lang") == "uk"
    assert page.locator(".skip-link").inner_text() == "Zum Hauptinhalt springen"

    # -- a comment in Arabic on it, through the comment form -----------------------------------------
    page.locator("#kommentieren #body").fill("فكرة ممتازة، أطفالنا يحتاجون إلى ذلك.")
    page.locator("#kommentieren select[name=language]").select_option("ar")
    follow(visit, lambda: page.locator("#kommentieren form button[type=submit]").click())
    comment = page.locator(".comment__body", has_text="فكرة ممتازة")
    assert comment.count() == 1
    assert comment.get_attribute("lang") == "ar"
    assert comment.get_attribute("dir") == "rtl"
    assert comment.evaluate("(el) => getComputedStyle(el).direction") == "rtl"
    assert page.locator("html").get_attribute("dir") == "ltr"

    # the list marks the title too
    visit("/vorschlaege")
    listed = page.locator(f'main a[href="/vorschlaege/{match.group(1)}"]').first
    assert listed.get_attribute("lang") == "uk"

    # -- an Arabic proposal: right to left inside the German page ------------------------------------
    author = live_user(display_name="سارة")
    arabic_title = "مقهى لغات في المكتبة"
    proposal_id = live_proposal(
        author, arabic_title, "لقاء أسبوعي في المكتبة لتعلم اللغة الألمانية معاً.", language="ar"
    )
    visit(f"/vorschlaege/{proposal_id}")
    heading = page.locator("h1#proposal-title")
    assert heading.inner_text() == arabic_title
    assert heading.get_attribute("lang") == "ar"
    assert heading.get_attribute("dir") == "rtl"
    assert heading.evaluate("(el) => getComputedStyle(el).direction") == "rtl"
    body = page.locator(".proposal__body")
    assert body.get_attribute("lang") == "ar"
    assert body.get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("html").get_attribute("dir") == "ltr"
