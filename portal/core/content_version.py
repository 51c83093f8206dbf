"""The content version: a token that changes in the same transaction as every database write.

The page cache (:mod:`portal.core.http_cache`) keys pages by it, so a cached page can never be
older than the last committed change, on any process or host sharing the database.

How: a listener on every SQLAlchemy connection notes INSERT, UPDATE and DELETE statements (ORM
flushes, bulk statements and ``text()`` alike); when such a transaction commits (or, under the
test harness, releases its savepoint), the listener first writes a new random token into the
``settings`` row ``portal.content_version`` on the same connection, inside the same
transaction. A rolled-back transaction rolls the token back with the writes. Readers run one
primary-key lookup per request (:func:`current`).

Writes that bypass SQLAlchemy (a bulk load through the database driver, a manual ``psql``
session) do not change the token: restart the app servers afterwards, or run
``flask bump-content-version``.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.engine import Engine

KEY = "portal.content_version"
_WRITE = re.compile(r"^\s*(?:/\*.*?\*/\s*)?(insert|update|delete|merge|copy|truncate)\b", re.I | re.S)
_FLAG = "portal_content_written"
_BUMPING = "portal_content_bumping"
#: Set in ``connection.info`` by migrations/env.py: a migration changes the schema (the settings
#: table may not exist yet, or any more); deploys restart the app servers anyway.
SKIP = "portal_skip_content_version"


def current() -> str:
    """The committed content version (one query); ``"0"`` before the first write."""
    from portal.core.settings import Setting
    from portal.extensions import db

    value = db.session.execute(select(Setting.value).where(Setting.key == KEY)).scalar()
    return str(value) if value is not None else "0"


_table_seen: set[str] = set()


def _has_table(connection: Connection) -> bool:
    """Whether the settings table exists (false only while the first migrations run)."""
    from sqlalchemy import inspect

    url = str(connection.engine.url)
    if url not in _table_seen and inspect(connection).has_table("settings"):
        _table_seen.add(url)
    return url in _table_seen


def bump(connection: Connection) -> None:
    """Write a new token on ``connection`` (inside its transaction)."""
    from portal.core.settings import Setting

    if not _has_table(connection):
        return

    table = Setting.__table__
    token = secrets.token_hex(8)
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif connection.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the portal runs on PostgreSQL and SQLite only
        raise RuntimeError(f"no upsert for {connection.dialect.name}")
    statement = insert(table).values(key=KEY, value=token)
    statement = statement.on_conflict_do_update(index_elements=[table.c.key], set_={"value": token})
    connection.info[_BUMPING] = True
    try:
        connection.execute(statement)
    finally:
        connection.info.pop(_BUMPING, None)


def _note_write(conn: Connection, cursor: Any, statement: str, *args: Any) -> None:
    if not conn.info.get(_BUMPING) and _WRITE.match(statement):
        conn.info[_FLAG] = True


def _before_commit(conn: Connection, *args: Any) -> None:
    if conn.info.pop(_FLAG, False) and not conn.info.get(SKIP):
        bump(conn)


def _forget(conn: Connection, *args: Any) -> None:
    conn.info.pop(_FLAG, None)


_installed = False


def install() -> None:
    """Listen on every engine (idempotent)."""
    global _installed
    if _installed:
        return
    event.listen(Engine, "before_cursor_execute", _note_write)
    event.listen(Engine, "commit", _before_commit)
    event.listen(Engine, "release_savepoint", _before_commit)
    event.listen(Engine, "rollback", _forget)
    _installed = True


def init_app(app: Flask) -> None:
    install()

    @app.cli.command("bump-content-version")
    def bump_command() -> None:
        """Invalidate every cached page (after writes that bypassed the application)."""
        from portal.extensions import db

        with db.engine.begin() as connection:
            bump(connection)
