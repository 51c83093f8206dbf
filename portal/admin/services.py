"""Administration writes: strategy texts, phases, milestones and their documents, municipalities,
departments, settings. Every change is audited. Services flush; the view commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy import select

from portal.admin.models import MilestoneDocument
from portal.audit.services import record
from portal.core.db import Translations
from portal.core.settings import get_setting
from portal.core.settings import set_setting
from portal.extensions import db
from portal.organisations.models import Department
from portal.organisations.models import Municipality
from portal.organisations.models import MunicipalityKind
from portal.process.dates import parse_date_spec
from portal.process.models import Milestone
from portal.process.models import Phase
from portal.process.models import PhaseKind
from portal.strategy.models import FocusArea
from portal.strategy.models import Goal
from portal.strategy.models import Strategy
from portal.strategy.models import SubGoal

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slugify(text: str) -> str:
    """ "Stadt Königslutter am Elm" → "stadt-koenigslutter-am-elm"."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower().translate(_UMLAUTS)).strip("-")
    return slug[:60] or "eintrag"


def unique_key(model: type, text: str) -> str:
    """A key for a new row that no other row of ``model`` has (suffix -2, -3, ...)."""
    base = slugify(text)
    taken = set(db.session.scalars(select(model.key).where(model.key.like(f"{base}%"))))  # type: ignore[attr-defined]
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key


# --- strategy -------------------------------------------------------------------------------


def update_strategy(strategy: Strategy, values: dict[str, Any], actor: Any) -> None:
    """Change the strategy's texts (region name, title, motto, mission statement) and horizon year."""
    for name, value in values.items():
        setattr(strategy, name, value)
    db.session.flush()
    record("admin.strategy_changed", actor=actor, obj=strategy, fields=sorted(values))


def update_goal(goal: Goal, title: Translations, text: Translations, actor: Any) -> None:
    """Change an Oberziel's title and text."""
    goal.title, goal.text = title, text
    db.session.flush()
    record("admin.goal_changed", actor=actor, obj=goal, number=goal.number)


def update_subgoal(
    subgoal: SubGoal, title: Translations, text: Translations, focus: list[Translations], actor: Any
) -> None:
    """Change an Unterziel's texts and focus areas; focus areas are matched by their position, so
    proposals keep theirs when a title is corrected; removed ones leave their proposals without."""
    subgoal.title, subgoal.text = title, text
    existing = sorted(subgoal.focus_areas, key=lambda area: area.position)
    for position, titles in enumerate(focus):
        if position < len(existing):
            existing[position].title = titles
        else:
            subgoal.focus_areas.append(FocusArea(position=position, title=titles))
    for area in existing[len(focus) :]:
        subgoal.focus_areas.remove(area)
        db.session.delete(area)
    db.session.flush()
    record("admin.subgoal_changed", actor=actor, obj=subgoal, number=subgoal.number, focus_areas=len(focus))


# --- phases ---------------------------------------------------------------------------------


@dataclass
class PhaseData:
    kind: PhaseKind
    title: Translations
    description: Translations
    starts_on: date
    ends_on: date


def overlapping_phase(starts_on: date, ends_on: date, exclude_id: int | None = None) -> Phase | None:
    """A phase whose days overlap [starts_on, ends_on] (both inclusive), other than ``exclude_id``."""
    statement = (
        select(Phase).where(Phase.starts_on <= ends_on, Phase.ends_on >= starts_on).order_by(Phase.starts_on)
    )
    if exclude_id is not None:
        statement = statement.where(Phase.id != exclude_id)
    return db.session.scalars(statement.limit(1)).first()


def save_phase(phase: Phase | None, data: PhaseData, actor: Any) -> Phase:
    """Create or change a phase (the view has checked the dates and overlaps)."""
    created = phase is None
    if phase is None:
        phase = Phase(key=unique_key(Phase, data.title.get("de", "phase")))
    phase.kind, phase.title, phase.description = data.kind, data.title, data.description
    phase.starts_on, phase.ends_on = data.starts_on, data.ends_on
    db.session.add(phase)
    db.session.flush()
    _renumber_phases()
    record(
        "admin.phase_created" if created else "admin.phase_changed",
        actor=actor,
        obj=phase,
        starts_on=data.starts_on.isoformat(),
        ends_on=data.ends_on.isoformat(),
    )
    return phase


def _renumber_phases() -> None:
    for position, phase in enumerate(db.session.scalars(select(Phase).order_by(Phase.starts_on, Phase.id))):
        phase.position = position
    db.session.flush()


def delete_phase(phase: Phase, actor: Any) -> None:
    """Remove a phase (the actions it opened close on its dates)."""
    record("admin.phase_deleted", actor=actor, obj=phase, title=phase.title.get("de"))
    db.session.delete(phase)
    db.session.flush()


# --- milestones and documents ---------------------------------------------------------------


@dataclass
class MilestoneData:
    date_spec: str
    title: Translations
    body: Translations
    reference: str | None


