"""Public pages: the measures list, a measure, the progress overview, the exports."""

from __future__ import annotations

from flask import Response
from flask import abort
from flask import render_template
from flask import request
from markupsafe import Markup

from portal.core.charts import line_chart
from portal.core.i18n import _
from portal.core.i18n import tr
from portal.core.permissions import can
from portal.measures import bp
from portal.measures import exports
from portal.measures import queries
from portal.measures.forms import FilterForm
from portal.measures.forms import choices
from portal.measures.models import Indicator
from portal.measures.models import Measure
from portal.measures.models import MeasureHorizon
from portal.measures.models import MeasureStatus
from portal.measures.numbers import format_figure
from portal.strategy.queries import get_strategy


def _filter_form(strategy, departments, municipalities) -> FilterForm:  # type: ignore[no-untyped-def]
    form = FilterForm(request.args)
    everything = ("", _("All"))
    goals = strategy.goals if strategy else []
    form.goal.choices = choices(
        [everything] + [(goal.number, f"{goal.number} {tr(goal.title)}") for goal in goals]
    )
    form.subgoal.choices = choices(
        [everything]
        + [
            (subgoal.number, f"{subgoal.number} {tr(subgoal.title)}")
            for goal in goals
            for subgoal in goal.subgoals
        ]
    )
    form.department.choices = choices([everything] + [(item.key, tr(item.name)) for item in departments])
    form.municipality.choices = choices([everything] + [(item.key, item.name) for item in municipalities])
    form.status.choices = choices([everything] + [(status.value, status.label) for status in MeasureStatus])
    form.horizon.choices = choices(
        [everything] + [(horizon.value, horizon.label) for horizon in MeasureHorizon]
    )
    return form


@bp.get("/massnahmen")
def index():  # type: ignore[no-untyped-def]
    """Public measures, filtered by goal, sub-goal, department, municipality, status and horizon."""
    strategy = get_strategy()
    departments = queries.list_departments()
    municipalities = queries.list_municipalities()
    form = _filter_form(strategy, departments, municipalities)
    chosen = form.cleaned()
    filters = queries.Filters.from_args(chosen)
    page_number = request.args.get("seite", 1, type=int) or 1
    page = queries.list_measures(filters, strategy, page=page_number)
    if page_number > page.pages:
        abort(404)
    return render_template(
        "measures/index.html",
        form=form,
        filters=filters,
        chosen=chosen,
        page=page,
        strategy=strategy,
    )


def indicator_chart(indicator: Indicator) -> Markup:
    """The SVG chart of an indicator's values, baseline and target."""
    unit = f" {indicator.unit}" if indicator.unit else ""
    values = [(value.year, value.value) for value in indicator.values]
    latest = indicator.values[-1] if indicator.values else None
    description = _(
        "Baseline %(baseline)s in %(baseline_year)d, target %(target)s in %(target_year)d.",
        baseline=format_figure(indicator.baseline_value) + unit,
        baseline_year=indicator.baseline_year,
        target=format_figure(indicator.target_value) + unit,
        target_year=indicator.target_year,
    )
    if latest is not None:
        description += " " + _(
            "Latest measured value: %(value)s in %(year)d.",
            value=format_figure(latest.value) + unit,
            year=latest.year,
        )
    else:
        description += " " + _("No values measured yet.")
    description += " " + indicator.direction.label + "."
    return line_chart(
        chart_id=f"indicator-{indicator.id}",
        title=indicator.name + (f" ({indicator.unit})" if indicator.unit else ""),
        description=description,
        values=values,
        plan=[
            (indicator.baseline_year, indicator.baseline_value),
            (indicator.target_year, indicator.target_value),
        ],
        format_value=format_figure,
        legend_values=_("Measured"),
        legend_plan=_("Baseline to target"),
    )


def source_proposals(measure: Measure) -> list[object]:
    """The public proposals the measure came from (already loaded with the measure)."""
    return [proposal for proposal in measure.proposals if proposal.is_public]


@bp.get("/massnahmen/<int:measure_id>")
def detail(measure_id: int):  # type: ignore[no-untyped-def]
    """A measure: description, departments, budget, status, indicators, updates, source proposals."""
    measure = queries.get_measure(measure_id)
    if measure is None or not can("measures.view", measure):
        abort(404)
    strategy = get_strategy()
    goals_by_id = {goal.id: goal for goal in strategy.goals} if strategy else {}
    return render_template(
        "measures/detail.html",
        measure=measure,
        goals_by_id=goals_by_id,
        charts={indicator.id: indicator_chart(indicator) for indicator in measure.indicators},
        proposals=source_proposals(measure),
    )


@bp.get("/massnahmen/uebersicht")
def overview():  # type: ignore[no-untyped-def]
    """How many measures each Oberziel and Unterziel has, how far they are, and their budget."""
    strategy = get_strategy()
    return render_template("measures/overview.html", strategy=strategy, overview=queries.overview(strategy))


def _export_public_only() -> bool:
    return not can("measures.export_all")


@bp.get("/massnahmen/export.csv")
def export_csv():  # type: ignore[no-untyped-def]
    """Budget lines with their measures as CSV (UTF-8 with BOM, semicolons, decimal comma)."""
    body = exports.budget_csv(queries.measures_for_export(public_only=_export_public_only()))
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{exports.filename("csv")}"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/massnahmen/export.xlsx")
def export_xlsx():  # type: ignore[no-untyped-def]
    """Measures and budget lines as an Excel workbook (two sheets, numbers as numbers)."""
    body = exports.workbook(queries.measures_for_export(public_only=_export_public_only()))
    return Response(
        body,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": f'attachment; filename="{exports.filename("xlsx")}"',
            "Cache-Control": "no-store",
        },
    )
