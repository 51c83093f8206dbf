"""Declarative base with a naming convention, and engine settings per database."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import DateTime
from sqlalchemy import Engine
from sqlalchemy import Enum as SAEnum
from sqlalchemy import MetaData
from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import registry

from portal.core import clock

# Alembic needs named constraints, or later migrations cannot drop them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: A text in several languages: {"de": "...", "en": "..."}.
Translations = dict[str, str]


class Base(DeclarativeBase):
    """Base of every model."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={
            dict[str, str]: JSON,
            dict[str, Any]: JSON,
            datetime: DateTime(timezone=True),
        },
    )


class TimestampMixin:
    """created_at / updated_at, set from the portal's clock."""

    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)


def configure_sqlite(engine: Engine) -> None:
    """Make SQLite transactional, durable and strict.

    pysqlite starts transactions lazily and ignores SAVEPOINT semantics; the two event hooks are
    SQLAlchemy's documented recipe so that BEGIN/SAVEPOINT behave as on PostgreSQL. WAL with
    synchronous=FULL keeps every acknowledged write across a crash of the process. Requests that
    change data (POST, PUT, PATCH, DELETE) begin with BEGIN IMMEDIATE: a deferred transaction that
    read first and then writes fails at once with "database is locked" when another process wrote
    meanwhile (the busy timeout does not apply to that upgrade); IMMEDIATE waits its turn instead.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _writing_request() else "BEGIN")


def _writing_request() -> bool:
    from flask import has_request_context
    from flask import request

    return has_request_context() and request.method in ("POST", "PUT", "PATCH", "DELETE")


def str_enum(enum: type[StrEnum]) -> SAEnum:
    """A column type storing the enum's *values* ("city"), as text with a length check.

    Not a native enum type: adding a value is a code change, not an ALTER TYPE migration.
    """
    return SAEnum(
        enum,
        native_enum=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


#: Database objects kept by hand in migrations (full-text search: PostgreSQL expression indexes,
#: SQLite FTS5 tables and their shadow tables) start with this prefix; autogenerate and the drift
#: test leave them alone.
UNMANAGED_PREFIX = "fts_"


def include_name(name: str | None, type_: str, parent_names: dict[str, Any]) -> bool:
    """Alembic ``include_name`` hook: skip the hand-made full-text search objects."""
    return not (name or "").startswith(UNMANAGED_PREFIX)
