"""Statement request pages: the back office (list, new, state, remind, close) and the public page
where representatives of the asked municipalities answer."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user
from sqlalchemy import select

from portal.core import clock
from portal.core.i18n import _
from portal.core.permissions import require
from portal.extensions import db
from portal.moderation.forms import EmptyForm
from portal.proposals.models import OPEN_STATUSES
from portal.proposals.models import Proposal
from portal.proposals.queries import municipalities as list_municipalities
from portal.statements import bp
from portal.statements import queries
from portal.statements import services
from portal.statements.forms import RequestForm
from portal.statements.forms import answer_form
from portal.statements.forms import parse_numbers
from portal.statements.models import StatementRequest
from portal.statements.models import Subject


def _actor() -> Any:
    return current_user._get_current_object()


def _request_or_404(request_id: int) -> StatementRequest:
    found = queries.get_request(request_id)
    if found is None:
        abort(404)
    return found


@bp.get("/verwaltung/stellungnahmen")
def manage_list():  # type: ignore[no-untyped-def]
    """Every statement request with how many municipalities answered and how many are overdue."""
    require("statements.manage")
    page_text = request.args.get("seite", "1")
    page = queries.list_requests(
        clock.today(), int(page_text) if page_text.isdigit() and len(page_text) < 7 else 1
    )
    return render_template("statements/manage_list.html", page=page)


def _public_open_ids(numbers: list[int] | None) -> set[int]:
    if not numbers:
        return set()
    return set(
        db.session.scalars(
            select(Proposal.id).where(
                Proposal.id.in_(numbers),
                Proposal.published_at.is_not(None),
                Proposal.hidden_at.is_(None),
                Proposal.status.in_(list(OPEN_STATUSES)),
            )
        )
    )


@bp.route("/verwaltung/stellungnahmen/neu", methods=["GET", "POST"])
def manage_new():  # type: ignore[no-untyped-def]
    """Ask municipalities for statements, with a deadline; their representatives get e-mail."""
    require("statements.manage")
    form = RequestForm()
    municipalities = list_municipalities()
    form.municipalities.choices = [(m.id, m.name) for m in municipalities]
    if request.method == "GET":
        chosen = [
            int(value) for value in request.args.getlist("vorschlag") if value.isdigit() and len(value) < 10
        ]
        form.subject.data = Subject.PROPOSALS.value
        form.proposals.data = ", ".join(str(number) for number in chosen)
        form.municipalities.data = [m.id for m in municipalities]
        form.reminder_days.data = services.default_reminder_days()
    else:
        form.public_ids = _public_open_ids(parse_numbers(form.proposals.data))
    if form.validate_on_submit():
        subject = Subject(form.subject.data)
        new, unreached = services.create_request(
            services.RequestData(
                title=form.title.data or "",
                message=form.message.data or "",
                subject=subject,
                deadline=form.deadline.data,
                reminder_days=form.reminder_days.data,
                proposal_ids=parse_numbers(form.proposals.data) or [] if subject is Subject.PROPOSALS else [],
                municipality_ids=list(form.municipalities.data),
            ),
            _actor(),
        )
        db.session.commit()
        flash(_("The municipalities have been asked for their statements."), "success")
        if unreached:
            names = [m.name for m in municipalities if m.id in set(unreached)]
            flash(
                _(
                    "Nobody could be reached for: %(names)s. "
                    "Appoint a representative in the user administration.",
                    names=", ".join(names),
                ),
                "warning",
            )
        return redirect(url_for("statements.manage_detail", request_id=new.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("statements/manage_new.html", form=form), status


@bp.get("/verwaltung/stellungnahmen/<int:request_id>")
def manage_detail(request_id: int):  # type: ignore[no-untyped-def]
    """Each asked municipality's state (requested, answered, overdue) and its answers."""
    require("statements.manage")
    found = _request_or_404(request_id)
    reps = services.representatives({asked.municipality_id for asked in found.municipalities})
    return render_template(
        "statements/manage_detail.html",
        statement_request=found,
        today=clock.today(),
        reps=reps,
        action_form=EmptyForm(formdata=None),
        proposals={proposal.id: proposal for proposal in found.proposals},
    )


@bp.post("/verwaltung/stellungnahmen/<int:request_id>/erinnern")
def manage_remind(request_id: int):  # type: ignore[no-untyped-def]
    """Remind every municipality that has not answered yet, now."""
    require("statements.manage")
    found = _request_or_404(request_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    count = services.remind(found, _actor())
    db.session.commit()
    flash(_("Reminders sent to %(num)d municipalities.", num=count), "success")
    return redirect(url_for("statements.manage_detail", request_id=found.id), 303)


@bp.post("/verwaltung/stellungnahmen/<int:request_id>/abschliessen")
def manage_close(request_id: int):  # type: ignore[no-untyped-def]
    """Close the request: no more answers are taken."""
    require("statements.manage")
    found = _request_or_404(request_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if found.closed_at is None:
        services.close(found, _actor())
        db.session.commit()
        flash(_("The request is closed."), "success")
    return redirect(url_for("statements.manage_detail", request_id=found.id), 303)


# --- the public page, where representatives answer -------------------------------------------


def _answer_keys(found: StatementRequest, asked: Any) -> list[tuple[str, str]]:
    """The text areas still open for this municipality (answered proposals are left out)."""
    done = {answer.proposal_id for answer in asked.answers}
    if found.subject is Subject.CONCEPT:
        return [] if None in done else [("concept", _("Statement on the draft concept"))]
    return [
        (
            f"p_{proposal.id}",
            _("Statement on proposal %(number)s: %(title)s", number=proposal.id, title=proposal.title),
        )
        for proposal in found.proposals
        if proposal.id not in done
    ]


@bp.route("/stellungnahmen/<int:request_id>", methods=["GET", "POST"])
def answer(request_id: int):  # type: ignore[no-untyped-def]
    """The request, each municipality's state and the answers; representatives of the asked ones answer."""
    found = _request_or_404(request_id)
    require("statements.view", found)
    mine = queries.answerable(found, current_user)
    chosen = mine[0] if mine else None
    wanted = request.values.get("gemeinde", "")
    for asked in mine:
        if asked.municipality.key == wanted:
            chosen = asked
    form = answer_form(_answer_keys(found, chosen)) if chosen is not None else None
    if request.method == "POST":
        if chosen is None or form is None:
            require("statements.answer", None)
            abort(403)
        if form.validate_on_submit():
            texts: dict[int | None, str] = {}
            for name, _label in _answer_keys(found, chosen):
                value = getattr(form, name).data or ""
                texts[None if name == "concept" else int(name.removeprefix("p_"))] = value
            name = chosen.municipality.name
            services.answer(chosen, _actor(), texts)
            db.session.commit()
            flash(_("Thank you. The statement of %(name)s has been published.", name=name), "success")
            return redirect(url_for("statements.answer", request_id=found.id), 303)
    public_proposals = {proposal.id: proposal for proposal in found.proposals if proposal.is_public}
    return (
        render_template(
            "statements/answer.html",
            statement_request=found,
            today=clock.today(),
            mine=mine,
            chosen=chosen,
            form=form,
            proposals=public_proposals,
        ),
        422 if request.method == "POST" else 200,
    )
