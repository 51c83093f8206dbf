"""CSV download of the public proposals list (/vorschlaege.csv), with the web list's filters."""

from __future__ import annotations

from typing import Any

from flask import request

from portal.api import bp
from portal.api import queries as api_queries
from portal.api.http import absolute
from portal.core.csv_export import csv_response
from portal.core.i18n import _
from portal.core.i18n import tr
from portal.strategy.queries import get_strategy

#: Far more than any district's proposals: the export is one page, in two queries.
EXPORT_LIMIT = 1_000_000


@bp.get("/vorschlaege.csv")
def proposals_csv():  # type: ignore[no-untyped-def]
    """The proposals the list shows for the same filters and order, as CSV (UTF-8 with BOM)."""
    from flask import abort

    from portal.proposals import queries
    from portal.proposals.views import parse_filters

    strategy = get_strategy()
    if strategy is None:
        abort(404)
    _form, filters, _page = parse_filters(strategy, request.args)
    result = queries.list_proposals(filters, 1, EXPORT_LIMIT)
    counts = api_queries.comment_counts([item.id for item in result.items])
    subgoals = {sub.id: (goal, sub) for goal in strategy.goals for sub in goal.subgoals}
    areas = {area.id: area for goal in strategy.goals for sub in goal.subgoals for area in sub.focus_areas}
    header = [
        _("Proposal number"),
        _("Link"),
        _("Title"),
        _("Sub-goal"),
        _("Main goal"),
        _("Focus area"),
        _("Municipality"),
        _("Time horizon"),
        _("Cost"),
        _("Status"),
        _("Published on"),
        _("Supports"),
        _("Comments"),
        _("Statements"),
    ]
    rows: list[list[Any]] = []
    for item in result.items:
        goal, sub = subgoals[item.subgoal_id]
        comments, statements = counts.get(item.id, (0, 0))
        area = areas.get(item.focus_area_id) if item.focus_area_id else None
        rows.append(
            [
                item.id,
                absolute("proposals.detail", proposal_id=item.id),
                item.title,
                f"{sub.number} {tr(sub.title)}",
                goal.number,
                tr(area.title) if area else "",
                item.municipality.name if item.municipality else _("The whole district"),
                item.horizon.label,
                item.cost_class.label,
                item.status.label,
                item.published_at.date().isoformat() if item.published_at else "",
                item.supports_count,
                comments,
                statements,
            ]
        )
    return csv_response("vorschlaege.csv", header, rows)
