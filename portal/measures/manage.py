"""Back office: the measures list, new/edit forms, and values and progress for department staff."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user

from portal.core import clock
from portal.core.i18n import _
from portal.core.i18n import tr
from portal.core.permissions import can
from portal.core.permissions import require
from portal.extensions import db
from portal.measures import bp
from portal.measures import queries
from portal.measures import services
from portal.measures.forms import EMPTY_BUDGET_ROWS
from portal.measures.forms import EMPTY_INDICATOR_ROWS
from portal.measures.forms import EMPTY_VALUE_ROWS
from portal.measures.forms import MeasureForm
from portal.measures.forms import ProgressForm
from portal.measures.models import Direction
from portal.measures.models import Measure
from portal.measures.models import MeasureHorizon
from portal.measures.models import MeasureStatus
from portal.strategy.queries import get_strategy


@bp.get("/verwaltung/massnahmen")
def manage_list():  # type: ignore[no-untyped-def]
    """Every measure for moderators; department staff see the measures of their departments."""
    require("measures.back_office")
    strategy = get_strategy()
    page_number = request.args.get("seite", 1, type=int) or 1
    department_ids = None if can("measures.create") else current_user.department_ids
    page = queries.list_measures(
        queries.Filters(), strategy, page=page_number, public_only=False, department_ids=department_ids
    )
    if page_number > page.pages:
        abort(404)
    from portal.measures import links
    from portal.measures.forms import ProposalPickForm
    from portal.measures.forms import choices

    pick = None
    if can("measures.create"):
        waiting = links.accepted_without_measure()
        if waiting:
            pick = ProposalPickForm()
            pick.vorschlag.choices = choices([(proposal.id, proposal.title) for proposal in waiting])
    return render_template("measures/manage_list.html", page=page, pick=pick)


# ---- Measure form -------------------------------------------------------------------------


def _choices() -> dict[str, list[tuple[int, str]]]:
    strategy = get_strategy()
    subgoals = []
    if strategy is not None:
        subgoals = [
            (subgoal.id, f"{subgoal.number} {tr(subgoal.title)}")
            for goal in strategy.goals
            for subgoal in goal.subgoals
        ]
    return {
        "subgoals": subgoals,
        "departments": [(department.id, tr(department.name)) for department in queries.list_departments()],
        "municipalities": [(item.id, item.name) for item in queries.list_municipalities()],
    }


def measure_form_data(measure: Measure) -> dict[str, Any]:
    """A measure as the form's initial data."""
    return {
        "title": measure.title,
        "description": measure.description,
        "subgoals": [subgoal.id for subgoal in measure.subgoals],
        "departments": [department.id for department in measure.departments],
        "lead_department": measure.lead_department_id or 0,
        "municipalities": [municipality.id for municipality in measure.municipalities],
        "horizon": measure.horizon.value,
        "start_year": measure.start_year,
        "end_year": measure.end_year,
        "status": measure.status.value,
        "progress": measure.progress,
        "is_public": measure.is_public,
        "budget_lines": [
            {"year": line.year, "amount": line.amount_cents, "funding_source": line.funding_source}
            for line in measure.budget_lines
        ],
        "indicators": [
            {
                "indicator_id": str(indicator.id),
                "name": indicator.name,
                "unit": indicator.unit,
                "direction": indicator.direction.value,
                "baseline_value": indicator.baseline_value,
                "baseline_year": indicator.baseline_year,
                "target_value": indicator.target_value,
                "target_year": indicator.target_year,
            }
            for indicator in measure.indicators
        ],
    }


def build_measure_form(data: dict[str, Any] | None = None) -> tuple[MeasureForm, bool]:
    """The form (from the request on POST, else from ``data``) and whether a row was just added."""
    form = MeasureForm(data=data) if request.method != "POST" else MeasureForm()
    added = False
    if request.method != "POST":
        for _row in range(EMPTY_BUDGET_ROWS if data and data.get("budget_lines") else EMPTY_BUDGET_ROWS + 1):
            form.budget_lines.append_entry()
        for _row in range(EMPTY_INDICATOR_ROWS):
            form.indicators.append_entry()
    elif "add_budget_line" in request.form:
        form.budget_lines.append_entry()
        added = True
    elif "add_indicator" in request.form:
        form.indicators.append_entry()
        added = True
    form.set_choices(**_choices())
    form.label_rows()
    return form, added


