"""Which participation actions the current phase opens, and how a closed one is explained.

Phases (dated, from the strategy file) decide the time windows; the statuses of proposals are a
separate matter. A closed action is never a dead button: :func:`closed_message` says when it
was or will be open ("Proposals could be submitted until 23 January 2027.").
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from flask import g
from flask import has_app_context
from flask_babel import format_date

from portal.core import clock
from portal.core.i18n import _
from portal.process import queries as process_queries
from portal.process.models import Phase
from portal.process.models import PhaseKind


class Action(StrEnum):
    PROPOSE = "propose"
    COMMENT = "comment"
    SUPPORT = "support"
    STATEMENT = "statement"


#: The actions each kind of phase opens; every other phase keeps them closed.
ACTIONS_BY_PHASE: dict[PhaseKind, frozenset[Action]] = {
    PhaseKind.PROPOSALS: frozenset({Action.PROPOSE, Action.COMMENT, Action.SUPPORT, Action.STATEMENT}),
    PhaseKind.STATEMENTS: frozenset({Action.COMMENT, Action.STATEMENT}),
}


def phases() -> list[Phase]:
    """All phases, loaded once per request."""
    if not has_app_context():
        return process_queries.list_phases()
    if "participation_phases" not in g:
        g.participation_phases = process_queries.list_phases()
    return g.participation_phases


def _opens(phase: Phase, action: Action) -> bool:
    return action in ACTIONS_BY_PHASE.get(phase.kind, frozenset())


def is_open(action: Action, day: date | None = None) -> bool:
    """Whether a phase running on ``day`` (today) opens ``action``."""
    day = day or clock.today()
    return any(_opens(phase, action) and phase.is_current(day) for phase in phases())


def closed_message(action: Action, day: date | None = None) -> str | None:
    """Why ``action`` is closed (with the dates), or None when it is open."""
    day = day or clock.today()
    if is_open(action, day):
        return None
    relevant = [phase for phase in phases() if _opens(phase, action)]
    upcoming = [phase for phase in relevant if phase.starts_on > day]
    past = [phase for phase in relevant if phase.ends_on < day]
    if upcoming:
        start = format_date(min(phase.starts_on for phase in upcoming), "long")
        return _UPCOMING[action](start)
    if past:
        end = format_date(max(phase.ends_on for phase in past), "long")
        return _PAST[action](end)
    return _NEVER[action]()


_PAST = {
    Action.PROPOSE: lambda end: _("Proposals could be submitted until %(date)s.", date=end),
    Action.COMMENT: lambda end: _("Comments could be written until %(date)s.", date=end),
    Action.SUPPORT: lambda end: _("Proposals could be supported until %(date)s.", date=end),
    Action.STATEMENT: lambda end: _("Official statements could be given until %(date)s.", date=end),
}
_UPCOMING = {
    Action.PROPOSE: lambda start: _("Proposals can be submitted from %(date)s.", date=start),
    Action.COMMENT: lambda start: _("Comments can be written from %(date)s.", date=start),
    Action.SUPPORT: lambda start: _("Proposals can be supported from %(date)s.", date=start),
    Action.STATEMENT: lambda start: _("Official statements can be given from %(date)s.", date=start),
}
_NEVER = {
    Action.PROPOSE: lambda: _("Proposals cannot be submitted at the moment."),
    Action.COMMENT: lambda: _("Comments cannot be written at the moment."),
    Action.SUPPORT: lambda: _("Proposals cannot be supported at the moment."),
    Action.STATEMENT: lambda: _("Official statements cannot be given at the moment."),
}
