"""Back-office pages: the start page, the one queue with bulk actions, the moderation page of a
proposal (visibility, decision, merge, departments) and of a comment, and the answer templates.
Views parse, check the rule, call a service, commit once, render or redirect.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from portal.assessments import services as assessment_services
from portal.comments.models import Comment
from portal.core.i18n import _
from portal.core.i18n import _l
from portal.core.i18n import current_language
from portal.core.i18n import tr
from portal.core.permissions import can
from portal.core.permissions import require
from portal.extensions import db
from portal.moderation import bp
from portal.moderation import queries
from portal.moderation import services
from portal.moderation.forms import AssignForm
from portal.moderation.forms import BulkForm
from portal.moderation.forms import EmptyForm
from portal.moderation.forms import MergeForm
from portal.moderation.forms import QueueFilterForm
from portal.moderation.forms import StatusForm
from portal.moderation.forms import TemplateForm
from portal.moderation.forms import VisibilityForm
from portal.moderation.models import AnswerTemplate
from portal.moderation.queries import QueueFilters
from portal.moderation.queries import Section
from portal.moderation.services import BulkAction
from portal.moderation.services import ModerationError
from portal.organisations.models import Department
from portal.proposals import workflow
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus
from portal.proposals.queries import municipalities as list_municipalities
from portal.proposals.workflow import TransitionError
from portal.strategy import queries as strategy_queries
from portal.strategy.models import Strategy

#: Municipality filter value for "the whole district".
WHOLE_DISTRICT = "kreis"

SECTION_LABELS = {
    Section.NEW: _l("New proposals"),
    Section.REPORTED: _l("Reported content"),
    Section.DECISION: _l("Awaiting a decision"),
    Section.OVERDUE: _l("Overdue statements"),
}
SECTION_ACTIONS = {
    Section.NEW: [BulkAction.PUBLISH, BulkAction.REVIEW, BulkAction.HIDE, BulkAction.ASSIGN],
    Section.REPORTED: [BulkAction.HIDE, BulkAction.RESTORE, BulkAction.DISMISS],
    Section.DECISION: [BulkAction.REVIEW, BulkAction.HIDE, BulkAction.ASSIGN, BulkAction.ASK_STATEMENTS],
    Section.OVERDUE: [],
}


def _actor() -> Any:
    return current_user._get_current_object()


def _strategy() -> Strategy:
    strategy = strategy_queries.get_strategy()
    if strategy is None:
        abort(404)
    return strategy


def _subgoals(strategy: Strategy) -> dict[int, Any]:
    return {sub.id: sub for goal in strategy.goals for sub in goal.subgoals}


# --- start page -----------------------------------------------------------------------------

#: (endpoint, rule, label) of the back office's pages, in the order of the start page.
LINKS: list[tuple[str, str, Any]] = [
    ("moderation.queue", "moderation.queue", _l("Queue")),
    ("assessments.index", "assessments.list", _l("Assessments")),
    ("statements.manage_list", "statements.manage", _l("Statement requests")),
    ("measures.manage_list", "measures.back_office", _l("Measures")),
    ("concept.manage", "concept.publish", _l("Development concept")),
    ("moderation.templates", "moderation.edit_templates", _l("Answer templates")),
    ("assessments.routing", "assessments.configure_routing", _l("Routing to departments")),
    ("admin.strategy", "admin.strategy", _l("Strategy")),
    ("admin.phases", "admin.phases", _l("Phases")),
    ("admin.milestones", "admin.milestones", _l("Milestones")),
    ("admin.municipalities", "admin.municipalities", _l("Municipalities")),
    ("admin.departments", "admin.departments", _l("Departments")),
    ("admin.settings", "admin.settings", _l("Settings")),
    ("accounts.admin_users", "accounts.manage_users", _l("Users")),
    ("pages.admin_list", "pages.edit", _l("Site pages")),
    ("admin.audit_log", "admin.audit_log", _l("Audit log")),
]


def backoffice_links() -> list[tuple[str, str]]:
    """(url, label) of the back-office pages the current user may open (and the app has)."""
    views = current_app.view_functions
    links = []
    for endpoint, rule_name, label in LINKS:
        try:
            allowed = endpoint in views and can(rule_name)
        except KeyError:  # a rule of a domain this deployment does not have
            allowed = False
        if allowed:
            links.append((url_for(endpoint), str(label)))
    return links


@bp.get("/verwaltung")
def dashboard():  # type: ignore[no-untyped-def]
    """The back office's start page: counts of what waits, and the pages this person may open."""
    require("moderation.access")
    counts = queries.section_counts() if can("moderation.queue") else None
    own_departments = set(current_user.department_ids)
    return render_template(
        "moderation/dashboard.html",
        counts=counts,
        section_labels=SECTION_LABELS,
        awaiting_assessment=queries.awaiting_assessment_count(own_departments) if own_departments else None,
        links=backoffice_links(),
    )


