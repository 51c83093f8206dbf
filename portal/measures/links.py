"""Measures and the accepted proposals they came from: reading the links, prefilling the form."""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import request
from sqlalchemy import select

from portal.core.i18n import _
from portal.extensions import db
from portal.measures.models import Measure
from portal.measures.models import MeasureStatus
from portal.measures.models import measure_proposals
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus

#: How many proposals one measure form takes in at once.
MAX_PROPOSALS = 20


def _public(stmt: Any) -> Any:
    return stmt.where(Proposal.published_at.is_not(None), Proposal.hidden_at.is_(None))


def proposals_of(measure: Measure | None, *, public_only: bool = True) -> list[Proposal]:
    """The proposals a measure came from (only public ones unless asked otherwise)."""
    if measure is None:
        return []
    stmt = (
        select(Proposal)
        .join(measure_proposals, measure_proposals.c.proposal_id == Proposal.id)
        .where(measure_proposals.c.measure_id == measure.id)
        .order_by(Proposal.id)
    )
    return list(db.session.scalars(_public(stmt) if public_only else stmt))


def proposals_for_concept(measure_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """``{measure_id: [{"id", "title"}]}``: the public source proposals, for the concept (one query)."""
    if not measure_ids:
        return {}
    rows = db.session.execute(
        _public(
            select(measure_proposals.c.measure_id, Proposal.id, Proposal.title)
            .join(Proposal, Proposal.id == measure_proposals.c.proposal_id)
            .where(measure_proposals.c.measure_id.in_(measure_ids))
            .order_by(Proposal.id)
        )
    )
    result: dict[int, list[dict[str, Any]]] = {}
    for measure_id, proposal_id, title in rows:
        result.setdefault(measure_id, []).append({"id": proposal_id, "title": title})
    return result


def measures_for_proposal(proposal_id: int) -> list[tuple[int, str, MeasureStatus]]:
    """``[(id, title, status)]`` of the public measures a proposal became (for its page; one query)."""
    return [
        (row.id, row.title, row.status)
        for row in db.session.execute(
            select(Measure.id, Measure.title, Measure.status)
            .join(measure_proposals, measure_proposals.c.measure_id == Measure.id)
            .where(measure_proposals.c.proposal_id == proposal_id, Measure.is_public.is_(True))
            .order_by(Measure.id)
        )
    ]


def accepted_without_measure(limit: int = 100) -> list[Proposal]:
    """Accepted proposals no measure has taken up yet (for the back office)."""
    linked = select(measure_proposals.c.proposal_id)
    return list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.status == ProposalStatus.ACCEPTED, Proposal.id.not_in(linked))
            .order_by(Proposal.id)
            .limit(limit)
        )
    )


def requested_ids() -> list[int]:
    """Proposal ids named by the request: ``?vorschlag=1&vorschlag=2``, or the form's hidden field."""
    if request.method == "POST":
        raw = [part.strip() for part in (request.form.get("proposal_ids") or "").split(",")]
    else:
        raw = request.args.getlist("vorschlag")
    ids = [int(part) for part in raw if part.isdigit()]
    return list(dict.fromkeys(ids))[:MAX_PROPOSALS]


def accepted_proposals(ids: list[int]) -> list[Proposal]:
    """Those of the proposals that are accepted (others cannot become measures)."""
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.id.in_(ids), Proposal.status == ProposalStatus.ACCEPTED)
            .order_by(Proposal.id)
        )
    )


def prefill(proposals: list[Proposal]) -> dict[str, Any]:
    """Initial data of the measure form from accepted proposals."""
    first = proposals[0]
    if len(proposals) == 1:
        description = first.body
    else:
        description = "\n\n".join(f"**{proposal.title}**\n\n{proposal.body}" for proposal in proposals)
    horizon = Counter(proposal.horizon.value for proposal in proposals).most_common(1)[0][0]
    return {
        "title": first.title,
        "description": description,
        "subgoals": list(dict.fromkeys(proposal.subgoal_id for proposal in proposals)),
        "municipalities": list(
            dict.fromkeys(proposal.municipality_id for proposal in proposals if proposal.municipality_id)
        ),
        "horizon": horizon,
        "status": MeasureStatus.PLANNED.value,
        "progress": 0,
        "is_public": True,
        "proposal_ids": ",".join(str(proposal.id) for proposal in proposals),
    }


def prefill_from_request() -> tuple[dict[str, Any] | None, list[Proposal]]:
    """Initial form data from the accepted proposals the request names, and those proposals."""
    ids = requested_ids()
    proposals = accepted_proposals(ids)
    if ids and len(proposals) < len(ids) and request.method != "POST":
        from flask import flash

        flash(str(_("Only accepted proposals can become measures; the others were left out.")), "warning")
    if not proposals:
        return None, []
    return (prefill(proposals) if request.method != "POST" else None), proposals
