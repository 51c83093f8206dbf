"""Results: when they are public, the arithmetic on real ballots, charts, CSV and the concept data."""

from __future__ import annotations

import json
import random
import re

from portal.core import clock
from portal.core.settings import set_setting
from portal.extensions import db
from portal.priorities import queries
from portal.priorities import results
from tests.app.priorities.conftest import AFTER
from tests.app.priorities.conftest import DURING
from tests.app.priorities.conftest import municipality_id
from tests.conftest import login


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    html = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


#: Three ballots worked out by hand (10 points, at most 3 per Unterziel):
#:   1.1: 3 + 3 + 0 = 6 (2 people)   1.2: 3 + 0 + 3 = 6 (2)   2.1: 2 + 3 + 3 = 8 (3)   2.2: 2 + 1 + 1 = 4 (3)
#:   Oberziel 1: 12 points, 3 people; Oberziel 2: 12 points, 3 people; Oberziel 3: nothing.
HAND = [
    {"1.1": 3, "1.2": 3, "2.1": 2, "2.2": 2},
    {"1.1": 3, "2.1": 3, "2.2": 1, "3.1": 3},
    {"1.2": 3, "2.1": 3, "2.2": 1, "3.2": 3},
]


def seed_hand(create_user, seed_ballot) -> list[int]:  # type: ignore[no-untyped-def]
    users = [
        create_user(municipality_id=None),
        create_user(),
        create_user(),
    ]
    for user, points in zip(users, HAND, strict=True):
        seed_ballot(user, points)
    return users


def test_results_are_hidden_while_the_phase_runs(app, client, create_user, during, seed_ballot):
    seed_ballot(create_user(), HAND[0])
    response = client.get("/priorisierung/ergebnisse")
    assert response.status_code == 200
    page = text_of(response)
    assert "Die Ergebnisse sind noch nicht öffentlich" in page
    assert "<svg" not in response.get_data(as_text=True)
    assert client.get("/priorisierung/ergebnisse.csv").status_code == 404


def test_before_any_phase_results_are_hidden(client, demo):
    page = text_of(client.get("/priorisierung/ergebnisse"))
    assert "Die Ergebnisse sind noch nicht öffentlich" in page


def test_live_setting_shows_results_during_the_phase(app, client, create_user, during, seed_ballot):
    seed_ballot(create_user(), HAND[0])
    with app.app_context():
        set_setting("priorities.results_live", True)
        db.session.commit()
    response = client.get("/priorisierung/ergebnisse")
    page = text_of(response)
    assert "Zwischenergebnis" in page
    assert "1 Person hat teilgenommen." in page
    assert client.get("/priorisierung/ergebnisse.csv").status_code == 200


def test_moderators_preview_results_before_they_are_public(app, client, create_user, during, seed_ballot):
    seed_ballot(create_user(), HAND[0])
    login(client, create_user("moderator"))
    page = text_of(client.get("/priorisierung/ergebnisse"))
    assert "Vorschau für das Portalteam" in page
    assert "1 Person hat teilgenommen." in page
    # the CSV is a publication: not before the results are public
    assert client.get("/priorisierung/ergebnisse.csv").status_code == 404
    login(client, create_user())
    assert "Die Ergebnisse sind noch nicht öffentlich" in text_of(client.get("/priorisierung/ergebnisse"))