# --- the queue ------------------------------------------------------------------------------


def parse_filters(strategy: Strategy, args: MultiDict[str, str]) -> tuple[QueueFilterForm, QueueFilters]:
    """The queue's filters from the query string; unknown values are ignored."""
    form = QueueFilterForm(formdata=args)
    municipalities = list_municipalities()
    departments = queries.departments()
    form.oberziel.choices = [("", _("All main goals"))] + [
        (str(goal.number), f"{goal.number} {tr(goal.title)}") for goal in strategy.goals
    ]
    form.unterziel.choices = [("", _("All sub-goals"))] + [
        (sub.number, f"{sub.number} {tr(sub.title)}") for goal in strategy.goals for sub in goal.subgoals
    ]
    form.gemeinde.choices = [("", _("All municipalities")), (WHOLE_DISTRICT, _("The whole district"))] + [
        (municipality.key, municipality.name) for municipality in municipalities
    ]
    form.geschaeftsbereich.choices = [("", _("All departments"))] + [
        (department.key, tr(department.name)) for department in departments
    ]

    def valid(field: Any) -> str:
        value = field.data or ""
        if value not in {choice for choice, _label in field.choices}:
            field.data = ""
            return ""
        return value

    subgoal_ids = None
    if number := valid(form.unterziel):
        found = strategy_queries.find_subgoal(strategy, number)
        subgoal_ids = (found.id,) if found else None
    elif goal_number := valid(form.oberziel):
        goal = strategy_queries.find_goal(strategy, int(goal_number))
        subgoal_ids = tuple(sub.id for sub in goal.subgoals) if goal else None
    municipality_id = None
    if (key := valid(form.gemeinde)) == WHOLE_DISTRICT:
        municipality_id = 0
    elif key:
        municipality_id = next(m.id for m in municipalities if m.key == key)
    department_id = None
    if key := valid(form.geschaeftsbereich):
        department_id = next(d.id for d in departments if d.key == key)
    form.department_choices = [(str(d.id), tr(d.name)) for d in departments]  # type: ignore[attr-defined]
    return form, QueueFilters(subgoal_ids, municipality_id, department_id)


def _section(counts: dict[Section, int]) -> Section:
    value = request.args.get("bereich", "")
    if value in {section.value for section in Section}:
        return Section(value)
    # Start with the first section that has something in it.
    return next((section for section in Section if counts[section]), Section.NEW)


