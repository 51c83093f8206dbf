"""Import a strategy file (YAML, format in docs/strategy-format.md) into the database.

The import is idempotent (things are matched by number or key; a second import updates, never
duplicates) and atomic (everything is validated first and written in one transaction, so a bad
file leaves the database exactly as it was). Errors name the place in the file, e.g.
``goals[1].subgoals[2].number``.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from flask import current_app
from flask import has_app_context
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.core import clock
from portal.extensions import db
from portal.organisations.models import Department
from portal.organisations.models import Municipality
from portal.organisations.models import MunicipalityKind
from portal.process.dates import DateSpecError
from portal.process.dates import parse_date_spec
from portal.process.models import Milestone
from portal.process.models import Phase
from portal.process.models import PhaseKind
from portal.strategy.models import FocusArea
from portal.strategy.models import Goal
from portal.strategy.models import Strategy
from portal.strategy.models import SubGoal

FORMAT_VERSION = 1


class StrategyFileError(ValueError):
    """The file cannot be imported; ``where`` is the path of the offending entry."""

    def __init__(self, where: str, message: str) -> None:
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}" if where else message)


def _allowed_languages(declared: tuple[str, ...]) -> tuple[str, ...]:
    """The languages a text may be given in: the file's ``languages`` and every interface language.

    A text in an interface language the file does not list is kept, not refused or dropped, so
    an operator can add a translation text by text; pages fall back to the default language
    where one is missing.
    """
    interface = tuple(current_app.config.get("LANGUAGES", ())) if has_app_context() else ()
    return declared + tuple(code for code in interface if code not in declared)


class _Node:
    """A mapping in the file together with its path, for precise error messages."""

    def __init__(self, data: Any, where: str, languages: tuple[str, ...]) -> None:
        if not isinstance(data, dict):
            raise StrategyFileError(where, "expected a mapping (key: value)")
        self.data = data
        self.where = where
        self.languages = languages

    def at(self, key: str | int) -> str:
        if isinstance(key, int):
            return f"{self.where}[{key}]"
        return f"{self.where}.{key}" if self.where else key

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def raw(self, key: str, *, required: bool = True) -> Any:
        if key not in self.data or self.data[key] is None:
            if required:
                raise StrategyFileError(self.at(key), "is missing")
            return None
        return self.data[key]

    def text(self, key: str, *, required: bool = True, max_length: int = 20000) -> str | None:
        value = self.raw(key, required=required)
        if value is None:
            return None
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise StrategyFileError(self.at(key), "expected text")
        value = str(value).strip()
        if required and not value:
            raise StrategyFileError(self.at(key), "must not be empty")
        if len(value) > max_length:
            raise StrategyFileError(self.at(key), f"is longer than {max_length} characters")
        return value

    def integer(self, key: str, *, required: bool = True, minimum: int | None = None) -> int | None:
        value = self.raw(key, required=required)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            raise StrategyFileError(self.at(key), "expected a whole number")
        if minimum is not None and value < minimum:
            raise StrategyFileError(self.at(key), f"must be at least {minimum}")
        return value

    def day(self, key: str, *, required: bool = True) -> date | None:
        value = self.raw(key, required=required)
        if value is None:
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise StrategyFileError(self.at(key), "expected a date YYYY-MM-DD") from None

    def boolean(self, key: str, *, default: bool = False) -> bool:
        value = self.raw(key, required=False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise StrategyFileError(self.at(key), "expected true or false")
        return value

    def translations(self, key: str, *, required: bool = True, max_length: int = 20000) -> dict[str, str]:
        value = self.raw(key, required=required)
        if value is None:
            return {}
        where = self.at(key)
        if isinstance(value, str):  # one text for every language (proper names)
            return {language: value.strip() for language in self.languages}
        if not isinstance(value, dict):
            raise StrategyFileError(where, "expected texts per language, e.g. {de: ..., en: ...}")
        allowed = _allowed_languages(self.languages)
        unknown = sorted(set(value) - set(allowed))
        if unknown:
            raise StrategyFileError(
                where, f"unknown language {unknown[0]!r} (languages: {', '.join(allowed)})"
            )
        default = self.languages[0]
        if required and not str(value.get(default) or "").strip():
            raise StrategyFileError(f"{where}.{default}", "is missing (the default language is required)")
        texts = {}
        for language, text in value.items():
            if text is None:
                continue
            if not isinstance(text, str):
                raise StrategyFileError(f"{where}.{language}", "expected text")
            if len(text.strip()) > max_length:
                raise StrategyFileError(f"{where}.{language}", f"is longer than {max_length} characters")
            if text.strip():  # an empty text is a missing one: the page falls back to the default
                texts[language] = text.strip()
        return texts

    def items(self, key: str, *, required: bool = True) -> list[Any]:
        value = self.raw(key, required=required)
        if value is None:
            return []
        if not isinstance(value, list):
            raise StrategyFileError(self.at(key), "expected a list")
        return value

    def child(self, key: str) -> _Node:
        return _Node(self.raw(key), self.at(key), self.languages)


@dataclass
class ImportSummary:
    """What an import created and updated, for the command's output."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: str, kind: str) -> None:
        target = getattr(self, bucket)
        target[kind] = target.get(kind, 0) + 1

    def __str__(self) -> str:
        def fmt(counts: dict[str, int]) -> str:
            return ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) or "nothing"

        return f"created {fmt(self.created)}; updated {fmt(self.updated)}; removed {fmt(self.removed)}"