def test_hand_checked_results_after_the_phase(app, client, create_user, demo, seed_ballot):
    seed_hand(create_user, seed_ballot)
    # an official ballot is never mixed into the citizens' results
    seed_ballot(None, {"3.3": 3, "3.4": 3, "1.4": 3, "1.3": 1}, municipality_id=municipality_id(app, "lehre"))
    clock.freeze(AFTER)

    with app.test_request_context():
        from portal.strategy.queries import get_strategy

        strategy = get_strategy()
        outcome = results.compute(strategy)
        assert outcome.participants == 3
        top = [(item.number, item.points, item.people) for item in outcome.subgoals[:5]]
        assert top == [("2.1", 8, 3), ("1.1", 6, 2), ("1.2", 6, 2), ("2.2", 4, 3), ("3.1", 3, 1)]
        people = [(item.number, item.people) for item in results.by_people(outcome.subgoals)[:4]]
        assert people == [("2.1", 3), ("2.2", 3), ("1.1", 2), ("1.2", 2)]
        goals = [(item.number, item.points, item.people) for item in outcome.goals]
        assert goals == [("1", 12, 3), ("2", 12, 3), ("3", 6, 2)]
        official = results.municipal_ballots()
        assert [ballot.municipality_key for ballot in official] == ["lehre"]

    response = client.get("/priorisierung/ergebnisse")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = text_of(response)
    assert "3 Personen haben teilgenommen." in page
    # four charts, each followed by its data table; accessible SVG without style attributes
    assert html.count("<svg") == 4
    assert html.count('role="img"') == 4
    assert "style=" not in html
    for chart in ("chart-subgoal-points", "chart-subgoal-people", "chart-goal-points", "chart-goal-people"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in html
    assert "Unterziele nach Punkten" in page and "Oberziele nach Zahl der Personen" in page
    # the official ballot beside the citizens' results
    assert "Offizielle Prioritäten der Gemeinden" in page
    assert "Gemeinde Lehre" in page


def test_results_per_municipality_of_residence(app, client, create_user, demo, seed_ballot):
    helmstedt = municipality_id(app, "helmstedt")
    seed_ballot(create_user(municipality_id=helmstedt), {"1.1": 3, "1.2": 3, "1.3": 3, "1.4": 1})
    seed_ballot(create_user(municipality_id=helmstedt), {"1.1": 3, "2.1": 3, "2.2": 3, "2.3": 1})
    seed_ballot(create_user(), {"3.1": 3, "3.2": 3, "3.3": 3, "3.4": 1})
    clock.freeze(AFTER)

    page = text_of(client.get("/priorisierung/ergebnisse?gemeinde=helmstedt"))
    assert "2 Personen aus Stadt Helmstedt haben teilgenommen." in page
    unknown = text_of(client.get("/priorisierung/ergebnisse?gemeinde=unknown"))
    assert "1 Person ohne Angabe einer Gemeinde hat teilgenommen." in unknown
    assert client.get("/priorisierung/ergebnisse?gemeinde=atlantis").status_code == 404

    with app.test_request_context():
        assert queries.participants_by_residence() == {helmstedt: 2, None: 1}
        totals = queries.subgoal_totals(helmstedt)
        from sqlalchemy import select

        from portal.strategy.models import SubGoal

        ids = dict(db.session.execute(select(SubGoal.number, SubGoal.id)).all())
        assert totals[ids["1.1"]] == (6, 2)
        assert ids["3.1"] not in totals
        assert queries.subgoal_totals(queries.UNKNOWN) == {
            ids["3.1"]: (3, 1),
            ids["3.2"]: (3, 1),
            ids["3.3"]: (3, 1),
            ids["3.4"]: (1, 1),
        }


def test_sql_aggregates_match_the_reference_arithmetic(app, create_user, demo, seed_ballot):
    rng = random.Random(7)
    numbers = ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "3.1", "3.2"]
    ballots = []
    for _ in range(12):
        points: dict[str, int] = {}
        left = 10
        while left:
            number = rng.choice(numbers)
            if points.get(number, 0) < 3:
                points[number] = points.get(number, 0) + 1
                left -= 1
        ballots.append(points)
        seed_ballot(create_user(), points)
    with app.test_request_context():
        from portal.strategy.queries import get_strategy

        strategy = get_strategy()
        by_number = {sub.id: sub.number for goal in strategy.goals for sub in goal.subgoals}
        goal_of = {sub.number: goal.number for goal in strategy.goals for sub in goal.subgoals}
        goal_ids = {goal.id: goal.number for goal in strategy.goals}
        expected = results.tally(ballots)
        actual = {by_number[key]: value for key, value in queries.subgoal_totals().items()}
        assert actual == expected
        expected_goals = results.group_tally(ballots, goal_of)
        assert {goal_ids[key]: value for key, value in queries.goal_totals().items()} == expected_goals


