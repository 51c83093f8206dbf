"""Result arithmetic of the prioritisation, checked by hand on small cases; charts and CSV helpers."""

from __future__ import annotations

import re

import pytest

from portal.core.charts import Bar
from portal.core.charts import bar_chart
from portal.core.charts import describe_top
from portal.core.csv_export import csv_text
from portal.priorities.results import by_people
from portal.priorities.results import group_tally
from portal.priorities.results import number_key
from portal.priorities.results import rank
from portal.priorities.results import tally

NUMBERS = {"a": "1.1", "b": "1.2", "c": "2.1", "d": "2.2"}
GOAL_OF = {"a": 1, "b": 1, "c": 2, "d": 2}

#: Three ballots of 10 points, at most 3 per Unterziel... worked out by hand:
#:   a: 3 + 3 + 0 = 6 points, 2 people      b: 3 + 0 + 3 = 6 points, 2 people
#:   c: 2 + 3 + 3 = 8 points, 3 people      d: 2 + 1 + 1 = 4 points, 3 people
#:   (ballot 3 gives a 0, which does not count its author for a)
BALLOTS = [
    {"a": 3, "b": 3, "c": 2, "d": 2},
    {"a": 3, "c": 3, "d": 1, "b": 0},
    {"b": 3, "c": 3, "d": 1, "a": 0},
]


def test_tally_sums_points_and_counts_people_who_gave_any():
    assert tally(BALLOTS) == {"a": (6, 2), "b": (6, 2), "c": (8, 3), "d": (4, 3)}


def test_rank_by_points_breaks_ties_by_number():
    ranking = rank(tally(BALLOTS), NUMBERS)
    assert [(item.number, item.points, item.rank_by_points) for item in ranking] == [
        ("2.1", 8, 1),
        ("1.1", 6, 2),  # tie with 1.2 at 6 points: the lower number first
        ("1.2", 6, 3),
        ("2.2", 4, 4),
    ]
    assert sum(item.share for item in ranking) == pytest.approx(1.0)
    assert ranking[0].share == 8 / 24


def test_rank_by_people_breaks_ties_by_number():
    ranking = rank(tally(BALLOTS), NUMBERS)
    people = by_people(ranking)
    assert [(item.number, item.people, item.rank_by_people) for item in people] == [
        ("2.1", 3, 1),  # tie with 2.2 at 3 people
        ("2.2", 3, 2),
        ("1.1", 2, 3),
        ("1.2", 2, 4),
    ]


def test_goal_people_count_each_person_once():
    # goal 1: ballot 1 (3+3), ballot 2 (3), ballot 3 (3) -> 12 points, 3 people
    # goal 2: ballot 1 (2+2), ballot 2 (3+1), ballot 3 (3+1) -> 12 points, 3 people
    totals = group_tally(BALLOTS, GOAL_OF)
    assert totals == {1: (12, 3), 2: (12, 3)}
    ranking = rank(totals, {1: 1, 2: 2})
    assert [item.number for item in ranking] == ["1", "2"]  # tie: goal 1 first


def test_goal_people_when_someone_skips_a_goal():
    totals = group_tally([{"a": 3, "b": 3}, {"c": 3}, {"a": 1, "d": 2}], GOAL_OF)
    assert totals == {1: (7, 2), 2: (5, 2)}


def test_items_without_points_are_ranked_last_by_number():
    ranking = rank({"d": (3, 1)}, NUMBERS)
    assert [(item.number, item.points, item.people) for item in ranking] == [
        ("2.2", 3, 1),
        ("1.1", 0, 0),
        ("1.2", 0, 0),
        ("2.1", 0, 0),
    ]
    assert [item.rank_by_people for item in ranking] == [1, 2, 3, 4]


def test_no_ballots_gives_zero_shares():
    ranking = rank({}, NUMBERS)
    assert [item.share for item in ranking] == [0.0] * 4
    assert [item.number for item in ranking] == ["1.1", "1.2", "2.1", "2.2"]


def test_number_key_sorts_numerically():
    assert sorted(["1.10", "1.2", "10.1", "2.1"], key=number_key) == ["1.2", "1.10", "2.1", "10.1"]
    assert number_key("x") > number_key("99")


def test_ten_is_after_two_in_a_tie():
    ranking = rank({"x": (5, 1), "y": (5, 1)}, {"x": "1.10", "y": "1.2"})
    assert [item.number for item in ranking] == ["1.2", "1.10"]


# --- charts -----------------------------------------------------------------------------------


def test_bar_chart_is_accessible_svg_without_style():
    svg = str(
        bar_chart(
            [Bar("1.1 <Wohnen>", 6), Bar("2.1 Wirtschaft", 8), Bar("1.3", 0)],
            chart_id="c1",
            title="Unterziele nach Punkten",
            description="Am meisten: 2.1",
        )
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg
    assert 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Unterziele nach Punkten</title>' in svg
    assert '<desc id="c1-desc">Am meisten: 2.1</desc>' in svg
    assert "style" not in svg
    assert "&lt;Wohnen&gt;" in svg and "<Wohnen>" not in svg
    widths = [float(width) for width in re.findall(r'class="chart__bar"[^>]*width="([\d.]+)"', svg)]
    assert widths[1] == max(widths) and widths[2] == 0.0
    assert abs(widths[0] / widths[1] - 6 / 8) < 0.01


def test_bar_chart_without_data():
    svg = str(bar_chart([], chart_id="empty", title="Nichts"))
    assert 'role="img"' in svg and "chart__bar" not in svg


def test_describe_top():
    text = describe_top([Bar("a", 3), Bar("b", 2), Bar("c", 1), Bar("d", 0)], "Punkte", count=2)
    assert text == "a: 3 Punkte; b: 2 Punkte"


# --- CSV --------------------------------------------------------------------------------------


def test_csv_has_bom_semicolons_and_no_formulas():
    text = csv_text(["Unterziel", "Punkte"], [["Größe; „Wohnen“", 3], ["=HYPERLINK()", None]])
    assert text.startswith("\ufeffUnterziel;Punkte\r\n")
    assert '"Größe; „Wohnen“";3' in text
    assert "'=HYPERLINK()" in text
    assert text.endswith(";\r\n")
