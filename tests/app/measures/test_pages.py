"""The public measures pages: list with filters and pages, a measure, the overview; bounded queries."""

from __future__ import annotations

import re

import pytest

from portal.measures.queries import PER_PAGE
from tests.app.measures.conftest import OTHER_DEPARTMENT
from tests.app.measures.conftest import OWN_DEPARTMENT
from tests.app.measures.conftest import text_of


@pytest.fixture
def three(make_measure):  # type: ignore[no-untyped-def]
    return {
        "wohnen": make_measure(
            "Wohnberatung",
            subgoals=["1.1"],
            municipalities=["helmstedt"],
            status="in_progress",
            progress=40,
            horizon="short",
            budget=[(2026, 10_000_00, "A"), (2027, 5_000_00, "B")],
        ),
        "gewerbe": make_measure(
            "Gewerbeflächen",
            subgoals=["2.1", "2.2"],
            departments=[OTHER_DEPARTMENT],
            municipalities=["schoeningen"],
            status="planned",
            horizon="long",
            budget=[(2030, 2_000_000_00, "Bund")],
        ),
        "service": make_measure(
            "Online-Dienste",
            subgoals=["3.3", "1.2"],
            status="completed",
            progress=100,
            horizon="short",
            budget=[],
        ),
        "intern": make_measure("Interne Vorplanung", subgoals=["1.1"], public=False),
    }


def titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    return re.findall(
        r'<a class="kern-link" href="/massnahmen/\d+"[^>]*>([^<]+)</a>', response.get_data(as_text=True)
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Gewerbeflächen", "Online-Dienste", "Wohnberatung"]),
        ("?goal=1", ["Online-Dienste", "Wohnberatung"]),
        ("?goal=2", ["Gewerbeflächen"]),
        ("?subgoal=2.2", ["Gewerbeflächen"]),
        ("?subgoal=1.2", ["Online-Dienste"]),
        (f"?department={OTHER_DEPARTMENT}", ["Gewerbeflächen"]),
        (f"?department={OWN_DEPARTMENT}", ["Online-Dienste", "Wohnberatung"]),
        ("?municipality=helmstedt", ["Wohnberatung"]),
        ("?status=completed", ["Online-Dienste"]),
        ("?horizon=short", ["Online-Dienste", "Wohnberatung"]),
        ("?goal=1&horizon=short&status=in_progress", ["Wohnberatung"]),
        ("?status=nonsense&goal=99", ["Gewerbeflächen", "Online-Dienste", "Wohnberatung"]),
    ],
)
def test_list_filters(client, three, query, expected):
    response = client.get("/massnahmen" + query)
    assert response.status_code == 200
    assert titles(response) == expected


def test_list_shows_status_progress_and_budget(client, three):
    page = text_of(client.get("/massnahmen"))
    assert "3 Maßnahmen" in page
    assert "In Umsetzung" in page
    assert "Fortschritt: 40 %" in page
    assert "15.000 €" in page
    assert "2.000.000 €" in page
    assert "Interne Vorplanung" not in page


def test_list_is_paginated(client, make_measure):
    for number in range(PER_PAGE + 2):
        make_measure(f"Maßnahme {number:02d}", budget=[])
    first = client.get("/massnahmen")
    assert len(titles(first)) == PER_PAGE
    assert 'href="/massnahmen?seite=2"' in first.get_data(as_text=True)
    second = client.get("/massnahmen?seite=2")
    assert titles(second) == [f"Maßnahme {PER_PAGE:02d}", f"Maßnahme {PER_PAGE + 1:02d}"]
    assert client.get("/massnahmen?seite=3").status_code == 404


def test_list_query_count_does_not_grow(client, make_measure, count_queries):
    make_measure("Erste", budget=[(2026, 1_00, "A")])
    client.get("/massnahmen")
    with count_queries() as few:
        client.get("/massnahmen?goal=1")
    for number in range(12):
        make_measure(
            f"Weitere {number}",
            subgoals=["1.1", "1.2"],
            departments=[OWN_DEPARTMENT, OTHER_DEPARTMENT],
            budget=[(2026, 1_00, "A"), (2027, 2_00, "B")],
        )
    with count_queries() as many:
        client.get("/massnahmen?goal=1")
    assert many.count == few.count
    assert many.count <= 12


