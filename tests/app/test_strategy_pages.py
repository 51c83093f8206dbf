"""The public strategy pages: home, Oberziel, Unterziel, process; language switching."""

from __future__ import annotations

import re

import pytest

from portal.extensions import db
from portal.process.models import Milestone


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    html = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def test_home_shows_leitbild_goals_phase_and_timeline(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    page = text_of(response)
    assert "Landkreis Helmstedt – Willkommenskultur gelebt" in page
    assert '<html lang="de" dir="ltr">' in response.get_data(as_text=True)
    for number in range(1, 4):
        assert f"Oberziel {number}" in page
    html = response.get_data(as_text=True)
    subgoal_links = re.findall(r'href="/unterziele/(\d\.\d)"', html)
    assert len(subgoal_links) == 13
    assert "attraktiven Wohnraum" in page
    # the demo opens the proposal phase on the import day
    assert "Aktuelle Phase" in page
    assert "Vorschläge" in page
    # the seed's chronology, with its date precisions
    assert "27.04.2017" in page
    assert "Mai bis August 2017" in page
    assert "November 2017" in page
    assert "24.04.2018 und 18.05.2018" in page
    assert "12.09.2018" in page


def test_english_switch_is_remembered_in_the_session(client, demo):
    english = client.get("/?lang=en")
    assert '<html lang="en" dir="ltr">' in english.get_data(as_text=True)
    page = text_of(english)
    assert "Main goal 1" in page
    assert "attractive housing" in page
    assert "May to August 2017" in page
    # no parameter: the session remembers English
    again = client.get("/oberziele/1")
    assert '<html lang="en" dir="ltr">' in again.get_data(as_text=True)
    # and back to German
    german = client.get("/oberziele/1?lang=de")
    assert '<html lang="de" dir="ltr">' in german.get_data(as_text=True)
    assert "Unterziele" in text_of(german)


def test_accept_language_decides_without_a_choice(client, demo):
    response = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en" dir="ltr">' in response.get_data(as_text=True)
    response = client.get("/", headers={"Accept-Language": "fr"})
    assert '<html lang="de" dir="ltr">' in response.get_data(as_text=True)


def test_unknown_language_is_ignored(client, demo):
    response = client.get("/?lang=xx")
    assert response.status_code == 200
    assert '<html lang="de" dir="ltr">' in response.get_data(as_text=True)


def test_goal_page_lists_its_subgoals(client, demo):
    response = client.get("/oberziele/2")
    assert response.status_code == 200
    page = text_of(response)
    assert "attraktive und wettbewerbsfähige Wirtschaftsregion" in page
    for number in ("2.1", "2.2", "2.3", "2.4", "2.5"):
        assert f"Unterziel {number}" in page
    assert "Unterziel 1.1" not in page


def test_subgoal_page_shows_text_and_focus_areas(client, demo):
    response = client.get("/unterziele/1.2")
    assert response.status_code == 200
    page = text_of(response)
    assert "exzellente und flächendeckende Infrastruktur" in page
    assert "hochleistungsfähige Breitbandanschlüsse" in page
    assert "Nahversorgung / Einzelhandel" in page
    html = response.get_data(as_text=True)
    assert html.count("<li>") >= 8


def test_subgoal_without_focus_areas_says_so(client, demo):
    page = text_of(client.get("/unterziele/3.1"))
    assert "finanzielle Handlungsfähigkeit" in page
    assert "keine Handlungsfelder" in page


@pytest.mark.parametrize("url", ["/oberziele/9", "/unterziele/9.9", "/unterziele/abc", "/nirgendwo"])
def test_unknown_pages_are_a_translated_404(client, demo, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Seite nicht gefunden" in text_of(response)
    english = client.get(url + "?lang=en")
    assert "Page not found" in text_of(english)


def test_process_page_lists_phases_and_marks_the_current_one(client, demo):
    response = client.get("/ablauf")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count('aria-current="step"') == 1
    assert html.count('class="phase-list__item') == 7


def test_home_without_strategy_explains_what_to_do(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "import-strategy" in text_of(response)


def test_pages_cost_a_fixed_number_of_queries(client, demo, count_queries, app):
    def queries_for(url: str) -> int:
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    before = {url: queries_for(url) for url in ("/", "/ablauf", "/oberziele/1", "/unterziele/1.1")}
    with app.app_context():
        for index in range(30):
            db.session.add(
                Milestone(
                    key=f"extra-{index}",
                    date_spec="2019-01-01",
                    sort_date=__import__("datetime").date(2019, 1, 1),
                    title={"de": f"Extra {index}"},
                    body={},
                    position=100 + index,
                )
            )
        db.session.commit()
    after = {url: queries_for(url) for url in before}
    assert after == before
    assert before["/"] <= 8


def test_pages_carry_no_inline_script_or_style(client, demo):
    for url in ("/", "/ablauf", "/oberziele/1", "/unterziele/1.1", "/missing"):
        html = client.get(url).get_data(as_text=True)
        assert " style=" not in html
        assert "<style" not in html
        assert re.search(r"<script(?![^>]*\bsrc=)", html) is None
        assert "http://" not in html.replace('xmlns="http://www.w3.org', "")
