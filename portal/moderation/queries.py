"""Reads of the back office: dashboard counts, the queue's sections, one proposal or comment with
what a moderator needs to decide. Every page costs a fixed number of queries (eager loads, one
batched search for the similar-proposal hints).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import Select
from sqlalchemy import exists
from sqlalchemy import func
from sqlalchemy import literal
from sqlalchemy import literal_column
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy import union_all
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.assessments.models import Assessment
from portal.assessments.models import ProposalDepartment
from portal.comments.models import Comment
from portal.core import clock
from portal.extensions import db
from portal.flags.models import Flag
from portal.moderation.models import AnswerTemplate
from portal.organisations.models import Department
from portal.proposals import search
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus
from portal.proposals.queries import Page
from portal.proposals.workflow import MERGE_TARGET_STATUSES
from portal.statements.models import StatementRequest
from portal.statements.models import StatementRequestMunicipality

PER_PAGE = 25
S = ProposalStatus


class Section(StrEnum):
    """The parts of the one queue (URL values are German)."""

    NEW = "neu"
    REPORTED = "gemeldet"
    DECISION = "entscheidung"
    OVERDUE = "stellungnahmen"


@dataclass(frozen=True)
class QueueFilters:
    """Oberziel/Unterziel (as sub-goal ids), municipality (0: whole district), department."""

    subgoal_ids: tuple[int, ...] | None = None
    municipality_id: int | None = None
    department_id: int | None = None

    @property
    def active(self) -> bool:
        return (
            self.subgoal_ids is not None or self.municipality_id is not None or self.department_id is not None
        )


def new_clause() -> Any:
    """Waiting for pre-moderation: submitted, never public, not hidden."""
    return (Proposal.status == S.SUBMITTED) & Proposal.published_at.is_(None) & Proposal.hidden_at.is_(None)


def decision_clause() -> Any:
    """Public and still open: a moderator has to move it on (review, accept, reject, merge)."""
    return (
        Proposal.published_at.is_not(None)
        & Proposal.hidden_at.is_(None)
        & Proposal.status.in_([S.SUBMITTED, S.PUBLISHED, S.UNDER_REVIEW])
    )


def _filtered(statement: Select[Any], filters: QueueFilters) -> Select[Any]:
    """Restrict a statement that selects from (or joins) proposals."""
    if filters.subgoal_ids is not None:
        statement = statement.where(Proposal.subgoal_id.in_(filters.subgoal_ids))
    if filters.municipality_id == 0:
        statement = statement.where(Proposal.municipality_id.is_(None))
    elif filters.municipality_id is not None:
        statement = statement.where(Proposal.municipality_id == filters.municipality_id)
    if filters.department_id is not None:
        statement = statement.where(
            exists().where(
                ProposalDepartment.proposal_id == Proposal.id,
                ProposalDepartment.department_id == filters.department_id,
            )
        )
    return statement


def _reported(filters: QueueFilters) -> Any:
    """(kind, item id, first report, reports) of everything with open reports, as a subquery."""
    proposals = _filtered(
        select(
            literal("proposal").label("kind"),
            Flag.proposal_id.label("item_id"),
            func.min(Flag.created_at).label("first_at"),
            func.count(Flag.id).label("reports"),
        )
        .join(Proposal, Proposal.id == Flag.proposal_id)
        .where(Flag.resolved_at.is_(None))
        .group_by(Flag.proposal_id),
        filters,
    )
    comments = _filtered(
        select(
            literal("comment").label("kind"),
            Flag.comment_id.label("item_id"),
            func.min(Flag.created_at).label("first_at"),
            func.count(Flag.id).label("reports"),
        )
        .join(Comment, Comment.id == Flag.comment_id)
        .join(Proposal, Proposal.id == Comment.proposal_id)
        .where(Flag.resolved_at.is_(None))
        .group_by(Flag.comment_id),
        filters,
    )
    return union_all(proposals, comments).subquery("reported")


def _overdue(filters: QueueFilters, today: date) -> Select[Any]:
    statement = (
        select(StatementRequestMunicipality)
        .join(StatementRequest, StatementRequest.id == StatementRequestMunicipality.request_id)
        .where(
            StatementRequestMunicipality.answered_at.is_(None),
            StatementRequest.closed_at.is_(None),
            StatementRequest.deadline < today,
        )
    )
    if filters.municipality_id:
        statement = statement.where(StatementRequestMunicipality.municipality_id == filters.municipality_id)
    return statement


def _count(statement: Select[Any]) -> int:
    return int(db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0)


def section_counts(filters: QueueFilters | None = None) -> dict[Section, int]:
    """How many items each section holds (4 queries)."""
    filters = filters or QueueFilters()
    reported = _reported(filters)
    return {
        Section.NEW: _count(_filtered(select(Proposal.id).where(new_clause()), filters)),
        Section.REPORTED: int(db.session.scalar(select(func.count()).select_from(reported)) or 0),
        Section.DECISION: _count(_filtered(select(Proposal.id).where(decision_clause()), filters)),
        Section.OVERDUE: _count(_overdue(filters, clock.today())),
    }


def _page(total: int, page: int, per_page: int) -> int:
    return min(max(1, page), max(1, math.ceil(total / per_page)))


@dataclass
class ReportedItem:
    """Something with open reports: a proposal, or a comment with its proposal."""

    kind: str
    obj: Proposal | Comment
    proposal: Proposal
    reports: int
    flags: list[Flag]


def _proposal_options() -> list[Any]:
    return [selectinload(Proposal.municipality), selectinload(Proposal.author)]


def list_proposals(section: Section, filters: QueueFilters, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """A page of the "new" or "decision" section, oldest first (2 queries + 2 eager loads)."""
    clause = new_clause() if section is Section.NEW else decision_clause()
    statement = _filtered(select(Proposal).where(clause), filters)
    total = _count(statement)
    page = _page(total, page, per_page)
    order = (
        (Proposal.created_at, Proposal.id) if section is Section.NEW else (Proposal.published_at, Proposal.id)
    )
    items = list(
        db.session.scalars(
            statement.options(*_proposal_options())
            .order_by(*order)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    return Page(items=items, total=total, page=page, per_page=per_page)


def list_reported(filters: QueueFilters, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """A page of reported proposals and comments, the longest-waiting first (5 queries)."""
    reported = _reported(filters)
    total = int(db.session.scalar(select(func.count()).select_from(reported)) or 0)
    page = _page(total, page, per_page)
    rows = db.session.execute(
        select(reported.c.kind, reported.c.item_id, reported.c.reports)
        .order_by(reported.c.first_at, reported.c.kind, reported.c.item_id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    comment_ids = [row.item_id for row in rows if row.kind == "comment"]
    comments = (
        {
            comment.id: comment
            for comment in db.session.scalars(
                select(Comment).where(Comment.id.in_(comment_ids)).options(selectinload(Comment.author))
            )
        }
        if comment_ids
        else {}
    )
    proposal_ids = {row.item_id for row in rows if row.kind == "proposal"} | {
        c.proposal_id for c in comments.values()
    }
    proposals = (
        {
            proposal.id: proposal
            for proposal in db.session.scalars(
                select(Proposal).where(Proposal.id.in_(proposal_ids)).options(*_proposal_options())
            )
        }
        if proposal_ids
        else {}
    )
    flags: dict[tuple[str, int], list[Flag]] = defaultdict(list)
    if rows:
        flag_rows = db.session.scalars(
            select(Flag)
            .where(
                Flag.resolved_at.is_(None),
                Flag.proposal_id.in_([row.item_id for row in rows if row.kind == "proposal"])
                | Flag.comment_id.in_(comment_ids),
            )
            .order_by(Flag.created_at, Flag.id)
        )
        for flag in flag_rows:
            key = ("proposal", flag.proposal_id) if flag.proposal_id else ("comment", flag.comment_id)
            flags[key].append(flag)  # type: ignore[index]
    items = []
    for row in rows:
        obj: Proposal | Comment | None = (
            proposals.get(row.item_id) if row.kind == "proposal" else comments.get(row.item_id)
        )
        if obj is None:
            continue
        proposal = obj if isinstance(obj, Proposal) else proposals[obj.proposal_id]
        items.append(ReportedItem(row.kind, obj, proposal, row.reports, flags[(row.kind, row.item_id)]))
    return Page(items=items, total=total, page=page, per_page=per_page)


def list_overdue(filters: QueueFilters, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """A page of municipalities whose statement is overdue, the oldest deadline first (3 queries)."""
    statement = _overdue(filters, clock.today())
    total = _count(statement)
    page = _page(total, page, per_page)
    items = list(
        db.session.scalars(
            statement.options(
                contains_eager(StatementRequestMunicipality.request),
                selectinload(StatementRequestMunicipality.municipality),
            )
            .order_by(StatementRequest.deadline, StatementRequestMunicipality.id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    return Page(items=items, total=total, page=page, per_page=per_page)


def departments_of(proposal_ids: list[int]) -> dict[int, list[Department]]:
    """The departments assigned to each proposal (one query)."""
    result: dict[int, list[Department]] = defaultdict(list)
    if not proposal_ids:
        return result
    rows = db.session.execute(
        select(ProposalDepartment.proposal_id, Department)
        .join(Department, Department.id == ProposalDepartment.department_id)
        .where(ProposalDepartment.proposal_id.in_(proposal_ids))
        .order_by(Department.position, Department.id)
    )
    for proposal_id, department in rows:
        result[proposal_id].append(department)
    return result


def departments() -> list[Department]:
    """All departments in their order (for filters and forms)."""
    return list(db.session.scalars(select(Department).order_by(Department.position, Department.id)))


# --- similar proposals (possible duplicates) -------------------------------------------------


_FTS_SIMILAR = (
    "SELECT * FROM (SELECT {source} AS source, rowid AS found FROM fts_proposals WHERE fts_proposals "
    "MATCH :m{number} AND rowid != {source} ORDER BY bm25(fts_proposals) LIMIT {limit})"
)


def _similar_statement(items: list[Proposal], limit: int) -> Any:
    """One statement finding, for every item, the ids of proposals sharing words with it."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        document = search._document()
        parts = []
        for proposal in items:
            plain = list(dict.fromkeys(search.words(f"{proposal.title} {proposal.body}")))[:30]
            if not plain:
                continue
            query = func.to_tsquery(literal_column("'german'::regconfig"), " | ".join(plain))
            found = (
                select(literal(proposal.id).label("source"), Proposal.id.label("found"))
                .where(document.op("@@")(query), Proposal.id != proposal.id)
                .order_by(func.ts_rank(document, query).desc())
                .limit(limit)
                .subquery()
            )
            parts.append(select(found.c.source, found.c.found))
        return union_all(*parts) if parts else None
    selects = []
    params: dict[str, Any] = {}
    for number, proposal in enumerate(items):
        terms = list(dict.fromkeys(search.stems(f"{proposal.title} {proposal.body}")))[:30]
        if not terms:
            continue
        params[f"m{number}"] = " OR ".join(f'"{term}"' for term in terms)
        # Ids and limits are integers from the database, not user input; the text is a parameter.
        selects.append(_FTS_SIMILAR.format(source=int(proposal.id), number=number, limit=int(limit)))
    return text(" UNION ALL ".join(selects)).bindparams(**params) if selects else None


