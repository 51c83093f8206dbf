"""The main navigation: domains register their entries, the layout renders them in order."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: LazyString | str
    order: int


_entries: dict[str, NavEntry] = {}


def register(endpoint: str, label: LazyString | str, order: int) -> None:
    """Add (or replace) an entry of the main navigation; labels are lazy strings (_l)."""
    _entries[endpoint] = NavEntry(endpoint, label, order)


def entries() -> list[NavEntry]:
    """Entries in display order (those whose blueprint the app does not register are left out)."""
    from flask import current_app

    views = current_app.view_functions
    return sorted((e for e in _entries.values() if e.endpoint in views), key=lambda entry: entry.order)
