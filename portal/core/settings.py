"""Runtime settings that admins change without a deployment (moderation mode, support rule, ...).

One ``settings`` table of key → JSON value. :func:`get_setting` reads all settings once per
request (one query, kept on ``g``); :func:`set_setting` writes one and records an audit event
when an actor is named. Keys are dotted and owned by a domain: ``proposals.moderation_mode``.
"""

from __future__ import annotations

from typing import Any

from flask import g
from flask import has_app_context
from sqlalchemy import JSON
from sqlalchemy import String
from sqlalchemy import select
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from portal.extensions import db


class Setting(db.Model):
    """One runtime setting."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)

    def __repr__(self) -> str:
        return f"<Setting {self.key}>"


def _cache() -> dict[str, Any]:
    cached = g.get("_portal_settings") if has_app_context() else None
    if cached is None:
        cached = {row.key: row.value for row in db.session.scalars(select(Setting))}
        if has_app_context():
            g._portal_settings = cached
    return cached


def get_setting(key: str, default: Any) -> Any:
    """The stored value of ``key``, else ``default``."""
    return _cache().get(key, default)


def set_setting(key: str, value: Any, actor: Any | None = None) -> None:
    """Store ``value`` under ``key`` (flush only; the caller commits) and audit it if ``actor`` is given."""
    row = db.session.get(Setting, key)
    old = row.value if row is not None else None
    if row is None:
        db.session.add(Setting(key=key, value=value))
    else:
        row.value = value
    db.session.flush()
    _cache()[key] = value
    if actor is not None:
        from portal.audit.services import record

        record("settings.changed", actor=actor, key=key, old=old, new=value)


# --- typed getters: the default where nothing (or a value of another type) is stored ---------


def get_bool(key: str, default: bool = False) -> bool:
    """A setting read as a boolean."""
    value = get_setting(key, default)
    return value if isinstance(value, bool) else default


def get_int(key: str, default: int = 0) -> int:
    """A setting read as an integer."""
    value = get_setting(key, default)
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def get_str(key: str, default: str = "") -> str:
    """A setting read as text."""
    value = get_setting(key, default)
    return value if isinstance(value, str) else default
