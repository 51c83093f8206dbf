"""Data export (DSGVO Art. 15/20) and account deletion (Art. 17), open to every domain.

Domains that hold personal data register two functions, typically in their package
``__init__.py`` or ``permissions.py`` (anything imported at start-up)::

    from portal.accounts import privacy

    @privacy.exporter("proposals")
    def export_proposals(user: User) -> list[dict]:
        return [{"title": p.title, ...} for p in ...]

    @privacy.eraser("proposals", order=10)
    def erase_proposals(user: User, mode: privacy.DeletionMode) -> None:
        if mode is privacy.DeletionMode.REMOVE: ...delete the user's rows...
        else: ...detach them from the user (author_id = None), they then show "deleted account"...

Exporters return JSON-serialisable data (dates are turned into ISO strings); erasers flush,
never commit. Deletion runs every eraser (lowest ``order`` first) and then removes the user row,
all in the request's one transaction: if anything fails, nothing is deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING
from typing import Any

from portal.core.i18n import _l

if TYPE_CHECKING:
    from portal.accounts.models import User


class DeletionMode(StrEnum):
    ANONYMISE = "anonymise"
    REMOVE = "remove"

    @property
    def label(self) -> str:
        """Translated name, resolved at render time."""
        return str(DELETION_MODE_LABELS[self])


DELETION_MODE_LABELS = {
    DeletionMode.ANONYMISE: _l("Keep my public contributions, shown as from a “deleted account”"),
    DeletionMode.REMOVE: _l("Remove my public contributions as well"),
}

Exporter = Callable[["User"], Any]
Eraser = Callable[["User", DeletionMode], None]


@dataclass(frozen=True)
class _Registered:
    name: str
    function: Any
    order: int


_exporters: dict[str, _Registered] = {}
_erasers: dict[str, _Registered] = {}


def exporter(name: str, order: int = 100) -> Callable[[Exporter], Exporter]:
    """Register ``function(user)`` whose result appears under ``name`` in the data export."""

    def register(function: Exporter) -> Exporter:
        existing = _exporters.get(name)
        if existing and existing.function is not function:
            raise ValueError(f"data exporter {name!r} registered twice")
        _exporters[name] = _Registered(name, function, order)
        return function

    return register


def eraser(name: str, order: int = 100) -> Callable[[Eraser], Eraser]:
    """Register ``function(user, mode)`` that anonymises or removes the domain's rows of a user."""

    def register(function: Eraser) -> Eraser:
        existing = _erasers.get(name)
        if existing and existing.function is not function:
            raise ValueError(f"data eraser {name!r} registered twice")
        _erasers[name] = _Registered(name, function, order)
        return function

    return register


def registered_exporters() -> list[str]:
    """Names of the parts of the export, in order."""
    return [entry.name for entry in sorted(_exporters.values(), key=lambda e: (e.order, e.name))]


def registered_erasers() -> list[str]:
    """Names of the erasers, in the order they run."""
    return [entry.name for entry in sorted(_erasers.values(), key=lambda e: (e.order, e.name))]


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(item) for item in value]
    if isinstance(value, StrEnum):
        return value.value
    return value


def collect_export(user: User) -> dict[str, Any]:
    """Every registered part of the data export for ``user``."""
    return {name: _jsonable(_exporters[name].function(user)) for name in registered_exporters()}


def run_erasers(user: User, mode: DeletionMode) -> None:
    """Call every registered eraser for ``user`` (flush only)."""
    for name in registered_erasers():
        _erasers[name].function(user, mode)
