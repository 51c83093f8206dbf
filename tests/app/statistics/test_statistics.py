"""The statistics page: hand-checked figures, what is left out, charts and tables, CSV, queries."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from portal.core.clock import TIMEZONE
from portal.statistics import queries
from portal.statistics import report


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    html = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 12, tzinfo=TIMEZONE)


@pytest.fixture
def scenario(app, seed, create_user, seed_ballot):  # type: ignore[no-untyped-def]
    """The worked example (see the expected figures in the tests)."""
    helmstedt = seed.municipality_id("helmstedt")
    people = {
        "a": create_user(municipality_id=helmstedt),
        "b": create_user(municipality_id=helmstedt),
        "c": create_user(municipality_id=seed.municipality_id("schoeningen")),
        "d": create_user(),
        "e": create_user(municipality_id=seed.municipality_id("lehre")),
        "rep": create_user("municipality_rep", municipality="schoeningen"),
        "mod": create_user("moderator"),
    }
    p1 = seed.proposal(people["a"], "1.1", municipality="helmstedt", when=at(10, 5))
    seed.status_change(p1, "under_review", None, people["mod"], source="submitted")
    p2 = seed.proposal(people["b"], "1.2", when=at(11, 10))
    seed.status_change(p2, "accepted", "Wird umgesetzt.", people["mod"], source="submitted")
    p3 = seed.proposal(people["c"], "2.1", municipality="schoeningen", when=at(11, 12))
    seed.status_change(p3, "rejected", "Nicht zuständig.", people["mod"], source="submitted")
    p4 = seed.proposal(people["d"], "1.1", hidden=True, when=at(11, 12))
    seed.proposal(people["d"], "1.1", status="withdrawn", when=at(11, 13))
    seed.proposal(people["d"], "1.1", published_at=None, when=at(11, 14))

    seed.comment(p1, people["c"], when=at(11, 1))
    seed.comment(p1, people["rep"], "Die Stadt unterstützt das.", municipality="schoeningen", when=at(11, 2))
    seed.comment(p3, people["a"], hidden=True, when=at(11, 3))
    seed.comment(p2, people["d"], deleted=True, when=at(11, 4))
    seed.comment(p4, people["a"], when=at(11, 5))

    seed.support(p1, people["b"], at(11, 3))
    seed.support(p1, people["c"], at(11, 3))
    seed.support(p2, people["a"], at(11, 15))
    seed.support(p4, people["c"], at(11, 15))

    seed_ballot(people["e"], {"1.1": 3, "1.2": 3, "2.1": 3, "3.1": 1})
    return people


def test_totals_and_outcomes(app, scenario):
    with app.app_context():
        assert queries.totals() == queries.Counts(
            participants=5, proposals=3, comments=1, statements=1, supports=3
        )
        outcomes = queries.outcomes()
        assert (outcomes.proposals, outcomes.answered, outcomes.accepted) == (3, 2, 1)
        assert outcomes.answered_share == pytest.approx(2 / 3)


def test_per_month(app, scenario):
    with app.app_context():
        assert queries.per_month() == [
            ("2026-10", queries.Counts(participants=1, proposals=1)),
            ("2026-11", queries.Counts(participants=5, proposals=2, comments=1, statements=1, supports=3)),
        ]


def test_per_goal_and_subgoal(app, seed, scenario):
    with app.app_context():
        by_subgoal = queries.per_subgoal()
        assert by_subgoal[seed.subgoal_id("1.1")] == queries.Counts(
            participants=4, proposals=1, comments=1, statements=1, supports=2
        )
        assert by_subgoal[seed.subgoal_id("1.2")] == queries.Counts(participants=2, proposals=1, supports=1)
        assert by_subgoal[seed.subgoal_id("2.1")] == queries.Counts(participants=1, proposals=1)
        assert seed.subgoal_id("3.1") not in by_subgoal
        from sqlalchemy import select

        from portal.extensions import db
        from portal.strategy.models import Goal

        goals = dict(db.session.execute(select(Goal.number, Goal.id)).all())
        by_goal = queries.per_goal()
        assert by_goal[goals[1]] == queries.Counts(
            participants=4, proposals=2, comments=1, statements=1, supports=3
        )
        assert by_goal[goals[2]] == queries.Counts(participants=1, proposals=1)
        assert goals[3] not in by_goal


def test_per_municipality_absolute_and_per_thousand(app, seed, scenario):
    with app.test_request_context():
        by_municipality = queries.per_municipality()
        helmstedt, schoeningen, lehre = (
            seed.municipality_id(k) for k in ("helmstedt", "schoeningen", "lehre")
        )
        assert by_municipality[helmstedt] == queries.Counts(
            participants=2, proposals=1, comments=1, supports=2
        )
        assert by_municipality[schoeningen] == queries.Counts(participants=1, proposals=1, statements=1)
        assert by_municipality[lehre] == queries.Counts(participants=1)
        assert by_municipality[None] == queries.Counts(participants=1, proposals=1, supports=1)

        from portal.strategy.queries import get_strategy

        data = report.build(get_strategy())
        rows = {row["key"]: row for row in data["municipalities"]}
        assert rows["helmstedt"]["inhabitants"] == 25544
        assert rows["helmstedt"]["per_thousand"]["participants"] == round(2 * 1000 / 25544, 1)
        assert rows["lehre"]["per_thousand"]["participants"] == round(1000 / 12078, 1)
        assert rows["grasleben"]["inhabitants"] is None
        assert rows["grasleben"]["per_thousand"] == {
            "participants": None,
            "proposals": None,
            "comments": None,
            "supports": None,
        }
        assert data["without_municipality"]["proposals"] == 1


def test_per_thousand_arithmetic():
    assert report.per_thousand(3, 12000) == 0.2
    assert report.per_thousand(50, 25544) == 2.0
    assert report.per_thousand(1, None) is None
    assert report.per_thousand(1, 0) is None


def test_page_shows_figures_charts_and_tables(client, scenario):
    response = client.get("/statistik")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = text_of(response)
    assert "Beteiligung in Zahlen" in page
    assert html.count('role="img"') == 5
    assert "style=" not in html
    assert "Oktober 2026" in page and "November 2026" in page
    assert "Samtgemeinde Grasleben" in page and "unbekannt" in page
    assert "Öffentlich beantwortet" in page and "66,7 %" in page.replace("\xa0", " ")
    # a data table beside every chart
    assert html.count('<table class="kern-table') == 4
    assert "/statistik.csv" in html


def test_page_without_any_data(client, demo):
    response = client.get("/statistik")
    assert response.status_code == 200
    assert "Es gibt noch keine Beiträge." in text_of(response)


def test_page_in_english(client, scenario):
    page = text_of(client.get("/statistik?lang=en"))
    assert "Participation in figures" in page
    assert "October 2026" in page and "unknown" in page


def test_csv(client, scenario):
    response = client.get("/statistik.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    body = response.get_data().decode("utf-8")
    assert body.startswith(
        "\ufeffAbschnitt;Gruppe;Teilnehmende;Vorschläge;Kommentare;Stellungnahmen;Unterstützungen"
    )
    lines = body.splitlines()
    assert "Gesamt;;5;3;1;1;3;;;;;" in lines
    assert "Monat;2026-10;1;1;0;0;0;;;;;" in lines
    assert any(
        line.startswith("Gemeinde;Samtgemeinde Grasleben;0;0;0;0;0;unbekannt;unbekannt") for line in lines
    )
    assert any(line.startswith("Gemeinde;Stadt Helmstedt;2;1;1;0;2;25544;0,1;") for line in lines)


def test_query_count_does_not_grow_with_data(app, client, seed, create_user, count_queries, scenario):
    client.get("/statistik")
    with count_queries() as few:
        assert client.get("/statistik").status_code == 200
    with count_queries() as few_csv:
        assert client.get("/statistik.csv").status_code == 200
    for index in range(10):
        author = create_user()
        proposal = seed.proposal(author, "3.2", municipality="lehre", when=at(9, 1 + index))
        seed.comment(proposal, author)
        seed.support(proposal, create_user())
    with count_queries() as many:
        assert client.get("/statistik").status_code == 200
    with count_queries() as many_csv:
        assert client.get("/statistik.csv").status_code == 200
    assert many.count == few.count <= 25
    assert many_csv.count == few_csv.count <= 25
