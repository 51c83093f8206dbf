"""Proposal pages: list, guided form with preview and similar-proposal hint, detail, edit,
withdraw, support, follow. Views parse, check, call a service, commit once, render or redirect.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from portal.core.i18n import _
from portal.core.i18n import current_language
from portal.core.permissions import can
from portal.core.permissions import require
from portal.extensions import db
from portal.extensions import limiter
from portal.proposals import bp
from portal.proposals import permissions
from portal.proposals import phases
from portal.proposals import queries
from portal.proposals import services
from portal.proposals.forms import WHOLE_DISTRICT
from portal.proposals.forms import EmptyForm
from portal.proposals.forms import FilterForm
from portal.proposals.forms import ProposalForm
from portal.proposals.forms import choice_label
from portal.proposals.forms import choice_values
from portal.proposals.forms import choices
from portal.proposals.limits import limit_of
from portal.proposals.limits import rate_key
from portal.proposals.models import CostClass
from portal.proposals.models import Horizon
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus
from portal.proposals.workflow import TransitionError
from portal.strategy import queries as strategy_queries
from portal.strategy.models import Strategy
from portal.strategy.models import SubGoal
from portal.uploads import pending
from portal.uploads import services as uploads
from portal.uploads.services import ImageRejected
from portal.uploads.services import StoredImage


def _strategy() -> Strategy:
    strategy = strategy_queries.get_strategy()
    if strategy is None:
        abort(404)
    return strategy


# --- lists ----------------------------------------------------------------------------------


def parse_filters(
    strategy: Strategy, args: MultiDict[str, str], *, subgoal: SubGoal | None = None
) -> tuple[FilterForm, queries.ListFilters, int]:
    """Filters, sort and page from the query string; unknown values are ignored, never an error."""
    from portal.core.i18n import tr

    form = FilterForm(formdata=args)
    municipalities = queries.municipalities()
    form.oberziel.choices = choices(
        [("", _("All main goals"))]
        + [(goal.number, f"{goal.number} {tr(goal.title)}") for goal in strategy.goals]
    )
    form.unterziel.choices = choices(
        [("", _("All sub-goals"))]
        + [(sub.number, f"{sub.number} {tr(sub.title)}") for goal in strategy.goals for sub in goal.subgoals]
    )
    form.gemeinde.choices = choices(
        [("", _("All municipalities")), (WHOLE_DISTRICT, _("The whole district"))]
        + [(municipality.key, municipality.name) for municipality in municipalities]
    )
    form.status.choices = choices(
        [("", _("All statuses"))]
        + [(status.value, status.label) for status in ProposalStatus if status is not ProposalStatus.MERGED]
    )
    form.horizont.choices = choices([("", _("All time horizons"))] + [(h.value, h.label) for h in Horizon])
    form.sortierung.choices = choices(
        [
            (queries.Sort.RANDOM.value, _("Random order")),
            (queries.Sort.SUPPORTED.value, _("Most supported")),
            (queries.Sort.NEWEST.value, _("Newest")),
            (queries.Sort.DISCUSSED.value, _("Most discussed")),
        ]
    )

    def valid(field: Any) -> str:
        value = field.data or ""
        if value not in choice_values(field):
            field.data = ""
            return ""
        return value

    subgoal_ids: tuple[int, ...] | None = None
    goal_id = None
    if subgoal is not None:
        subgoal_ids = (subgoal.id,)
    else:
        number = valid(form.unterziel)
        goal_number = valid(form.oberziel)
        if number:
            found = strategy_queries.find_subgoal(strategy, number)
            subgoal_ids = (found.id,) if found else None
        elif goal_number:
            goal = strategy_queries.find_goal(strategy, int(goal_number))
            if goal is not None:
                goal_id = goal.id
                subgoal_ids = tuple(sub.id for sub in goal.subgoals)
    municipality_key = valid(form.gemeinde)
    municipality_id = None
    if municipality_key == WHOLE_DISTRICT:
        municipality_id = 0
    elif municipality_key:
        municipality_id = next(m.id for m in municipalities if m.key == municipality_key)
    status = valid(form.status)
    horizon = valid(form.horizont)
    sort = valid(form.sortierung) or queries.Sort.RANDOM.value
    form.sortierung.data = sort
    seed_text = args.get("seed", "")
    seed = int(seed_text) if seed_text.isdigit() and len(seed_text) <= 12 else queries.daily_seed()
    page_text = args.get("seite", "1")
    page = int(page_text) if page_text.isdigit() and len(page_text) <= 6 else 1
    query = (form.q.data or "").strip()[:200]
    filters = queries.ListFilters(
        goal_id=goal_id,
        subgoal_ids=subgoal_ids,
        municipality_id=municipality_id,
        status=ProposalStatus(status) if status else None,
        horizon=Horizon(horizon) if horizon else None,
        query=query,
        statements_only=bool(form.stellungnahmen.data),
        sort=queries.Sort(sort),
        seed=seed,
    )
    return form, filters, page


def list_context(strategy: Strategy, *, subgoal: SubGoal | None = None) -> dict[str, Any]:
    """Everything the list partial needs: filter form, page of proposals, link arguments."""
    form, filters, page_number = parse_filters(strategy, request.args, subgoal=subgoal)
    page = queries.list_proposals(filters, page_number)
    link_args = {key: value for key, value in request.args.items() if value and key not in ("seite", "lang")}
    if filters.sort is queries.Sort.RANDOM:
        link_args["seed"] = str(filters.seed)
    subgoals = {sub.id: sub for goal in strategy.goals for sub in goal.subgoals}
    return {
        "filter_form": form,
        "filters": filters,
        "page": page,
        "link_args": link_args,
        "subgoals_by_id": subgoals,
        "list_subgoal": subgoal,
        "propose_refusal": permissions.propose_refusal(current_user),
        "propose_open": phases.is_open(phases.Action.PROPOSE),
    }


@bp.get("/vorschlaege")
def index():  # type: ignore[no-untyped-def]
    """All proposals of the portal: filters, search, sort, pages."""
    strategy = _strategy()
    return render_template("proposals/index.html", strategy=strategy, **list_context(strategy))


# --- the guided form ------------------------------------------------------------------------


def _chosen_image(form: ProposalForm, current: StoredImage | None) -> tuple[StoredImage | None, str | None]:
    """Store a newly sent file (or keep the one from the preview step): (image, error message)."""
    if form.remove_image.data:
        pending.forget(form.pending_image.data)
        form.pending_image.data = ""
        return None, None
    if form.has_new_file:
        try:
            stored = uploads.store_image(form.image.data.stream)
        except ImageRejected as error:
            return pending.get(form.pending_image.data) or current, error.message
        pending.remember(stored)
        form.pending_image.data = stored.name
        return stored, None
    return pending.get(form.pending_image.data) or current, None


def _validate(form: ProposalForm, image: StoredImage | None, image_error: str | None) -> bool:
    """Validate the fields, then add what only the view knows: the image and its alt text."""
    valid = form.validate()
    if image_error:
        form.image.errors = [*form.image.errors, image_error]
        valid = False
    if image is not None and not (form.image_alt.data or "").strip():
        form.image_alt.errors = [
            *form.image_alt.errors,
            _("Describe the image for people who cannot see it."),
        ]
        valid = False
    return valid


def _data(form: ProposalForm, subgoal: SubGoal, image: StoredImage | None) -> services.ProposalData:
    municipality_id = None
    if form.municipality.data != WHOLE_DISTRICT:
        municipality_id = next(m.id for m in queries.municipalities() if m.key == form.municipality.data)
    return services.ProposalData(
        subgoal_id=subgoal.id,
        focus_area_id=int(form.focus_area.data) if form.focus_area.data else None,
        title=form.title.data or "",
        body=form.body.data or "",
        municipality_id=municipality_id,
        horizon=Horizon(form.horizon.data),
        cost_class=CostClass(form.cost_class.data),
        image_name=image.name if image else None,
        image_alt=form.image_alt.data if image else None,
        image_width=image.width if image else None,
        image_height=image.height if image else None,
        language=form.language.data or current_language(),
    )


@bp.route("/vorschlaege/neu", methods=["GET", "POST"])
@limiter.shared_limit(limit_of("RATELIMIT_PROPOSALS"), "proposals", key_func=rate_key, methods=["POST"])
def new():  # type: ignore[no-untyped-def]
    """Step 1 chooses the Unterziel; step 2 is the form; step 3 shows the preview and similar ideas."""
    strategy = _strategy()
    refusal = permissions.propose_refusal(current_user)
    if refusal and (current_user.is_authenticated or not phases.is_open(phases.Action.PROPOSE)):
        return render_template("proposals/closed.html", strategy=strategy, message=refusal)
    require("proposals.create")
    number = request.values.get("unterziel") or request.form.get("subgoal") or ""
    subgoal = strategy_queries.find_subgoal(strategy, number) if number else None
    if subgoal is None:
        return render_template("proposals/choose.html", strategy=strategy)
    goal = strategy_queries.goal_of(strategy, subgoal)
    form = ProposalForm().setup(subgoal, queries.municipalities())
    if request.method == "GET":
        return render_template(
            "proposals/form.html", strategy=strategy, subgoal=subgoal, goal=goal, form=form
        )
    image, image_error = _chosen_image(form, None)
    if not _validate(form, image, image_error) or "change" in request.form:
        return render_template(
            "proposals/form.html", strategy=strategy, subgoal=subgoal, goal=goal, form=form, image=image
        )
    data = _data(form, subgoal, image)
    if "confirm" not in request.form:
        from portal.core.sanitize import render_markdown

        return render_template(
            "proposals/confirm.html",
            strategy=strategy,
            subgoal=subgoal,
            goal=goal,
            form=form,
            image=image,
            preview_html=render_markdown(data.body),
            similar=queries.similar(f"{data.title} {data.body}"),
            municipality_name=choice_label(form.municipality, form.municipality.data),
            focus_area_name=choice_label(form.focus_area, form.focus_area.data)
            if form.focus_area.data
            else "",
            horizon_name=choice_label(form.horizon, form.horizon.data),
            cost_name=choice_label(form.cost_class, form.cost_class.data),
            subgoals_by_id={sub.id: sub for g in strategy.goals for sub in g.subgoals},
        )
    proposal = services.create_proposal(current_user, data)
    db.session.commit()
    if image is not None:
        pending.forget(image.name)
    if proposal.is_public:
        flash(_("Thank you! Your proposal has been published."), "success")
    else:
        flash(_("Thank you! Your proposal will be published once a moderator has checked it."), "success")
    return redirect(url_for("proposals.detail", proposal_id=proposal.id), 303)


# --- detail ---------------------------------------------------------------------------------


def _visible_or_404(proposal_id: int, *, for_page: bool = False) -> Proposal:
    proposal = queries.get_proposal(proposal_id) if for_page else queries.get_for_update(proposal_id)
    if proposal is None or not can("proposals.view", proposal):
        abort(404)
    return proposal


def render_detail(proposal: Proposal, *, status: int = 200, **forms: Any):  # type: ignore[no-untyped-def]
    """The proposal page; the comment views re-render it with their forms on errors."""
    from portal.comments import permissions as comment_permissions
    from portal.comments import queries as comment_queries
    from portal.comments.forms import CommentForm

    strategy = _strategy()
    subgoal = next(sub for goal in strategy.goals for sub in goal.subgoals if sub.id == proposal.subgoal_id)
    statements_only = request.args.get("kommentare") == "stellungnahmen"
    official, others = comment_queries.threads(proposal.id, statements_only=statements_only)
    voices = comment_queries.voices(current_user) if can("comments.statement", proposal) else []
    # Forms only for signed-in people: building one puts a CSRF token into the session, and a
    # page without one can be served to every anonymous visitor from the page cache.
    signed_in = current_user.is_authenticated
    comment_form = forms.get("comment_form") or (CommentForm(formdata=None) if signed_in else None)
    if comment_form is not None:
        comment_form.set_voices(voices)
    reply_to = forms.get("reply_to")
    if reply_to is None and request.args.get("antworten", "").isdigit():
        reply_to = int(request.args["antworten"])
    reply_form = forms.get("reply_form") or (
        CommentForm(formdata=None, prefix="reply") if signed_in else None
    )
    merged_from = request.args.get("zusammengefuehrt", "")
    return (
        render_template(
            "proposals/detail.html",
            strategy=strategy,
            proposal=proposal,
            subgoal=subgoal,
            goal=strategy_queries.goal_of(strategy, subgoal),
            history=queries.history(proposal),
            relation=queries.relation(current_user, proposal),
            support_refusal=permissions.support_refusal(current_user, proposal),
            comment_refusal=comment_permissions.comment_refusal(current_user, proposal),
            official=official,
            others=others,
            statements_only=statements_only,
            comment_form=comment_form,
            reply_form=reply_form,
            reply_to=reply_to,
            merged_from=int(merged_from) if merged_from.isdigit() else None,
        ),
        status,
    )


@bp.get("/vorschlaege/<int:proposal_id>")
def detail(proposal_id: int):  # type: ignore[no-untyped-def]
    """The proposal, its supports, history with answers, statements first, then the comments."""
    proposal = _visible_or_404(proposal_id, for_page=True)
    if proposal.status is ProposalStatus.MERGED and proposal.merged_into_id:
        return redirect(
            url_for("proposals.detail", proposal_id=proposal.merged_into_id, zusammengefuehrt=proposal.id),
            301,
        )
    return render_detail(proposal)


# --- edit and withdraw ----------------------------------------------------------------------


@bp.route("/vorschlaege/<int:proposal_id>/bearbeiten", methods=["GET", "POST"])
@limiter.shared_limit(limit_of("RATELIMIT_PROPOSALS"), "proposals", key_func=rate_key, methods=["POST"])
def edit(proposal_id: int):  # type: ignore[no-untyped-def]
    """The author changes the proposal, as long as nobody has supported or commented on it."""
    strategy = _strategy()
    proposal = _visible_or_404(proposal_id, for_page=True)
    require("proposals.edit", proposal)
    subgoal = next(sub for goal in strategy.goals for sub in goal.subgoals if sub.id == proposal.subgoal_id)
    goal = strategy_queries.goal_of(strategy, subgoal)
    form = ProposalForm(obj=None).setup(subgoal, queries.municipalities())
    current = (
        StoredImage(proposal.image_name, proposal.image_width or 0, proposal.image_height or 0)
        if proposal.image_name
        else None
    )
    page = {"strategy": strategy, "subgoal": subgoal, "goal": goal, "form": form, "proposal": proposal}
    if request.method == "GET":
        form.title.data = proposal.title
        form.body.data = proposal.body
        form.focus_area.data = str(proposal.focus_area_id) if proposal.focus_area_id else ""
        form.municipality.data = proposal.municipality.key if proposal.municipality else WHOLE_DISTRICT
        form.horizon.data = proposal.horizon.value
        form.cost_class.data = proposal.cost_class.value
        form.language.data = proposal.language
        form.image_alt.data = proposal.image_alt or ""
        return render_template("proposals/form.html", image=current, **page)
    image, image_error = _chosen_image(form, current)
    valid = _validate(form, image, image_error)
    if not valid or "preview" in request.form:
        from portal.core.sanitize import render_markdown

        preview_html = render_markdown(form.body.data or "") if valid else None
        return render_template("proposals/form.html", image=image, preview_html=preview_html, **page)
    unused = services.update_proposal(proposal, _data(form, subgoal, image))
    db.session.commit()
    if image is not None:
        pending.forget(image.name)
    uploads.remove(unused)
    flash(_("Your changes have been saved."), "success")
    return redirect(url_for("proposals.detail", proposal_id=proposal.id), 303)


@bp.route("/vorschlaege/<int:proposal_id>/zurueckziehen", methods=["GET", "POST"])
def withdraw(proposal_id: int):  # type: ignore[no-untyped-def]
    """The author withdraws the proposal, after confirming."""
    strategy = _strategy()
    proposal = _visible_or_404(proposal_id)
    require("proposals.withdraw", proposal)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            services.withdraw(proposal, current_user)
        except TransitionError as error:
            flash(error.message, "danger")
            return redirect(url_for("proposals.detail", proposal_id=proposal.id), 303)
        db.session.commit()
        flash(_("Your proposal has been withdrawn."), "success")
        return redirect(url_for("proposals.detail", proposal_id=proposal.id), 303)
    return render_template("proposals/withdraw.html", strategy=strategy, proposal=proposal, form=form)


# --- support and follow ---------------------------------------------------------------------


def _back(proposal: Proposal, anchor: str):  # type: ignore[no-untyped-def]
    return redirect(url_for("proposals.detail", proposal_id=proposal.id, _anchor=anchor), 303)


def _checked_action(proposal_id: int, rule_name: str, refusal: Any) -> tuple[Proposal, str | None]:
    proposal = _visible_or_404(proposal_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not current_user.is_authenticated:
        require(rule_name, proposal)  # to the sign-in page
    message = refusal(current_user, proposal) if refusal else None
    if message is None and not can(rule_name, proposal):
        abort(403)
    return proposal, message


@bp.post("/vorschlaege/<int:proposal_id>/unterstuetzen")
@limiter.shared_limit(limit_of("RATELIMIT_SUPPORTS"), "supports", key_func=rate_key)
def support(proposal_id: int):  # type: ignore[no-untyped-def]
    """Support a proposal (a second click changes nothing)."""
    proposal, refusal = _checked_action(proposal_id, "proposals.support", permissions.support_refusal)
    if refusal:
        flash(refusal, "warning")
        return _back(proposal, "unterstuetzen")
    services.support(proposal, current_user)
    db.session.commit()
    flash(_("Thank you for your support."), "success")
    return _back(proposal, "unterstuetzen")


@bp.post("/vorschlaege/<int:proposal_id>/unterstuetzung-zuruecknehmen")
@limiter.shared_limit(limit_of("RATELIMIT_SUPPORTS"), "supports", key_func=rate_key)
def unsupport(proposal_id: int):  # type: ignore[no-untyped-def]
    """Withdraw one's support while the phase runs."""
    proposal, refusal = _checked_action(proposal_id, "proposals.support", permissions.support_refusal)
    if refusal:
        flash(refusal, "warning")
        return _back(proposal, "unterstuetzen")
    services.withdraw_support(proposal, current_user)
    db.session.commit()
    flash(_("You no longer support this proposal."), "success")
    return _back(proposal, "unterstuetzen")


@bp.post("/vorschlaege/<int:proposal_id>/folgen")
def follow(proposal_id: int):  # type: ignore[no-untyped-def]
    """Follow a proposal: e-mail on changes, as the notification settings say."""
    proposal, _refusal = _checked_action(proposal_id, "proposals.follow", None)
    services.follow(proposal, current_user)
    db.session.commit()
    flash(_("You now follow this proposal."), "success")
    return _back(proposal, "folgen")


@bp.post("/vorschlaege/<int:proposal_id>/nicht-mehr-folgen")
def unfollow(proposal_id: int):  # type: ignore[no-untyped-def]
    """Stop following a proposal."""
    proposal, _refusal = _checked_action(proposal_id, "proposals.follow", None)
    services.unfollow(proposal, current_user)
    db.session.commit()
    flash(_("You no longer follow this proposal."), "success")
    return _back(proposal, "folgen")
