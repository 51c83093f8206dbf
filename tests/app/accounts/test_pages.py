"""Site pages: public, in the footer, edited by admins, privacy notice versioned, demo templates."""

from __future__ import annotations

from sqlalchemy import select

from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.pages.models import SitePage
from portal.pages.services import seed_demo_pages
from tests.conftest import login
from tests.conftest import post_form

PAGES = ("impressum", "datenschutz", "barrierefreiheit", "nutzungsbedingungen")


def _seed(app):  # type: ignore[no-untyped-def]
    with app.app_context():
        created = seed_demo_pages()
        db.session.commit()
        return created


def test_demo_pages_are_seeded_once_and_marked_as_templates(app, client):
    assert _seed(app) == list(PAGES)
    assert _seed(app) == []
    for slug in PAGES:
        for lang, marker in (("de", "Vorlage für den Betreiber"), ("en", "Template for the operator")):
            response = client.get(f"/{slug}?lang={lang}")
            assert response.status_code == 200
            assert marker in response.get_data(as_text=True), (slug, lang)


def test_accessibility_statement_names_the_feedback_contact(app, client):
    _seed(app)
    html = client.get("/barrierefreiheit").get_data(as_text=True)
    assert "<h1" in html and "Erklärung zur Barrierefreiheit" in html
    assert "Feedback und Kontakt" in html
    assert "Durchsetzungsverfahren" in html
    english = client.get("/barrierefreiheit?lang=en").get_data(as_text=True)
    assert "Feedback and contact" in english and "Enforcement procedure" in english


def test_pages_show_markdown_as_safe_html_with_headings_below_the_title(app, client):
    _seed(app)
    html = client.get("/datenschutz").get_data(as_text=True)
    assert html.count("<h1") == 1
    assert "<h2>Verantwortliche Stelle</h2>" in html
    assert "<blockquote>" in html


def test_footer_links_every_page(client):
    html = client.get("/").get_data(as_text=True)
    footer = html[html.index("<footer") :]
    for slug in PAGES:
        assert f'href="/{slug}"' in footer


def test_a_missing_page_says_so(client):
    html = client.get("/impressum").get_data(as_text=True)
    assert "noch nicht veröffentlicht" in html


def test_admin_edits_a_page_and_the_privacy_version_goes_up(app, client, create_user):
    _seed(app)
    admin = create_user("admin")
    login(client, admin)
    form = client.get("/verwaltung/seiten/datenschutz").get_data(as_text=True)
    assert "Verantwortliche Stelle" in form  # the Markdown source is in the form
    data = {
        "title_de": "Datenschutz",
        "body_de": "# Neu\n\nText mit <script>alert(1)</script> und [Link](javascript:alert(1)).",
        "title_en": "Privacy",
        "body_en": "# New\n\nText.",
    }
    response = post_form(client, "/verwaltung/seiten/datenschutz", data)
    assert response.status_code == 302
    with app.app_context():
        page = db.session.scalar(select(SitePage).where(SitePage.slug == "datenschutz"))
        assert page.version == 2
        assert "<script" not in page.body_html["de"]
        assert 'href="javascript' not in page.body_html["de"]
        assert page.body_html["de"].startswith("<h2>Neu</h2>")
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "pages.updated"))
        assert event.actor_id == admin and event.details == {"slug": "datenschutz", "version": 2}

    # Saving the same text again changes nothing.
    post_form(client, "/verwaltung/seiten/datenschutz", data)
    with app.app_context():
        assert db.session.scalar(select(SitePage.version).where(SitePage.slug == "datenschutz")) == 2

    # A new registration stores the version it accepted.
    visitor = app.test_client()
    post_form(
        visitor,
        "/registrieren",
        {
            "email": "consent@example.org",
            "password": "Ein langer Satz als Passwort",
            "password_confirm": "Ein langer Satz als Passwort",
            "display_name": "Consent",
            "municipality": "",
            "language": "de",
            "accept_privacy": "y",
        },
    )
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "consent@example.org"))
        assert user.privacy_version == 2


def test_a_page_can_be_created_and_errors_are_explained(app, client, create_user):
    login(client, create_user("admin"))
    html = post_form(
        client,
        "/verwaltung/seiten/impressum",
        {"title_de": "", "body_de": "", "title_en": "x" * 201, "body_en": ""},
    ).get_data(as_text=True)
    assert "Bitte geben Sie den deutschen Titel ein." in html
    assert "Bitte geben Sie den deutschen Text ein." in html
    assert "Der Titel darf höchstens 200 Zeichen haben." in html
    response = post_form(
        client, "/verwaltung/seiten/impressum", {"title_de": "Impressum", "body_de": "Angaben."}
    )
    assert response.status_code == 302
    assert "Angaben." in client.get("/impressum").get_data(as_text=True)
    # English readers see the German text, marked as German.
    english = client.get("/impressum?lang=en").get_data(as_text=True)
    assert 'lang="de"' in english and "Angaben." in english
    assert client.get("/verwaltung/seiten/gibtsnicht").status_code == 404
    assert "Site pages" in client.get("/verwaltung/seiten").get_data(as_text=True)  # lang=en stays
