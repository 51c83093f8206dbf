"""Lists across the portal and per Unterziel: filters, sorts (random with a seed), pages, search with
German stemming, counts on the home and Unterziel pages, and bounded query counts."""

from __future__ import annotations

import re

import pytest

from portal.comments import services as comment_services
from portal.comments.services import Voice
from portal.extensions import db
from portal.proposals import services
from portal.proposals.models import Horizon
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus
from tests.app.participation.conftest import municipality_id
from tests.app.participation.conftest import text_of
from tests.app.participation.conftest import user
from tests.conftest import login


def titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    html = response.get_data(as_text=True)
    return re.findall(
        r'<h\d class="kern-title"><a class="kern-link" href="/vorschlaege/\d+"[^>]*>([^<]+)</a>', html
    )


def test_list_shows_public_proposals_only(client, people, make_proposal):
    make_proposal(people["author"], title="Öffentlicher Vorschlag für alle")
    make_proposal(people["author"], title="Wartet noch auf die Moderation", published=False)
    make_proposal(people["author"], title="Zurückgezogener Vorschlag hier", status=ProposalStatus.WITHDRAWN)
    hidden = make_proposal(people["author"], title="Ausgeblendeter Vorschlag hier")
    with client.application.app_context():
        db.session.get(Proposal, hidden).hidden_at = db.session.get(Proposal, hidden).created_at
        db.session.commit()
    shown = titles(client.get("/vorschlaege"))
    assert shown == ["Öffentlicher Vorschlag für alle"]
    assert titles(client.get("/vorschlaege?status=withdrawn")) == ["Zurückgezogener Vorschlag hier"]


def test_filters(client, people, make_proposal):
    make_proposal(
        people["author"], title="Wohnen in Schöningen stärken", subgoal="1.1", municipality="schoeningen"
    )
    make_proposal(
        people["author"],
        title="Glasfaser im ganzen Landkreis",
        subgoal="1.2",
        municipality=None,
        horizon=Horizon.MEDIUM,
    )
    make_proposal(
        people["author"],
        title="Gewerbegebiet an der A2 entwickeln",
        subgoal="2.1",
        municipality="helmstedt",
        horizon=Horizon.LONG,
        status=ProposalStatus.UNDER_REVIEW,
    )
    assert len(titles(client.get("/vorschlaege"))) == 3
    assert titles(client.get("/vorschlaege?oberziel=2")) == ["Gewerbegebiet an der A2 entwickeln"]
    assert titles(client.get("/vorschlaege?unterziel=1.1")) == ["Wohnen in Schöningen stärken"]
    assert titles(client.get("/vorschlaege?gemeinde=schoeningen")) == ["Wohnen in Schöningen stärken"]
    assert titles(client.get("/vorschlaege?gemeinde=district")) == ["Glasfaser im ganzen Landkreis"]
    assert titles(client.get("/vorschlaege?status=under_review")) == ["Gewerbegebiet an der A2 entwickeln"]
    assert titles(client.get("/vorschlaege?horizont=medium")) == ["Glasfaser im ganzen Landkreis"]
    assert titles(client.get("/vorschlaege?oberziel=1&horizont=short")) == ["Wohnen in Schöningen stärken"]
    # unknown values are ignored, never an error
    for junk in (
        "oberziel=9",
        "unterziel=x",
        "gemeinde=atlantis",
        "status=lost",
        "horizont=never",
        "sortierung=best",
        "seite=abc",
        "seed=-1",
        "seite=99999999999",
    ):
        response = client.get(f"/vorschlaege?{junk}")
        assert response.status_code == 200, junk
        assert len(titles(response)) == 3, junk


def test_filter_by_official_statements(app, client, people, make_proposal):
    with_statement = make_proposal(people["author"], title="Mit Stellungnahme der Stadt")
    make_proposal(people["author"], title="Ohne Stellungnahme bisher")
    with app.test_request_context():
        comment_services.post_comment(
            db.session.get(Proposal, with_statement),
            user(people["municipality_rep"]),
            "Wir unterstützen das.",
            voice=Voice(municipality_id=municipality_id("schoeningen")),
        )
        db.session.commit()
    assert titles(client.get("/vorschlaege?stellungnahmen=y")) == ["Mit Stellungnahme der Stadt"]


def test_sorting(client, people, make_proposal):
    make_proposal(people["author"], title="Erster Vorschlag mit wenig", supports=1, comments=3)
    make_proposal(people["author"], title="Zweiter Vorschlag mit mehr", supports=3, comments=1)
    make_proposal(people["author"], title="Dritter Vorschlag, der neueste", supports=2)
    assert titles(client.get("/vorschlaege?sortierung=unterstuetzt")) == [
        "Zweiter Vorschlag mit mehr",
        "Dritter Vorschlag, der neueste",
        "Erster Vorschlag mit wenig",
    ]
    assert titles(client.get("/vorschlaege?sortierung=diskutiert"))[0] == "Erster Vorschlag mit wenig"
    assert titles(client.get("/vorschlaege?sortierung=neu"))[0] == "Dritter Vorschlag, der neueste"


