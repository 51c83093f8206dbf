"""Administration of the content: strategy texts and focus areas, phases, milestones and documents."""

from __future__ import annotations

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import send_file
from flask import url_for
from flask_babel import format_date
from flask_login import current_user

from portal.admin import bp
from portal.admin import documents
from portal.admin import queries
from portal.admin import services
from portal.admin.forms import DocumentForm
from portal.admin.forms import GoalForm
from portal.admin.forms import MilestoneForm
from portal.admin.forms import PhaseForm
from portal.admin.forms import StrategyForm
from portal.admin.forms import SubGoalForm
from portal.admin.forms import fill_translations
from portal.admin.forms import lines
from portal.admin.forms import translations
from portal.admin.models import MilestoneDocument
from portal.core import clock
from portal.core.i18n import LANGUAGE_NAMES
from portal.core.i18n import _
from portal.core.i18n import tr
from portal.core.permissions import require
from portal.extensions import db
from portal.moderation.forms import EmptyForm
from portal.process import queries as process_queries
from portal.process.models import Milestone
from portal.process.models import Phase
from portal.process.models import PhaseKind
from portal.strategy import queries as strategy_queries
from portal.strategy.models import Strategy


def _actor():  # type: ignore[no-untyped-def]
    return current_user._get_current_object()


def _strategy() -> Strategy:
    strategy = strategy_queries.get_strategy()
    if strategy is None:
        abort(404)
    return strategy


def _status() -> int:
    return 422 if request.method == "POST" else 200


# --- strategy -------------------------------------------------------------------------------

STRATEGY_TEXTS = ("region_name", "title", "motto", "intro")


@bp.route("/verwaltung/strategie", methods=["GET", "POST"])
def strategy():  # type: ignore[no-untyped-def]
    """The strategy's texts per language, and links to each Oberziel and Unterziel."""
    require("admin.strategy")
    current = _strategy()
    form = StrategyForm()
    if request.method == "GET":
        for name in STRATEGY_TEXTS:
            fill_translations(form, name, getattr(current, name))
        form.horizon_year.data = current.horizon_year
    elif form.validate_on_submit():
        values = {name: translations(form, name) for name in STRATEGY_TEXTS}
        values["horizon_year"] = form.horizon_year.data
        services.update_strategy(current, values, _actor())
        db.session.commit()
        flash(_("The texts of the strategy have been saved."), "success")
        return redirect(url_for("admin.strategy"), 303)
    return render_template("admin/strategy.html", form=form, strategy=current), _status()


@bp.route("/verwaltung/strategie/oberziele/<int:number>", methods=["GET", "POST"])
def goal(number: int):  # type: ignore[no-untyped-def]
    """An Oberziel's title and text per language."""
    require("admin.strategy")
    current = strategy_queries.find_goal(_strategy(), number)
    if current is None:
        abort(404)
    form = GoalForm()
    if request.method == "GET":
        fill_translations(form, "title", current.title)
        fill_translations(form, "text", current.text)
    elif form.validate_on_submit():
        services.update_goal(current, translations(form, "title"), translations(form, "text"), _actor())
        db.session.commit()
        flash(_("Main goal %(number)s has been saved.", number=number), "success")
        return redirect(url_for("admin.strategy"), 303)
    return render_template("admin/goal.html", form=form, goal=current), _status()


@bp.route("/verwaltung/strategie/unterziele/<number>", methods=["GET", "POST"])
def subgoal(number: str):  # type: ignore[no-untyped-def]
    """An Unterziel's title, text and focus areas per language."""
    require("admin.strategy")
    current = strategy_queries.find_subgoal(_strategy(), number)
    if current is None:
        abort(404)
    form = SubGoalForm()
    if request.method == "GET":
        fill_translations(form, "title", current.title)
        fill_translations(form, "text", current.text)
        areas = sorted(current.focus_areas, key=lambda area: area.position)
        for code in LANGUAGE_NAMES:
            if code == "de" or all(area.title.get(code) for area in areas):
                getattr(form, f"focus_{code}").data = "\n".join(area.title.get(code, "") for area in areas)
    elif form.validate_on_submit():
        given = {code: lines(getattr(form, f"focus_{code}").data) for code in LANGUAGE_NAMES}
        focus = [
            {code: texts[index] for code, texts in given.items() if texts}
            for index in range(len(given["de"]))
        ]
        services.update_subgoal(
            current, translations(form, "title"), translations(form, "text"), focus, _actor()
        )
        db.session.commit()
        flash(_("Sub-goal %(number)s has been saved.", number=number), "success")
        return redirect(url_for("admin.strategy"), 303)
    return render_template("admin/subgoal.html", form=form, subgoal=current), _status()


