"""The one clock of the portal.

Phases open and close by date, so tests and demos must be able to set "now". Everything reads
the time through :func:`now` / :func:`today`; a fixed time comes from the ``PORTAL_FIXED_NOW``
config key (ISO date or datetime) or from :func:`freeze` in tests.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask import has_app_context

TIMEZONE = ZoneInfo("Europe/Berlin")
_frozen: datetime | None = None


def freeze(moment: datetime | date | None) -> None:
    """Fix the clock (tests); ``None`` lets it run again."""
    global _frozen
    if isinstance(moment, date) and not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day, 12, tzinfo=TIMEZONE)
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=TIMEZONE)
    _frozen = moment


def now() -> datetime:
    """The current time, timezone-aware, in the district's time zone."""
    if _frozen is not None:
        return _frozen
    if has_app_context():
        fixed = current_app.config.get("PORTAL_FIXED_NOW")
        if fixed:
            moment = datetime.fromisoformat(fixed)
            return moment if moment.tzinfo else moment.replace(tzinfo=TIMEZONE)
    return datetime.now(TIMEZONE)


def today() -> date:
    """The current calendar day in the district."""
    return now().astimezone(TIMEZONE).date()
