"""Parsing and display of milestone dates with their precision (day, month, span, several days)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date

from portal.core.i18n import _

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")


class DateSpecError(ValueError):
    """A milestone date that matches none of the accepted forms."""


@dataclass(frozen=True)
class DateSpec:
    """A parsed date spec: ``kind`` is day, month, months or days."""

    kind: str
    dates: tuple[date, ...]

    @property
    def first(self) -> date:
        return self.dates[0]


def _parse_day(text: str) -> date:
    if not _DAY.match(text):
        raise DateSpecError(text)
    return date.fromisoformat(text)


def _parse_month(text: str) -> date:
    if not _MONTH.match(text):
        raise DateSpecError(text)
    year, month = (int(part) for part in text.split("-"))
    return date(year, month, 1)


def parse_date_spec(spec: str) -> DateSpec:
    """Parse ``2017-04-27``, ``2017-11``, ``2017-05..2017-08`` or ``2018-04-24,2018-05-18``."""
    spec = spec.strip()
    try:
        if ".." in spec:
            start, end = (part.strip() for part in spec.split("..", 1))
            first, last = _parse_month(start), _parse_month(end)
            if last <= first:
                raise DateSpecError(spec)
            return DateSpec("months", (first, last))
        if "," in spec:
            days = tuple(_parse_day(part.strip()) for part in spec.split(","))
            if list(days) != sorted(days) or len(set(days)) != len(days):
                raise DateSpecError(spec)
            return DateSpec("days", days)
        if _MONTH.match(spec):
            return DateSpec("month", (_parse_month(spec),))
        return DateSpec("day", (_parse_day(spec),))
    except ValueError as error:  # date.fromisoformat / bad month numbers
        raise DateSpecError(spec) from error


def format_date_spec(spec: str) -> str:
    """Render a date spec for people, in the current language ("Mai bis August 2017")."""
    parsed = parse_date_spec(spec)
    if parsed.kind == "day":
        return format_date(parsed.first, "medium")
    if parsed.kind == "month":
        return format_date(parsed.first, "MMMM yyyy")
    if parsed.kind == "months":
        first, last = parsed.dates
        if first.year == last.year:
            return _(
                "%(start)s to %(end)s", start=format_date(first, "MMMM"), end=format_date(last, "MMMM yyyy")
            )
        return _(
            "%(start)s to %(end)s", start=format_date(first, "MMMM yyyy"), end=format_date(last, "MMMM yyyy")
        )
    parts = [format_date(day, "medium") for day in parsed.dates]
    return _("%(dates)s and %(last)s", dates=", ".join(parts[:-1]), last=parts[-1])