# --- phases ---------------------------------------------------------------------------------


@bp.get("/verwaltung/phasen")
def phases():  # type: ignore[no-untyped-def]
    """The phases of the participation process, in time order."""
    require("admin.phases")
    return render_template(
        "admin/phases.html",
        phases=process_queries.list_phases(),
        today=clock.today(),
        delete_form=EmptyForm(),
    )


@bp.route("/verwaltung/phasen/neu", methods=["GET", "POST"], defaults={"phase_id": None})
@bp.route("/verwaltung/phasen/<int:phase_id>", methods=["GET", "POST"])
def phase_form(phase_id: int | None):  # type: ignore[no-untyped-def]
    """A new phase or a change; the last day is not before the first, phases do not overlap."""
    require("admin.phases")
    phase = db.session.get(Phase, phase_id) if phase_id is not None else None
    if phase_id is not None and phase is None:
        abort(404)
    form = PhaseForm()
    if request.method == "GET" and phase is not None:
        form.kind.data = phase.kind.value
        fill_translations(form, "title", phase.title)
        fill_translations(form, "description", phase.description)
        form.starts_on.data, form.ends_on.data = phase.starts_on, phase.ends_on
    elif form.validate_on_submit():
        other = services.overlapping_phase(
            form.starts_on.data, form.ends_on.data, phase.id if phase else None
        )
        if other is not None:
            form.ends_on.errors = [
                _(
                    "This phase overlaps with “%(title)s” (%(start)s to %(end)s).",
                    title=tr(other.title),
                    start=format_date(other.starts_on, "long"),
                    end=format_date(other.ends_on, "long"),
                )
            ]
        else:
            services.save_phase(
                phase,
                services.PhaseData(
                    kind=PhaseKind(form.kind.data),
                    title=translations(form, "title"),
                    description=translations(form, "description"),
                    starts_on=form.starts_on.data,
                    ends_on=form.ends_on.data,
                ),
                _actor(),
            )
            db.session.commit()
            flash(_("The phase has been saved."), "success")
            return redirect(url_for("admin.phases"), 303)
    return render_template("admin/phase_form.html", form=form, phase=phase), _status()


@bp.post("/verwaltung/phasen/<int:phase_id>/loeschen")
def phase_delete(phase_id: int):  # type: ignore[no-untyped-def]
    """Remove a phase."""
    require("admin.phases")
    phase = db.session.get(Phase, phase_id)
    if phase is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.delete_phase(phase, _actor())
    db.session.commit()
    flash(_("The phase has been removed."), "success")
    return redirect(url_for("admin.phases"), 303)


# --- milestones and documents ---------------------------------------------------------------


@bp.get("/verwaltung/meilensteine")
def milestones():  # type: ignore[no-untyped-def]
    """The decision timeline with its documents."""
    require("admin.milestones")
    items = queries.milestones()
    return render_template(
        "admin/milestones.html",
        milestones=items,
        documents=queries.documents_of([item.id for item in items]),
        delete_form=EmptyForm(),
    )


