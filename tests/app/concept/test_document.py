"""The Kreisentwicklungskonzept: assembly, figures that add up, publishing, frozen versions, PDF."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.concept import assemble
from portal.concept.assemble import assemble_document
from portal.extensions import db
from portal.measures.models import MeasureStatus
from portal.measures.queries import get_measure
from tests.app.measures.conftest import OTHER_DEPARTMENT
from tests.app.measures.conftest import OWN_DEPARTMENT
from tests.app.measures.conftest import text_of
from tests.conftest import login
from tests.conftest import post_form

SOCIAL = "demo-jugend-soziales-gesundheit"


@pytest.fixture
def measures(make_measure):  # type: ignore[no-untyped-def]
    return {
        "a": make_measure(
            "Mobilitätsstationen",
            subgoals=["1.4", "1.2"],
            departments=[OTHER_DEPARTMENT, OWN_DEPARTMENT],
            lead=OTHER_DEPARTMENT,
            budget=[
                (2026, 100_000_00, "Eigenmittel"),
                (2027, 200_000_00, "Land"),
                (2027, 50_000_00, "Eigen"),
            ],
            indicators=[("Fahrgäste je Werktag", "Personen", "higher", 3100, 2024, 4000, 2030)],
            values=[(0, 2025, 3250)],
            status="in_progress",
            progress=25,
        ),
        "b": make_measure(
            "Gewerbeflächen im Revier",
            subgoals=["2.1"],
            departments=[OWN_DEPARTMENT],
            budget=[(2027, 1_000_000_00, "Bund"), (2031, 333_333_33, "Bund")],
        ),
        "c": make_measure(
            "Landarztstipendien", subgoals=["1.2"], departments=[SOCIAL], budget=[(2026, 60_000_00, "E")]
        ),
        "d": make_measure(
            "Ohne Geschäftsbereich", subgoals=["3.1"], departments=[], budget=[(2028, 7_50, "E")]
        ),
        "dropped": make_measure(
            "Verworfen", subgoals=["1.1"], status="dropped", budget=[(2026, 999_999_00, "X")]
        ),
        "hidden": make_measure("Intern", subgoals=["1.1"], public=False, budget=[(2026, 888_888_00, "X")]),
    }


def test_the_documents_figures_add_up(app, measures):
    with app.test_request_context():
        doc = assemble_document()
    budget = doc["budget"]
    entries = doc["measures"]
    assert sorted(entry["title"] for entry in entries) == [
        "Gewerbeflächen im Revier",
        "Landarztstipendien",
        "Mobilitätsstationen",
        "Ohne Geschäftsbereich",
    ]
    expected_total = 100_000_00 + 250_000_00 + 1_000_000_00 + 333_333_33 + 60_000_00 + 7_50
    assert budget["total_cents"] == expected_total
    assert sum(row["cents"] for row in budget["by_year"]) == expected_total
    assert sum(entry["budget_total_cents"] for entry in entries) == expected_total
    assert sum(row["total_cents"] for row in budget["by_department"]) == expected_total
    assert budget["years"] == [2026, 2027, 2028, 2031]
    for index, year_row in enumerate(budget["by_year"]):
        assert sum(row["cents"][index] for row in budget["by_department"]) == year_row["cents"]
    for row in budget["by_department"]:
        assert sum(row["cents"]) == row["total_cents"]
    by_department = {row["key"]: row["total_cents"] for row in budget["by_department"]}
    assert by_department == {
        OWN_DEPARTMENT: 1_333_333_33,
        SOCIAL: 60_000_00,
        OTHER_DEPARTMENT: 350_000_00,  # the lead department carries the whole measure
        "": 7_50,
    }
    assert {row["year"]: row["cents"] for row in budget["by_year"]} == {
        2026: 160_000_00,
        2027: 1_250_000_00,
        2028: 7_50,
        2031: 333_333_33,
    }


def test_measures_are_grouped_under_their_first_subgoal(app, measures):
    with app.test_request_context():
        doc = assemble_document()
    subgoals = {subgoal["number"]: subgoal for goal in doc["goals"] for subgoal in goal["subgoals"]}
    by_code = {entry["code"]: entry for entry in doc["measures"]}
    # 1.2 comes before 1.4 in the strategy: the station measure lives there, 1.4 refers to it
    assert [by_code[code]["title"] for code in subgoals["1.2"]["measures"]] == [
        "Landarztstipendien",
        "Mobilitätsstationen",
    ]
    assert subgoals["1.4"]["measures"] == []
    assert [by_code[code]["title"] for code in subgoals["1.4"]["also"]] == ["Mobilitätsstationen"]
    assert subgoals["1.2"]["measures"] == ["1.2.1", "1.2.2"]
    station = by_code["1.2.2"]
    assert station["lead_department"]["de"] == "Demo: Ordnung und Verkehr"
    assert station["indicators"][0]["latest"] == {"year": 2025, "value": 3250.0}
    assert station["budget"] == [{"year": 2026, "cents": 100_000_00}, {"year": 2027, "cents": 250_000_00}]
    assert subgoals["1.1"]["measures"] == []  # dropped and unpublished measures are not in the concept
    assert doc["status_counts"] == {"planned": 3, "in_progress": 1, "completed": 0, "deferred": 0}


def cells(html: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    return [
        [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).replace("\xa0", " ").strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def euros(text: str) -> int:
    """ "1.250.000,00 €" → cents."""
    number = text.replace("€", "").replace(".", "").strip()
    whole, _, fraction = number.partition(",")
    return int(whole) * 100 + int((fraction or "0").ljust(2, "0"))


def test_the_rendered_summary_tables_add_up(client, measures, moderator):
    login(client, moderator)
    html = client.get("/konzept/entwurf").get_data(as_text=True)
    by_year = cells(html, "budget-by-year")
    year_amounts = [euros(row[1]) for row in by_year[1:-1]]
    assert sum(year_amounts) == euros(by_year[-1][1])
    by_department = cells(html, "budget-by-department")
    body = by_department[1:-1]
    footer = by_department[-1]
    for column in range(1, len(footer)):
        assert sum(euros(row[column]) for row in body) == euros(footer[column])
    for row in body:
        assert sum(euros(cell) for cell in row[1:-1]) == euros(row[-1])
    assert euros(footer[-1]) == euros(by_year[-1][1])
    assert [row[0] for row in body][-1] == "noch nicht zugeordnet"


def test_publishing_freezes_a_version(app, client, measures, moderator, make_measure):
    login(client, moderator)
    assert "Unveröffentlichter Entwurf" in text_of(client.get("/konzept/entwurf"))
    response = post_form(
        client, "/verwaltung/konzept", {"status": "draft_for_council", "note": "Vorlage für den Kreistag"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/konzept/1")
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "concept.published"))
        assert event.actor_id == moderator
        assert event.details["number"] == 1
        assert event.details["status"] == "draft_for_council"
        # the measures change after publishing ...
        measure = get_measure(measures["b"])
        measure.title = "Gewerbeflächen, umbenannt"
        measure.status = MeasureStatus.PLANNED
        db.session.commit()
    make_measure("Nachzüglerin", subgoals=["3.2"])
    # ... the published version does not (as any visitor sees it)
    version = text_of(app.test_client().get("/konzept/1"))
    assert "Version 1" in version
    assert "Entwurf für den Kreistag" in version
    assert "Vorlage für den Kreistag" in version
    assert "Gewerbeflächen im Revier" in version
    assert "umbenannt" not in version
    assert "Nachzüglerin" not in version
    login(client, moderator)
    assert "Gewerbeflächen, umbenannt" in text_of(client.get("/konzept/entwurf"))
    post_form(client, "/verwaltung/konzept", {"status": "decided"})
    listing = text_of(client.get("/konzept"))
    assert "Version 2" in listing and "Version 1" in listing
    assert "Vom Kreistag beschlossen" in listing
    assert "Entwurf für den Kreistag" in listing
    assert "Nachzüglerin" in text_of(client.get("/konzept/2"))


def test_publish_form_needs_a_status(client, moderator):
    login(client, moderator)
    response = post_form(client, "/verwaltung/konzept", {"note": "ohne Status"})
    assert response.status_code == 200
    assert "Wählen Sie, als was die Version veröffentlicht wird." in text_of(response)
    assert client.get("/konzept/1").status_code == 404


def test_unknown_versions_are_404(client, demo):
    assert client.get("/konzept/7").status_code == 404
    assert client.get("/konzept/7.pdf").status_code == 404
    assert "Es wurde noch keine Version veröffentlicht." in text_of(client.get("/konzept"))


def test_the_pdf_is_produced_and_says_what_the_web_view_says(app, client, measures, moderator):
    login(client, moderator)
    post_form(client, "/verwaltung/konzept", {"status": "decided", "note": "Beschluss vom 12.03.2027"})
    response = client.get("/konzept/1.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) >= 3
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert "Kreisentwicklungskonzept 2026" in text
    assert "Vom Kreistag beschlossen" in text
    assert "Beschluss vom 12.03.2027" in text
    assert "Oberziel 1: Attraktiver Lebensraum" in text
    assert "Maßnahme 1.2.2: Mobilitätsstationen" in text
    assert "Fahrgäste je Werktag" in text
    assert "Budget nach Jahren" in text
    assert "Budget nach Geschäftsbereichen" in text
    assert "1.743.340,83 €" in text  # the total: 100.000 + 250.000 + 1.333.333,33 + 60.000 + 7,50
    fonts = {
        str(font.get("/BaseFont"))
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
        for font in [font.get_object()]
    }
    assert any("Fira" in name or "DejaVu" in name for name in fonts)


def test_the_pdf_renderer_fetches_nothing_from_the_network(app):
    from portal.concept.pdf import BlockedURL
    from portal.concept.pdf import _fetcher
    from portal.concept.pdf import font_dir

    with app.app_context():
        fetcher = _fetcher(font_dir())
        for url in ("https://example.org/font.woff2", "http://127.0.0.1/", "file:///etc/passwd"):
            with pytest.raises(BlockedURL):
                fetcher.fetch(url)


# ---- The parts that come from other modules --------------------------------------------------


def test_participation_figures(app, client, measures, moderator, create_user, ids):
    from portal.comments.models import Comment
    from portal.core import clock
    from portal.proposals.models import CostClass
    from portal.proposals.models import Horizon
    from portal.proposals.models import Proposal
    from portal.proposals.models import Support

    alice, bob, carol, dora = (create_user() for _ in range(4))
    with app.app_context():
        now = clock.now()

        def proposal(author: int, hidden: bool = False) -> Proposal:
            item = Proposal(
                subgoal_id=ids["subgoal"]["1.1"],
                author_id=author,
                title="Vorschlag",
                body="Text",
                body_html="<p>Text</p>",
                horizon=Horizon.SHORT,
                cost_class=CostClass.SMALL,
                published_at=now,
                hidden_at=now if hidden else None,
            )
            db.session.add(item)
            db.session.flush()
            return item

        first = proposal(alice)
        proposal(bob, hidden=True)
        db.session.add_all(
            [
                Comment(proposal_id=first.id, author_id=bob, body="a", body_html="a"),
                Comment(proposal_id=first.id, author_id=alice, body="b", body_html="b"),
                Comment(proposal_id=first.id, author_id=carol, body="", body_html="", deleted_at=now),
                Comment(
                    proposal_id=first.id,
                    author_id=carol,
                    body="s",
                    body_html="s",
                    official_municipality_id=ids["municipality"]["helmstedt"],
                ),
                Support(proposal_id=first.id, user_id=dora),
            ]
        )
        db.session.commit()
        with app.test_request_context():
            participation = assemble_document()["participation"]
    assert participation == {"proposals": 1, "comments": 2, "statements": 1, "supports": 1, "people": 4}
    login(client, moderator)
    page = text_of(client.get("/konzept/entwurf"))
    assert "Beteiligung in Zahlen" in page
    assert "Beteiligte Personen 4" in page


def test_participation_is_left_out_without_proposals(app, client, measures, moderator, monkeypatch):
    from portal.concept import participation

    monkeypatch.setattr(participation, "_tables", lambda *names: {})
    with app.test_request_context():
        assert assemble_document()["participation"] is None
    login(client, moderator)
    page = text_of(client.get("/konzept/entwurf"))
    assert "Beteiligte Personen" not in page


def test_priorities_section_uses_the_hook_when_there_are_results(
    app, client, measures, moderator, monkeypatch
):
    def fake_import(name: str):  # type: ignore[no-untyped-def]
        class Module:
            @staticmethod
            def results_for_concept():  # type: ignore[no-untyped-def]
                return {
                    "public": True,
                    "final": True,
                    "participants": 42,
                    "subgoals": [
                        {
                            "number": "2.1",
                            "title": {"de": "Gewerbe- und Industriestandort"},
                            "points": 120,
                            "people": 30,
                            "share": 0.4,
                            "rank_by_points": 1,
                        },
                        {
                            "number": "1.1",
                            "title": {"de": "attraktiven Wohnraum"},
                            "points": 90,
                            "people": 25,
                            "share": 0.3,
                            "rank_by_points": 2,
                        },
                    ],
                }

        return Module

    monkeypatch.setattr(assemble.importlib, "import_module", fake_import)
    login(client, moderator)
    page = text_of(client.get("/konzept/entwurf"))
    assert "Prioritäten der Teilnehmenden" in page
    assert "42 Personen haben ihre Punkte auf die Unterziele verteilt." in page
    assert "1 2.1 Gewerbe- und Industriestandort 120 40.0 %" in page


@pytest.mark.parametrize("failure", ["missing", "raises", "not_public"])
def test_priorities_section_is_left_out_gracefully(app, measures, monkeypatch, failure):
    def fake_import(name: str):  # type: ignore[no-untyped-def]
        if failure == "missing":
            raise ImportError(name)

        class Module:
            @staticmethod
            def results_for_concept():  # type: ignore[no-untyped-def]
                if failure == "raises":
                    raise RuntimeError("broken")
                return {"public": False, "participants": 5, "subgoals": [{"number": "1.1", "points": 3}]}

        return Module

    monkeypatch.setattr(assemble.importlib, "import_module", fake_import)
    with app.test_request_context():
        doc = assemble_document()
    assert doc["priorities"] is None
    assert len(doc["measures"]) == 4
