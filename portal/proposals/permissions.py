"""Who may do what with proposals (role and state together), and why not, in words.

The workflow table names the transition rules registered here. The ``*_refusal`` helpers give
the sentence a page shows instead of a button that would not work.
"""

from __future__ import annotations

from typing import Any

from portal.core.i18n import _
from portal.core.permissions import is_moderator
from portal.core.permissions import is_signed_in
from portal.core.permissions import is_verified
from portal.core.permissions import rule
from portal.core.settings import get_setting
from portal.proposals import phases
from portal.proposals import workflow
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus
from portal.proposals.phases import Action

#: Setting: supporting needs a self-declared municipality of residence in the district.
REQUIRE_RESIDENCE = "supports.require_residence"


class Refusal(str):
    """Why an action is not possible; ``sign_in`` when signing in would make it possible."""

    sign_in: bool = False


def sign_in_refusal(message: str) -> Refusal:
    """A refusal that the page turns into a link to the sign-in page."""
    refusal = Refusal(message)
    refusal.sign_in = True
    return refusal


def is_author(user: Any, proposal: Proposal) -> bool:
    """Signed in and the proposal's author."""
    return is_signed_in(user) and proposal.author_id is not None and proposal.author_id == user.id


def is_visible(user: Any, proposal: Proposal) -> bool:
    """Public, or the author's own, or anything for moderators."""
    return proposal.is_public or is_author(user, proposal) or is_moderator(user)


def _has_edge(proposal: Proposal, target: ProposalStatus) -> bool:
    return workflow.find_edge(proposal.status, target) is not None


def is_resident(user: Any) -> bool:
    """Fulfils the residence rule (when the setting asks for it)."""
    return not get_setting(REQUIRE_RESIDENCE, False) or user.municipality_id is not None


@rule("proposals.view")
def can_view(user: Any, proposal: Proposal) -> bool:
    return is_visible(user, proposal)


@rule("proposals.create")
def can_create(user: Any, _obj: Any = None) -> bool:
    return is_verified(user) and phases.is_open(Action.PROPOSE)


@rule("proposals.edit")
def can_edit(user: Any, proposal: Proposal) -> bool:
    """The author, while nobody has supported or commented on it yet, in the proposal phase."""
    return (
        is_verified(user)
        and is_author(user, proposal)
        and proposal.status in (ProposalStatus.SUBMITTED, ProposalStatus.PUBLISHED)
        and proposal.supports_count == 0
        and proposal.comments_count == 0
        and proposal.hidden_at is None
        and phases.is_open(Action.PROPOSE)
    )


@rule("proposals.withdraw")
def can_withdraw(user: Any, proposal: Proposal) -> bool:
    return is_author(user, proposal) and _has_edge(proposal, ProposalStatus.WITHDRAWN)


@rule("proposals.support")
def can_support(user: Any, proposal: Proposal) -> bool:
    """Support or withdraw one's support: verified (and resident, if the setting says so)."""
    return support_refusal(user, proposal) is None


@rule("proposals.follow")
def can_follow(user: Any, proposal: Proposal) -> bool:
    return is_verified(user) and is_visible(user, proposal)


def _moderates(target: ProposalStatus) -> Any:
    def check(user: Any, proposal: Proposal) -> bool:
        return is_moderator(user) and _has_edge(proposal, target)

    return check


rule("proposals.review")(_moderates(ProposalStatus.UNDER_REVIEW))
rule("proposals.accept")(_moderates(ProposalStatus.ACCEPTED))
rule("proposals.reject")(_moderates(ProposalStatus.REJECTED))
rule("proposals.merge")(_moderates(ProposalStatus.MERGED))


@rule("proposals.reopen")
def can_reopen(user: Any, proposal: Proposal) -> bool:
    return is_moderator(user) and proposal.status is ProposalStatus.REJECTED


@rule("proposals.publish")
def can_publish(user: Any, proposal: Proposal) -> bool:
    """Pre-moderation: a moderator makes a waiting proposal public."""
    return (
        is_moderator(user) and _has_edge(proposal, ProposalStatus.PUBLISHED) and proposal.published_at is None
    )


# --- why not: the sentence shown instead of a button ---------------------------------------


def propose_refusal(user: Any) -> str | None:
    """Why ``user`` cannot propose now, or None."""
    closed = phases.closed_message(Action.PROPOSE)
    if closed:
        return closed
    if not is_signed_in(user):
        return sign_in_refusal(_("Sign in to submit a proposal."))
    if not is_verified(user):
        return _("Confirm your e-mail address to submit proposals.")
    return None


def support_refusal(user: Any, proposal: Proposal) -> str | None:
    """Why ``user`` cannot support ``proposal`` (or withdraw the support) now, or None."""
    if not proposal.is_open or not proposal.is_public:
        return _("This proposal no longer collects supports.")
    closed = phases.closed_message(Action.SUPPORT)
    if closed:
        return closed
    if not is_signed_in(user):
        return sign_in_refusal(_("Sign in to support this proposal."))
    if not is_verified(user):
        return _("Confirm your e-mail address to support proposals.")
    if not is_resident(user):
        return _(
            "Only residents of the district can support proposals: "
            "enter your municipality of residence in your account settings."
        )
    return None
