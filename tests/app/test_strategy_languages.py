"""Strategy texts in every interface language (issue 10): the importer stores every language of
config.LANGUAGES, a file in German only still imports, and pages fall back to German."""

from __future__ import annotations

import re

import pytest
import yaml
from sqlalchemy import select

from portal.extensions import db
from portal.strategy.importer import StrategyFileError
from portal.strategy.importer import import_strategy_file
from portal.strategy.models import FocusArea
from portal.strategy.models import Goal
from portal.strategy.models import Strategy
from portal.strategy.models import SubGoal
from tests.conftest import DEMO_STRATEGY

INTERFACE = ("de", "en", "tr", "ar", "uk", "ru", "pl")

GERMAN_ONLY = {
    "format_version": 1,
    "languages": ["de"],
    "strategy": {
        "slug": "landkreis-nur-deutsch",
        "region_name": {"de": "Landkreis Nurdeutsch"},
        "title": {"de": "Kreisentwicklungskonzept 2030"},
        "horizon_year": 2030,
        "inhabitants": None,
        "inhabitants_date": None,
        "leitbild": {"motto": {"de": "Nurdeutsch – gemeinsam"}},
    },
    "goals": [
        {
            "number": 1,
            "title": {"de": "Gute Wege"},
            "text": {"de": "Alle Orte sind gut erreichbar."},
            "subgoals": [
                {
                    "number": "1.1",
                    "title": {"de": "Busse"},
                    "text": {"de": "Busse fahren stündlich."},
                    "focus_areas": [{"de": "Rufbus"}],
                }
            ],
        }
    ],
    "municipalities": [],
    "departments": [],
    "phases": [],
    "milestones": [],
}


