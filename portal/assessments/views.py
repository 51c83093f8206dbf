"""Assessment pages: the list of assigned proposals, a proposal's assessment form per department,
and the default routing (admins)."""

from __future__ import annotations

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user

from portal.assessments import bp
from portal.assessments import queries
from portal.assessments import services
from portal.assessments.forms import AssessmentForm
from portal.assessments.forms import AssignmentFilterForm
from portal.assessments.forms import routing_form
from portal.assessments.models import Feasibility
from portal.assessments.models import Responsibility
from portal.core.i18n import _
from portal.core.i18n import tr
from portal.core.permissions import can
from portal.core.permissions import is_moderator
from portal.core.permissions import require
from portal.extensions import db
from portal.moderation import queries as moderation_queries
from portal.organisations.models import Department
from portal.proposals.models import Proposal
from portal.strategy.queries import get_strategy


def _visible_departments() -> list[Department]:
    """Departments whose assignments this person may list: their own; all for moderators."""
    departments = moderation_queries.departments()
    if is_moderator(current_user):
        return departments
    return [department for department in departments if department.id in current_user.department_ids]


@bp.get("/verwaltung/bewertungen")
def index():  # type: ignore[no-untyped-def]
    """Proposals assigned to one's departments (moderators: all), open ones or assessed ones."""
    require("assessments.list")
    departments = _visible_departments()
    form = AssignmentFilterForm(formdata=request.args)
    form.zustand.choices = [
        ("", _("All")),
        (queries.OPEN, _("Not assessed yet")),
        (queries.DONE, _("Assessed")),
    ]
    form.geschaeftsbereich.choices = [
        ("", _("All my departments") if not is_moderator(current_user) else _("All departments"))
    ] + [(department.key, tr(department.name)) for department in departments]
    state = form.zustand.data if form.zustand.data in (queries.OPEN, queries.DONE) else ""
    chosen = next((d for d in departments if d.key == form.geschaeftsbereich.data), None)
    if chosen is not None:
        department_ids: set[int] | None = {chosen.id}
    elif is_moderator(current_user):
        department_ids = None
    else:
        department_ids = {department.id for department in departments}
    page_text = request.args.get("seite", "1")
    page = queries.list_assigned(
        department_ids, state, int(page_text) if page_text.isdigit() and len(page_text) < 7 else 1
    )
    strategy = get_strategy()
    subgoals = {sub.id: sub for goal in strategy.goals for sub in goal.subgoals} if strategy else {}
    args = {
        key: value for key, value in request.args.items() if value and key in ("zustand", "geschaeftsbereich")
    }
    return render_template("assessments/index.html", page=page, form=form, subgoals=subgoals, args=args)


def _proposal_or_404(proposal_id: int) -> Proposal:
    proposal = moderation_queries.get_proposal(proposal_id)
    if proposal is None:
        abort(404)
    return proposal


def _form_for(department_id: int, assessment) -> AssessmentForm:  # type: ignore[no-untyped-def]
    """The form of one department (prefixed: a person in two departments sees two forms)."""
    form = AssessmentForm(formdata=None, prefix=f"d{department_id}")
    if assessment is not None:
        form.feasibility.data = assessment.feasibility.value
        form.cost_estimate.data = assessment.cost_estimate
        form.responsibility.data = assessment.responsibility.value
        form.text.data = assessment.text
    return form


def _render(proposal: Proposal, failed: tuple[int, AssessmentForm] | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    assignments = queries.assignments_for(proposal.id)
    require("assessments.view_proposal", {a.department_id for a in assignments})
    # Each department reads only its own assessment; moderators read every one.
    readable = None if is_moderator(current_user) else set(current_user.department_ids)
    assessments = queries.assessments_for(proposal.id, readable)
    writable = [a for a in assignments if can("assessments.write", a)]
    forms = {}
    for assignment in writable:
        if failed is not None and failed[0] == assignment.department_id:
            forms[assignment.department_id] = failed[1]
        else:
            forms[assignment.department_id] = _form_for(
                assignment.department_id, assessments.get(assignment.department_id)
            )
    strategy = get_strategy()
    subgoal = next(
        (
            sub
            for goal in (strategy.goals if strategy else [])
            for sub in goal.subgoals
            if sub.id == proposal.subgoal_id
        ),
        None,
    )
    return (
        render_template(
            "assessments/proposal.html",
            proposal=proposal,
            subgoal=subgoal,
            assignments=assignments,
            assessments=assessments,
            writable=writable,
            forms=forms,
        ),
        status,
    )


@bp.get("/verwaltung/bewertungen/<int:proposal_id>")
def proposal(proposal_id: int):  # type: ignore[no-untyped-def]
    """A proposal assigned to one's department, with the department's assessment form."""
    require("assessments.list")
    return _render(_proposal_or_404(proposal_id))


@bp.post("/verwaltung/bewertungen/<int:proposal_id>/<department_key>")
def save(proposal_id: int, department_key: str):  # type: ignore[no-untyped-def]
    """Save the department's assessment."""
    require("assessments.list")
    proposal = _proposal_or_404(proposal_id)
    assignment = next(
        (a for a in queries.assignments_for(proposal.id) if a.department.key == department_key), None
    )
    if assignment is None:
        abort(404)
    require("assessments.write", assignment)
    form = AssessmentForm(prefix=f"d{assignment.department_id}")
    if form.validate_on_submit():
        services.save_assessment(
            assignment,
            services.AssessmentData(
                feasibility=Feasibility(form.feasibility.data),
                cost_estimate=form.cost_estimate.data,
                responsibility=Responsibility(form.responsibility.data),
                text=form.text.data or "",
            ),
            current_user._get_current_object(),
        )
        name = tr(assignment.department.name)
        db.session.commit()
        flash(_("The assessment of %(name)s has been saved.", name=name), "success")
        return redirect(url_for("assessments.proposal", proposal_id=proposal.id), 303)
    return _render(proposal, failed=(assignment.department_id, form), status=422)


@bp.route("/verwaltung/zuordnung", methods=["GET", "POST"])
def routing():  # type: ignore[no-untyped-def]
    """Default routing: which departments new proposals under each Unterziel go to."""
    require("assessments.configure_routing")
    strategy = get_strategy()
    if strategy is None:
        abort(404)
    subgoals = [(sub.id, f"{sub.number} {tr(sub.title)}") for goal in strategy.goals for sub in goal.subgoals]
    departments = [(department.id, tr(department.name)) for department in moderation_queries.departments()]
    form = routing_form(subgoals, departments)
    if request.method == "GET":
        current = queries.routing()
        for ident, _label in subgoals:
            getattr(form, f"sg_{ident}").data = sorted(current.get(ident, set()))
    elif form.validate_on_submit():
        wanted = {ident: set(getattr(form, f"sg_{ident}").data or []) for ident, _label in subgoals}
        services.set_routing(wanted, current_user._get_current_object())
        db.session.commit()
        flash(_("The routing has been saved. It applies to proposals submitted from now on."), "success")
        return redirect(url_for("assessments.routing"), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("assessments/routing.html", form=form, subgoals=subgoals), status
