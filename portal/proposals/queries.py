"""Reads for proposal lists and pages, with eager loading: each page costs a fixed number of queries."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy import Select
from sqlalchemy import cast
from sqlalchemy import exists
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.comments.models import Comment
from portal.core import clock
from portal.core.permissions import is_moderator
from portal.core.permissions import is_signed_in
from portal.extensions import db
from portal.organisations.models import Municipality
from portal.proposals import search
from portal.proposals.models import Follow
from portal.proposals.models import Horizon
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus
from portal.proposals.models import ProposalStatusChange
from portal.proposals.models import Support

PER_PAGE = 20
#: A prime above any id; random order = (id * m + c) mod P, with m and c from the seed.
_PRIME = 2147483647


class Sort(StrEnum):
    RANDOM = "zufall"
    SUPPORTED = "unterstuetzt"
    NEWEST = "neu"
    DISCUSSED = "diskutiert"


def daily_seed(day: date | None = None) -> int:
    """The default seed of the random order: the same all day, a new one tomorrow."""
    day = day or clock.today()
    return int(day.strftime("%Y%m%d"))


@dataclass(frozen=True)
class ListFilters:
    """What a list shows; parsed from the URL by the view."""

    goal_id: int | None = None
    subgoal_ids: tuple[int, ...] | None = None
    #: A municipality id, 0 for "whole district", None for any.
    municipality_id: int | None = None
    status: ProposalStatus | None = None
    horizon: Horizon | None = None
    query: str = ""
    statements_only: bool = False
    sort: Sort = Sort.RANDOM
    seed: int = field(default_factory=daily_seed)


@dataclass
class Page:
    """One page of a list."""

    items: list[Proposal]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def public_clause() -> Any:
    """Published, not hidden."""
    return Proposal.published_at.is_not(None) & Proposal.hidden_at.is_(None)


def listed_clause() -> Any:
    """Public and shown in lists: merged ones redirect, withdrawn ones show only when asked for."""
    return public_clause() & Proposal.status.not_in([ProposalStatus.MERGED, ProposalStatus.WITHDRAWN])


def _filtered(filters: ListFilters) -> Select[tuple[Proposal]]:
    statement = select(Proposal)
    if filters.status is ProposalStatus.WITHDRAWN:
        statement = statement.where(public_clause(), Proposal.status == ProposalStatus.WITHDRAWN)
    else:
        statement = statement.where(listed_clause())
        if filters.status is not None:
            statement = statement.where(Proposal.status == filters.status)
    if filters.subgoal_ids is not None:
        statement = statement.where(Proposal.subgoal_id.in_(filters.subgoal_ids))
    if filters.municipality_id == 0:
        statement = statement.where(Proposal.municipality_id.is_(None))
    elif filters.municipality_id is not None:
        statement = statement.where(Proposal.municipality_id == filters.municipality_id)
    if filters.horizon is not None:
        statement = statement.where(Proposal.horizon == filters.horizon)
    if filters.statements_only:
        statement = statement.where(
            exists().where(
                Comment.proposal_id == Proposal.id,
                Comment.deleted_at.is_(None),
                Comment.hidden_at.is_(None),
                (Comment.official_municipality_id.is_not(None))
                | (Comment.official_department_id.is_not(None)),
            )
        )
    if filters.query:
        clause = search.matches(filters.query)
        if clause is not None:
            statement = statement.where(clause)
    return statement


def _ordered(statement: Select[tuple[Proposal]], filters: ListFilters) -> Select[tuple[Proposal]]:
    if filters.sort is Sort.SUPPORTED:
        return statement.order_by(Proposal.supports_count.desc(), Proposal.id.desc())
    if filters.sort is Sort.NEWEST:
        return statement.order_by(Proposal.published_at.desc(), Proposal.id.desc())
    if filters.sort is Sort.DISCUSSED:
        return statement.order_by(Proposal.comments_count.desc(), Proposal.id.desc())
    # Random, but stable for a seed: two rounds of (x * m + c) mod P with m and c hashed from the
    # seed give each seed its own permutation; plain integer arithmetic, the same on both databases.
    digest = hashlib.sha256(str(filters.seed).encode()).digest()
    m1, c1, m2, c2 = (int.from_bytes(digest[i : i + 4], "big") % (_PRIME - 1) + 1 for i in range(0, 16, 4))
    key = ((cast(Proposal.id, BigInteger) * m1 + c1) % _PRIME * m2 + c2) % _PRIME
    return statement.order_by(key, Proposal.id)


def list_proposals(filters: ListFilters, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """A page of public proposals (2 queries + 1 for the municipalities of the page)."""
    statement = _filtered(filters)
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    items = list(
        db.session.scalars(
            _ordered(statement, filters)
            .options(selectinload(Proposal.municipality))
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    return Page(items=items, total=total, page=page, per_page=per_page)


def counts_by_subgoal() -> dict[int, int]:
    """Number of listed proposals per Unterziel (one query)."""
    rows = db.session.execute(
        select(Proposal.subgoal_id, func.count()).where(listed_clause()).group_by(Proposal.subgoal_id)
    )
    return {subgoal_id: count for subgoal_id, count in rows}


def get_proposal(proposal_id: int) -> Proposal | None:
    """A proposal with what its page shows: municipality, focus area, author, history."""
    return db.session.scalar(
        select(Proposal)
        .where(Proposal.id == proposal_id)
        .options(
            selectinload(Proposal.municipality),
            selectinload(Proposal.focus_area),
            selectinload(Proposal.author),
            selectinload(Proposal.history),
        )
    )


def get_for_update(proposal_id: int) -> Proposal | None:
    """A proposal for a write (no relationships)."""
    return db.session.get(Proposal, proposal_id)


def similar(value: str, *, exclude_id: int | None = None, limit: int = 5) -> list[Proposal]:
    """Public proposals resembling ``value`` (title and text typed so far), most similar first."""
    ids = [ident for ident in search.similar_ids(value, limit=limit * 3) if ident != exclude_id]
    if not ids:
        return []
    found = {
        proposal.id: proposal
        for proposal in db.session.scalars(
            select(Proposal)
            .where(Proposal.id.in_(ids), listed_clause())
            .options(selectinload(Proposal.municipality))
        )
    }
    return [found[ident] for ident in ids if ident in found][:limit]


@dataclass(frozen=True)
class Relation:
    """How the current user relates to a proposal (for the buttons of its page)."""

    supports: bool = False
    follows: bool = False


def relation(user: Any, proposal: Proposal) -> Relation:
    """Whether ``user`` supports and follows ``proposal`` (one query; none for visitors)."""
    if not is_signed_in(user):
        return Relation()
    row = db.session.execute(
        select(
            exists().where(Support.proposal_id == proposal.id, Support.user_id == user.id),
            exists().where(Follow.proposal_id == proposal.id, Follow.user_id == user.id),
        )
    ).one()
    return Relation(supports=bool(row[0]), follows=bool(row[1]))


def history(proposal: Proposal) -> list[ProposalStatusChange]:
    """The public status history, oldest first (already loaded by :func:`get_proposal`)."""
    return list(proposal.history)


def municipalities() -> list[Municipality]:
    """The district's municipalities in their order (for forms and filters)."""
    return list(db.session.scalars(select(Municipality).order_by(Municipality.position, Municipality.name)))


def own_waiting(user: Any) -> list[Proposal]:
    """The user's proposals that wait for a moderator (pre-moderation)."""
    if not is_signed_in(user):
        return []
    return list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.author_id == user.id, Proposal.published_at.is_(None))
            .order_by(Proposal.id.desc())
        )
    )


def with_filters(filters: ListFilters, **changes: Any) -> ListFilters:
    """A copy of ``filters`` with some values changed."""
    return replace(filters, **changes)


def visible_to(user: Any) -> Any:
    """A clause for proposals ``user`` may open (public, own, or all for moderators)."""
    if is_moderator(user):
        return True
    if is_signed_in(user):
        return public_clause() | (Proposal.author_id == user.id)
    return public_clause()