def test_random_order_is_stable_for_a_seed_and_changes_with_it(client, people, make_proposal):
    for number in range(12):
        make_proposal(people["author"], title=f"Idee Nummer {number:02d} für den Kreis")
    default = client.get("/vorschlaege")
    assert 'name="seed" value="20261125"' in default.get_data(as_text=True)  # the day's seed
    first = titles(client.get("/vorschlaege?seed=11"))
    assert first == titles(client.get("/vorschlaege?seed=11"))
    assert titles(default) == titles(client.get("/vorschlaege?seed=20261125"))
    orders = {tuple(titles(client.get(f"/vorschlaege?seed={seed}"))) for seed in (11, 12, 99, 12345)}
    assert len(orders) > 1
    assert sorted(first) == sorted(titles(client.get("/vorschlaege?sortierung=neu")))


def test_pages_keep_filters_and_seed(client, people, make_proposal):
    for number in range(23):
        make_proposal(people["author"], title=f"Vorschlag Nummer {number:02d} im Kreis")
    first = client.get("/vorschlaege?seed=5&horizont=short")
    page = text_of(first)
    assert "23 Vorschläge" in page
    assert "Seite 1 von 2" in page
    assert len(titles(first)) == 20
    html = first.get_data(as_text=True)
    next_link = re.search(r'rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "seite=2" in next_link and "seed=5" in next_link and "horizont=short" in next_link
    second = client.get(next_link)
    assert len(titles(second)) == 3
    assert not set(titles(first)) & set(titles(second))
    assert len(titles(client.get("/vorschlaege?seed=5&seite=7"))) == 3  # past the end: the last page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Häuser", "Ein Haus für junge Familien"),
        ("haus", "Ein Haus für junge Familien"),
        ("Radwege", "Radweg zwischen Helmstedt und Königslutter"),
        ("Ärzte", "Ärztehaus in Schöningen gründen"),
        ("Arzt Schöningen", "Ärztehaus in Schöningen gründen"),
        ("Busverbindungen", "Bessere Busverbindung nach Wolfsburg"),
    ],
)
def test_search_with_german_stemming(client, people, make_proposal, query, expected):
    make_proposal(
        people["author"],
        title="Ein Haus für junge Familien",
        body="Leerstehende Gebäude in der Innenstadt sollen jungen Familien angeboten werden.",
    )
    make_proposal(
        people["author"],
        title="Radweg zwischen Helmstedt und Königslutter",
        body="Ein sicherer Radweg entlang der Landstraße verbindet beide Städte.",
    )
    make_proposal(
        people["author"],
        title="Ärztehaus in Schöningen gründen",
        body="Mehrere Ärzte und ein Arzt für Kinder teilen sich Praxisräume und Personal.",
    )
    make_proposal(
        people["author"],
        title="Bessere Busverbindung nach Wolfsburg",
        body="Der Bus sollte morgens und abends öfter fahren, damit Pendler ihn nutzen.",
    )
    found = titles(client.get("/vorschlaege", query_string={"q": query}))
    assert expected in found
    assert len(found) == 1


def test_search_finds_edited_text_and_ignores_noise(app, client, people, make_proposal):
    proposal_id = make_proposal(people["author"], title="Spielplatz im Lappwald erneuern")
    assert titles(client.get("/vorschlaege?q=Spielplätze")) == ["Spielplatz im Lappwald erneuern"]
    with app.test_request_context():
        proposal = db.session.get(Proposal, proposal_id)
        data = services.ProposalData(
            subgoal_id=proposal.subgoal_id,
            focus_area_id=None,
            title="Bolzplatz im Lappwald erneuern",
            body=proposal.body,
            municipality_id=None,
            horizon=proposal.horizon,
            cost_class=proposal.cost_class,
        )
        services.update_proposal(proposal, data)
        db.session.commit()
    assert titles(client.get("/vorschlaege?q=Spielplatz")) == []
    assert titles(client.get("/vorschlaege?q=Bolzplätze")) == ["Bolzplatz im Lappwald erneuern"]
    # only stopwords or punctuation: no filter at all
    assert len(titles(client.get("/vorschlaege?q=und+der"))) == 1
    assert client.get('/vorschlaege?q=%22%29%28*%3A"').status_code == 200


