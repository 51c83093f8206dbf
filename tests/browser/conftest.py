"""Browser tests: a live server on a file SQLite database, Debian's chromium, axe-core, Nu checker.

Nothing is downloaded: Playwright drives the system chromium, axe-core and vnu.jar come from
node_modules (``npm ci``). Without them the tests skip, unless ``PORTAL_REQUIRE_BROWSER=1``
(set by .ci/run) turns that into failures.
"""

from __future__ import annotations

import itertools
import os
import shutil
import threading
import uuid
from collections.abc import Callable
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
from tests.browser.helpers import LIVE_PASSWORD
from tests.browser.helpers import ROOT
from tests.browser.helpers import VNU_JAR
from tests.browser.helpers import BrowserErrors
from tests.browser.helpers import HtmlChecker
from tests.browser.helpers import LiveUser
from tests.browser.helpers import Mailbox
from tests.browser.helpers import Visitor
from tests.browser.helpers import sign_in

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
        overrides={
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "PORTAL_FIXED_NOW": LIVE_TODAY,
            # deliver_pending() writes .eml files here, never into the repository's instance/
            "MAIL_OUTBOX_DIR": str(database.parent / "outbox"),
        },
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


# ---- Journeys: users in the live database, sign-in, mail, rate limits -----------------------------


@pytest.fixture(autouse=True)
def _fresh_rate_limits(live_app: Flask) -> None:
    """Every test starts with empty rate-limit counters (all requests come from 127.0.0.1)."""
    from portal.extensions import limiter

    with live_app.app_context():
        limiter.reset()


@pytest.fixture(scope="session")
def mailbox(live_app: Flask) -> Mailbox:
    """The live app's outbox, delivered to .eml files on demand (``mailbox.link(to, "/path")``)."""
    return Mailbox(live_app, Path(live_app.config["MAIL_OUTBOX_DIR"]))


_live_user_numbers = itertools.count(1)


@pytest.fixture
def live_user(live_app: Flask) -> Callable[..., LiveUser]:
    """Factory: ``live_user(role=None, verified=True, municipality=key, department=key,
    language="de", display_name=None)`` commits a user to the live database."""
    from sqlalchemy import select

    from portal.accounts.models import Role
    from portal.accounts.models import RoleAssignment
    from portal.accounts.models import User
    from portal.accounts.passwords import hash_password
    from portal.core import clock
    from portal.organisations.models import Department
    from portal.organisations.models import Municipality

    def factory(
        role: str | None = None,
        *,
        verified: bool = True,
        municipality: str | None = None,
        department: str | None = None,
        language: str = "de",
        display_name: str | None = None,
    ) -> LiveUser:
        number = next(_live_user_numbers)
        address = f"{role or 'citizen'}-{number}-{uuid.uuid4().hex[:6]}@example.org".replace("_", "-")
        name = display_name or f"{(role or 'citizen').replace('_', ' ').title()} {number}"
        with live_app.app_context():
            user = User(
                email=address,
                display_name=name,
                password_hash=hash_password(LIVE_PASSWORD),
                email_verified_at=clock.now() if verified else None,
                language=language,
            )
            if role:
                assignment = RoleAssignment(role=Role(role))
                if municipality:
                    assignment.municipality_id = db.session.scalar(
                        select(Municipality.id).where(Municipality.key == municipality)
                    )
                if department:
                    assignment.department_id = db.session.scalar(
                        select(Department.id).where(Department.key == department)
                    )
                user.roles.append(assignment)
            db.session.add(user)
            db.session.commit()
            user_id = user.id
            db.session.remove()
        return LiveUser(id=user_id, email=address, display_name=name)

    return factory


@pytest.fixture
def signed_in(visit: Visitor, live_user: Callable[..., LiveUser]) -> Callable[..., LiveUser]:
    """Factory: ``signed_in(role=None, lang=None, **live_user_options)`` creates a user and signs
    them in through the real form in this test's page."""

    def factory(role: str | None = None, *, lang: str | None = None, **options: Any) -> LiveUser:
        user = live_user(role, **options)
        sign_in(visit, user, lang)
        return user

    return factory


@pytest.fixture
def live_proposal(live_app: Flask) -> Callable[..., int]:
    """Factory: ``live_proposal(author, title, body, subgoal="1.1", municipality=None,
    language="de")`` creates a public proposal through the service (as the form would) and
    returns its id (``language``: the language the author wrote in)."""
    from portal.accounts.models import User
    from portal.proposals import services
    from portal.proposals.models import CostClass
    from portal.proposals.models import Horizon
    from portal.proposals.queries import municipalities
    from portal.strategy import queries as strategy_queries

    def factory(
        author: LiveUser,
        title: str,
        body: str,
        *,
        subgoal: str = "1.1",
        municipality: str | None = None,
        language: str = "de",
    ) -> int:
        with live_app.app_context():
            strategy = strategy_queries.get_strategy()
            found = strategy_queries.find_subgoal(strategy, subgoal)
            assert found is not None, f"no sub-goal {subgoal}"
            municipality_id = (
                next(m.id for m in municipalities() if m.key == municipality) if municipality else None
            )
            data = services.ProposalData(
                subgoal_id=found.id,
                focus_area_id=None,
                title=title,
                body=body,
                municipality_id=municipality_id,
                horizon=Horizon.MEDIUM,
                cost_class=CostClass.UNKNOWN,
                language=language,
            )
            proposal = services.create_proposal(db.session.get(User, author.id), data)
            db.session.commit()
            proposal_id = proposal.id
            db.session.remove()
        return proposal_id

    return factory