def save_milestone(milestone: Milestone | None, data: MilestoneData, actor: Any) -> Milestone:
    """Create or change an entry of the decision timeline."""
    created = milestone is None
    spec = data.date_spec.strip()
    if milestone is None:
        position = (db.session.scalar(select(func.max(Milestone.position))) or 0) + 1
        milestone = Milestone(
            key=unique_key(Milestone, f"{spec}-{data.title.get('de', '')}"), position=position
        )
        db.session.add(milestone)
    milestone.date_spec = spec
    milestone.sort_date = parse_date_spec(spec).first
    milestone.title, milestone.body = data.title, data.body
    milestone.reference = data.reference or None
    db.session.flush()
    record(
        "admin.milestone_created" if created else "admin.milestone_changed",
        actor=actor,
        obj=milestone,
        date=spec,
    )
    return milestone


def delete_milestone(milestone: Milestone, actor: Any) -> list[str]:
    """Remove a milestone with its documents; returns the stored files to delete after the commit."""
    files = [
        name
        for name in db.session.scalars(
            select(MilestoneDocument.file_name).where(
                MilestoneDocument.milestone_id == milestone.id, MilestoneDocument.file_name.is_not(None)
            )
        )
        if name
    ]
    record("admin.milestone_deleted", actor=actor, obj=milestone, title=milestone.title.get("de"))
    db.session.execute(db.delete(MilestoneDocument).where(MilestoneDocument.milestone_id == milestone.id))
    db.session.delete(milestone)
    db.session.flush()
    return files


def add_document(
    milestone: Milestone,
    title: Translations,
    actor: Any,
    *,
    file_name: str | None = None,
    download_name: str | None = None,
    size: int | None = None,
    url: str | None = None,
) -> MilestoneDocument:
    """Attach a stored PDF (``file_name``) or a link (``url``) to a milestone."""
    position = db.session.scalar(
        select(func.coalesce(func.max(MilestoneDocument.position), 0)).where(
            MilestoneDocument.milestone_id == milestone.id
        )
    )
    document = MilestoneDocument(
        milestone_id=milestone.id,
        title=title,
        file_name=file_name,
        download_name=download_name,
        size=size,
        url=url.strip() if url else None,
        position=(position or 0) + 1,
    )
    db.session.add(document)
    db.session.flush()
    record("admin.document_added", actor=actor, obj=milestone, document=document.id, link=document.url)
    return document


def delete_document(document: MilestoneDocument, actor: Any) -> str | None:
    """Remove a document; returns its stored file to delete after the commit."""
    record("admin.document_removed", actor=actor, obj=document, milestone=document.milestone_id)
    name = document.file_name
    db.session.delete(document)
    db.session.flush()
    return name


# --- municipalities and departments ---------------------------------------------------------


@dataclass
class MunicipalityData:
    name: str
    kind: MunicipalityKind
    postcodes: list[str]
    inhabitants: int | None
    inhabitants_date: date | None
    inhabitants_note: str | None
    members: list[str]


def save_municipality(municipality: Municipality | None, data: MunicipalityData, actor: Any) -> Municipality:
    """Create or change a municipality (its key stays: it is used in addresses and data files)."""
    created = municipality is None
    if municipality is None:
        municipality = Municipality(
            key=unique_key(Municipality, data.name),
            position=(db.session.scalar(select(func.max(Municipality.position))) or 0) + 1,
        )
        db.session.add(municipality)
    municipality.name = data.name.strip()
    municipality.kind = data.kind
    if municipality.postcodes != data.postcodes:
        municipality.postcodes = data.postcodes
        municipality.postcodes_source = "admin"
    municipality.inhabitants = data.inhabitants
    municipality.inhabitants_date = data.inhabitants_date
    municipality.inhabitants_note = data.inhabitants_note or None
    municipality.members = data.members
    db.session.flush()
    record(
        "admin.municipality_created" if created else "admin.municipality_changed",
        actor=actor,
        obj=municipality,
        name=municipality.name,
    )
    return municipality


def save_department(
    department: Department | None, name: Translations, position: int | None, demo: bool, actor: Any
) -> Department:
    """Create or change a department."""
    created = department is None
    if department is None:
        if position is None:
            position = (db.session.scalar(select(func.max(Department.position))) or 0) + 1
        department = Department(key=unique_key(Department, name.get("de", "")))
        db.session.add(department)
    department.name = name
    if position is not None:
        department.position = position
    department.demo = demo
    db.session.flush()
    record(
        "admin.department_created" if created else "admin.department_changed",
        actor=actor,
        obj=department,
        name=name.get("de"),
    )
    return department


# --- settings -------------------------------------------------------------------------------


def save_settings(values: dict[str, Any], defaults: dict[str, Any], actor: Any) -> list[str]:
    """Store the settings that changed (each audited by set_setting); returns their keys."""
    changed = []
    for key, value in values.items():
        if get_setting(key, defaults.get(key)) != value:
            set_setting(key, value, actor)
            changed.append(key)
    return changed