def load_strategy_file(path: str | Path) -> dict[str, Any]:
    """Read and parse the YAML file; syntax errors name line and column."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise StrategyFileError("", f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise StrategyFileError("", f"{path} is not UTF-8 text") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown place"
        problem = getattr(error, "problem", None) or str(error)
        raise StrategyFileError("", f"broken YAML at {place}: {problem}") from None
    if not isinstance(data, dict):
        raise StrategyFileError("", "the file must contain a mapping at the top level")
    return data


def import_strategy(data: dict[str, Any]) -> ImportSummary:
    """Validate ``data`` and write it; the caller commits (or rolls back on error)."""
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        raise StrategyFileError("format_version", f"must be {FORMAT_VERSION}")
    languages = data.get("languages")
    if not isinstance(languages, list) or not languages or not all(isinstance(x, str) for x in languages):
        raise StrategyFileError("languages", "expected a list of language codes, the default first")
    root = _Node(data, "", tuple(languages))
    summary = ImportSummary()
    strategy = _import_strategy(root, summary)
    _import_goals(root, strategy, summary)
    _import_municipalities(root, summary)
    _import_departments(root, summary)
    _import_phases(root, summary)
    _import_milestones(root, summary)
    db.session.flush()
    return summary


def import_strategy_file(path: str | Path) -> ImportSummary:
    """Import a file in one transaction: committed when valid, rolled back entirely otherwise."""
    data = load_strategy_file(path)
    try:
        summary = import_strategy(data)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return summary


def _upsert(model: type, existing: Any, summary: ImportSummary, label: str, **values: Any) -> Any:
    if existing is None:
        obj = model(**values)
        db.session.add(obj)
        summary.count("created", label)
        return obj
    changed = False
    for name, value in values.items():
        if getattr(existing, name) != value:
            setattr(existing, name, value)
            changed = True
    if changed:
        summary.count("updated", label)
    return existing


def _import_strategy(root: _Node, summary: ImportSummary) -> Strategy:
    node = root.child("strategy")
    leitbild = node.child("leitbild")
    slug = node.text("slug", max_length=100)
    existing = db.session.scalar(select(Strategy).where(Strategy.slug == slug))
    return _upsert(
        Strategy,
        existing,
        summary,
        "strategy",
        slug=slug,
        region_name=node.translations("region_name"),
        title=node.translations("title"),
        horizon_year=node.integer("horizon_year", minimum=1900),
        motto=leitbild.translations("motto"),
        intro=leitbild.translations("text", required=False),
        inhabitants=node.integer("inhabitants", required=False, minimum=0),
        inhabitants_date=node.day("inhabitants_date", required=False),
    )


def _import_goals(root: _Node, strategy: Strategy, summary: ImportSummary) -> None:
    if strategy.id is None:
        db.session.flush()
    existing_goals = {
        goal.number: goal
        for goal in db.session.scalars(
            select(Goal)
            .where(Goal.strategy_id == strategy.id)
            .options(selectinload(Goal.subgoals).selectinload(SubGoal.focus_areas))
        )
    }
    seen_goals: set[int] = set()
    seen_subgoals: set[str] = set()
    goal_items = root.items("goals")
    if not goal_items:
        raise StrategyFileError("goals", "needs at least one Oberziel")
    for index, raw in enumerate(goal_items):
        node = _Node(raw, root.at("goals") + f"[{index}]", root.languages)
        number = node.integer("number", minimum=1)
        if number in seen_goals:
            raise StrategyFileError(node.at("number"), f"duplicate Oberziel number {number}")
        seen_goals.add(number)
        goal = existing_goals.get(number)
        values = {
            "number": number,
            "title": node.translations("title"),
            "text": node.translations("text"),
            "plain_summary": node.translations("plain_summary", required=False, max_length=2000),
        }
        if goal is None:
            goal = Goal(strategy=strategy, subgoals=[], **values)
            db.session.add(goal)
            summary.count("created", "goals")
        else:
            _upsert(Goal, goal, summary, "goals", **values)
        _import_subgoals(node, goal, number, seen_subgoals, summary)
    for number, goal in existing_goals.items():
        if number not in seen_goals:
            db.session.delete(goal)
            summary.count("removed", "goals")


def _import_subgoals(
    node: _Node, goal: Goal, goal_number: int, seen: set[str], summary: ImportSummary
) -> None:
    existing = {subgoal.number: subgoal for subgoal in goal.subgoals}
    keep: set[str] = set()
    for index, raw in enumerate(node.items("subgoals")):
        sub = _Node(raw, node.at("subgoals") + f"[{index}]", node.languages)
        number = sub.text("number", max_length=20)
        prefix, _, rest = number.partition(".")
        if prefix != str(goal_number) or not rest:
            raise StrategyFileError(
                sub.at("number"), f"Unterziel {number!r} does not belong to Oberziel {goal_number}"
            )
        if number in seen:
            raise StrategyFileError(sub.at("number"), f"duplicate Unterziel number {number}")
        seen.add(number)
        keep.add(number)
        values = {
            "number": number,
            "position": index,
            "title": sub.translations("title"),
            "text": sub.translations("text"),
        }
        subgoal = existing.get(number)
        if subgoal is None:
            subgoal = SubGoal(focus_areas=[], **values)
            goal.subgoals.append(subgoal)
            summary.count("created", "subgoals")
        else:
            _upsert(SubGoal, subgoal, summary, "subgoals", **values)
        areas = {area.position: area for area in subgoal.focus_areas}
        items = sub.items("focus_areas", required=False)
        for position, area_raw in enumerate(items):
            area_where = sub.at("focus_areas") + f"[{position}]"
            holder = _Node({"title": area_raw}, area_where, node.languages)
            title = holder.translations("title")
            area = areas.get(position)
            if area is None:
                subgoal.focus_areas.append(FocusArea(position=position, title=title))
                summary.count("created", "focus areas")
            else:
                _upsert(FocusArea, area, summary, "focus areas", title=title)
        for position, area in areas.items():
            if position >= len(items):
                subgoal.focus_areas.remove(area)
                summary.count("removed", "focus areas")
    for number, subgoal in existing.items():
        if number not in keep:
            goal.subgoals.remove(subgoal)
            summary.count("removed", "subgoals")


def _keyed(root: _Node, list_key: str, model: type, summary: ImportSummary, kind: str, build) -> None:  # type: ignore[no-untyped-def]
    """Upsert a list of entries identified by their ``key``; entries missing from the file go."""
    existing = {obj.key: obj for obj in db.session.scalars(select(model))}
    seen: set[str] = set()
    for index, raw in enumerate(root.items(list_key, required=False)):
        node = _Node(raw, root.at(list_key) + f"[{index}]", root.languages)
        values = build(node, index)
        key = values["key"]
        if key in seen:
            raise StrategyFileError(node.at("key"), f"duplicate key {key!r}")
        seen.add(key)
        _upsert(model, existing.get(key), summary, kind, **values)
    for key, obj in existing.items():
        if key not in seen:
            db.session.delete(obj)
            summary.count("removed", kind)


def _enum(node: _Node, key: str, enum: type) -> Any:
    value = node.text(key)
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise StrategyFileError(node.at(key), f"unknown value {value!r} (allowed: {allowed})") from None


def _string_list(node: _Node, key: str) -> list[str]:
    values = node.items(key, required=False)
    for index, value in enumerate(values):
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise StrategyFileError(node.at(key) + f"[{index}]", "expected text")
    return [str(value).strip() for value in values]


def _import_municipalities(root: _Node, summary: ImportSummary) -> None:
    def build(node: _Node, index: int) -> dict[str, Any]:
        return {
            "key": node.text("key", max_length=80),
            "name": node.text("name", max_length=200),
            "kind": _enum(node, "kind", MunicipalityKind),
            "position": index,
            "postcodes": _string_list(node, "postcodes"),
            "postcodes_source": node.text("postcodes_source", required=False, max_length=50),
            "inhabitants": node.integer("inhabitants", required=False, minimum=0),
            "inhabitants_date": node.day("inhabitants_date", required=False),
            "inhabitants_note": node.text("inhabitants_note", required=False, max_length=200),
            "members": _string_list(node, "members"),
        }

    _keyed(root, "municipalities", Municipality, summary, "municipalities", build)


def _import_departments(root: _Node, summary: ImportSummary) -> None:
    def build(node: _Node, index: int) -> dict[str, Any]:
        return {
            "key": node.text("key", max_length=80),
            "name": node.translations("name"),
            "position": index,
            "demo": node.boolean("demo"),
        }

    _keyed(root, "departments", Department, summary, "departments", build)


def _phase_day(node: _Node, key: str) -> date:
    value = node.raw(key)
    if isinstance(value, dict):
        offset = _Node(value, node.at(key), node.languages).integer("offset_days")
        return clock.today() + timedelta(days=offset)
    return node.day(key)


def _import_phases(root: _Node, summary: ImportSummary) -> None:
    def build(node: _Node, index: int) -> dict[str, Any]:
        starts_on, ends_on = _phase_day(node, "start"), _phase_day(node, "end")
        if ends_on < starts_on:
            raise StrategyFileError(node.at("end"), "ends before the phase starts")
        return {
            "key": node.text("key", max_length=80),
            "kind": _enum(node, "kind", PhaseKind),
            "position": index,
            "title": node.translations("title"),
            "description": node.translations("description", required=False),
            "starts_on": starts_on,
            "ends_on": ends_on,
        }

    _keyed(root, "phases", Phase, summary, "phases", build)


def _import_milestones(root: _Node, summary: ImportSummary) -> None:
    def build(node: _Node, index: int) -> dict[str, Any]:
        raw_date = node.raw("date")
        spec = raw_date.isoformat() if isinstance(raw_date, date) else str(raw_date).strip()
        try:
            parsed = parse_date_spec(spec)
        except DateSpecError:
            raise StrategyFileError(
                node.at("date"),
                f"unknown date {spec!r} (use 2017-04-27, 2017-11, 2017-05..2017-08 or 2018-04-24,2018-05-18)",
            ) from None
        return {
            "key": node.text("key", required=False, max_length=120) or spec,
            "date_spec": spec,
            "sort_date": parsed.first,
            "position": index,
            "title": node.translations("title"),
            "body": node.translations("body", required=False),
            "reference": node.text("reference", required=False, max_length=200),
        }

    _keyed(root, "milestones", Milestone, summary, "milestones", build)