def write(tmp_path, data, name="strategy.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_config_languages_are_the_seven():
    from config import Config

    assert Config.LANGUAGES == INTERFACE


def test_shipped_file_declares_and_fills_every_interface_language():
    data = yaml.safe_load(DEMO_STRATEGY.read_text(encoding="utf-8"))
    assert tuple(data["languages"]) == INTERFACE
    texts: list[dict] = []

    def walk(node):  # type: ignore[no-untyped-def]
        if isinstance(node, dict):
            if "de" in node and all(isinstance(value, str) for value in node.values()):
                texts.append(node)
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk({key: data[key] for key in ("strategy", "goals", "departments", "phases", "milestones")})
    assert len(texts) > 100
    plain = [text for text in texts if set(text) == {"de"}]  # the Einfache Sprache summaries
    assert len(plain) == 3
    for text in texts:
        if text in plain:
            continue
        assert set(text) == set(INTERFACE), text["de"]
        assert all(value.strip() for value in text.values()), text["de"]
        # translated, not copied (names and "Demo:" prefixes aside)
        for language in ("tr", "ar", "uk", "ru"):
            assert text[language] != text["de"] or text["de"] in {"Information"}, (language, text["de"])


def test_import_stores_every_language(app):
    with app.app_context():
        import_strategy_file(DEMO_STRATEGY)
        goal = db.session.scalar(select(Goal).where(Goal.number == 1))
        assert goal.title["ar"] == "بيئة معيشية جذابة"
        assert goal.title["uk"] == "Привабливе місце для життя"
        assert goal.text["pl"].startswith("Powiat Helmstedt oferuje")
        strategy = db.session.scalar(select(Strategy))
        assert set(strategy.motto) == set(INTERFACE)
        assert strategy.region_name["tr"] == "Helmstedt İlçesi"
        for subgoal in db.session.scalars(select(SubGoal)):
            assert set(subgoal.title) == set(subgoal.text) == set(INTERFACE), subgoal.number
        areas = db.session.scalars(select(FocusArea)).all()
        assert len(areas) == 21
        assert all(set(area.title) == set(INTERFACE) for area in areas)


def test_import_stores_the_plain_summaries(app):
    with app.app_context():
        import_strategy_file(DEMO_STRATEGY)
        goals = db.session.scalars(select(Goal).order_by(Goal.number)).all()
        for goal in goals:
            assert set(goal.plain_summary) == {"de"}
            assert 80 <= len(goal.plain_summary["de"].split()) <= 150, goal.number


def test_file_in_german_only_imports(app, tmp_path):
    with app.app_context():
        summary = import_strategy_file(write(tmp_path, GERMAN_ONLY))
        assert summary.created["goals"] == 1
        goal = db.session.scalar(select(Goal).join(Strategy).where(Strategy.slug == "landkreis-nur-deutsch"))
        assert goal.title == {"de": "Gute Wege"}
        assert goal.plain_summary == {}
        again = import_strategy_file(write(tmp_path, GERMAN_ONLY))
        assert not again.created and not again.updated and not again.removed


def test_text_in_an_undeclared_interface_language_is_kept(app, tmp_path):
    """``languages: [de]`` but one text also in Ukrainian: stored, neither refused nor dropped."""
    data = yaml.safe_load(yaml.safe_dump(GERMAN_ONLY))
    data["goals"][0]["title"]["uk"] = "Добрі шляхи"
    data["goals"][0]["title"]["ar"] = ""  # empty: not translated yet, so not stored
    with app.app_context():
        import_strategy_file(write(tmp_path, data))
        goal = db.session.scalar(select(Goal).join(Strategy).where(Strategy.slug == "landkreis-nur-deutsch"))
        assert goal.title == {"de": "Gute Wege", "uk": "Добрі шляхи"}


def test_language_outside_the_interface_is_refused(app, tmp_path):
    data = yaml.safe_load(yaml.safe_dump(GERMAN_ONLY))
    data["goals"][0]["text"]["fr"] = "Tous les lieux sont accessibles."
    with app.app_context(), pytest.raises(StrategyFileError) as raised:
        import_strategy_file(write(tmp_path, data))
    assert raised.value.where == "goals[0].text"
    assert "'fr'" in raised.value.message


def test_plain_summary_needs_no_default_but_has_a_limit(app, tmp_path):
    data = yaml.safe_load(yaml.safe_dump(GERMAN_ONLY))
    data["goals"][0]["plain_summary"] = {"de": "Wort " * 500}
    with app.app_context(), pytest.raises(StrategyFileError) as raised:
        import_strategy_file(write(tmp_path, data))
    assert raised.value.where == "goals[0].plain_summary.de"


def test_plain_summary_is_updated_and_removed_in_place(app, tmp_path):
    data = yaml.safe_load(yaml.safe_dump(GERMAN_ONLY))
    data["goals"][0]["plain_summary"] = {"de": "Busse und Wege für alle."}
    with app.app_context():
        import_strategy_file(write(tmp_path, data))
        data["goals"][0].pop("plain_summary")
        summary = import_strategy_file(write(tmp_path, data))
        assert summary.updated == {"goals": 1}
        goal = db.session.scalar(select(Goal).join(Strategy).where(Strategy.slug == "landkreis-nur-deutsch"))
        db.session.refresh(goal)
        assert goal.plain_summary == {}


@pytest.mark.parametrize(
    ("language", "title"),
    [("ar", "بيئة معيشية جذابة"), ("tr", "Cazip yaşam alanı"), ("uk", "Привабливе місце для життя")],
)
def test_goal_page_shows_the_translated_title(client, demo, language, title):
    response = client.get(f"/oberziele/1?lang={language}")
    assert response.status_code == 200
    assert title in text_of(response)


def test_goal_page_falls_back_to_german(client, app, tmp_path):
    with app.app_context():
        import_strategy_file(write(tmp_path, GERMAN_ONLY))
    page = text_of(client.get("/oberziele/1?lang=pl"))
    assert "Gute Wege" in page
    assert "Alle Orte sind gut erreichbar." in page
