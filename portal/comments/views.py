"""Posting, replying, editing and deleting comments; errors re-render the proposal page."""

from __future__ import annotations

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_login import current_user

from portal.comments import bp
from portal.comments import queries
from portal.comments import services
from portal.comments.forms import PERSONAL
from portal.comments.forms import CommentForm
from portal.comments.forms import EditCommentForm
from portal.comments.models import Comment
from portal.comments.services import Voice
from portal.core.i18n import _
from portal.core.permissions import can
from portal.core.permissions import require
from portal.extensions import db
from portal.extensions import limiter
from portal.proposals import queries as proposal_queries
from portal.proposals.forms import EmptyForm
from portal.proposals.limits import limit_of
from portal.proposals.limits import rate_key
from portal.proposals.models import Proposal
from portal.strategy import queries as strategy_queries


def _proposal_or_404(proposal_id: int) -> Proposal:
    proposal = proposal_queries.get_proposal(proposal_id)
    if proposal is None or not can("proposals.view", proposal):
        abort(404)
    return proposal


def _comment_or_404(comment_id: int) -> tuple[Comment, Proposal]:
    comment = queries.get_comment(comment_id)
    if comment is None:
        abort(404)
    return comment, _proposal_or_404(comment.proposal_id)


def _voice(form: CommentForm) -> Voice:
    value = form.voice.data or PERSONAL
    kind, _sep, ident = value.partition(":")
    if kind == "m":
        return Voice(municipality_id=int(ident))
    if kind == "d":
        return Voice(department_id=int(ident))
    return Voice()


def _anchor(comment: Comment):  # type: ignore[no-untyped-def]
    return redirect(
        url_for("proposals.detail", proposal_id=comment.proposal_id, _anchor=f"kommentar-{comment.id}"), 303
    )


@bp.post("/vorschlaege/<int:proposal_id>/kommentare")
@limiter.shared_limit(limit_of("RATELIMIT_COMMENTS"), "comments", key_func=rate_key)
def create(proposal_id: int):  # type: ignore[no-untyped-def]
    """A comment, or an official statement when written as a municipality or department."""
    from portal.proposals.views import render_detail

    proposal = _proposal_or_404(proposal_id)
    require("comments.create", proposal)
    form = CommentForm()
    form.set_voices(queries.voices(current_user) if can("comments.statement", proposal) else [])
    if not form.validate():
        return render_detail(proposal, comment_form=form)
    comment = services.post_comment(
        proposal, current_user, form.body.data or "", voice=_voice(form), language=form.language.data
    )
    db.session.commit()
    published = _("Your statement has been published.") if comment.is_official else None
    flash(published or _("Your comment has been published."), "success")
    return _anchor(comment)


@bp.post("/kommentare/<int:comment_id>/antworten")
@limiter.shared_limit(limit_of("RATELIMIT_COMMENTS"), "comments", key_func=rate_key)
def reply(comment_id: int):  # type: ignore[no-untyped-def]
    """A reply to a top-level comment."""
    from portal.proposals.views import render_detail

    parent, proposal = _comment_or_404(comment_id)
    require("comments.create", proposal)
    require("comments.reply", parent)
    form = CommentForm(prefix="reply")
    form.set_voices([])
    if not form.validate():
        return render_detail(proposal, reply_form=form, reply_to=parent.id)
    comment = services.post_comment(
        proposal, current_user, form.body.data or "", parent=parent, language=form.language.data
    )
    db.session.commit()
    flash(_("Your reply has been published."), "success")
    return _anchor(comment)


@bp.route("/kommentare/<int:comment_id>/bearbeiten", methods=["GET", "POST"])
@limiter.shared_limit(limit_of("RATELIMIT_COMMENTS"), "comments", key_func=rate_key, methods=["POST"])
def edit(comment_id: int):  # type: ignore[no-untyped-def]
    """The author changes the text within the edit window."""
    comment, proposal = _comment_or_404(comment_id)
    require("comments.edit", comment)
    form = EditCommentForm(data={"body": comment.body, "language": comment.language})
    if form.validate_on_submit():
        services.edit_comment(comment, form.body.data or "", form.language.data)
        db.session.commit()
        flash(_("Your comment has been changed."), "success")
        return _anchor(comment)
    return render_template(
        "comments/edit.html",
        strategy=strategy_queries.get_strategy(),
        comment=comment,
        proposal=proposal,
        form=form,
    )


@bp.route("/kommentare/<int:comment_id>/loeschen", methods=["GET", "POST"])
def delete(comment_id: int):  # type: ignore[no-untyped-def]
    """The author deletes a comment, after confirming."""
    comment, proposal = _comment_or_404(comment_id)
    require("comments.delete", comment)
    form = EmptyForm()
    if form.validate_on_submit():
        services.delete_comment(comment)
        db.session.commit()
        flash(_("Your comment has been deleted."), "success")
        return redirect(url_for("proposals.detail", proposal_id=proposal.id, _anchor="comments-heading"), 303)
    return render_template(
        "comments/delete.html",
        strategy=strategy_queries.get_strategy(),
        comment=comment,
        proposal=proposal,
        form=form,
    )
