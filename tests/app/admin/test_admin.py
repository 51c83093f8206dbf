"""Administration pages: strategy texts and focus areas, phases (validated, no overlaps),
milestones with documents, municipalities, departments, settings; admins only, all audited."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.core.permissions import can
from portal.core.permissions import registered_rules
from portal.extensions import db
from portal.organisations.models import Department
from portal.organisations.models import Municipality
from portal.process.models import Milestone
from portal.process.models import Phase
from portal.strategy.models import FocusArea
from portal.strategy.models import Strategy
from portal.strategy.models import SubGoal
from tests.app.moderation.conftest import ROLES
from tests.app.moderation.conftest import audit
from tests.app.moderation.conftest import field_error
from tests.app.moderation.conftest import sign_in
from tests.app.moderation.conftest import text_of
from tests.app.moderation.conftest import user
from tests.conftest import TODAY
from tests.conftest import post_form

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

RULES = {
    "admin.strategy",
    "admin.phases",
    "admin.milestones",
    "admin.municipalities",
    "admin.departments",
    "admin.settings",
    "admin.audit_log",
}
PAGES = [
    "/verwaltung/strategie",
    "/verwaltung/strategie/oberziele/1",
    "/verwaltung/strategie/unterziele/1.1",
    "/verwaltung/phasen",
    "/verwaltung/phasen/neu",
    "/verwaltung/meilensteine",
    "/verwaltung/meilensteine/neu",
    "/verwaltung/gemeinden",
    "/verwaltung/gemeinden/neu",
    "/verwaltung/geschaeftsbereiche",
    "/verwaltung/geschaeftsbereiche/neu",
    "/verwaltung/einstellungen",
    "/verwaltung/protokoll",
]


def test_rule_matrix(app, people):
    assert {name for name in registered_rules() if name.startswith("admin.")} == RULES
    with app.test_request_context():
        for rule_name in RULES:
            assert {role for role in ROLES if can(rule_name, user=user(people[role]))} == {"admin"}, rule_name


@pytest.mark.parametrize("role", ROLES)
def test_page_matrix(client, people, role):
    sign_in(client, people, role)
    for url in PAGES:
        response = client.get(url)
        if role == "visitor":
            assert response.status_code == 302 and "/anmelden" in response.location
        else:
            assert response.status_code == (200 if role == "admin" else 403), (url, role)


def test_moderator_cannot_post_admin_forms(app, client, people):
    sign_in(client, people, "moderator")
    for url in (
        "/verwaltung/strategie",
        "/verwaltung/phasen/neu",
        "/verwaltung/einstellungen",
        "/verwaltung/geschaeftsbereiche/neu",
        "/verwaltung/gemeinden/neu",
        "/verwaltung/meilensteine/neu",
    ):
        assert post_form(client, url, {"name_de": "x"}, form_url="/verwaltung").status_code == 403, url


# --- strategy -------------------------------------------------------------------------------


def _strategy_form(app):
    with app.app_context():
        strategy = db.session.scalar(select(Strategy))
        return {
            "region_name_de": strategy.region_name["de"],
            "region_name_en": strategy.region_name.get("en", ""),
            "title_de": strategy.title["de"],
            "title_en": strategy.title.get("en", ""),
            "motto_de": "Landkreis Helmstedt – gemeinsam gestalten",
            "motto_en": "Helmstedt District – shaping it together",
            "intro_de": strategy.intro.get("de", ""),
            "intro_en": "",
            "horizon_year": "2030",
        }


def test_strategy_texts_per_language(app, client, people):
    sign_in(client, people, "admin")
    response = post_form(client, "/verwaltung/strategie", _strategy_form(app))
    assert response.status_code == 303
    with app.app_context():
        strategy = db.session.scalar(select(Strategy))
        assert strategy.motto == {
            "de": "Landkreis Helmstedt – gemeinsam gestalten",
            "en": "Helmstedt District – shaping it together",
        }
        assert "en" not in strategy.intro, "an empty English text falls back to German"
        assert strategy.horizon_year == 2030
        assert audit("admin.strategy_changed")[0].actor_id == people["admin"]
    assert "shaping it together" in text_of(app.test_client().get("/?lang=en"))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("region_name_de", "", "This field is required."),
        ("motto_de", "x" * 301, "At most 300 characters."),
        ("horizon_year", "nächstes Jahr", "Enter a whole number."),
        ("horizon_year", "1999", "Enter a year between 2000 and 2100."),
    ],
)
def test_strategy_validation(app, client, people, field, value, message):
    sign_in(client, people, "admin")
    response = post_form(client, "/verwaltung/strategie", {**_strategy_form(app), field: value})
    assert response.status_code == 422
    assert field_error(response, field) == message


def test_goal_texts(app, client, people):
    sign_in(client, people, "admin")
    data = {"title_de": "Attraktiver Lebensraum für alle", "title_en": "", "text_de": "Text.", "text_en": ""}
    assert post_form(client, "/verwaltung/strategie/oberziele/1", data).status_code == 303
    assert "Attraktiver Lebensraum für alle" in text_of(app.test_client().get("/oberziele/1"))
    response = post_form(client, "/verwaltung/strategie/oberziele/1", {**data, "text_de": ""})
    assert field_error(response, "text_de") == "This field is required."
    assert client.get("/verwaltung/strategie/oberziele/99").status_code == 404


def test_subgoal_focus_areas(app, client, people):
    sign_in(client, people, "admin")
    with app.app_context():
        subgoal = db.session.scalar(select(SubGoal).where(SubGoal.number == "1.1"))
        first_id = db.session.scalar(
            select(FocusArea.id).where(FocusArea.subgoal_id == subgoal.id, FocusArea.position == 0)
        )
        title, text = subgoal.title, subgoal.text
    data = {
        "title_de": title["de"],
        "title_en": title.get("en", ""),
        "text_de": text["de"],
        "text_en": text.get("en", ""),
        "focus_de": "Generationsgerechtes Wohnen\n\nBezahlbares Bauland",
        "focus_en": "Housing for all generations\nAffordable building land",
    }
    response = post_form(client, "/verwaltung/strategie/unterziele/1.1", data)
    assert response.status_code == 303
    with app.app_context():
        areas = db.session.scalars(
            select(FocusArea).where(FocusArea.subgoal_id == subgoal.id).order_by(FocusArea.position)
        ).all()
        assert [area.title for area in areas] == [
            {"de": "Generationsgerechtes Wohnen", "en": "Housing for all generations"},
            {"de": "Bezahlbares Bauland", "en": "Affordable building land"},
        ]
        assert areas[0].id == first_id, "focus areas keep their identity by line"
    page = text_of(app.test_client().get("/unterziele/1.1?lang=en"))
    assert "Affordable building land" in page
    response = post_form(client, "/verwaltung/strategie/unterziele/1.1", {**data, "focus_en": "Only one"})
    assert response.status_code == 422
    assert field_error(response, "focus_en") == (
        "Give as many focus areas as in German, in the same order (or none)."
    )
    response = post_form(client, "/verwaltung/strategie/unterziele/1.1", {**data, "focus_tr": "Yalnızca bir"})
    assert response.status_code == 422
    assert field_error(response, "focus_tr") == (
        "Give as many focus areas as in German, in the same order (or none)."
    )
    turkish = {**data, "title_tr": "çekici konut", "focus_tr": "Her kuşak için konut\nUygun arsa"}
    assert post_form(client, "/verwaltung/strategie/unterziele/1.1", turkish).status_code == 303
    with app.app_context():
        areas = db.session.scalars(
            select(FocusArea).where(FocusArea.subgoal_id == subgoal.id).order_by(FocusArea.position)
        ).all()
        assert [area.title.get("tr") for area in areas] == ["Her kuşak için konut", "Uygun arsa"]
    form = app.test_client().get("/unterziele/1.1?lang=tr").get_data(as_text=True)
    assert "çekici konut" in form and "Uygun arsa" in form
    edit = client.get("/verwaltung/strategie/unterziele/1.1").get_data(as_text=True)
    assert 'name="title_tr"' in edit and "çekici konut" in edit, "the admin form shows every language"
    response = post_form(
        client, "/verwaltung/strategie/unterziele/1.1", {**data, "focus_de": "x" * 201, "focus_en": ""}
    )
    assert field_error(response, "focus_de") == "Each focus area may be at most 200 characters long."


# --- phases ---------------------------------------------------------------------------------


def _phase(**changes):
    start = TODAY + timedelta(days=2400)
    return {
        "kind": "statements",
        "title_de": "Zweite Stellungnahmephase",
        "title_en": "Second statement phase",
        "description_de": "",
        "description_en": "",
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=20)).isoformat(),
        **changes,
    }


def test_phases_create_change_delete(app, client, people):
    sign_in(client, people, "admin")
    response = post_form(client, "/verwaltung/phasen/neu", _phase())
    assert response.status_code == 303
    with app.app_context():
        phase = db.session.scalar(select(Phase).where(Phase.key == "zweite-stellungnahmephase"))
        assert phase.title["en"] == "Second statement phase"
        ident = phase.id
        assert audit("admin.phase_created")
    assert "Second statement phase" in text_of(client.get("/verwaltung/phasen"))
    response = post_form(client, f"/verwaltung/phasen/{ident}", _phase(title_de="Späte Stellungnahmen"))
    assert response.status_code == 303
    response = post_form(client, f"/verwaltung/phasen/{ident}/loeschen", {}, form_url="/verwaltung/phasen")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Phase, ident) is None
        assert audit("admin.phase_deleted")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"kind": "party"}, "kind", "Choose the kind of phase."),
        ({"title_de": ""}, "title_de", "This field is required."),
        ({"starts_on": ""}, "starts_on", "Enter the first day."),
        ({"starts_on": "morgen"}, "starts_on", "Enter a valid date (day, month, year)."),
        ({"ends_on": "2027-02-30"}, "ends_on", "Enter a valid date (day, month, year)."),
        (
            {"ends_on": (TODAY + timedelta(days=2399)).isoformat()},
            "ends_on",
            "The last day must not be before the first day.",
        ),
    ],
)
def test_phase_validation(client, people, changes, field, message):
    sign_in(client, people, "admin")
    response = post_form(client, "/verwaltung/phasen/neu", _phase(**changes))
    assert response.status_code == 422
    assert field_error(response, field) == message


def test_phases_do_not_overlap(app, client, people):
    sign_in(client, people, "admin")
    with app.app_context():
        existing = db.session.scalars(select(Phase).order_by(Phase.starts_on)).first()
        start, end, existing_id = existing.starts_on, existing.ends_on, existing.id
    response = post_form(
        client,
        "/verwaltung/phasen/neu",
        _phase(starts_on=end.isoformat(), ends_on=(end + timedelta(days=3)).isoformat()),
    )
    assert response.status_code == 422
    message = field_error(response, "ends_on")
    assert message.startswith("This phase overlaps with “Information”")
    # A one-day phase is fine; changing a phase does not overlap with itself.
    response = post_form(
        client,
        f"/verwaltung/phasen/{existing_id}",
        _phase(kind="information", starts_on=start.isoformat(), ends_on=end.isoformat()),
    )
    assert response.status_code == 303


# --- milestones and documents ---------------------------------------------------------------


def _milestone(**changes):
    return {
        "date_spec": "2027-03",
        "title_de": "Kreistag beschließt das Konzept",
        "title_en": "",
        "body_de": "",
        "body_en": "",
        "reference": "Drucksache 12/2027",
        **changes,
    }


@pytest.mark.parametrize("spec", ["2027-3-1", "März 2027", "2027-08..2027-05", "2027-01-02,2027-01-01", ""])
def test_milestone_date_validation(client, people, spec):
    sign_in(client, people, "admin")
    response = post_form(client, "/verwaltung/meilensteine/neu", _milestone(date_spec=spec))
    assert response.status_code == 422
    assert field_error(response, "date_spec") in (
        "This field is required.",
        "Write the date as 2017-04-27 (a day), 2017-11 (a month), 2017-05..2017-08 (months) "
        "or 2018-04-24,2018-05-18 (several days).",
    )


def _document(data: dict) -> dict:
    """The document form's fields carry the prefix "document-" (the page has two forms)."""
    return {f"document-{key}": value for key, value in data.items()}


