"""Small server-rendered SVG charts: no script, no ``style`` attribute (the CSP forbids inline style).

Colours and strokes are presentation attributes (``stroke``, ``fill``) that the portal's CSS may
override through the ``chart__*`` classes. Each chart is ``role="img"`` with a ``<title>`` and a
``<desc>`` saying in words what it shows; pages put a data table next to it as the accessible
alternative, so nothing is only in the picture.

Right to left (Arabic): bar charts are mirrored (labels and bars start at the right edge, where
the reader's eye starts); line charts keep time running from left to right, as charts of years
usually do in Arabic too, and say so with ``direction="ltr"``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup
from markupsafe import escape

WIDTH = 480
HEIGHT = 240
LEFT = 56
RIGHT = 16
TOP = 32
BOTTOM = 36

LINE_COLOUR = "#0b5cad"
PLAN_COLOUR = "#6b6f80"
TEXT_COLOUR = "#1d1d1d"
GRID_COLOUR = "#c8cad4"


def nice_step(span: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that splits ``span`` into about ``ticks``."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _fmt(number: float) -> str:
    """Coordinates with at most one decimal."""
    return f"{number:.1f}".rstrip("0").rstrip(".")


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    values: Sequence[tuple[int, float]],
    plan: Sequence[tuple[int, float]] = (),
    format_value: Callable[[float], str] = lambda value: f"{value:g}",
    legend_values: str = "",
    legend_plan: str = "",
) -> Markup:
    """A line chart over years: measured ``values`` as a solid line with dots, ``plan`` dashed.

    ``plan`` is typically the baseline and the target; both series share one scale.
    """
    every = [*values, *plan]
    if not every:
        every = [(0, 0.0)]
    years = [year for year, _ in every]
    numbers = [value for _, value in every]
    first_year, last_year = min(years), max(years)
    if first_year == last_year:
        first_year -= 1
        last_year += 1
    low = min(0.0, min(numbers))
    high = max(numbers)
    if high == low:
        high = low + 1
    step = nice_step(high - low)
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step

    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM

    def x_of(year: float) -> float:
        return LEFT + (year - first_year) / (last_year - first_year) * plot_width

    def y_of(value: float) -> float:
        return TOP + (high - value) / (high - low) * plot_height

    ident = escape(chart_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--line" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="inherit" font-size="12" direction="ltr">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]
    # Horizontal grid with value labels.
    tick = low
    count = 0
    while tick <= high + step / 1000 and count < 20:
        y = y_of(tick)
        parts.append(
            f'<line class="chart__grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_fmt(y)}" y2="{_fmt(y)}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
        )
        parts.append(
            f'<text class="chart__tick" x="{LEFT - 6}" y="{_fmt(y + 4)}" text-anchor="end" '
            f'fill="{TEXT_COLOUR}">{escape(format_value(tick))}</text>'
        )
        tick += step
        count += 1
    # Year labels (at most about eight).
    span = last_year - first_year
    year_step = max(1, math.ceil(span / 8))
    for year in range(first_year, last_year + 1, year_step):
        parts.append(
            f'<text class="chart__tick" x="{_fmt(x_of(year))}" y="{HEIGHT - BOTTOM + 18}" '
            f'text-anchor="middle" fill="{TEXT_COLOUR}">{year}</text>'
        )
    parts.append(
        f'<line class="chart__axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{HEIGHT - BOTTOM}" '
        f'y2="{HEIGHT - BOTTOM}" stroke="{TEXT_COLOUR}" stroke-width="1"/>'
    )
    if plan:
        points = " ".join(f"{_fmt(x_of(year))},{_fmt(y_of(value))}" for year, value in sorted(plan))
        parts.append(
            f'<polyline class="chart__plan" points="{points}" fill="none" stroke="{PLAN_COLOUR}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
        )
        for year, value in plan:
            x, y = x_of(year), y_of(value)
            parts.append(
                f'<rect class="chart__plan-point" x="{_fmt(x - 4)}" y="{_fmt(y - 4)}" width="8" height="8" '
                f'fill="{PLAN_COLOUR}"/>'
            )
    if values:
        ordered = sorted(values)
        points = " ".join(f"{_fmt(x_of(year))},{_fmt(y_of(value))}" for year, value in ordered)
        parts.append(
            f'<polyline class="chart__line" points="{points}" fill="none" stroke="{LINE_COLOUR}" '
            f'stroke-width="3"/>'
        )
        for year, value in ordered:
            parts.append(
                f'<circle class="chart__point" cx="{_fmt(x_of(year))}" cy="{_fmt(y_of(value))}" r="4" '
                f'fill="{LINE_COLOUR}"/>'
            )
    # Legend along the top edge.
    legend_x = LEFT
    if legend_values:
        parts.append(
            f'<line class="chart__line" x1="{legend_x}" x2="{legend_x + 24}" y1="12" y2="12" '
            f'stroke="{LINE_COLOUR}" stroke-width="3"/>'
        )
        parts.append(
            f'<text class="chart__legend" x="{legend_x + 30}" y="16" fill="{TEXT_COLOUR}">'
            f"{escape(legend_values)}</text>"
        )
        legend_x += 40 + 7 * len(legend_values)
    if legend_plan and plan:
        parts.append(
            f'<line class="chart__plan" x1="{legend_x}" x2="{legend_x + 24}" y1="12" y2="12" '
            f'stroke="{PLAN_COLOUR}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
        parts.append(
            f'<text class="chart__legend" x="{legend_x + 30}" y="16" fill="{TEXT_COLOUR}">'
            f"{escape(legend_plan)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  # nosec B704 - every text above went through escape()


# --- horizontal bar charts (prioritisation results, statistics) -------------------------------

BAR_WIDTH = 400
BAR_ROW_HEIGHT = 38
BAR_LABEL_HEIGHT = 15
BAR_THICKNESS = 14
BAR_VALUE_SPACE = 52
BAR_LABEL_CHARS = 52


@dataclass(frozen=True)
class Bar:
    """One bar: its label and value (``display`` overrides how the value is written)."""

    label: str
    value: float
    display: str | None = None


def _bar_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _shorten(text: str, limit: int = BAR_LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    description: str = "",
    max_value: float | None = None,
    rtl: bool | None = None,
) -> Markup:
    """A horizontal bar chart: one row per bar, its label above it and its value at its end.

    ``rtl`` (default: whether the page's language is written right to left) mirrors it: labels
    and bars start at the right edge.

    The label stands above the bar so long names fit on narrow screens; labels longer than
    ``BAR_LABEL_CHARS`` are shortened (the data table next to the chart has them in full).
    ``chart_id`` must be unique on the page. Values <= 0 draw no bar (the value is still written).
    """
    top = max_value if max_value is not None else max((bar.value for bar in bars), default=0)
    usable = BAR_WIDTH - BAR_VALUE_SPACE
    height = max(len(bars), 1) * BAR_ROW_HEIGHT
    ident = escape(chart_id)
    if rtl is None:
        from flask import has_request_context

        from portal.core.i18n import text_direction

        rtl = has_request_context() and text_direction() == "rtl"

    def x(position: float) -> str:
        """A distance from the start edge (the left, or the right when mirrored)."""
        return _fmt(BAR_WIDTH - position if rtl else position)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--bar" id="{ident}" '
        f'viewBox="0 0 {BAR_WIDTH} {height}" width="{BAR_WIDTH}" height="{height}" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc" font-family="inherit" font-size="12" '
        f'direction="{"rtl" if rtl else "ltr"}">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]
    for index, bar in enumerate(bars):
        y = index * BAR_ROW_HEIGHT
        width = 0.0 if top <= 0 or bar.value <= 0 else max(usable * bar.value / top, 1.0)
        value_text = bar.display if bar.display is not None else _bar_number(bar.value)
        parts.append(
            f'<g class="chart__row" transform="translate(0 {y})">'
            f'<text class="chart__label" x="{x(0)}" y="{BAR_LABEL_HEIGHT - 3}" fill="{TEXT_COLOUR}">'
            f"{escape(_shorten(bar.label))}</text>"
            f'<rect class="chart__bar" x="{_fmt(BAR_WIDTH - width) if rtl else 0}" y="{BAR_LABEL_HEIGHT}" '
            f'width="{_fmt(width)}" height="{BAR_THICKNESS}" fill="{LINE_COLOUR}"/>'
            f'<text class="chart__value" x="{x(width + 6)}" y="{BAR_LABEL_HEIGHT + BAR_THICKNESS - 2}" '
            f'fill="{TEXT_COLOUR}">{escape(value_text)}</text>'
            "</g>"
        )
    if not bars:
        parts.append(
            f'<text class="chart__label" x="{x(0)}" y="{BAR_LABEL_HEIGHT}" fill="{TEXT_COLOUR}">–</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  # nosec B704 - every text above went through escape()


def describe_top(bars: Sequence[Bar], unit: str, count: int = 3) -> str:
    """A short summary for ``<desc>``: the first bars with their values ("2.1 …: 42 points; …")."""
    return "; ".join(
        f"{bar.label}: {bar.display or _bar_number(bar.value)} {unit}" for bar in list(bars)[:count]
    )
