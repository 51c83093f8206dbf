"""Helpers for the browser tests: the pages, axe-core, the Nu HTML checker, console watching.

The fixtures that wire these up live in ``conftest.py``; tests import from here.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from typing import TypeVar

import yaml
from playwright.sync_api import ConsoleMessage
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page
from playwright.sync_api import Response

ROOT = Path(__file__).resolve().parents[2]
DEMO_STRATEGY = ROOT / "data" / "strategies" / "helmstedt.yaml"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

LANGUAGES = ("de", "en")
NOT_FOUND_PATH = "/gibt-es-nicht"


def _demo_pages() -> list[tuple[str, int]]:
    """Every public HTML page of the demo data with its expected status."""
    strategy = yaml.safe_load(DEMO_STRATEGY.read_text(encoding="utf-8"))
    pages = [("/", 200), ("/ablauf", 200)]
    for goal in strategy["goals"]:
        pages.append((f"/oberziele/{goal['number']}", 200))
    for goal in strategy["goals"]:
        pages.extend((f"/unterziele/{subgoal['number']}", 200) for subgoal in goal["subgoals"])
    # Leichte Sprache (portal/pages/easy_views.py, texts in data/easy/)
    pages.append(("/leichte-sprache", 200))
    pages.extend(
        (f"/leichte-sprache/{slug}", 200)
        for slug in ("beteiligungs-portal", "leitbild-und-ziele", "mitmachen")
    )
    pages.append((NOT_FOUND_PATH, 404))
    return pages


#: (path, expected status) of every public page; read from the demo strategy at collection.
PAGES: list[tuple[str, int]] = _demo_pages()


def with_lang(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


# ---- Ordering ---------------------------------------------------------------------------------

_F = TypeVar("_F", bound=Callable[..., Any])


def run_last(function: _F) -> _F:
    """Mark a test to be moved behind every other test (conftest reorders the items)."""
    function.run_last = True  # type: ignore[attr-defined]
    return function


# ---- axe-core -----------------------------------------------------------------------------------

#: The WCAG 2.1 A/AA rules plus axe's best practices. The best-practice rules (landmarks, one
#: main, heading order, ...) produce no noise on these pages, so every violation fails.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")

_AXE_RUN = """async (tags) => {
  const result = await window.axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.map(String), summary: n.failureSummary || ''})),
  }));
}"""


@dataclass(frozen=True)
class AxeViolation:
    id: str
    impact: str | None
    help: str
    help_url: str
    nodes: list[dict[str, Any]]

    def __str__(self) -> str:
        lines = [f"[{self.impact}] {self.id}: {self.help} ({self.help_url})"]
        for node in self.nodes:
            summary = " ".join(node["summary"].replace("\n  ", "; ").split())
            lines.append(f"    {' > '.join(node['target'])}: {summary}")
        return "\n".join(lines)


_axe_source: str | None = None


def run_axe(page: Page, tags: tuple[str, ...] = AXE_TAGS) -> list[AxeViolation]:
    """Run axe-core on the page as it is now.

    axe is injected with ``page.evaluate`` (a DevTools ``Runtime.evaluate``), which Chromium
    exempts from the page's Content-Security-Policy; the policy itself stays in force for the
    page (``test_csp_is_enforced_and_reported`` checks both).
    """
    global _axe_source
    if _axe_source is None:
        _axe_source = AXE_JS.read_text(encoding="utf-8")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_source)
    raw = page.evaluate(_AXE_RUN, list(tags))
    return [
        AxeViolation(id=v["id"], impact=v["impact"], help=v["help"], help_url=v["helpUrl"], nodes=v["nodes"])
        for v in raw
    ]


def describe_violations(violations: list[AxeViolation]) -> str:
    return "\n".join(str(violation) for violation in violations)


# ---- Nu HTML checker ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NuMessage:
    url: str
    line: int | None
    column: int | None
    message: str
    extract: str

    def __str__(self) -> str:
        where = f"{self.url}:{self.line}:{self.column}" if self.line else self.url
        extract = " ".join(self.extract.split())
        return f"{where}: {self.message}" + (f"  [{extract}]" if extract else "")


@dataclass
class HtmlChecker:
    """Collects the raw HTML the server sent and checks it all with one run of vnu.jar."""

    directory: Path
    documents: dict[str, bytes] = field(default_factory=dict)

    def add(self, url: str, html: bytes) -> None:
        key = url
        number = 2
        while key in self.documents and self.documents[key] != html:
            key = f"{url} (variant {number})"
            number += 1
        self.documents[key] = html

    def has(self, url: str) -> bool:
        return url in self.documents

    def check_new(self) -> list[NuMessage]:
        """Check only the documents that no earlier ``check_new`` saw (a journey module's run-last
        test, so that running one module alone still validates its pages)."""
        seen = self.__dict__.setdefault("_checked", set())
        new = {url: html for url, html in self.documents.items() if url not in seen}
        seen.update(new)
        batch = self.directory / f"batch-{len(seen)}"
        batch.mkdir(exist_ok=True)
        return HtmlChecker(batch, new).check()

    def check(self) -> list[NuMessage]:
        """``vnu.jar --errors-only`` over every collected document: one JVM, one call."""
        files: dict[str, str] = {}
        for index, (url, html) in enumerate(sorted(self.documents.items()), start=1):
            path = self.directory / f"page-{index:03d}.html"
            path.write_bytes(html)
            files[str(path)] = url
        if not files:
            return []
        command = ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout"]
        done = subprocess.run(
            [*command, "--exit-zero-always", *files], capture_output=True, text=True, timeout=300, check=False
        )
        if done.returncode != 0 or not done.stdout.strip():
            raise RuntimeError(f"vnu.jar failed ({done.returncode}): {done.stderr or done.stdout}")
        messages = []
        for item in json.loads(done.stdout)["messages"]:
            if item.get("type") not in ("error", "non-document-error"):
                continue
            source = item.get("url", "")
            path = source.removeprefix("file://").removeprefix("file:")
            messages.append(
                NuMessage(
                    url=files.get(path, source),
                    line=item.get("lastLine"),
                    column=item.get("firstColumn") or item.get("lastColumn"),
                    message=item.get("message", ""),
                    extract=item.get("extract", ""),
                )
            )
        return messages


# ---- Console, page errors and CSP violations -----------------------------------------------

#: Resources whose failure is expected; everything else the console calls an error fails the test.
IGNORED_RESOURCES: tuple[str, ...] = ()


@dataclass
class BrowserErrors:
    """Console errors (CSP violations included) and uncaught exceptions of a page."""

    messages: list[str] = field(default_factory=list)
    expected_failures: set[str] = field(default_factory=set)

    def watch(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        expected = url in self.expected_failures or url.split("?")[0].endswith(IGNORED_RESOURCES)
        if expected and message.text.startswith("Failed to load resource"):
            return
        self.messages.append(f"console error: {message.text} ({url})")

    def _on_page_error(self, error: PlaywrightError) -> None:
        self.messages.append(f"page error: {error.name}: {error.message}")

    def __str__(self) -> str:
        return "\n".join(self.messages)


@dataclass
class Visitor:
    """Loads pages of the live server in one test's page and checks what arrives."""

    page: Page
    base_url: str
    errors: BrowserErrors
    checker: HtmlChecker

    def __call__(self, path: str, status: int = 200) -> Response:
        """Load ``path``, assert its status, hand the raw HTML to the Nu checker, wait for the
        fonts, and fail on any console error, page error or CSP violation so far."""
        url = self.base_url + path
        if status >= 400:
            self.errors.expected_failures.add(url)
        response = self.page.goto(url)
        assert response is not None, f"no response for {path}"
        assert response.status == status, f"{path}: status {response.status}, expected {status}"
        self.record(response)
        self.settle()
        return response

    def record(self, response: Response) -> None:
        """Keep the body the server sent (not the serialised DOM) for the Nu checker."""
        if response.headers.get("content-type", "").startswith("text/html"):
            self.checker.add(response.url.removeprefix(self.base_url), response.body())

    def settle(self) -> None:
        """Wait for web fonts, then fail on what the console has reported."""
        self.page.evaluate("document.fonts.ready.then(() => true)")
        self.assert_no_errors()

    def assert_no_errors(self) -> None:
        assert not self.errors.messages, f"{self.page.url}:\n{self.errors}"