def similar_for(items: list[Proposal], limit: int = 3) -> dict[int, list[Proposal]]:
    """Possible duplicates of each item: public proposals one could merge into (2 queries at most)."""
    result: dict[int, list[Proposal]] = defaultdict(list)
    statement = _similar_statement(items, limit * 3) if items else None
    if statement is None:
        return result
    pairs = [(row[0], row[1]) for row in db.session.execute(statement)]
    found_ids = {found for _source, found in pairs}
    if not found_ids:
        return result
    candidates = {
        proposal.id: proposal
        for proposal in db.session.scalars(
            select(Proposal).where(
                Proposal.id.in_(found_ids),
                Proposal.published_at.is_not(None),
                Proposal.hidden_at.is_(None),
                Proposal.status.in_(list(MERGE_TARGET_STATUSES)),
            )
        )
    }
    for source, found in pairs:
        if found in candidates and len(result[source]) < limit:
            result[source].append(candidates[found])
    return result


# --- one proposal or comment ---------------------------------------------------------------


def get_proposal(proposal_id: int) -> Proposal | None:
    """A proposal with what its moderation page shows."""
    return db.session.scalar(
        select(Proposal)
        .where(Proposal.id == proposal_id)
        .options(
            selectinload(Proposal.municipality),
            selectinload(Proposal.author),
            selectinload(Proposal.focus_area),
            selectinload(Proposal.history),
        )
    )