def _queue_page(bulk_form: BulkForm | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    strategy = _strategy()
    filter_form, filters = parse_filters(strategy, request.args)
    counts = queries.section_counts(filters)
    section = _section(counts)
    page_text = request.args.get("seite", "1")
    page_number = int(page_text) if page_text.isdigit() and len(page_text) <= 6 else 1
    if section is Section.REPORTED:
        page = queries.list_reported(filters, page_number)
        proposals = [item.proposal for item in page.items]
    elif section is Section.OVERDUE:
        page = queries.list_overdue(filters, page_number)
        proposals = []
    else:
        page = queries.list_proposals(section, filters, page_number)
        proposals = list(page.items)
    ids = sorted({proposal.id for proposal in proposals})
    similar = queries.similar_for(proposals) if section in (Section.NEW, Section.DECISION) else {}
    bulk_form = bulk_form or BulkForm(formdata=None)
    bulk_form.setup(SECTION_ACTIONS[section], filter_form.department_choices)  # type: ignore[attr-defined]
    link_args = {key: value for key, value in request.args.items() if value and key not in ("seite", "lang")}
    link_args["bereich"] = section.value
    filter_args = {key: value for key, value in link_args.items() if key != "bereich"}
    return (
        render_template(
            "moderation/queue.html",
            strategy=strategy,
            filter_form=filter_form,
            filters=filters,
            counts=counts,
            section=section,
            sections=list(Section),
            section_labels=SECTION_LABELS,
            page=page,
            departments=queries.departments_of(ids),
            similar=similar,
            subgoals=_subgoals(strategy),
            bulk_form=bulk_form,
            checked_proposals=set(request.form.getlist("proposal", type=int)),
            checked_comments=set(request.form.getlist("comment", type=int)),
            link_args=link_args,
            filter_args=filter_args,
            today=_today(),
        ),
        status,
    )


def _today():  # type: ignore[no-untyped-def]
    from portal.core import clock

    return clock.today()


@bp.get("/verwaltung/warteschlange")
def queue():  # type: ignore[no-untyped-def]
    """One queue: new, reported, awaiting a decision, overdue statements; filters; checkboxes."""
    require("moderation.queue")
    return _queue_page()


@bp.post("/verwaltung/warteschlange")
def bulk():  # type: ignore[no-untyped-def]
    """Apply one action to every checked item; items that do not allow it are reported, not failed."""
    require("moderation.bulk")
    strategy = _strategy()
    filter_form, _filters = parse_filters(strategy, request.args)
    counts = queries.section_counts(_filters)
    section = _section(counts)
    form = BulkForm().setup(SECTION_ACTIONS[section], filter_form.department_choices)  # type: ignore[attr-defined]
    proposal_ids = request.form.getlist("proposal", type=int)
    comment_ids = request.form.getlist("comment", type=int)
    valid = form.validate()
    if not proposal_ids and not comment_ids:
        form.form_errors.append(_("Check at least one item."))
        valid = False
    if not valid:
        return _queue_page(form, status=422)
    if form.action.data == BulkAction.ASK_STATEMENTS.value:
        # Statement requests have their own form (deadline, municipalities): open it prefilled.
        require("statements.manage")
        return redirect(url_for("statements.manage_new", vorschlag=sorted(set(proposal_ids))), 303)
    proposals = list(
        db.session.scalars(db.select(Proposal).where(Proposal.id.in_(proposal_ids)).order_by(Proposal.id))
    )
    comments = list(
        db.session.scalars(db.select(Comment).where(Comment.id.in_(comment_ids)).order_by(Comment.id))
    )
    department = db.session.get(Department, int(form.department.data)) if form.department.data else None
    result = services.bulk(
        BulkAction(form.action.data),
        proposals,
        comments,
        _actor(),
        reason=form.reason.data,
        department=department,
    )
    db.session.commit()
    if result.done:
        flash(_("Done for %(num)d items.", num=result.done), "success")
    if result.refused:
        flash(_("Not changed: %(items)s", items="; ".join(result.refused)), "warning")
    return redirect(url_for("moderation.queue", **request.args.to_dict()), 303)


# --- one proposal ---------------------------------------------------------------------------


def _proposal_or_404(proposal_id: int) -> Proposal:
    proposal = queries.get_proposal(proposal_id)
    if proposal is None:
        abort(404)
    return proposal


def _template_choices() -> list[tuple[str, str]]:
    return [("", _("No template"))] + [(str(t.id), tr(t.title)) for t in queries.templates()]


def _status_choices(proposal: Proposal) -> list[tuple[str, str]]:
    """The statuses this moderator may move the proposal to (merging has its own page)."""
    choices = [("", _("Choose the new status"))]
    for edge in workflow.TRANSITIONS:
        if edge.source != proposal.status or not edge.moderator or edge.target is ProposalStatus.MERGED:
            continue
        if can(edge.rule, proposal):
            choices.append((edge.target.value, edge.target.label))
    return choices


def _template_text(template_id: str | None) -> str | None:
    if not template_id or not template_id.isdigit():
        return None
    template = db.session.get(AnswerTemplate, int(template_id))
    return tr(template.text, current_language()) if template is not None else None


def render_proposal(proposal: Proposal, *, status: int = 200, **forms: Any):  # type: ignore[no-untyped-def]
    """The moderation page of a proposal (the action views re-render it with their forms on errors)."""
    strategy = _strategy()
    status_form = forms.get("status_form") or StatusForm(formdata=None)
    status_form.status.choices = _status_choices(proposal)
    status_form.template.choices = _template_choices()
    assignments = queries.assignments_of(proposal.id)
    assigned_ids = {assignment.department_id for assignment in assignments}
    assign_form = forms.get("assign_form") or AssignForm(formdata=None)
    assign_form.department.choices = [("", _("Choose a department"))] + [
        (str(d.id), tr(d.name)) for d in queries.departments() if d.id not in assigned_ids
    ]
    history_users = queries.users_by_id({change.actor_id for change in proposal.history})
    return (
        render_template(
            "moderation/proposal.html",
            strategy=strategy,
            proposal=proposal,
            subgoal=_subgoals(strategy).get(proposal.subgoal_id),
            flags=queries.flags_of(proposal),
            assignments=assignments,
            assessments=queries.assessments_of(proposal.id),
            similar=queries.similar_for([proposal], limit=5).get(proposal.id, []),
            history_users=history_users,
            status_form=status_form,
            visibility_form=forms.get("visibility_form") or VisibilityForm(formdata=None),
            assign_form=assign_form,
            action_form=EmptyForm(formdata=None),
        ),
        status,
    )


@bp.get("/verwaltung/vorschlaege/<int:proposal_id>")
def proposal(proposal_id: int):  # type: ignore[no-untyped-def]
    """Everything a moderator needs to decide about one proposal."""
    require("moderation.queue")
    return render_proposal(_proposal_or_404(proposal_id))


def _visibility(obj: Proposal | Comment, form: VisibilityForm) -> str | None:
    """Hide, show again or dismiss reports, as the pressed button says; returns an error or None."""
    action = request.form.get("visibility", "")
    rule_name = {"hide": "moderation.hide", "restore": "moderation.restore", "dismiss": "flags.resolve"}.get(
        action
    )
    if rule_name is None:
        abort(400)
    require(rule_name, obj)
    try:
        if action == "hide":
            services.hide(obj, _actor(), form.reason.data)
            flash(_("Hidden. The author has been told why."), "success")
        elif action == "restore":
            services.restore(obj, _actor(), form.reason.data)
            flash(_("Visible again. The author has been told why."), "success")
        else:
            services.dismiss_reports(obj, _actor(), form.reason.data)
            flash(_("The reports have been dismissed."), "success")
    except ModerationError as error:
        db.session.rollback()
        return error.message
    db.session.commit()
    return None


@bp.post("/verwaltung/vorschlaege/<int:proposal_id>/sichtbarkeit")
def proposal_visibility(proposal_id: int):  # type: ignore[no-untyped-def]
    """Hide a proposal, show it again, or dismiss its reports."""
    require("moderation.queue")
    proposal = _proposal_or_404(proposal_id)
    form = VisibilityForm()
    if form.validate_on_submit():
        error = _visibility(proposal, form)
        if error is None:
            return redirect(url_for("moderation.proposal", proposal_id=proposal.id), 303)
        form.reason.errors = [*form.reason.errors, error]
    return render_proposal(_proposal_or_404(proposal_id), status=422, visibility_form=form)


@bp.post("/verwaltung/vorschlaege/<int:proposal_id>/status")
def proposal_status(proposal_id: int):  # type: ignore[no-untyped-def]
    """Change the status through the workflow; "insert template" only prefills the answer."""
    require("moderation.queue")
    proposal = _proposal_or_404(proposal_id)
    require("moderation.change_status", proposal)
    form = StatusForm()
    form.status.choices = _status_choices(proposal)
    form.template.choices = _template_choices()
    if "insert_template" in request.form:
        text = _template_text(form.template.data)
        if text is None:
            form.template.errors = [_("Choose a template.")]
            return render_proposal(proposal, status=422, status_form=form)
        form.answer.data = text
        form.answer.raw_data = [text]
        return render_proposal(proposal, status_form=form)
    if form.validate_on_submit():
        try:
            services.change_status(proposal, ProposalStatus(form.status.data), _actor(), form.answer.data)
        except TransitionError as error:
            db.session.rollback()
            form.answer.errors = [*form.answer.errors, error.message]
        else:
            db.session.commit()
            flash(
                _(
                    "The status is now “%(status)s”. Author and followers are notified.",
                    status=ProposalStatus(form.status.data).label,
                ),
                "success",
            )
            return redirect(url_for("moderation.proposal", proposal_id=proposal.id), 303)
    return render_proposal(_proposal_or_404(proposal_id), status=422, status_form=form)


@bp.route("/verwaltung/vorschlaege/<int:proposal_id>/zusammenfuehren", methods=["GET", "POST"])
def merge(proposal_id: int):  # type: ignore[no-untyped-def]
    """Merge a duplicate into another proposal: choose the target, give the public answer."""
    require("moderation.queue")
    proposal = _proposal_or_404(proposal_id)
    require("moderation.merge", proposal)
    form = MergeForm()
    form.template.choices = _template_choices()
    if request.method == "GET":
        chosen = request.args.get("ziel", "")
        if chosen.isdigit():
            form.target.data = int(chosen)
    target = queries.merge_candidate(
        form.target.data if isinstance(form.target.data, int) else None, proposal
    )
    status = 200
    if request.method == "POST" and "insert_template" in request.form:
        text = _template_text(form.template.data)
        if text is None:
            form.template.errors = [_("Choose a template.")]
            status = 422
        else:
            form.answer.data = text
            form.answer.raw_data = [text]
            form.answer.errors = []
    elif form.validate_on_submit():
        if target is None:
            form.target.errors = [
                _("A proposal cannot be merged into itself.")
                if form.target.data == proposal.id
                else _("There is no proposal with this number.")
            ]
        else:
            try:
                services.merge(proposal, target, _actor(), form.answer.data)
            except TransitionError as error:
                db.session.rollback()
                form.target.errors = [error.message]
            else:
                db.session.commit()
                flash(
                    _(
                        "Merged into proposal %(number)s. Supports and comments count there.",
                        number=target.id,
                    ),
                    "success",
                )
                return redirect(url_for("moderation.proposal", proposal_id=target.id), 303)
        status = 422
    elif request.method == "POST":
        status = 422
    return (
        render_template(
            "moderation/merge.html",
            strategy=_strategy(),
            proposal=proposal,
            form=form,
            target=target,
            similar=queries.similar_for([proposal], limit=8).get(proposal.id, []),
        ),
        status,
    )


@bp.post("/verwaltung/vorschlaege/<int:proposal_id>/geschaeftsbereiche")
def assign(proposal_id: int):  # type: ignore[no-untyped-def]
    """Ask one more department to assess the proposal."""
    require("moderation.queue")
    proposal = _proposal_or_404(proposal_id)
    require("assessments.assign", proposal)
    form = AssignForm()
    assigned = {assignment.department_id for assignment in queries.assignments_of(proposal.id)}
    form.department.choices = [("", "")] + [
        (str(d.id), tr(d.name)) for d in queries.departments() if d.id not in assigned
    ]
    if form.validate_on_submit():
        department = db.session.get(Department, int(form.department.data))
        assert department is not None
        assessment_services.assign(proposal, department, _actor())
        db.session.commit()
        flash(_("%(name)s has been asked to assess the proposal.", name=tr(department.name)), "success")
        return redirect(url_for("moderation.proposal", proposal_id=proposal.id, _anchor="departments"), 303)
    return render_proposal(proposal, status=422, assign_form=form)


@bp.post("/verwaltung/vorschlaege/<int:proposal_id>/geschaeftsbereiche/<int:department_id>/entfernen")
def unassign(proposal_id: int, department_id: int):  # type: ignore[no-untyped-def]
    """Take a department's assignment back."""
    require("moderation.queue")
    proposal = _proposal_or_404(proposal_id)
    require("assessments.assign", proposal)
    department = db.session.get(Department, department_id)
    if department is None or not EmptyForm().validate_on_submit():
        abort(404 if department is None else 400)
    if assessment_services.unassign(proposal, department, _actor()):
        db.session.commit()
        flash(_("%(name)s is no longer asked to assess the proposal.", name=tr(department.name)), "success")
    return redirect(url_for("moderation.proposal", proposal_id=proposal.id, _anchor="departments"), 303)


# --- one comment ----------------------------------------------------------------------------


def _comment_or_404(comment_id: int) -> Comment:
    comment = queries.get_comment(comment_id)
    if comment is None:
        abort(404)
    return comment


def _render_comment(comment: Comment, form: VisibilityForm | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    return (
        render_template(
            "moderation/comment.html",
            strategy=_strategy(),
            comment=comment,
            proposal=db.session.get(Proposal, comment.proposal_id),
            flags=queries.flags_of(comment),
            visibility_form=form or VisibilityForm(formdata=None),
        ),
        status,
    )


@bp.get("/verwaltung/kommentare/<int:comment_id>")
def comment(comment_id: int):  # type: ignore[no-untyped-def]
    """A comment with its reports: hide, show again, or dismiss the reports."""
    require("moderation.queue")
    return _render_comment(_comment_or_404(comment_id))


@bp.post("/verwaltung/kommentare/<int:comment_id>/sichtbarkeit")
def comment_visibility(comment_id: int):  # type: ignore[no-untyped-def]
    """Hide a comment, show it again, or dismiss its reports."""
    require("moderation.queue")
    comment = _comment_or_404(comment_id)
    form = VisibilityForm()
    if form.validate_on_submit():
        error = _visibility(comment, form)
        if error is None:
            return redirect(url_for("moderation.comment", comment_id=comment.id), 303)
        form.reason.errors = [*form.reason.errors, error]
    return _render_comment(_comment_or_404(comment_id), form, status=422)


# --- answer templates -----------------------------------------------------------------------


@bp.get("/verwaltung/antwortvorlagen")
def templates():  # type: ignore[no-untyped-def]
    """The answer templates moderators pick from."""
    require("moderation.edit_templates")
    return render_template(
        "moderation/templates.html", templates=queries.templates(), delete_form=EmptyForm()
    )


@bp.route("/verwaltung/antwortvorlagen/neu", methods=["GET", "POST"], defaults={"template_id": None})
@bp.route("/verwaltung/antwortvorlagen/<int:template_id>", methods=["GET", "POST"])
def template_form(template_id: int | None):  # type: ignore[no-untyped-def]
    """Write a new answer template or change one."""
    require("moderation.edit_templates")
    template = db.session.get(AnswerTemplate, template_id) if template_id is not None else None
    if template_id is not None and template is None:
        abort(404)
    form = TemplateForm()
    if request.method == "GET" and template is not None:
        form.title_de.data = template.title.get("de", "")
        form.title_en.data = template.title.get("en", "")
        form.text_de.data = template.text.get("de", "")
        form.text_en.data = template.text.get("en", "")
    if form.validate_on_submit():
        services.save_template(
            template,
            {"de": form.title_de.data or "", "en": form.title_en.data or ""},
            {"de": form.text_de.data or "", "en": form.text_en.data or ""},
            _actor(),
        )
        db.session.commit()
        flash(_("The answer template has been saved."), "success")
        return redirect(url_for("moderation.templates"), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("moderation/template_form.html", form=form, template=template), status


@bp.post("/verwaltung/antwortvorlagen/<int:template_id>/loeschen")
def template_delete(template_id: int):  # type: ignore[no-untyped-def]
    """Delete an answer template."""
    require("moderation.edit_templates")
    template = db.session.get(AnswerTemplate, template_id)
    if template is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.delete_template(template, _actor())
    db.session.commit()
    flash(_("The answer template has been deleted."), "success")
    return redirect(url_for("moderation.templates"), 303)
