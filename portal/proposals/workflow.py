"""The proposal workflow: the ONE table of allowed status transitions (DESIGN.md), and :func:`transition`.

Each edge names the permission rule that decides who may take it (the rules live in
``portal/proposals/permissions.py`` and check role *and* state) and whether a public answer is
required. :func:`transition` is the only code that changes a proposal's status after creation: it
checks the edge, the rule and the answer, writes the history row, an audit event for moderator
actions, and sends ``proposal_status_changed`` (notifications listen to it). It flushes, never
commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import literal
from sqlalchemy import select
from sqlalchemy import update

from portal.core import clock
from portal.core.i18n import _
from portal.core.permissions import can
from portal.core.signals import proposal_status_changed
from portal.extensions import db
from portal.proposals.models import Follow
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus
from portal.proposals.models import ProposalStatusChange
from portal.proposals.models import Support

S = ProposalStatus


class Answer(StrEnum):
    NONE = "none"  # no answer is asked for
    OPTIONAL = "optional"  # a note may be given
    REQUIRED = "required"  # a public answer must be given


@dataclass(frozen=True)
class Edge:
    """An allowed transition: from ``source`` (None: a new proposal) to ``target``."""

    source: ProposalStatus | None
    target: ProposalStatus
    rule: str
    answer: Answer
    #: Taken by the back office: recorded in the audit log.
    moderator: bool


_OPEN = (S.SUBMITTED, S.PUBLISHED, S.UNDER_REVIEW)

#: DESIGN.md "Proposal workflow", row by row: (from, to, rule, answer, moderator action?).
#: Publishing is for pre-moderation only: its rule also requires that the proposal is not public yet.
_ROWS: tuple[tuple[tuple[ProposalStatus | None, ...], ProposalStatus, str, Answer, bool], ...] = (
    ((None,), S.SUBMITTED, "proposals.create", Answer.NONE, False),
    ((S.SUBMITTED,), S.PUBLISHED, "proposals.publish", Answer.NONE, True),
    ((S.SUBMITTED, S.PUBLISHED), S.UNDER_REVIEW, "proposals.review", Answer.OPTIONAL, True),
    ((S.UNDER_REVIEW,), S.ACCEPTED, "proposals.accept", Answer.REQUIRED, True),
    (_OPEN, S.REJECTED, "proposals.reject", Answer.REQUIRED, True),
    (_OPEN, S.MERGED, "proposals.merge", Answer.REQUIRED, True),
    (_OPEN, S.WITHDRAWN, "proposals.withdraw", Answer.NONE, False),
    ((S.REJECTED,), S.UNDER_REVIEW, "proposals.reopen", Answer.REQUIRED, True),
)
TRANSITIONS: tuple[Edge, ...] = tuple(
    Edge(source, target, rule_name, answer, moderator)
    for sources, target, rule_name, answer, moderator in _ROWS
    for source in sources
)

#: No edge leaves these (a rejected proposal may only be reopened by a moderator).
FINAL_STATUSES = frozenset({S.ACCEPTED, S.REJECTED, S.MERGED, S.WITHDRAWN})
#: A proposal may be merged into one of these.
MERGE_TARGET_STATUSES = frozenset({S.SUBMITTED, S.PUBLISHED, S.UNDER_REVIEW, S.ACCEPTED})

_BY_PAIR = {(edge.source, edge.target): edge for edge in TRANSITIONS}


def find_edge(source: ProposalStatus | None, target: ProposalStatus) -> Edge | None:
    """The edge from ``source`` to ``target``, or None when the workflow has none."""
    return _BY_PAIR.get((source, target))


def targets_from(source: ProposalStatus | None) -> list[ProposalStatus]:
    """The statuses a proposal in ``source`` may move to (whoever may do it)."""
    return [edge.target for edge in TRANSITIONS if edge.source == source]


class TransitionError(ValueError):
    """A refused transition; ``message`` is translated and tells the user why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TransitionForbidden(TransitionError):
    """The edge exists, but this user may not take it."""