def test_milestone_with_documents(app, client, people, tmp_path):
    sign_in(client, people, "admin")
    response = post_form(client, "/verwaltung/meilensteine/neu", _milestone(date_spec="2027-03-15..2027-04"))
    assert response.status_code == 422
    response = post_form(client, "/verwaltung/meilensteine/neu", _milestone())
    assert response.status_code == 303
    with app.app_context():
        milestone = db.session.scalar(select(Milestone).where(Milestone.reference == "Drucksache 12/2027"))
        ident = milestone.id
        assert milestone.sort_date.isoformat() == "2027-03-01"
    page = f"/verwaltung/meilensteine/{ident}"
    url = f"/verwaltung/meilensteine/{ident}/dokumente"
    # A PDF upload: stored under a random name, downloaded with its own name.
    data = {
        "title_de": "Beschlussvorlage",
        "title_en": "",
        "url": "",
        "file": (io.BytesIO(PDF), "Beschluss Kreistag.pdf"),
    }
    response = post_form(client, url, _document(data), form_url=page, content_type="multipart/form-data")
    assert response.status_code == 303
    stored = list((tmp_path / "documents").iterdir())
    assert len(stored) == 1 and stored[0].name != "Beschluss Kreistag.pdf" and stored[0].suffix == ".pdf"
    from portal.admin.models import MilestoneDocument

    with app.app_context():
        document = db.session.scalar(select(MilestoneDocument))
        document_id = document.id
    download = app.test_client().get(f"/dokumente/{document_id}")
    assert download.status_code == 200
    assert download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert "Beschluss Kreistag.pdf" in download.headers["Content-Disposition"]
    download.close()
    # The public timeline links it.
    assert f'href="/dokumente/{document_id}"' in app.test_client().get("/ablauf").get_data(as_text=True)
    # A link instead of a file.
    response = post_form(
        client,
        url,
        _document({"title_de": "Protokoll", "url": "https://www.helmstedt.de/protokoll.pdf"}),
        form_url=page,
    )
    assert response.status_code == 303
    with app.app_context():
        link = db.session.scalar(select(MilestoneDocument).where(MilestoneDocument.url.is_not(None)))
    assert app.test_client().get(f"/dokumente/{link.id}").location == "https://www.helmstedt.de/protokoll.pdf"
    # Removing the document removes its file.
    response = post_form(client, f"/verwaltung/dokumente/{document_id}/loeschen", {}, form_url=page)
    assert response.status_code == 303
    assert list((tmp_path / "documents").iterdir()) == []
    assert app.test_client().get(f"/dokumente/{document_id}").status_code == 404
    with app.app_context():
        assert audit("admin.document_added") and audit("admin.document_removed")
    response = post_form(client, f"/verwaltung/meilensteine/{ident}/loeschen", {}, form_url=page)
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Milestone, ident) is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title_de": "Dokument", "url": ""}, "url", "Upload a PDF file or give a link."),
        (
            {"title_de": "Dokument", "url": "http://example.org/a.pdf"},
            "url",
            "Give a full address starting with https://.",
        ),
        (
            {"title_de": "Dokument", "url": "javascript:alert(1)"},
            "url",
            "Give a full address starting with https://.",
        ),
        ({"title_de": "", "url": "https://example.org/a.pdf"}, "title_de", "This field is required."),
        (
            {"title_de": "Dokument", "url": "", "file": (io.BytesIO(b"GIF89a..."), "bild.pdf")},
            "file",
            "Only PDF files can be uploaded.",
        ),
        (
            {"title_de": "Dokument", "url": "https://example.org/a.pdf", "file": (io.BytesIO(PDF), "a.pdf")},
            "url",
            "Upload a file or give a link, not both.",
        ),
    ],
)
def test_document_validation(app, client, people, data, field, message):
    sign_in(client, people, "admin")
    post_form(client, "/verwaltung/meilensteine/neu", _milestone())
    with app.app_context():
        ident = db.session.scalar(select(Milestone.id).where(Milestone.reference == "Drucksache 12/2027"))
    response = post_form(
        client,
        f"/verwaltung/meilensteine/{ident}/dokumente",
        _document(data),
        form_url=f"/verwaltung/meilensteine/{ident}",
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert field_error(response, f"document-{field}") == message


def test_document_size_limit(app, client, people, monkeypatch):
    monkeypatch.setitem(app.config, "DOCUMENT_MAX_BYTES", 20)
    sign_in(client, people, "admin")
    post_form(client, "/verwaltung/meilensteine/neu", _milestone())
    with app.app_context():
        ident = db.session.scalar(select(Milestone.id).where(Milestone.reference == "Drucksache 12/2027"))
    response = post_form(
        client,
        f"/verwaltung/meilensteine/{ident}/dokumente",
        _document({"title_de": "Groß", "file": (io.BytesIO(PDF), "gross.pdf")}),
        form_url=f"/verwaltung/meilensteine/{ident}",
        content_type="multipart/form-data",
    )
    assert field_error(response, "document-file").startswith("The file is too large")


# --- municipalities and departments ---------------------------------------------------------


def test_municipality_edit_and_create(app, client, people):
    sign_in(client, people, "admin")
    with app.app_context():
        ident = db.session.scalar(select(Municipality.id).where(Municipality.key == "schoeningen"))
    data = {
        "name": "Stadt Schöningen",
        "kind": "city",
        "postcodes": "38364, 38364 38368",
        "inhabitants": "11214",
        "inhabitants_date": "2020-12-31",
        "inhabitants_note": "",
        "members": "",
    }
    assert post_form(client, f"/verwaltung/gemeinden/{ident}", data).status_code == 303
    with app.app_context():
        municipality = db.session.get(Municipality, ident)
        assert municipality.postcodes == ["38364", "38368"] and municipality.inhabitants == 11214
    response = post_form(client, "/verwaltung/gemeinden/neu", {**data, "name": "Gemeinde Süpplingen"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Municipality).where(Municipality.key == "gemeinde-suepplingen"))
        assert audit("admin.municipality_created") and audit("admin.municipality_changed")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("kind", "dorf", "Choose the kind of municipality."),
        ("postcodes", "3836, 38368", "Enter five-digit postcodes, separated by commas."),
        ("inhabitants", "-3", "Enter a whole number, 0 or more."),
        ("inhabitants", "viele", "Enter a whole number."),
        ("inhabitants_date", "31.12.2020", "Enter a valid date (day, month, year)."),
        ("members", "x" * 201, "Each name may be at most 200 characters long."),
    ],
)
def test_municipality_validation(client, people, field, value, message):
    sign_in(client, people, "admin")
    data = {
        "name": "Gemeinde Test",
        "kind": "municipality",
        "postcodes": "",
        "inhabitants": "",
        "inhabitants_date": "",
        "inhabitants_note": "",
        "members": "",
        field: value,
    }
    response = post_form(client, "/verwaltung/gemeinden/neu", data)
    assert response.status_code == 422
    assert field_error(response, field) == message