def test_detail_page(client, make_measure):
    measure_id = make_measure(
        "Radschnellweg",
        subgoals=["1.2", "1.4"],
        departments=[OWN_DEPARTMENT, OTHER_DEPARTMENT],
        lead=OTHER_DEPARTMENT,
        municipalities=["helmstedt", "lehre"],
        budget=[(2026, 100_000_00, "Eigenmittel"), (2026, 50_000_00, "Land"), (2032, 1_234_567_89, "Bund")],
        indicators=[("Radverkehrsanteil", "%", "higher", 9.5, 2023, 15, 2030)],
        values=[(0, 2024, 10), (0, 2025, 11.25)],
        status="in_progress",
        progress=30,
    )
    response = client.get(f"/massnahmen/{measure_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = text_of(response)
    assert "<h1" in html and html.count("<h1") == 1
    assert "Ein Radweg entlang der B 244." in page  # description, Markdown rendered
    assert "<strong>Radweg</strong>" in html
    assert "Demo: Ordnung und Verkehr (federführend)" in page
    assert "Stadt Helmstedt, Gemeinde Lehre" in page
    assert "Fortschritt: 30 %" in page
    assert '<progress id="progress-measure" max="100" value="30">' in html
    # budget by year, with years beyond the financial plan
    assert "2032 Bund 1.234.567,89 €" in page
    assert "Gesamt 1.384.567,89 €" in page
    # indicator chart: an accessible SVG without style attributes, and the table next to it
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    assert "style=" not in svg
    assert re.search(r'<title id="indicator-\d+-title">Radverkehrsanteil \(%\)</title>', svg)
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg).group(1)
    assert "Ausgangswert 9,5 % im Jahr 2023" in desc
    assert "Zuletzt gemessen: 11,25 % im Jahr 2025" in desc
    assert "Werte: Radverkehrsanteil" in page
    assert "2025 Gemessen 11,25" in page
    assert "2030 Ziel 15" in page
    assert "style=" not in html


def test_detail_query_count_does_not_grow(client, make_measure, count_queries):
    small = make_measure("Klein", indicators=[("A", "", "higher", 0, 2025, 1, 2030)], values=[(0, 2026, 1)])
    big = make_measure(
        "Groß",
        subgoals=["1.1", "1.2", "2.1"],
        departments=[OWN_DEPARTMENT, OTHER_DEPARTMENT],
        municipalities=["helmstedt", "lehre", "schoeningen"],
        budget=[(year, 1000_00, "A") for year in range(2026, 2036)],
        indicators=[(f"K{n}", "", "higher", 0, 2025, 10, 2030) for n in range(5)],
        values=[(n, year, 1) for n in range(5) for year in (2026, 2027, 2028)],
    )
    client.get(f"/massnahmen/{small}")
    with count_queries() as few:
        client.get(f"/massnahmen/{small}")
    with count_queries() as many:
        client.get(f"/massnahmen/{big}")
    assert many.count == few.count
    assert many.count <= 15


def test_overview_figures(client, three, make_measure):
    make_measure("Verworfen", subgoals=["1.1"], status="dropped", budget=[(2026, 999_00, "X")])
    response = client.get("/massnahmen/uebersicht")
    assert response.status_code == 200
    rows = {
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match)).strip()
        for match in re.findall(
            r"<tr class=\"kern-table__row[^\"]*\">(.*?)</tr>", response.get_data(as_text=True), re.S
        )
    }
    # Oberziel 1: Wohnberatung (40 %, 15.000 €), Online-Dienste (100 %, 0 €); the dropped one does not count
    assert "Oberziel 1: Attraktiver Lebensraum 2 70 % 15.000 €" in rows
    assert "1.1 attraktiven Wohnraum 1 40 % 15.000 €" in rows
    # a measure under 2.1 and 2.2 counts for each sub-goal, once for the goal
    assert "Oberziel 2: Attraktive Wirtschaftsregion 1 0 % 2.000.000 €" in rows
    assert "2.1 Gewerbe- und Industriestandort 1 0 % 2.000.000 €" in rows
    assert "2.2 optimale Standortbedingungen 1 0 % 2.000.000 €" in rows
    assert "2.3 Mittelstand 0 – 0 €" in rows
    assert "Alle Maßnahmen 3 47 % 2.015.000 €" in rows


def test_english_pages(client, three):
    page = text_of(client.get("/massnahmen?lang=en"))
    assert "3 measures" in page
    assert "In progress" in page
    assert "€15,000" in page


def test_measure_texts_are_marked_as_german_in_other_languages(client, make_measure):
    """Staff write measures in the district's language: an Arabic page marks them lang="de" and
    left to right, so screen readers switch voice and punctuation stays in place."""
    measure_id = make_measure(
        "Radschnellweg",
        subgoals=["1.2"],
        indicators=[("Radverkehrsanteil", "%", "higher", 9.5, 2023, 15, 2030)],
    )
    html = client.get(f"/massnahmen/{measure_id}?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert re.search(
        r'<h1 id="measure-title" class="kern-heading-x-large" lang="de" dir="ltr">Radschnellweg</h1>', html
    )
    assert re.search(
        r'<h3 id="indicator-\d+-heading" class="kern-heading-small" lang="de" dir="ltr">Radverkehrsanteil',
        html,
    )
    listing = client.get("/massnahmen?lang=ar").get_data(as_text=True)
    assert re.search(rf'href="/massnahmen/{measure_id}" lang="de" dir="ltr">Radschnellweg<', listing)
