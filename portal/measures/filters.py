"""Template filters for money and figures (registered app-wide: the concept uses them too)."""

from __future__ import annotations

from portal.measures import bp
from portal.measures.links import measures_for_proposal
from portal.measures.numbers import format_euro
from portal.measures.numbers import format_figure


@bp.app_template_filter("euro")
def euro_filter(cents: int | None) -> str:
    """Cents as a euro amount in the request's language ("1.234 €")."""
    return format_euro(cents)


@bp.app_template_filter("figure")
def figure_filter(value: float | None) -> str:
    """A measured value in the request's language ("12,5")."""
    return format_figure(value)


# The proposal page shows the measures a proposal became (measures/_proposal_measures.html).
bp.add_app_template_global(measures_for_proposal, name="measures_for_proposal")