def test_departments(app, client, people):
    sign_in(client, people, "admin")
    response = post_form(
        client,
        "/verwaltung/geschaeftsbereiche/neu",
        {"name_de": "Bauen, Planen und Umwelt", "name_en": "Building, Planning and Environment"},
    )
    assert response.status_code == 303
    with app.app_context():
        department = db.session.scalar(select(Department).where(Department.key == "bauen-planen-und-umwelt"))
        assert department.name["en"] == "Building, Planning and Environment" and not department.demo
        ident = department.id
    response = post_form(client, f"/verwaltung/geschaeftsbereiche/{ident}", {"name_de": "", "position": "x"})
    assert response.status_code == 422
    assert field_error(response, "name_de") == "This field is required."
    assert field_error(response, "position") == "Enter a whole number."
    assert "Building, Planning and Environment" in text_of(client.get("/verwaltung/geschaeftsbereiche"))


# --- settings -------------------------------------------------------------------------------

SETTINGS = {
    "moderation_mode": "pre",
    "hide_threshold": "2",
    "require_residence": "y",
    "points_per_ballot": "12",
    "max_per_subgoal": "4",
    "results_live": "y",
    "edit_window": "30",
    "reminder_days": "5",
}


def test_settings_are_read_by_the_modules(app, client, people):
    sign_in(client, people, "admin")
    response = post_form(client, "/verwaltung/einstellungen", SETTINGS)
    assert response.status_code == 303
    with app.test_request_context():
        from portal.flags.services import hide_threshold
        from portal.priorities.queries import ballot_rules
        from portal.proposals.services import ModerationMode
        from portal.proposals.services import moderation_mode
        from portal.statements.services import default_reminder_days

        assert moderation_mode() is ModerationMode.PRE
        assert hide_threshold() == 2
        rules = ballot_rules()
        assert (rules.points_per_ballot, rules.max_per_subgoal, rules.results_live) == (12, 4, True)
        assert default_reminder_days() == 5
        from portal.core.settings import get_setting

        assert get_setting("supports.require_residence", False) is True
        assert get_setting("comments.edit_window_minutes", 15) == 30
    with app.app_context():
        changed = {event.details["key"] for event in audit("settings.changed")}
        assert "proposals.moderation_mode" in changed and len(changed) == 8
    # Saving again changes nothing and records nothing.
    post_form(client, "/verwaltung/einstellungen", SETTINGS)
    with app.app_context():
        assert len(audit("settings.changed")) == 8
    # Unchecked boxes switch off.
    post_form(client, "/verwaltung/einstellungen", {k: v for k, v in SETTINGS.items() if k != "results_live"})
    with app.test_request_context():
        from portal.priorities.queries import ballot_rules

        assert ballot_rules().results_live is False


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("moderation_mode", "never", "Choose how new proposals are moderated."),
        ("hide_threshold", "0", "Enter a number between 1 and 100."),
        ("hide_threshold", "", "Enter a number between 1 and 100."),
        ("points_per_ballot", "101", "Enter a number between 1 and 100."),
        ("max_per_subgoal", "13", "This cannot be more than the points a participant has."),
        ("edit_window", "-1", "Enter a number between 0 and 1440."),
        ("reminder_days", "99", "Enter a number between 0 and 60."),
    ],
)
def test_settings_validation(client, people, field, value, message):
    sign_in(client, people, "admin")
    response = post_form(client, "/verwaltung/einstellungen", {**SETTINGS, field: value})
    assert response.status_code == 422
    assert field_error(response, field) == message


def test_pre_moderation_setting_puts_new_proposals_in_the_queue(app, client, people, make_proposal):
    sign_in(client, people, "admin")
    post_form(client, "/verwaltung/einstellungen", SETTINGS)
    ident = make_proposal()
    assert app.test_client().get(f"/vorschlaege/{ident}").status_code == 404
    assert f'value="{ident}"' in client.get("/verwaltung/warteschlange?bereich=neu").get_data(as_text=True)
