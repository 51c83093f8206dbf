"""Amounts as people type them, and the SVG charts' accessibility (no app needed)."""

from __future__ import annotations

import re

import pytest

from portal.core.charts import line_chart
from portal.core.charts import nice_step
from portal.measures.exports import german_amount
from portal.measures.numbers import format_euro
from portal.measures.numbers import format_figure
from portal.measures.numbers import parse_cents
from portal.measures.numbers import parse_decimal


@pytest.mark.parametrize(
    ("text", "language", "cents"),
    [
        ("25.000", "de", 25_000_00),
        ("25.000", "en", 25_00),
        ("25,000", "en", 25_000_00),
        ("1.500,50", "de", 1_500_50),
        ("1,500.50", "de", 1_500_50),
        ("1500,5", "de", 1_500_50),
        ("1500.5", "de", 1_500_50),
        ("1.234.567", "de", 1_234_567_00),
        (" 2 500 € ", "de", 2_500_00),
        ("-5", "de", -5_00),
        ("0", "de", 0),
    ],
)
def test_amounts_in_german_and_english_style(text, language, cents):
    assert parse_cents(text, language) == cents


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "1,2,3", "12,345", "--5", "5-"])
def test_not_amounts(text):
    with pytest.raises(ValueError):
        parse_cents(text, "de")


def test_figures_keep_decimals():
    assert float(parse_decimal("12,5", "de")) == 12.5
    assert float(parse_decimal("0,125", "de")) == 0.125


def test_formatting(app):
    with app.test_request_context():
        assert format_euro(1_234_00, "de") == "1.234\xa0€"
        assert format_euro(1_234_56, "de") == "1.234,56\xa0€"
        assert format_euro(1_234_00, "en") == "€1,234"
        assert format_figure(1234.5, "de") == "1.234,5"
    assert german_amount(25_000_00) == "25000,00"
    assert german_amount(5) == "0,05"


def test_nice_steps():
    assert nice_step(100) == 25
    assert nice_step(9) == 2.5
    assert nice_step(0) == 1.0


def test_line_chart_is_an_accessible_image_without_inline_style():
    svg = str(
        line_chart(
            chart_id="k1",
            title="Anteil <online>",
            description="Ausgangswert 35 %, Ziel 80 %.",
            values=[(2025, 48), (2026, 57)],
            plan=[(2024, 35), (2027, 80)],
            legend_values="Gemessen",
            legend_plan="Plan",
        )
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg
    assert 'aria-labelledby="k1-title k1-desc"' in svg
    assert '<title id="k1-title">Anteil &lt;online&gt;</title>' in svg
    assert '<desc id="k1-desc">Ausgangswert 35 %, Ziel 80 %.</desc>' in svg
    assert "style=" not in svg
    assert "<script" not in svg
    assert len(re.findall(r"<circle", svg)) == 2
    assert 'stroke-dasharray="6 4"' in svg
    for year in ("2024", "2025", "2026", "2027"):
        assert f">{year}</text>" in svg


def test_line_chart_without_values():
    svg = str(line_chart(chart_id="k2", title="Leer", description="Noch keine Werte.", values=[]))
    assert "<title" in svg and "<desc" in svg
    assert "<circle" not in svg
