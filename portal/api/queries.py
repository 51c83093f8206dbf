"""The few reads the API needs beyond the domains' own queries (counts for a page of proposals).

They build on the domains' definitions of what is public (``proposals.queries.listed_clause``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlalchemy import select

from portal.extensions import db


def comment_counts(proposal_ids: list[int]) -> dict[int, tuple[int, int]]:
    """``{proposal_id: (comments, statements)}``: visible comments (not hidden, not deleted), one query."""
    from portal.comments.models import Comment

    if not proposal_ids:
        return {}
    official = Comment.official_municipality_id.is_not(None) | Comment.official_department_id.is_not(None)
    rows = db.session.execute(
        select(Comment.proposal_id, official.label("official"), func.count(Comment.id))
        .where(
            Comment.proposal_id.in_(proposal_ids),
            Comment.hidden_at.is_(None),
            Comment.deleted_at.is_(None),
        )
        .group_by(Comment.proposal_id, official)
    )
    counts: dict[int, list[int]] = {}
    for proposal_id, is_official, count in rows:
        counts.setdefault(proposal_id, [0, 0])[1 if is_official else 0] += int(count)
    return {key: (value[0], value[1]) for key, value in counts.items()}


def listed_proposal(proposal_id: int) -> Any:
    """A proposal the lists show (published, not hidden, neither merged nor withdrawn), or None.

    Loads what the API shows (municipality, focus area, history); never the author.
    """
    from sqlalchemy.orm import selectinload

    from portal.proposals.models import Proposal
    from portal.proposals.queries import listed_clause

    return db.session.scalar(
        select(Proposal)
        .where(Proposal.id == proposal_id, listed_clause())
        .options(
            selectinload(Proposal.municipality),
            selectinload(Proposal.focus_area),
            selectinload(Proposal.history),
        )
    )
