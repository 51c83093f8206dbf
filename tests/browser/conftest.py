"""Browser tests: a live server on a file SQLite database, Debian's chromium, axe-core, Nu checker.

Nothing is downloaded: Playwright drives the system chromium, axe-core and vnu.jar come from
node_modules (``npm ci``). Without them the tests skip, unless ``PORTAL_REQUIRE_BROWSER=1``
(set by .ci/run) turns that into failures.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page
from werkzeug.serving import make_server

from config import TestingConfig
from portal import create_app
from portal.extensions import db
from tests.browser.helpers import AXE_JS
from tests.browser.helpers import DEMO_STRATEGY
from tests.browser.helpers import ROOT
from tests.browser.helpers import VNU_JAR
from tests.browser.helpers import BrowserErrors
from tests.browser.helpers import HtmlChecker
from tests.browser.helpers import Visitor

HERE = Path(__file__).resolve().parent
REQUIRE_BROWSER = os.environ.get("PORTAL_REQUIRE_BROWSER") == "1"

#: The day the live server lives on (the demo phases are anchored to it on import).
LIVE_TODAY = "2026-11-25"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def find_chromium() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def missing_tools() -> list[str]:
    missing = []
    if find_chromium() is None:
        missing.append("chromium (apt-get install chromium)")
    if shutil.which("java") is None:
        missing.append("java (apt-get install default-jre-headless)")
    missing.extend(f"{path} (npm ci)" for path in (AXE_JS, VNU_JAR) if not path.is_file())
    return missing


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test here ``browser`` (before ``-m`` selects) and move run-last tests last."""
    ours = [item for item in items if HERE in Path(item.path).resolve().parents]
    for item in ours:
        item.add_marker(pytest.mark.browser)
    last = [item for item in ours if getattr(getattr(item, "function", None), "run_last", False)]
    for item in last:
        items.remove(item)
    items.extend(last)


@pytest.fixture(scope="session", autouse=True)
def _browser_tools() -> None:
    """Skip (locally) or fail (CI) when chromium, java, axe-core or vnu.jar are missing."""
    missing = missing_tools()
    if missing:
        message = "browser tests need " + ", ".join(missing)
        if REQUIRE_BROWSER:
            pytest.fail(message + " but PORTAL_REQUIRE_BROWSER=1")
        pytest.skip(message)


# ---- The live server ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app on a file SQLite database, migrated and with the demo strategy imported.

    Not the ``app`` fixture of tests/conftest.py: that one is in memory with a rolled-back
    transaction per test, invisible to a server thread.
    """
    from flask_migrate import upgrade

    from portal.strategy.importer import import_strategy_file

    database = tmp_path_factory.mktemp("live") / "portal.db"
    application = create_app(
        TestingConfig,
        overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "PORTAL_FIXED_NOW": LIVE_TODAY},
    )
    with application.app_context():
        upgrade(directory=str(ROOT / "migrations"), revision="heads")
        import_strategy_file(DEMO_STRATEGY)
        db.session.remove()
    yield application
    with application.app_context():
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    """Serve the app on a free port in a daemon thread; yields the base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    """pytest-playwright's base URL: ``page.goto("/ablauf")`` goes to the live server."""
    return live_server


# ---- Playwright on Debian's chromium ------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch the system chromium (never a downloaded one); keeps pytest-playwright's --headed."""
    return {**browser_type_launch_args, "executable_path": find_chromium(), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A German-speaking visitor by default (Accept-Language), like most of the portal's public."""
    return {**browser_context_args, "locale": "de-DE"}


# ---- Checkers -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def html_checker(tmp_path_factory: pytest.TempPathFactory) -> HtmlChecker:
    """Raw HTML of every visited page; ``test_html_is_valid`` checks them all with one JVM."""
    return HtmlChecker(tmp_path_factory.mktemp("nu"))


@pytest.fixture
def browser_errors(page: Page) -> BrowserErrors:
    """Console errors (CSP violations are console errors) and uncaught exceptions of ``page``."""
    errors = BrowserErrors()
    errors.watch(page)
    return errors


@pytest.fixture
def visit(page: Page, base_url: str, browser_errors: BrowserErrors, html_checker: HtmlChecker) -> Visitor:
    """``visit(path, status=200)`` loads a page and checks it (see :class:`Visitor`)."""
    return Visitor(page, base_url, browser_errors, html_checker)
