"""Reporting a proposal or a comment."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_login import current_user

from portal.comments import queries as comment_queries
from portal.comments.models import Comment
from portal.core.i18n import _
from portal.core.permissions import can
from portal.core.permissions import require
from portal.extensions import db
from portal.extensions import limiter
from portal.flags import bp
from portal.flags import services
from portal.flags.forms import FlagForm
from portal.flags.models import FlagReason
from portal.proposals import queries as proposal_queries
from portal.proposals.limits import limit_of
from portal.proposals.limits import rate_key
from portal.proposals.models import Proposal
from portal.strategy import queries as strategy_queries


def _report(obj: Proposal | Comment, proposal: Proposal, back: str):  # type: ignore[no-untyped-def]
    require("flags.create", obj)
    form = FlagForm()
    if form.validate_on_submit():
        try:
            services.report(obj, current_user, FlagReason(form.reason.data), form.note.data)
        except services.AlreadyReported:
            flash(_("You have already reported this. The moderators will look at it."), "info")
            return redirect(back, 303)
        db.session.commit()
        flash(_("Thank you. The moderators will look at your report."), "success")
        return redirect(back, 303)
    return render_template(
        "flags/report.html",
        strategy=strategy_queries.get_strategy(),
        form=form,
        obj=obj,
        proposal=proposal,
        is_comment=isinstance(obj, Comment),
        back=back,
    )


def _visible_proposal(proposal_id: int) -> Proposal:
    proposal = proposal_queries.get_for_update(proposal_id)
    if proposal is None or not can("proposals.view", proposal):
        abort(404)
    return proposal


@bp.route("/vorschlaege/<int:proposal_id>/melden", methods=["GET", "POST"])
@limiter.shared_limit(limit_of("RATELIMIT_FLAGS"), "flags", key_func=rate_key, methods=["POST"])
def report_proposal(proposal_id: int) -> Any:
    """Report a proposal to the moderators."""
    proposal = _visible_proposal(proposal_id)
    return _report(proposal, proposal, url_for("proposals.detail", proposal_id=proposal.id))


@bp.route("/kommentare/<int:comment_id>/melden", methods=["GET", "POST"])
@limiter.shared_limit(limit_of("RATELIMIT_FLAGS"), "flags", key_func=rate_key, methods=["POST"])
def report_comment(comment_id: int) -> Any:
    """Report a comment to the moderators."""
    comment = comment_queries.get_comment(comment_id)
    if comment is None:
        abort(404)
    proposal = _visible_proposal(comment.proposal_id)
    return _report(
        comment,
        proposal,
        url_for("proposals.detail", proposal_id=proposal.id, _anchor=f"kommentar-{comment.id}"),
    )
