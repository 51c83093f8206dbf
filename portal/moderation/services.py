"""Moderation writes: hide and restore with a reason (the author is told), decisions through the
workflow, merging, bulk actions, answer templates. Services flush; the view commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from enum import StrEnum
from typing import Any

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update

from portal.accounts.models import User
from portal.assessments import services as assessment_services
from portal.audit.services import record
from portal.comments.models import Comment
from portal.core import clock
from portal.core.i18n import _
from portal.core.permissions import can
from portal.core.sanitize import clean_text
from portal.extensions import db
from portal.flags.models import Flag
from portal.flags.models import FlagDecision
from portal.mail.services import queue_mail
from portal.moderation.models import AnswerTemplate
from portal.organisations.models import Department
from portal.proposals import workflow
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus
from portal.proposals.models import ProposalStatusChange
from portal.proposals.workflow import TransitionError

REASON_MAX = 500


class ModerationError(ValueError):
    """A refused moderation action; ``message`` is translated and says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _kind(obj: Proposal | Comment) -> str:
    return "proposal" if isinstance(obj, Proposal) else "comment"


def _close_flags(obj: Proposal | Comment, actor: Any, decision: FlagDecision) -> int:
    target = Flag.proposal_id == obj.id if isinstance(obj, Proposal) else Flag.comment_id == obj.id
    result = db.session.execute(
        update(Flag)
        .where(target, Flag.resolved_at.is_(None))
        .values(resolved_at=clock.now(), resolved_by_id=actor.id, decision=decision)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)


def _proposal_of(obj: Proposal | Comment) -> Proposal:
    if isinstance(obj, Proposal):
        return obj
    proposal = db.session.get(Proposal, obj.proposal_id)
    assert proposal is not None
    return proposal


def _tell_author(obj: Proposal | Comment, template: str, reason: str) -> None:
    """Mail the author why (hidden or shown again); nobody to tell for deleted accounts."""
    if obj.author_id is None:
        return
    author = db.session.get(User, obj.author_id)
    if author is None:
        return
    from portal.notifications.services import absolute_url

    proposal = _proposal_of(obj)
    queue_mail(
        author.email,
        f"moderation/{template}",
        language=author.language or "de",
        user=author,
        kind=_kind(obj),
        proposal=proposal,
        comment=obj if isinstance(obj, Comment) else None,
        reason=reason,
        url=absolute_url("proposals.detail", proposal_id=proposal.id),
        terms_url=absolute_url("pages.show", slug="nutzungsbedingungen"),
    )


def _reason(reason: str | None, *, required: bool) -> str | None:
    text = clean_text(reason)[:REASON_MAX]
    if required and not text:
        raise ModerationError(_("Please give a reason: the author is told why."))
    return text or None


def hide(obj: Proposal | Comment, actor: Any, reason: str | None) -> None:
    """Hide a proposal or comment; open reports are closed as confirmed; the author gets the reason."""
    text = _reason(reason, required=True)
    assert text is not None
    obj.hidden_at = obj.hidden_at or clock.now()
    obj.hidden_reason = text
    db.session.flush()
    reports = _close_flags(obj, actor, FlagDecision.HIDDEN)
    record(f"moderation.{_kind(obj)}_hidden", actor=actor, obj=obj, reason=text, reports=reports or None)
    _tell_author(obj, "hidden", text)


def restore(obj: Proposal | Comment, actor: Any, reason: str | None) -> None:
    """Show a hidden proposal or comment again; open reports are dismissed; the author gets the reason."""
    text = _reason(reason, required=True)
    assert text is not None
    if obj.hidden_at is None:
        raise ModerationError(_("This is not hidden."))
    obj.hidden_at = None
    obj.hidden_reason = None
    db.session.flush()
    reports = _close_flags(obj, actor, FlagDecision.DISMISSED)
    record(f"moderation.{_kind(obj)}_restored", actor=actor, obj=obj, reason=text, reports=reports or None)
    _tell_author(obj, "restored", text)


def dismiss_reports(obj: Proposal | Comment, actor: Any, reason: str | None = None) -> int:
    """Close the open reports of visible content: nothing to do (the author never knew of them)."""
    if obj.hidden_at is not None:
        raise ModerationError(_("This is hidden: show it again with a reason instead."))
    closed = _close_flags(obj, actor, FlagDecision.DISMISSED)
    if not closed:
        raise ModerationError(_("There are no open reports."))
    record(
        f"moderation.{_kind(obj)}_reports_dismissed",
        actor=actor,
        obj=obj,
        reason=_reason(reason, required=False),
        reports=closed,
    )
    return closed


# --- decisions ------------------------------------------------------------------------------


def change_status(
    proposal: Proposal, target: ProposalStatus, actor: Any, answer: str | None
) -> ProposalStatusChange:
    """A decision through the workflow (which checks the edge, the rule and the answer, and notifies)."""
    if target is ProposalStatus.MERGED:
        raise ModerationError(_("Use the merge page to merge proposals."))
    return workflow.transition(proposal, target, actor, clean_text(answer) or None)


