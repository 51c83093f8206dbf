"""import-strategy: the shipped file, idempotence, atomicity and precise errors."""

from __future__ import annotations

import copy

import pytest
import yaml
from sqlalchemy import func
from sqlalchemy import select

from portal.extensions import db
from portal.organisations.models import Department
from portal.organisations.models import Municipality
from portal.process.models import Milestone
from portal.process.models import Phase
from portal.strategy.importer import StrategyFileError
from portal.strategy.importer import import_strategy_file
from portal.strategy.models import FocusArea
from portal.strategy.models import Goal
from portal.strategy.models import SubGoal
from tests.conftest import DEMO_STRATEGY
from tests.conftest import TODAY

MODELS = (Goal, SubGoal, FocusArea, Municipality, Department, Phase, Milestone)


def counts() -> dict[str, int]:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in MODELS}


def demo_data() -> dict:
    return yaml.safe_load(DEMO_STRATEGY.read_text(encoding="utf-8"))


def write(tmp_path, data, name="strategy.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_shipped_helmstedt_file_matches_the_seed(app):
    with app.app_context():
        import_strategy_file(DEMO_STRATEGY)
        assert counts() == {
            "Goal": 3, "SubGoal": 13, "FocusArea": 21, "Municipality": 8,
            "Department": counts()["Department"], "Phase": 7, "Milestone": 14,
        }  # fmt: skip
        rows = db.session.execute(
            select(SubGoal.number, func.count(FocusArea.id))
            .outerjoin(FocusArea, FocusArea.subgoal_id == SubGoal.id)
            .group_by(SubGoal.number)
        )
        focus = dict(rows.all())
        assert focus == {"1.1": 6, "1.2": 8, "1.3": 3, "1.4": 4} | {
            n: 0 for n in ("2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2", "3.3", "3.4")
        }
        departments = db.session.scalars(select(Department)).all()
        assert departments and all(d.demo and d.name["de"].startswith("Demo:") for d in departments)
        lehre = db.session.scalar(select(Municipality).where(Municipality.key == "lehre"))
        assert lehre.inhabitants == 12078
        assert lehre.postcodes_source == "unverified"
        velpke = db.session.scalar(select(Municipality).where(Municipality.key == "velpke"))
        assert velpke.inhabitants is None and velpke.inhabitants_note == "unknown"
        assert len(velpke.members) == 5
        proposals = db.session.scalar(select(Phase).where(Phase.kind == "proposals"))
        assert proposals.starts_on == TODAY  # demo phases are offsets from the import day


def test_second_import_changes_nothing(app):
    with app.app_context():
        first = import_strategy_file(DEMO_STRATEGY)
        before = counts()
        second = import_strategy_file(DEMO_STRATEGY)
        assert counts() == before
        assert first.created and not second.created and not second.updated and not second.removed


def test_import_updates_texts_in_place(app, tmp_path):
    data = demo_data()
    with app.app_context():
        import_strategy_file(DEMO_STRATEGY)
        goal_id = db.session.scalar(select(Goal.id).where(Goal.number == 1))
        data["goals"][0]["title"]["en"] = "A better place to live"
        summary = import_strategy_file(write(tmp_path, data))
        assert summary.updated == {"goals": 1}
        goal = db.session.get(Goal, goal_id)
        db.session.refresh(goal)
        assert goal.title["en"] == "A better place to live"


def _broken(mutate):
    data = copy.deepcopy(demo_data())
    mutate(data)
    return data


BROKEN = {
    "missing motto": (lambda d: d["strategy"]["leitbild"].pop("motto"), "strategy.leitbild.motto"),
    "missing subgoal text": (lambda d: d["goals"][1]["subgoals"][2].pop("text"), "goals[1].subgoals[2].text"),
    "duplicate goal number": (lambda d: d["goals"][2].update(number=2), "goals[2].number"),
    "duplicate subgoal number": (
        lambda d: d["goals"][0]["subgoals"][1].update(number="1.1"),
        "goals[0].subgoals[1].number",
    ),
    "subgoal of no goal": (
        lambda d: d["goals"][0]["subgoals"][0].update(number="7.1"),
        "goals[0].subgoals[0].number",
    ),
    "bad phase kind": (lambda d: d["phases"][0].update(kind="party"), "phases[0].kind"),
    "phase ends before start": (
        lambda d: d["phases"][1].update(start="2030-01-02", end="2030-01-01"),
        "phases[1].end",
    ),
    "bad milestone date": (lambda d: d["milestones"][3].update(date="Herbst 2017"), "milestones[3].date"),
    "unknown language": (lambda d: d["goals"][0]["title"].update(fr="But"), "goals[0].title"),
    "duplicate municipality": (
        lambda d: d["municipalities"][1].update(key=d["municipalities"][0]["key"]),
        "municipalities[1].key",
    ),
    "inhabitants not a number": (
        lambda d: d["municipalities"][0].update(inhabitants="viele"),
        "municipalities[0].inhabitants",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_bad_file_names_the_place_and_changes_nothing(app, tmp_path, case):
    mutate, where = BROKEN[case]
    with app.app_context():
        import_strategy_file(DEMO_STRATEGY)
        before = counts()
        motto = db.session.scalar(select(Goal.title).where(Goal.number == 1))
        with pytest.raises(StrategyFileError) as raised:
            import_strategy_file(write(tmp_path, _broken(mutate)))
        assert raised.value.where == where
        assert counts() == before
        assert db.session.scalar(select(Goal.title).where(Goal.number == 1)) == motto


def test_bad_file_into_an_empty_database_leaves_it_empty(app, tmp_path):
    data = _broken(lambda d: d["milestones"][-1].update(date="31.01.2023"))
    with app.app_context():
        with pytest.raises(StrategyFileError):
            import_strategy_file(write(tmp_path, data))
        assert set(counts().values()) == {0}


def test_broken_yaml_gives_line_and_column(app, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("format_version: 1\nlanguages: [de, en\nstrategy:\n  slug: x\n", encoding="utf-8")
    with app.app_context(), pytest.raises(StrategyFileError, match=r"broken YAML at line \d+, column \d+"):
        import_strategy_file(path)


def test_cli_reports_errors_and_exits_nonzero(app, tmp_path):
    data = _broken(lambda d: d["goals"][0].pop("number"))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import-strategy", str(write(tmp_path, data))])
    assert result.exit_code != 0
    assert "goals[0].number: is missing" in result.output


def test_cli_imports_the_demo(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "created" in result.output
    again = runner.invoke(args=["seed-demo"])
    assert "created nothing" in again.output