def test_results_page_query_count_does_not_grow(app, client, create_user, demo, seed_ballot, count_queries):
    seed_ballot(create_user(), HAND[0])
    clock.freeze(AFTER)
    client.get("/priorisierung/ergebnisse")
    with count_queries() as few:
        assert client.get("/priorisierung/ergebnisse").status_code == 200
    with count_queries() as few_csv:
        assert client.get("/priorisierung/ergebnisse.csv").status_code == 200
    for points in HAND * 5:
        seed_ballot(create_user(), points)
    seed_ballot(None, HAND[1], municipality_id=municipality_id(app, "lehre"))
    with count_queries() as many:
        assert client.get("/priorisierung/ergebnisse").status_code == 200
    with count_queries() as many_csv:
        assert client.get("/priorisierung/ergebnisse.csv").status_code == 200
    assert many.count == few.count <= 16
    assert many_csv.count == few_csv.count <= 16


def test_csv_download(app, client, create_user, demo, seed_ballot):
    seed_hand(create_user, seed_ballot)
    seed_ballot(None, {"3.3": 3, "3.4": 3, "1.4": 3, "1.3": 1}, municipality_id=municipality_id(app, "lehre"))
    clock.freeze(AFTER)
    response = client.get("/priorisierung/ergebnisse.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data().decode("utf-8")
    assert body.startswith(
        "\ufeffBereich;Gemeinde;Unterziel;Titel;Oberziel;Punkte;Personen;Rang nach Punkten;Rang nach Personen"
    )
    lines = body.splitlines()
    assert lines[1].startswith("Alle Teilnehmenden;;2.1;") and lines[1].endswith(";2;8;3;1;1")
    assert lines[2].startswith("Alle Teilnehmenden;;1.1;") and lines[2].endswith(";1;6;2;2;3")
    assert any(line.startswith("Offizielle Stimmabgabe der Gemeinde;Gemeinde Lehre;1.3;") for line in lines)
    assert any(line.startswith("Einwohnerinnen und Einwohner;Stadt Schöningen;") for line in lines)


def test_results_for_concept_is_plain_data(app, create_user, demo, seed_ballot):
    seed_hand(create_user, seed_ballot)
    seed_ballot(None, {"3.3": 3, "3.4": 3, "1.4": 3, "1.3": 1}, municipality_id=municipality_id(app, "lehre"))
    with app.test_request_context():
        data = results.results_for_concept()
        assert data["public"] is False and data["final"] is False
        clock.freeze(AFTER)
        data = results.results_for_concept()
    json.dumps(data)  # plain, serialisable
    assert data["public"] is True and data["final"] is True
    assert data["participants"] == 3
    assert data["points_per_ballot"] == 10 and data["max_per_subgoal"] == 3
    first = data["subgoals"][0]
    assert (first["number"], first["points"], first["people"], first["rank_by_points"]) == ("2.1", 8, 3, 1)
    assert {"de", "en"} <= set(first["title"]), "every language of the strategy file is kept"
    assert [goal["number"] for goal in data["goals"]] == [1, 2, 3]
    assert data["municipal_ballots"] == [
        {
            "municipality_key": "lehre",
            "municipality_name": "Gemeinde Lehre",
            "allocations": [
                {"subgoal_number": "1.3", "points": 1},
                {"subgoal_number": "1.4", "points": 3},
                {"subgoal_number": "3.3", "points": 3},
                {"subgoal_number": "3.4", "points": 3},
            ],
        }
    ]
    unknown = data["by_residence"][-1]
    assert unknown["municipality_key"] is None and unknown["participants"] == 3
    assert len(data["by_residence"]) == 9


def test_results_in_english(app, client, create_user, demo, seed_ballot):
    seed_hand(create_user, seed_ballot)
    clock.freeze(AFTER)
    page = text_of(client.get("/priorisierung/ergebnisse?lang=en"))
    assert "Results of the prioritisation" in page
    assert "3 people have taken part." in page
    assert "Sub-goals by points" in page


def test_during_fixture_is_inside_the_phase(app, demo):
    clock.freeze(DURING)
    with app.test_request_context():
        assert queries.prioritisation_window().is_open
