"""Shared fixtures: the app (one per session), a rolled-back transaction per test, clients.

The database is SQLite in memory by default; ``PORTAL_TEST_DATABASE=postgresql`` runs the same
tests against a throwaway PostgreSQL cluster started here. ``PORTAL_REQUIRE_POSTGRES=1`` and
``PORTAL_REQUIRE_BROWSER=1`` (set by .ci/run) turn "skipped because missing" into failures.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from config import TestingConfig
from portal import create_app
from portal.core import clock
from portal.extensions import db
from tests import pg

ROOT = Path(__file__).resolve().parent.parent
DEMO_STRATEGY = ROOT / "data" / "strategies" / "helmstedt.yaml"
DATABASE = os.environ.get("PORTAL_TEST_DATABASE", "sqlite")
REQUIRE_POSTGRES = os.environ.get("PORTAL_REQUIRE_POSTGRES") == "1"

#: A fixed day for tests: the demo phases are re-anchored to it on import.
TODAY = date(2026, 11, 25)


def pytest_report_header(config: pytest.Config) -> str:
    return f"portal test database: {DATABASE}"


def missing_postgres() -> None:
    """Skip a test that needs PostgreSQL's server binaries, or fail it where CI requires them."""
    message = "PostgreSQL server binaries (initdb, pg_ctl) not found"
    if REQUIRE_POSTGRES:
        pytest.fail(message + " but PORTAL_REQUIRE_POSTGRES=1")
    pytest.skip(message + ": install postgresql-15 to run these tests")


@pytest.fixture(scope="session")
def postgres() -> Iterator[pg.Cluster]:
    """A PostgreSQL cluster for the session; skips (or fails in CI) without server binaries."""
    bindir = pg.find_binaries()
    if bindir is None:
        missing_postgres()
    cluster = pg.Cluster(bindir)
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def database_url(request: pytest.FixtureRequest) -> str:
    if DATABASE == "postgresql":
        cluster: pg.Cluster = request.getfixturevalue("postgres")
        return cluster.create_database("portal_test")
    if DATABASE != "sqlite":
        raise pytest.UsageError(f"PORTAL_TEST_DATABASE must be sqlite or postgresql, not {DATABASE!r}")
    return "sqlite://"


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    """The application with a migrated schema (built by the real migrations)."""
    from flask_migrate import upgrade

    application = create_app(TestingConfig, overrides={"SQLALCHEMY_DATABASE_URI": database_url})
    with application.app_context():
        # "heads": while parallel work adds migrations, several heads may exist until merged.
        upgrade(directory=str(ROOT / "migrations"), revision="heads")
    yield application
    with application.app_context():
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture(autouse=True)
def _transaction(request: pytest.FixtureRequest) -> Iterator[None]:
    """Run each app test inside a transaction that is rolled back afterwards.

    The engine is swapped for a connection in an open transaction (pallets-eco/flask-sqlalchemy
    #1171); the session joins it with savepoints, so a request's commit behaves as in production
    while nothing outlives the test.
    """
    if "app" not in request.fixturenames:
        yield
        return
    application: Flask = request.getfixturevalue("app")
    with application.app_context():
        engines = db.engines
        swapped = []
        for key, engine in list(engines.items()):
            connection = engine.connect()
            transaction = connection.begin()
            engines[key] = connection  # type: ignore[assignment]
            swapped.append((key, engine, connection, transaction))
    clock.freeze(TODAY)
    try:
        yield
    finally:
        clock.freeze(None)
        with application.app_context():
            db.session.remove()
        for key, engine, connection, transaction in swapped:
            transaction.rollback()
            connection.close()
            engines[key] = engine


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        yield


@pytest.fixture
def demo(app: Flask) -> None:
    """The Helmstedt strategy imported (phases anchored to TODAY)."""
    from portal.strategy.importer import import_strategy_file

    with app.app_context():
        import_strategy_file(DEMO_STRATEGY)


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask):  # type: ignore[no-untyped-def]
    """``with count_queries() as counter: ...``; ``counter.count`` SQL statements ran."""

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()

        def before(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
            if not re.match(r"\s*(SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT)", statement, re.I):
                counter.statements.append(statement)

        from sqlalchemy.engine import Engine

        event.listen(Engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(Engine, "before_cursor_execute", before)

    return counting


# --- users, sign-in and forms ---------------------------------------------------------------

_user_counter = iter(range(1, 10**6))


@pytest.fixture
def create_user(app: Flask):  # type: ignore[no-untyped-def]
    """Factory: ``create_user(role=None, verified=True, municipality=key, department=key, **fields)``.

    Returns the user's id (objects do not outlive the app context they were made in).
    The password of every created user is ``correct horse battery staple``.
    """
    from sqlalchemy import select

    from portal.accounts.models import Role
    from portal.accounts.models import RoleAssignment
    from portal.accounts.models import User
    from portal.organisations.models import Department
    from portal.organisations.models import Municipality

    def factory(
        role: str | None = None,
        *,
        verified: bool = True,
        municipality: str | None = None,
        department: str | None = None,
        **fields: object,
    ) -> int:
        from portal.accounts.passwords import hash_password

        number = next(_user_counter)
        with app.app_context():
            user = User(
                email=str(fields.pop("email", f"user{number}@example.org")).lower(),
                display_name=str(fields.pop("display_name", f"Person {number}")),
                password_hash=hash_password(TEST_PASSWORD),
                email_verified_at=clock.now() if verified else None,
                language=str(fields.pop("language", "de")),
                **fields,
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
            return user.id

    return factory


TEST_PASSWORD = "correct horse battery staple"


def login(client: FlaskClient, user_id: int) -> None:
    """Sign ``user_id`` in without the form (the form itself is tested in tests/app/accounts)."""
    from portal.accounts.models import User
    from portal.extensions import login_manager

    with client.application.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        ident = user.get_id()
    # Flask-Login's "strong" session protection wants the client's identifier (address + agent).
    with client.application.test_request_context(environ_base=dict(client.environ_base)):
        session_id = login_manager._session_identifier_generator()
    with client.session_transaction() as session:
        session["_user_id"] = ident
        session["_fresh"] = True
        session["_id"] = session_id


def csrf_token(client: FlaskClient, url: str = "/") -> str:
    """The CSRF token the portal gives this client (read from a rendered form or the meta tag)."""
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, f"no CSRF token in {url}"
    return match.group(1)


def post_form(
    client: FlaskClient,
    url: str,
    data: dict[str, object] | None = None,
    *,
    form_url: str | None = None,
    **kwargs: object,
):  # type: ignore[no-untyped-def]
    """GET the form page, take its CSRF token, POST ``data`` with it (CSRF stays on in tests)."""
    payload = dict(data or {})
    payload["csrf_token"] = csrf_token(client, form_url or url)
    return client.post(url, data=payload, **kwargs)
