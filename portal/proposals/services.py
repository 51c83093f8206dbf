"""Writing proposals, supports and follows. Services flush; the view commits once per request."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import delete
from sqlalchemy import exists
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from portal.core import clock
from portal.core.sanitize import clean_text
from portal.core.sanitize import render_markdown
from portal.core.settings import get_setting
from portal.extensions import db
from portal.proposals import search
from portal.proposals import workflow
from portal.proposals.models import CostClass
from portal.proposals.models import Follow
from portal.proposals.models import Horizon
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus
from portal.proposals.models import Support

#: Setting: "post" (default: public at once) or "pre" (public once a moderator publishes it).
MODERATION_MODE = "proposals.moderation_mode"


class ModerationMode(StrEnum):
    POST = "post"
    PRE = "pre"


def moderation_mode() -> ModerationMode:
    """The current moderation mode (post-moderation unless an admin chose otherwise)."""
    try:
        return ModerationMode(get_setting(MODERATION_MODE, ModerationMode.POST.value))
    except ValueError:
        return ModerationMode.POST


@dataclass
class ProposalData:
    """What the form collected; the view has validated it."""

    subgoal_id: int
    focus_area_id: int | None
    title: str
    body: str
    municipality_id: int | None
    horizon: Horizon
    cost_class: CostClass
    image_name: str | None = None
    image_alt: str | None = None
    image_width: int | None = None
    image_height: int | None = None
    #: The language the author wrote in (an interface language code).
    language: str = "de"


def _apply(proposal: Proposal, data: ProposalData) -> None:
    proposal.subgoal_id = data.subgoal_id
    proposal.focus_area_id = data.focus_area_id
    proposal.title = clean_text(data.title)
    proposal.body = clean_text(data.body)
    proposal.body_html = render_markdown(proposal.body)
    proposal.language = data.language
    proposal.municipality_id = data.municipality_id
    proposal.horizon = data.horizon
    proposal.cost_class = data.cost_class
    proposal.image_name = data.image_name
    proposal.image_alt = clean_text(data.image_alt) if data.image_name else None
    proposal.image_width = data.image_width if data.image_name else None
    proposal.image_height = data.image_height if data.image_name else None


def create_proposal(author: Any, data: ProposalData) -> Proposal:
    """A new proposal by ``author``: public at once under post-moderation; the author follows it."""
    proposal = Proposal(author_id=author.id, status=ProposalStatus.SUBMITTED)
    _apply(proposal, data)
    if moderation_mode() is ModerationMode.POST:
        proposal.published_at = clock.now()
    db.session.add(proposal)
    db.session.flush()
    search.index_proposal(proposal)
    follow(proposal, author)
    workflow.record_creation(proposal, author)
    return proposal


def update_proposal(proposal: Proposal, data: ProposalData) -> str | None:
    """Change a proposal's content; returns the name of an image file no longer used, if any."""
    old_image = proposal.image_name
    _apply(proposal, data)
    db.session.flush()
    search.index_proposal(proposal)
    return old_image if old_image and old_image != proposal.image_name else None


def _recount_supports(proposal: Proposal) -> None:
    db.session.refresh(proposal, ["supports_count"])


def _exists(model: type[Support] | type[Follow], proposal_id: int, user_id: int) -> bool:
    return bool(
        db.session.scalar(select(exists().where(model.proposal_id == proposal_id, model.user_id == user_id)))
    )


def support(proposal: Proposal, user: Any) -> bool:
    """Add ``user``'s support; False when it already existed (also when a parallel request won)."""
    if _exists(Support, proposal.id, user.id):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(Support(proposal_id=proposal.id, user_id=user.id))
    except IntegrityError:
        # A double click or a parallel request inserted the same support first: same result.
        return False
    # Atomic increment: concurrent supports by different people each count.
    db.session.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id)
        .values(supports_count=Proposal.supports_count + 1)
        .execution_options(synchronize_session=False)
    )
    _recount_supports(proposal)
    return True


def withdraw_support(proposal: Proposal, user: Any) -> bool:
    """Remove ``user``'s support; False when there was none."""
    result = db.session.execute(
        delete(Support)
        .where(Support.proposal_id == proposal.id, Support.user_id == user.id)
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:
        return False
    db.session.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id, Proposal.supports_count > 0)
        .values(supports_count=Proposal.supports_count - 1)
        .execution_options(synchronize_session=False)
    )
    _recount_supports(proposal)
    return True


def follow(proposal: Proposal, user: Any) -> bool:
    """``user`` follows ``proposal``; False when they already did."""
    if _exists(Follow, proposal.id, user.id):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(Follow(proposal_id=proposal.id, user_id=user.id))
    except IntegrityError:
        return False
    return True


def unfollow(proposal: Proposal, user: Any) -> bool:
    """``user`` stops following; False when they did not follow."""
    result = db.session.execute(
        delete(Follow)
        .where(Follow.proposal_id == proposal.id, Follow.user_id == user.id)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)


def withdraw(proposal: Proposal, author: Any) -> None:
    """The author withdraws the proposal (through the workflow)."""
    workflow.transition(proposal, ProposalStatus.WITHDRAWN, author)