def record_creation(proposal: Proposal, actor: Any) -> ProposalStatusChange:
    """History row and signal for a new proposal (the edge "(new) → submitted")."""
    change = ProposalStatusChange(
        proposal=proposal, from_status=None, to_status=S.SUBMITTED, actor_id=actor.id
    )
    db.session.add(change)
    db.session.flush()
    proposal_status_changed.send(proposal, change=change, actor=actor)
    return change


def transition(
    proposal: Proposal,
    to: ProposalStatus,
    actor: Any,
    answer: str | None = None,
    *,
    merge_into: Proposal | None = None,
) -> ProposalStatusChange:
    """Move ``proposal`` to ``to`` on behalf of ``actor``; raises :class:`TransitionError` if refused."""
    source = proposal.status
    edge = find_edge(source, to)
    if edge is None or edge.source is None:
        raise TransitionError(
            _(
                "A proposal with the status “%(source)s” cannot be changed to “%(target)s”.",
                source=source.label,
                target=to.label,
            )
        )
    if to is S.PUBLISHED and proposal.published_at is not None:
        raise TransitionError(_("This proposal is already public."))
    if not can(edge.rule, proposal, user=actor):
        raise TransitionForbidden(
            _("You are not allowed to change this proposal to “%(target)s”.", target=to.label)
        )
    answer = (answer or "").strip() or None
    if edge.answer is Answer.REQUIRED and not answer:
        raise TransitionError(
            _("Please give a public answer: it is required for the status “%(target)s”.", target=to.label)
        )
    if edge.answer is Answer.NONE:
        answer = None
    if to is S.MERGED:
        _check_merge_target(proposal, merge_into)
    elif merge_into is not None:
        raise TransitionError(_("Only a merge names another proposal."))

    proposal.status = to
    if to is not S.SUBMITTED and proposal.published_at is None:
        # Every status after "submitted" is public (pre-moderation: the first decision publishes).
        proposal.published_at = clock.now()
    if to is S.MERGED:
        assert merge_into is not None
        proposal.merged_into_id = merge_into.id
    change = ProposalStatusChange(
        proposal_id=proposal.id, from_status=source, to_status=to, actor_id=actor.id, answer=answer
    )
    db.session.add(change)
    db.session.flush()
    if to is S.MERGED:
        assert merge_into is not None
        _carry_over(proposal, merge_into)
    if edge.moderator:
        from portal.audit.services import record

        record(
            f"proposals.{to.value}",
            actor=actor,
            obj=proposal,
            reason=answer,
            from_status=source.value,
            to_status=to.value,
            merged_into=merge_into.id if merge_into is not None else None,
        )
    proposal_status_changed.send(proposal, change=change, actor=actor)
    return change


def _check_merge_target(proposal: Proposal, target: Proposal | None) -> None:
    if target is None:
        raise TransitionError(_("Choose the proposal to merge this one into."))
    if target.id == proposal.id:
        raise TransitionError(_("A proposal cannot be merged into itself."))
    if target.status not in MERGE_TARGET_STATUSES:
        raise TransitionError(
            _(
                "A proposal cannot be merged into one with the status “%(status)s”.",
                status=target.status.label,
            )
        )
    if target.published_at is None:
        raise TransitionError(_("A proposal can only be merged into a public proposal."))


def _carry_over(source: Proposal, target: Proposal) -> None:
    """Merging keeps supports and followers: a person who supported both counts once."""
    for model in (Support, Follow):
        already = select(model.user_id).where(model.proposal_id == target.id)
        db.session.execute(
            insert(model).from_select(
                ["proposal_id", "user_id", "created_at"],
                select(literal(target.id), model.user_id, model.created_at).where(
                    model.proposal_id == source.id, model.user_id.not_in(already)
                ),
            )
        )
    count = (
        select(func.count()).select_from(Support).where(Support.proposal_id == target.id).scalar_subquery()
    )
    db.session.execute(
        update(Proposal).where(Proposal.id == target.id).values(supports_count=count),
        execution_options={"synchronize_session": False},
    )
    db.session.refresh(target, ["supports_count"])
