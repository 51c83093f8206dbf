"""Bar charts read in the page's direction: mirrored for Arabic, so bars start at the right."""

from __future__ import annotations

import re

from portal.core.charts import BAR_WIDTH
from portal.core.charts import Bar
from portal.core.charts import bar_chart
from portal.core.charts import line_chart

BARS = [Bar("1.1 Wohnen", 40), Bar("1.2 Infrastruktur", 10)]


def _rects(svg: str) -> list[tuple[float, float]]:
    return [
        (float(x), float(w))
        for x, w in re.findall(r'<rect class="chart__bar" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)
    ]


def test_left_to_right_bars_start_at_the_left_edge():
    svg = str(bar_chart(BARS, chart_id="c", title="t", rtl=False))
    assert 'direction="ltr"' in svg
    assert all(x == 0 for x, _ in _rects(svg))
    assert re.findall(r'<text class="chart__label" x="([\d.]+)"', svg) == ["0", "0"]


def test_right_to_left_bars_are_mirrored():
    svg = str(bar_chart(BARS, chart_id="c", title="t", rtl=True))
    assert 'direction="rtl"' in svg
    rects = _rects(svg)
    assert [round(x + width, 1) for x, width in rects] == [BAR_WIDTH, BAR_WIDTH], "bars end at the right edge"
    assert rects[0][1] > rects[1][1], "the longer bar is still the larger value"
    labels = re.findall(r'<text class="chart__label" x="([\d.]+)"', svg)
    assert labels == [str(BAR_WIDTH), str(BAR_WIDTH)]
    values = [float(v) for v in re.findall(r'<text class="chart__value" x="([\d.]+)"', svg)]
    assert all(value < x for value, (x, _w) in zip(values, rects, strict=True)), (
        "values stand left of their bars"
    )


def test_the_direction_follows_the_page_language(app):
    with app.test_request_context("/?lang=ar"):
        assert 'direction="rtl"' in str(bar_chart(BARS, chart_id="c", title="t"))
    with app.test_request_context("/?lang=de"):
        assert 'direction="ltr"' in str(bar_chart(BARS, chart_id="c", title="t"))


def test_line_charts_keep_time_left_to_right():
    svg = str(line_chart(chart_id="l", title="t", description="d", values=[(2020, 1.0), (2024, 3.0)]))
    assert 'direction="ltr"' in svg