@bp.route("/verwaltung/meilensteine/neu", methods=["GET", "POST"], defaults={"milestone_id": None})
@bp.route("/verwaltung/meilensteine/<int:milestone_id>", methods=["GET", "POST"])
def milestone_form(milestone_id: int | None):  # type: ignore[no-untyped-def]
    """A new milestone or a change; documents are added on the milestone's page once it exists."""
    require("admin.milestones")
    milestone = db.session.get(Milestone, milestone_id) if milestone_id is not None else None
    if milestone_id is not None and milestone is None:
        abort(404)
    form = MilestoneForm()
    if request.method == "GET" and milestone is not None:
        form.date_spec.data = milestone.date_spec
        fill_translations(form, "title", milestone.title)
        fill_translations(form, "body", milestone.body)
        form.reference.data = milestone.reference or ""
    elif form.validate_on_submit():
        saved = services.save_milestone(
            milestone,
            services.MilestoneData(
                date_spec=form.date_spec.data or "",
                title=translations(form, "title"),
                body=translations(form, "body"),
                reference=(form.reference.data or "").strip() or None,
            ),
            _actor(),
        )
        db.session.commit()
        flash(_("The milestone has been saved."), "success")
        return redirect(url_for("admin.milestone_form", milestone_id=saved.id), 303)
    return _render_milestone(milestone, form, DocumentForm(formdata=None, prefix="document"), _status())


def _render_milestone(
    milestone: Milestone | None, form: MilestoneForm, document_form: DocumentForm, status: int
):  # type: ignore[no-untyped-def]
    return (
        render_template(
            "admin/milestone_form.html",
            form=form,
            milestone=milestone,
            document_form=document_form,
            documents=queries.documents_of([milestone.id]).get(milestone.id, []) if milestone else [],
            delete_form=EmptyForm(formdata=None),
        ),
        status,
    )


@bp.post("/verwaltung/meilensteine/<int:milestone_id>/loeschen")
def milestone_delete(milestone_id: int):  # type: ignore[no-untyped-def]
    """Remove a milestone and its documents."""
    require("admin.milestones")
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    files = services.delete_milestone(milestone, _actor())
    db.session.commit()
    for name in files:
        documents.remove(name)
    flash(_("The milestone has been removed."), "success")
    return redirect(url_for("admin.milestones"), 303)


@bp.post("/verwaltung/meilensteine/<int:milestone_id>/dokumente")
def document_add(milestone_id: int):  # type: ignore[no-untyped-def]
    """Attach a PDF (stored under a random name) or a link to a milestone."""
    require("admin.milestones")
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None:
        abort(404)
    form = DocumentForm(prefix="document")
    if form.validate_on_submit():
        upload = form.file.data if form.file.data and getattr(form.file.data, "filename", "") else None
        try:
            stored = documents.store_pdf(upload.stream) if upload else None
        except documents.DocumentRejected as error:
            form.file.errors = [*form.file.errors, error.message]
        else:
            services.add_document(
                milestone,
                translations(form, "title"),
                _actor(),
                file_name=stored[0] if stored else None,
                download_name=documents.download_name(upload.filename) if upload else None,
                size=stored[1] if stored else None,
                url=None if stored else form.url.data,
            )
            db.session.commit()
            flash(_("The document has been added."), "success")
            return redirect(
                url_for("admin.milestone_form", milestone_id=milestone.id, _anchor="documents"), 303
            )
    edit_form = MilestoneForm(formdata=None)
    edit_form.date_spec.data = milestone.date_spec
    fill_translations(edit_form, "title", milestone.title)
    fill_translations(edit_form, "body", milestone.body)
    edit_form.reference.data = milestone.reference or ""
    return _render_milestone(milestone, edit_form, form, 422)


@bp.post("/verwaltung/dokumente/<int:document_id>/loeschen")
def document_delete(document_id: int):  # type: ignore[no-untyped-def]
    """Remove a document (and its file)."""
    require("admin.milestones")
    document = db.session.get(MilestoneDocument, document_id)
    if document is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    milestone_id = document.milestone_id
    name = services.delete_document(document, _actor())
    db.session.commit()
    documents.remove(name)
    flash(_("The document has been removed."), "success")
    return redirect(url_for("admin.milestone_form", milestone_id=milestone_id, _anchor="documents"), 303)


@bp.get("/dokumente/<int:document_id>")
def document(document_id: int):  # type: ignore[no-untyped-def]
    """Download a milestone's PDF (public, like the timeline), as an attachment; links redirect."""
    item = db.session.get(MilestoneDocument, document_id)
    if item is None:
        abort(404)
    if item.url:
        return redirect(item.url, 302)
    path = documents.path_of(item.file_name or "")
    if path is None:
        abort(404)
    response = send_file(
        path,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=item.download_name or "dokument.pdf",
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
