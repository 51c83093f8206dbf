"""The public statistics page and its CSV download."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import render_template
from flask_babel import format_date
from flask_babel import format_decimal
from flask_babel import format_percent

from portal.core import charts
from portal.core.csv_export import csv_response
from portal.core.i18n import _
from portal.core.i18n import tr
from portal.statistics import bp
from portal.statistics import report
from portal.strategy.queries import get_strategy


def percent(share: float) -> str:
    """A share (0..1) as a percentage with one decimal, in the current language ("66,7 %")."""
    return format_percent(share, "#,##0.0 %")


def month_label(month: str) -> str:
    """ "2026-11" → "November 2026" in the current language."""
    year, number = (int(part) for part in month.split("-"))
    return format_date(date(year, number, 1), "MMMM yyyy")


def _charts(data: dict[str, Any]) -> dict[str, Any]:
    months = data["months"]
    participants = [charts.Bar(month_label(row["month"]), row["participants"]) for row in months]
    proposals = [charts.Bar(month_label(row["month"]), row["proposals"]) for row in months]
    subgoals = [
        charts.Bar(f"{sub['number']} {tr(sub['title'])}", sub["proposals"])
        for goal in data["goals"]
        for sub in goal["subgoals"]
    ]
    unknown = _("unknown")
    municipalities = [
        charts.Bar(
            row["name"],
            row["per_thousand"]["participants"] or 0,
            display=(
                unknown
                if row["per_thousand"]["participants"] is None
                else format_decimal(row["per_thousand"]["participants"], "#,##0.0")
            ),
        )
        for row in data["municipalities"]
    ]
    outcomes = data["outcomes"]
    shares = [
        charts.Bar(label, outcomes[key] * 100, percent(outcomes[key]))
        for label, key in (
            (_("Answered in public"), "answered_share"),
            (_("Accepted"), "accepted_share"),
            (_("Turned into measures"), "in_measures_share"),
        )
    ]
    return {
        "participants": charts.bar_chart(
            participants,
            chart_id="chart-participants-month",
            title=_("Active participants per month"),
            description=charts.describe_top(participants, _("people"), count=len(participants)),
        ),
        "proposals": charts.bar_chart(
            proposals,
            chart_id="chart-proposals-month",
            title=_("New proposals per month"),
            description=charts.describe_top(proposals, _("proposals"), count=len(proposals)),
        ),
        "subgoals": charts.bar_chart(
            subgoals,
            chart_id="chart-proposals-subgoal",
            title=_("Proposals per sub-goal"),
            description=charts.describe_top(sorted(subgoals, key=lambda bar: -bar.value), _("proposals")),
        ),
        "municipalities": charts.bar_chart(
            municipalities,
            chart_id="chart-participants-municipality",
            title=_("Participants per 1,000 inhabitants"),
            description=charts.describe_top(
                sorted(municipalities, key=lambda bar: -bar.value), _("per 1,000 inhabitants")
            ),
        ),
        "outcomes": charts.bar_chart(
            shares,
            chart_id="chart-outcomes",
            title=_("Share of proposals"),
            description=charts.describe_top(shares, ""),
            max_value=100,
        ),
    }


@bp.get("/statistik")
def index():  # type: ignore[no-untyped-def]
    """Participation in figures, each chart with its data table."""
    data = report.build_cached(get_strategy())
    return render_template(
        "statistics/index.html",
        data=data,
        charts=_charts(data),
        month_label=month_label,
        format_decimal=format_decimal,
        format_percent=percent,
    )


@bp.get("/statistik.csv")
def csv():  # type: ignore[no-untyped-def]
    """The same figures as CSV (UTF-8 with BOM, semicolons) for spreadsheets."""
    data = report.build_cached(get_strategy())
    header = [
        _("Section"),
        _("Group"),
        _("Participants"),
        _("Proposals"),
        _("Comments"),
        _("Statements"),
        _("Supports"),
        _("Inhabitants"),
        _("Participants per 1,000 inhabitants"),
        _("Proposals per 1,000 inhabitants"),
        _("Comments per 1,000 inhabitants"),
        _("Supports per 1,000 inhabitants"),
    ]
    unknown = _("unknown")
    blank = [""] * 5

    def counts(row: dict[str, Any]) -> list[Any]:
        return [row[metric] for metric in report.METRICS]

    rows: list[list[Any]] = [[_("Total"), "", *counts(data["totals"]), *blank]]
    for row in data["months"]:
        rows.append([_("Month"), row["month"], *counts(row), *blank])
    for goal in data["goals"]:
        rows.append([_("Main goal"), f"{goal['number']} {tr(goal['title'])}", *counts(goal), *blank])
        for sub in goal["subgoals"]:
            rows.append([_("Sub-goal"), f"{sub['number']} {tr(sub['title'])}", *counts(sub), *blank])
    for row in data["municipalities"]:
        per = row["per_thousand"]
        inhabitants = row["inhabitants"] if row["inhabitants"] is not None else unknown
        rows.append(
            [
                _("Municipality"),
                row["name"],
                *counts(row),
                inhabitants,
                *[
                    unknown if per[metric] is None else format_decimal(per[metric], "0.0")
                    for metric in report.PER_THOUSAND
                ],
            ]
        )
    rest = data["without_municipality"]
    rows.append(
        [
            _("Municipality"),
            _("No municipality (whole district; departments’ statements)"),
            *counts(rest),
            *blank,
        ]
    )
    outcomes = data["outcomes"]
    for label, key in (
        (_("Proposals answered in public"), "answered"),
        (_("Proposals accepted"), "accepted"),
        (_("Proposals turned into measures"), "in_measures"),
    ):
        rows.append([label, "", "", outcomes[key], "", "", "", *blank])
    return csv_response("statistik.csv", header, rows)
