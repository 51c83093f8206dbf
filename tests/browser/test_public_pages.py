"""The public pages in a real browser: status, language, axe-core, Nu HTML checker, console and
CSP, reflow at 320 px, keyboard use."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Page

from portal.core.security import CONTENT_SECURITY_POLICY
from tests.browser.helpers import LANGUAGES
from tests.browser.helpers import PAGES
from tests.browser.helpers import BrowserErrors
from tests.browser.helpers import HtmlChecker
from tests.browser.helpers import Visitor
from tests.browser.helpers import describe_violations
from tests.browser.helpers import run_axe
from tests.browser.helpers import run_last
from tests.browser.helpers import with_lang

PAGE_CASES = [
    pytest.param(path, status, lang, id=f"{lang}:{path}") for path, status in PAGES for lang in LANGUAGES
]

#: What the focused element looks like: enough to name it in a message and to judge its focus ring.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== 'none';
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    cls: el.className,
    text: (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60),
    href: el.getAttribute('href'),
    region: el.closest('.site-nav') ? 'nav' : el.closest('.lang-switch') ? 'lang' : '',
    style: `outline: ${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}; `
      + `box-shadow: ${style.boxShadow}`,
    visible: outline || shadow,
  };
}"""

#: The elements that stick out to the right of a 320 px viewport (innermost first).
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const sticksOut = (el) => el.getBoundingClientRect().right > width + 0.5;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (sticksOut(el) && ![...el.children].some(sticksOut)) {
      const classes = String(el.className).trim().split(/\\s+/).filter(Boolean).map((c) => '.' + c);
      const right = Math.round(el.getBoundingClientRect().right);
      out.push(`${el.tagName.toLowerCase()}${classes.join('')} (right edge ${right})`);
    }
  }
  return out.slice(0, 10);
}"""


def describe(element: dict[str, object] | None) -> str:
    if element is None:
        return "<nothing>"
    return f"<{element['tag']} class={element['cls']!r} href={element['href']!r}> {element['text']!r}"


@pytest.mark.parametrize(("path", "status", "lang"), PAGE_CASES)
def test_page_is_accessible(page: Page, visit: Visitor, path: str, status: int, lang: str) -> None:
    """Status, ``html[lang]``, no axe violations, no console errors or CSP violations.

    The raw HTML goes to the Nu checker, which :func:`test_html_is_valid` runs once at the end.
    """
    visit(with_lang(path, lang), status=status)
    assert page.locator("html").get_attribute("lang") == lang
    violations = run_axe(page)
    assert not violations, f"axe on {with_lang(path, lang)}:\n{describe_violations(violations)}"
    visit.assert_no_errors()


@pytest.mark.parametrize(("path", "status", "lang"), PAGE_CASES)
def test_no_horizontal_scrolling_at_320px(
    page: Page, visit: Visitor, path: str, status: int, lang: str
) -> None:
    """WCAG 1.4.10 Reflow: 320 CSS px wide, nothing scrolls sideways."""
    page.set_viewport_size({"width": 320, "height": 800})
    visit(with_lang(path, lang), status=status)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320, (
        f"scrollWidth {scroll_width} > 320; sticking out: {page.evaluate(OVERFLOWING)}"
    )


def test_skip_link_is_first_and_moves_focus_to_main(page: Page, visit: Visitor) -> None:
    visit("/")
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused is not None, "Tab focused nothing"
    assert "skip-link" in str(focused["cls"]), f"first Tab focused {describe(focused)}"
    assert focused["text"] == "Zum Hauptinhalt springen"
    assert focused["visible"], f"skip link without visible focus: {focused['style']}"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.matches('main#main')"), (
        f"Enter on the skip link focused {describe(page.evaluate(FOCUSED))}"
    )
    visit.assert_no_errors()


def test_tab_reaches_header_links_with_visible_focus(page: Page, visit: Visitor) -> None:
    """Tab through the whole home page: every header and language link is reached, and every
    focused element shows a focus indicator. (The language picker is a disclosure; opening it by
    keyboard is the next test, here it is opened first so that its links are in the tab order.)"""
    visit("/")
    page.evaluate("document.querySelector('.lang-picker').open = true")
    wanted = page.evaluate(
        """() => [...document.querySelectorAll('.site-nav a, .lang-switch a')].map(
              (a) => [a.closest('.site-nav') ? 'nav' : 'lang', a.getAttribute('href')])"""
    )
    assert len(wanted) >= 4, f"header links: {wanted}"
    reached: list[dict[str, object]] = []
    for _ in range(150):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (reached and focused == reached[0]):
            break  # focus left the document or came round again
        reached.append(focused)
    reached_links = [[element["region"], element["href"]] for element in reached if element["region"]]
    missing = [link for link in wanted if link not in reached_links]
    assert not missing, f"never focused by Tab: {missing}; focus order: {[describe(e) for e in reached]}"
    invisible = [f"{describe(element)}: {element['style']}" for element in reached if not element["visible"]]
    assert not invisible, "no visible focus indicator:\n" + "\n".join(invisible)
    visit.assert_no_errors()


def test_language_switch_by_keyboard_sticks(page: Page, visit: Visitor) -> None:
    visit("/")
    assert page.locator("html").get_attribute("lang") == "de"
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.lang-picker__summary')"):
            break
    else:
        pytest.fail("Tab never reached the language picker")
    assert page.evaluate("document.activeElement.getAttribute('aria-expanded')") in (None, "false")
    page.keyboard.press("Enter")
    assert page.evaluate("document.querySelector('.lang-picker').open"), "Enter opens the picker"
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('hreflang')") == "en":
            break
    else:
        pytest.fail("Tab never reached the English link of the language picker")
    assert page.evaluate("document.activeElement.textContent.trim()") == "English"
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    response = navigation.value
    assert response is not None
    assert response.status == 200
    visit.record(response)
    visit.settle()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".skip-link").inner_text() == "Skip to main content"
    # The next page, without ?lang=, stays English (the choice is kept in the session).
    visit("/ablauf")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator('.lang-switch a[hreflang="en"]').get_attribute("aria-current") == "true"


def test_csp_is_enforced_and_reported(page: Page, visit: Visitor, browser_errors: BrowserErrors) -> None:
    """The strict policy is sent and in force while axe runs, and a violation fails a test."""
    response = visit("/")
    policy = response.headers["content-security-policy"]
    assert policy == CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert run_axe(page) == []  # axe works although the policy forbids eval
    page.evaluate(
        """() => {
          const script = document.createElement('script');
          script.textContent = 'window.inlineScriptRan = true';
          document.head.append(script);
        }"""
    )
    assert page.evaluate("window.inlineScriptRan === undefined"), "inline script ran despite the CSP"
    assert any("Content Security Policy" in message for message in browser_errors.messages), (
        f"the CSP violation was not reported: {browser_errors.messages}"
    )


def test_healthz(page: Page, base_url: str) -> None:
    response = page.request.get(base_url + "/healthz")
    assert response.status == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@run_last
def test_html_is_valid(html_checker: HtmlChecker, base_url: str) -> None:
    """Every page the browser tests loaded (and every public page in both languages, in case
    they did not run) through the Nu HTML checker, in one JVM."""
    for path, _status in PAGES:
        for lang in LANGUAGES:
            url = with_lang(path, lang)
            if not html_checker.has(url):
                html_checker.add(url, fetch(base_url + url))
    messages = html_checker.check()
    assert not messages, f"Nu HTML checker, {len(messages)} errors:\n" + "\n".join(map(str, messages))


def fetch(url: str) -> bytes:
    """The raw body, whatever the status (the 404 page is HTML too)."""
    request = urllib.request.Request(url, headers={"Accept": "text/html"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.read()