def measure_data(form: MeasureForm) -> services.MeasureData:
    """Validated form → the service's data."""
    return services.MeasureData(
        title=form.title.data or "",
        description=form.description.data or "",
        subgoal_ids=list(form.subgoals.data or []),
        department_ids=list(form.departments.data or []),
        lead_department_id=form.lead_department.data or None,
        municipality_ids=list(form.municipalities.data or []),
        horizon=MeasureHorizon(form.horizon.data),
        start_year=form.start_year.data,
        end_year=form.end_year.data,
        status=MeasureStatus(form.status.data),
        progress=form.progress.data or 0,
        is_public=bool(form.is_public.data),
        budget_lines=[
            services.BudgetLineData(
                year=row.year.data, amount_cents=row.amount.data, funding_source=row.funding_source.data or ""
            )
            for row in form.filled_budget_rows()
        ],
        indicators=[
            services.IndicatorData(
                indicator_id=int(row.indicator_id.data) if (row.indicator_id.data or "").isdigit() else None,
                name=row.name.data or "",
                unit=row.unit.data or "",
                direction=Direction(row.direction.data),
                baseline_value=row.baseline_value.data,
                baseline_year=row.baseline_year.data,
                target_value=row.target_value.data,
                target_year=row.target_year.data,
            )
            for row in form.filled_indicator_rows()
        ],
    )


@bp.route("/verwaltung/massnahmen/neu", methods=["GET", "POST"])
def create():  # type: ignore[no-untyped-def]
    """Write a new measure."""
    require("measures.create")
    from portal.measures import links

    prefill, proposals = links.prefill_from_request()
    form, added = build_measure_form(prefill)
    if not added and form.validate_on_submit():
        data = measure_data(form)
        data.proposal_ids = [proposal.id for proposal in proposals]
        measure = services.create_measure(data, actor=current_user)
        db.session.commit()
        flash(str(_("The measure “%(title)s” has been created.", title=measure.title)), "success")
        return redirect(url_for("measures.edit", measure_id=measure.id))
    return render_template("measures/form.html", form=form, measure=None, proposals=proposals)


def _measure_or_404(measure_id: int) -> Measure:
    measure = queries.get_measure(measure_id)
    if measure is None:
        abort(404)
    return measure


@bp.route("/verwaltung/massnahmen/<int:measure_id>", methods=["GET", "POST"])
def edit(measure_id: int):  # type: ignore[no-untyped-def]
    """Change a measure."""
    measure = _measure_or_404(measure_id)
    require("measures.edit", measure)
    form, added = build_measure_form(measure_form_data(measure))
    if not added and form.validate_on_submit():
        services.update_measure(measure, measure_data(form), actor=current_user)
        db.session.commit()
        flash(str(_("Your changes have been saved.")), "success")
        return redirect(url_for("measures.edit", measure_id=measure.id))
    return render_template(
        "measures/form.html",
        form=form,
        measure=measure,
        proposals=measure.proposals,
    )


# ---- Values and progress --------------------------------------------------------------------


def _progress_form(measure: Measure) -> tuple[ProgressForm, bool]:
    added = False
    if request.method != "POST":
        form = ProgressForm(
            data={
                "status": measure.status.value,
                "progress": measure.progress,
                "values": [
                    {"indicator": indicator.id, "year": value.year, "value": value.value}
                    for indicator in measure.indicators
                    for value in indicator.values
                ],
                "update_date": clock.today(),
            }
        )
        for _row in range(EMPTY_VALUE_ROWS if measure.indicators else 0):
            form.values.append_entry()
    else:
        form = ProgressForm()
        if "add_value" in request.form:
            form.values.append_entry()
            added = True
    indicators = [
        (indicator.id, indicator.name + (f" ({indicator.unit})" if indicator.unit else ""))
        for indicator in measure.indicators
    ]
    form.set_choices(indicators, has_departments=bool(measure.departments))
    form.label_rows()
    return form, added


@bp.route("/verwaltung/massnahmen/<int:measure_id>/werte", methods=["GET", "POST"])
def record(measure_id: int):  # type: ignore[no-untyped-def]
    """Indicator values, status, progress and a public progress update."""
    measure = _measure_or_404(measure_id)
    require("measures.record_progress", measure)
    form, added = _progress_form(measure)
    if not added and form.validate_on_submit():
        services.record_progress(
            measure,
            actor=current_user,
            status=MeasureStatus(form.status.data),
            progress=form.progress.data or 0,
            values=[(row.indicator.data, row.year.data, row.value.data) for row in form.filled_value_rows()],
            update_text=form.update_text.data or "",
            update_date=form.update_date.data,
        )
        db.session.commit()
        flash(str(_("The values and the progress have been saved.")), "success")
        return redirect(url_for("measures.record", measure_id=measure.id))
    return render_template("measures/record.html", form=form, measure=measure)
