"""Reads of statement requests (a fixed number of queries per page)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.proposals.models import Proposal
from portal.proposals.queries import Page
from portal.statements.models import StatementRequest
from portal.statements.models import StatementRequestMunicipality

PER_PAGE = 25


@dataclass
class RequestSummary:
    """A request with how many municipalities were asked, have answered, are overdue."""

    request: StatementRequest
    asked: int
    answered: int
    overdue: int


def list_requests(today: date, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """Requests, the open ones with the nearest deadline first (2 queries)."""
    total = int(db.session.scalar(select(func.count()).select_from(StatementRequest)) or 0)
    page = min(max(1, page), max(1, math.ceil(total / per_page)))
    answered = func.count(StatementRequestMunicipality.answered_at)
    overdue = func.sum(
        case(
            (
                StatementRequestMunicipality.answered_at.is_(None)
                & StatementRequest.closed_at.is_(None)
                & (StatementRequest.deadline < today),
                1,
            ),
            else_=0,
        )
    )
    rows = db.session.execute(
        select(StatementRequest, func.count(StatementRequestMunicipality.id), answered, overdue)
        .outerjoin(
            StatementRequestMunicipality, StatementRequestMunicipality.request_id == StatementRequest.id
        )
        .group_by(StatementRequest.id)
        .order_by(StatementRequest.closed_at.is_not(None), StatementRequest.deadline, StatementRequest.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    items = [RequestSummary(row[0], int(row[1] or 0), int(row[2] or 0), int(row[3] or 0)) for row in rows]
    return Page(items=items, total=total, page=page, per_page=per_page)


def get_request(request_id: int) -> StatementRequest | None:
    """A request with its proposals, asked municipalities and their answers."""
    return db.session.scalar(
        select(StatementRequest)
        .where(StatementRequest.id == request_id)
        .options(
            selectinload(StatementRequest.proposals).selectinload(Proposal.municipality),
            selectinload(StatementRequest.municipalities).selectinload(
                StatementRequestMunicipality.municipality
            ),
            selectinload(StatementRequest.municipalities).selectinload(StatementRequestMunicipality.answers),
        )
    )


def answerable(request: StatementRequest, user: Any) -> list[StatementRequestMunicipality]:
    """The asked municipalities ``user`` may answer for (usually one)."""
    from portal.core.permissions import can

    return [asked for asked in request.municipalities if can("statements.answer", asked, user=user)]


def proposals_by_id(ids: set[int]) -> dict[int, Proposal]:
    """Proposals by id, for the pickers of the request form."""
    if not ids:
        return {}
    return {
        proposal.id: proposal for proposal in db.session.scalars(select(Proposal).where(Proposal.id.in_(ids)))
    }