def test_counts_on_home_and_subgoal_pages(client, people, make_proposal):
    for _ in range(3):
        make_proposal(people["author"], subgoal="1.1")
    make_proposal(people["author"], subgoal="1.2")
    make_proposal(people["author"], subgoal="1.2", published=False)
    home = client.get("/").get_data(as_text=True)
    assert re.search(
        r'href="/unterziele/1.1">.*?</a>\s*<span class="proposal-count[^"]*">3 Vorschläge', home, re.S
    )
    assert re.search(
        r'href="/unterziele/1.2">.*?</a>\s*<span class="proposal-count[^"]*">1 Vorschlag<', home, re.S
    )
    assert re.search(
        r'href="/unterziele/2.1">.*?</a>\s*<span class="proposal-count[^"]*">0 Vorschläge', home, re.S
    )
    subgoal = client.get("/unterziele/1.1")
    assert "3 Vorschläge" in text_of(subgoal)
    assert len(titles(subgoal)) == 3
    assert "Vorschlag machen" in text_of(subgoal)
    assert 'href="/vorschlaege/neu?unterziel=1.1"' in subgoal.get_data(as_text=True)


def test_subgoal_page_filters_within_the_subgoal(client, people, make_proposal):
    make_proposal(people["author"], subgoal="1.1", title="Wohnen in Lehre verbessern", municipality="lehre")
    make_proposal(people["author"], subgoal="1.1", title="Wohnen in Velpke verbessern", municipality="velpke")
    make_proposal(people["author"], subgoal="1.2", title="Anderes Unterziel, Lehre", municipality="lehre")
    assert titles(client.get("/unterziele/1.1?gemeinde=lehre")) == ["Wohnen in Lehre verbessern"]
    html = client.get("/unterziele/1.1").get_data(as_text=True)
    assert 'name="unterziel"' not in html and 'name="oberziel"' not in html


def test_english_list(client, people, make_proposal):
    make_proposal(people["author"], supports=1)
    page = text_of(client.get("/vorschlaege?lang=en"))
    assert "1 proposal" in page and "1 support" in page and "Short term (up to 2 years)" in page


# --- bounded query counts ------------------------------------------------------------------


def _queries(client, url, count_queries) -> int:  # type: ignore[no-untyped-def]
    client.get(url)  # warm up: the session cookie, lazy imports
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter.count


@pytest.mark.parametrize("signed_in", [False, True])
def test_list_queries_do_not_grow(client, people, make_proposal, count_queries, signed_in):
    if signed_in:
        login(client, people["citizen"])
    for place in ("helmstedt", "lehre"):
        make_proposal(people["author"], supports=1, comments=1, municipality=place)
    search = "/vorschlaege?q=Beschreibung&sortierung=unterstuetzt"
    few = _queries(client, "/vorschlaege", count_queries)
    few_search = _queries(client, search, count_queries)
    few_municipality = _queries(client, "/vorschlaege?gemeinde=lehre&sortierung=neu", count_queries)
    few_subgoal = _queries(client, "/unterziele/1.2", count_queries)
    few_home = _queries(client, "/", count_queries)
    for number in range(25):
        make_proposal(
            people["author"], supports=2, comments=2, municipality=("lehre", "velpke", None)[number % 3]
        )
    assert _queries(client, "/vorschlaege", count_queries) == few
    assert _queries(client, search, count_queries) == few_search <= few + 1
    assert _queries(client, "/vorschlaege?gemeinde=lehre&sortierung=neu", count_queries) == few_municipality
    assert _queries(client, "/unterziele/1.2", count_queries) == few_subgoal
    assert _queries(client, "/", count_queries) == few_home
    assert few <= 12


@pytest.mark.parametrize("role", ["visitor", "citizen", "author", "municipality_rep", "moderator"])
def test_detail_queries_do_not_grow(app, client, people, make_proposal, count_queries, role):
    if people[role]:
        login(client, people[role])
    commenters = ("citizen", "author", "municipality_rep", "department_staff")

    def discussed(supports: int, threads: int) -> int:
        proposal_id = make_proposal(people["author"], supports=supports)
        with app.test_request_context():
            proposal = db.session.get(Proposal, proposal_id)
            for number in range(threads):
                top = comment_services.post_comment(
                    proposal, user(people[commenters[number % 4]]), f"K {number}"
                )
                for reply in range(2):
                    comment_services.post_comment(
                        proposal, user(people[commenters[reply]]), "Antwort", parent=top
                    )
            comment_services.post_comment(
                proposal,
                user(people["municipality_rep"]),
                "Stellungnahme",
                voice=Voice(municipality_id=municipality_id("schoeningen")),
            )
            db.session.commit()
        return proposal_id

    small = _queries(client, f"/vorschlaege/{discussed(1, 1)}", count_queries)
    busy = _queries(client, f"/vorschlaege/{discussed(15, 12)}", count_queries)
    assert busy == small
    assert busy <= 25