def get_comment(comment_id: int) -> Comment | None:
    """A comment with its author."""
    return db.session.scalar(
        select(Comment).where(Comment.id == comment_id).options(selectinload(Comment.author))
    )


def flags_of(obj: Proposal | Comment) -> list[Flag]:
    """Every report of ``obj``, open ones first, newest first."""
    target = Flag.proposal_id == obj.id if isinstance(obj, Proposal) else Flag.comment_id == obj.id
    return list(
        db.session.scalars(
            select(Flag)
            .where(target)
            .order_by(Flag.resolved_at.is_not(None), Flag.created_at.desc(), Flag.id.desc())
        )
    )


def assignments_of(proposal_id: int) -> list[ProposalDepartment]:
    """The proposal's department assignments with their departments."""
    return list(
        db.session.scalars(
            select(ProposalDepartment)
            .where(ProposalDepartment.proposal_id == proposal_id)
            .options(selectinload(ProposalDepartment.department))
            .order_by(ProposalDepartment.id)
        )
    )


def assessments_of(proposal_id: int, department_ids: set[int] | None = None) -> list[Assessment]:
    """Assessments of a proposal (only of ``department_ids`` when given)."""
    statement = (
        select(Assessment)
        .where(Assessment.proposal_id == proposal_id)
        .options(selectinload(Assessment.department))
        .order_by(Assessment.department_id)
    )
    if department_ids is not None:
        statement = statement.where(Assessment.department_id.in_(department_ids))
    return list(db.session.scalars(statement))


def users_by_id(ids: set[int | None]) -> dict[int, User]:
    """Users (actors of history rows, authors) by id, in one query."""
    wanted = {ident for ident in ids if ident is not None}
    if not wanted:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(wanted)))}


def templates() -> list[AnswerTemplate]:
    """All answer templates in their order."""
    return list(
        db.session.scalars(select(AnswerTemplate).order_by(AnswerTemplate.position, AnswerTemplate.id))
    )


def merge_candidate(number: int | None, proposal: Proposal) -> Proposal | None:
    """The proposal a moderator typed the number of, if it exists (the workflow checks the rest)."""
    if number is None or number == proposal.id:
        return None
    return db.session.get(Proposal, number)


def awaiting_assessment_count(department_ids: set[int]) -> int:
    """Proposals assigned to these departments that have no assessment of them yet."""
    if not department_ids:
        return 0
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(ProposalDepartment)
            .where(
                ProposalDepartment.department_id.in_(department_ids),
                ~exists().where(
                    Assessment.proposal_id == ProposalDepartment.proposal_id,
                    Assessment.department_id == ProposalDepartment.department_id,
                ),
            )
        )
        or 0
    )