# ---- Journeys: forms, signed-in users, the outbox ------------------------------------------------

#: The password of every user the journeys create in the live database.
LIVE_PASSWORD = "correct horse battery staple"


def assert_axe_clean(page: Page) -> None:
    """No axe-core violation on the page as it is now."""
    violations = run_axe(page)
    assert not violations, f"axe on {page.url}:\n{describe_violations(violations)}"


def check_page(visit: Visitor, lang: str | None = None) -> None:
    """What every journey page must pass: ``html[lang]``, axe, console and CSP (the raw HTML
    was already handed to the Nu checker by ``visit`` / :func:`follow`)."""
    if lang is not None:
        actual = visit.page.locator("html").get_attribute("lang")
        assert actual == lang, f"{visit.page.url}: html[lang]={actual!r}, expected {lang!r}"
    assert_axe_clean(visit.page)
    visit.assert_no_errors()


def follow(visit: Visitor, action: Callable[[], Any], status: int = 200) -> Response:
    """Run ``action`` (a click, a key press) that navigates; check the final response's status,
    hand its raw HTML to the Nu checker and settle (fonts, console errors)."""
    with visit.page.expect_navigation() as navigation:
        action()
    response = navigation.value
    assert response is not None, f"no response after the action on {visit.page.url}"
    assert response.status == status, f"{response.url}: status {response.status}, expected {status}"
    if status >= 400:  # the console's "Failed to load resource" for this very response is expected
        visit.errors.expected_failures.add(response.url)
        visit.errors.messages = [
            message
            for message in visit.errors.messages
            if not (message.startswith("console error: Failed to load resource") and response.url in message)
        ]
    visit.record(response)
    visit.settle()
    return response


