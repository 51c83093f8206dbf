"""Reads for phases and the milestone timeline."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.core import clock
from portal.extensions import db
from portal.process.models import Milestone
from portal.process.models import Phase


def list_phases() -> list[Phase]:
    """All phases in time order."""
    return list(db.session.scalars(select(Phase).order_by(Phase.starts_on, Phase.position)))


def current_phase(phases: list[Phase], day: date | None = None) -> Phase | None:
    """The phase running on ``day`` (today by default), from an already loaded list."""
    day = day or clock.today()
    return next((phase for phase in phases if phase.is_current(day)), None)


def next_phase(phases: list[Phase], day: date | None = None) -> Phase | None:
    """The next phase that has not started yet."""
    day = day or clock.today()
    return next((phase for phase in phases if phase.starts_on > day), None)


def list_milestones() -> list[Milestone]:
    """The decision timeline, oldest first."""
    return list(db.session.scalars(select(Milestone).order_by(Milestone.sort_date, Milestone.position)))