def merge(proposal: Proposal, target: Proposal, actor: Any, answer: str | None) -> ProposalStatusChange:
    """Merge a duplicate into ``target``: the workflow unites supports and followers (a person
    counts once); here its comments move to the target and its departments are asked there too."""
    change = workflow.transition(
        proposal, ProposalStatus.MERGED, actor, clean_text(answer) or None, merge_into=target
    )
    moved = db.session.execute(
        update(Comment)
        .where(Comment.proposal_id == proposal.id)
        .values(proposal_id=target.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    for item in (proposal, target):
        count = (
            select(func.count())
            .select_from(Comment)
            .where(Comment.proposal_id == item.id, Comment.deleted_at.is_(None))
            .scalar_subquery()
        )
        db.session.execute(
            update(Proposal).where(Proposal.id == item.id).values(comments_count=count),
            execution_options={"synchronize_session": False},
        )
        db.session.refresh(item, ["comments_count"])
    assessment_services.copy_assignments(proposal, target)
    if moved:
        record("moderation.comments_moved", actor=actor, obj=proposal, merged_into=target.id, comments=moved)
    return change


# --- bulk actions ---------------------------------------------------------------------------


class BulkAction(StrEnum):
    PUBLISH = "publish"
    REVIEW = "review"
    HIDE = "hide"
    RESTORE = "restore"
    DISMISS = "dismiss"
    ASSIGN = "assign"
    #: Not a change: the view opens the statement request form with the checked proposals.
    ASK_STATEMENTS = "ask_statements"


@dataclass
class BulkResult:
    """How many items an action changed, and why the others were left alone."""

    done: int = 0
    refused: list[str] = field(default_factory=list)


def _label(obj: Proposal | Comment) -> str:
    if isinstance(obj, Proposal):
        return _("Proposal %(number)s", number=obj.id)
    return _("Comment %(number)s", number=obj.id)


def bulk(
    action: BulkAction,
    proposals: list[Proposal],
    comments: list[Comment],
    actor: Any,
    *,
    reason: str | None = None,
    department: Department | None = None,
) -> BulkResult:
    """Apply ``action`` to every checked item that allows it; the rest is reported, not failed."""
    result = BulkResult()
    items: list[Proposal | Comment] = [*proposals, *comments]
    if action in (BulkAction.PUBLISH, BulkAction.REVIEW, BulkAction.ASSIGN) and comments:
        result.refused += [
            _("%(item)s: only proposals can be changed this way.", item=_label(c)) for c in comments
        ]
        items = list(proposals)
    for obj in items:
        try:
            with db.session.begin_nested():
                _apply(action, obj, actor, reason, department, result)
        except (TransitionError, ModerationError) as error:
            result.refused.append(f"{_label(obj)}: {error.message}")
    return result


def _apply(
    action: BulkAction,
    obj: Proposal | Comment,
    actor: Any,
    reason: str | None,
    department: Department | None,
    result: BulkResult,
) -> None:
    if action is BulkAction.PUBLISH:
        assert isinstance(obj, Proposal)
        workflow.transition(obj, ProposalStatus.PUBLISHED, actor)
    elif action is BulkAction.REVIEW:
        assert isinstance(obj, Proposal)
        workflow.transition(obj, ProposalStatus.UNDER_REVIEW, actor, clean_text(reason) or None)
    elif action is BulkAction.HIDE:
        if not can("moderation.hide", obj, user=actor):
            raise ModerationError(_("This is already hidden."))
        hide(obj, actor, reason)
    elif action is BulkAction.RESTORE:
        if not can("moderation.restore", obj, user=actor):
            raise ModerationError(_("This is not hidden."))
        restore(obj, actor, reason)
    elif action is BulkAction.DISMISS:
        dismiss_reports(obj, actor, reason)
    elif action is BulkAction.ASK_STATEMENTS:
        raise ModerationError(_("Statement requests are made on their own form."))
    elif action is BulkAction.ASSIGN:
        assert isinstance(obj, Proposal) and department is not None
        if not assessment_services.assign(obj, department, actor):
            raise ModerationError(_("This department is already assigned."))
    result.done += 1


# --- answer templates -----------------------------------------------------------------------


def save_template(
    template: AnswerTemplate | None, title: dict[str, str], text: dict[str, str], actor: Any
) -> AnswerTemplate:
    """Create (``template`` None) or change an answer template."""
    created = template is None
    if template is None:
        position = db.session.scalar(select(func.coalesce(func.max(AnswerTemplate.position), 0))) or 0
        template = AnswerTemplate(position=position + 1)
        db.session.add(template)
    template.title = {code: clean_text(value) for code, value in title.items() if clean_text(value)}
    template.text = {code: clean_text(value) for code, value in text.items() if clean_text(value)}
    db.session.flush()
    record(
        "moderation.template_created" if created else "moderation.template_changed",
        actor=actor,
        obj=template,
        title=template.title.get("de"),
    )
    return template


def delete_template(template: AnswerTemplate, actor: Any) -> None:
    """Delete an answer template (answers given with it stay as they were)."""
    record("moderation.template_deleted", actor=actor, obj=template, title=template.title.get("de"))
    db.session.delete(template)
    db.session.flush()