def assert_field_error(page: Page, field_id: str, text: str | None = None) -> None:
    """The error is shown next to the field (``#<id>-error`` in the field's group), the field is
    marked invalid and points at it, and the summary at the top links to the field."""
    error = page.locator(f"#{field_id}-error")
    assert error.count() == 1, f"{page.url}: no error message next to #{field_id}"
    assert error.is_visible(), f"{page.url}: the error of #{field_id} is not visible"
    if text is not None:
        assert text in error.inner_text(), f"#{field_id}: {error.inner_text()!r} lacks {text!r}"
    target = page.locator(f"#{field_id}")
    described = target.get_attribute("aria-describedby") or ""
    assert f"{field_id}-error" in described.split(), f"#{field_id} aria-describedby={described!r}"
    if target.evaluate("el => el.tagName") != "FIELDSET":
        assert target.get_attribute("aria-invalid") == "true", f"#{field_id} is not aria-invalid"
    summary = page.locator("#error-summary")
    assert summary.is_visible(), f"{page.url}: no error summary"
    assert summary.locator(f'a[href="#{field_id}"]').count() == 1, f"summary does not link #{field_id}"


@dataclass(frozen=True)
class LiveUser:
    """A user in the live database (password :data:`LIVE_PASSWORD`)."""

    id: int
    email: str
    display_name: str
    password: str = LIVE_PASSWORD


def sign_in(visit: Visitor, user: LiveUser, lang: str | None = None) -> None:
    """Sign in through the real form (the next page is whatever the portal redirects to)."""
    page = visit.page
    page.goto(visit.base_url + (with_lang("/anmelden", lang) if lang else "/anmelden"))
    page.locator("#email").fill(user.email)
    page.locator("#password").fill(user.password)
    follow(visit, lambda: page.locator("main form button[type=submit]").click())
    assert "/anmelden" not in page.url, f"sign-in of {user.email} failed: {page.url}"


def sign_out(visit: Visitor) -> None:
    """The header's sign-out button (a POST form)."""
    follow(visit, lambda: visit.page.locator(".account-menu form button[type=submit]").click())


@dataclass
class Mailbox:
    """The live app's outbox, delivered as .eml files into ``directory`` (no SMTP_HOST)."""

    app: Any  # the live Flask app
    directory: Path

    def deliver(self) -> None:
        """What ``send-mail`` does: deliver every pending outbox message (as .eml files)."""
        from portal.extensions import db
        from portal.mail.services import deliver_pending

        with self.app.app_context():
            deliver_pending()
            db.session.remove()

    def messages(self, recipient: str) -> list[EmailMessage]:
        """Every delivered message to ``recipient``, oldest first."""
        self.deliver()
        found = []
        for path in sorted(self.directory.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if str(message["To"]).lower() == recipient.lower():
                found.append(message)
        return found

    def last(self, recipient: str) -> EmailMessage:
        messages = self.messages(recipient)
        assert messages, f"no mail to {recipient}"
        return messages[-1]

    def link(self, recipient: str, path_prefix: str) -> str:
        """The path (with query) of the link to ``path_prefix`` in the last mail to ``recipient``."""
        message = self.last(recipient)
        body = message.get_body(preferencelist=("plain",))
        assert body is not None, f"no text part in {message['Subject']!r}"
        base = self.app.config["PORTAL_BASE_URL"].rstrip("/")
        for url in re.findall(r"https?://\S+", body.get_content()):
            if url.startswith(base + path_prefix):
                return url.removeprefix(base)
        raise AssertionError(f"no link to {path_prefix} in {message['Subject']!r}:\n{body.get_content()}")


def assert_html_valid(html_checker: HtmlChecker) -> None:
    """The Nu checker over the pages collected since the last call (one JVM)."""
    messages = html_checker.check_new()
    assert not messages, f"Nu HTML checker, {len(messages)} errors:\n" + "\n".join(map(str, messages))
