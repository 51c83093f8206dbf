"""Answer templates: admins write, change and delete them (validated, audited); moderators use them."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.moderation.models import AnswerTemplate
from tests.app.moderation.conftest import audit
from tests.app.moderation.conftest import field_error
from tests.app.moderation.conftest import sign_in
from tests.app.moderation.conftest import text_of
from tests.conftest import post_form

NEW = "/verwaltung/antwortvorlagen/neu"
VALID = {
    "title_de": "Ablehnung: Zuständigkeit des Landes",
    "text_de": "Für dieses Anliegen ist das Land Niedersachsen zuständig.",
    "title_en": "Rejection: the state is responsible",
    "text_en": "The State of Lower Saxony is responsible for this.",
}


def test_admin_creates_changes_and_deletes_a_template(app, client, people):
    sign_in(client, people, "admin")
    response = post_form(client, NEW, VALID)
    assert response.status_code == 303
    with app.app_context():
        template = db.session.scalar(select(AnswerTemplate))
        assert template.title == {"de": VALID["title_de"], "en": VALID["title_en"]}
        assert template.text["en"] == VALID["text_en"]
        ident = template.id
        assert audit("moderation.template_created")[0].actor_id == people["admin"]
    assert VALID["title_en"] in text_of(client.get("/verwaltung/antwortvorlagen"))
    form = client.get(f"/verwaltung/antwortvorlagen/{ident}").get_data(as_text=True)
    assert VALID["text_de"] in form
    response = post_form(client, f"/verwaltung/antwortvorlagen/{ident}", {**VALID, "text_de": "Neuer Text."})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(AnswerTemplate, ident).text["de"] == "Neuer Text."
    response = post_form(
        client, f"/verwaltung/antwortvorlagen/{ident}/loeschen", {}, form_url="/verwaltung/antwortvorlagen"
    )
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(AnswerTemplate, ident) is None
        assert audit("moderation.template_deleted")


def test_template_validation(client, people):
    sign_in(client, people, "admin")
    cases = [
        ({**VALID, "title_de": ""}, "title_de", "Enter a title."),
        ({**VALID, "text_de": " "}, "text_de", "Enter the text of the answer."),
        ({**VALID, "title_de": "x" * 121}, "title_de", "At most 120 characters."),
        (
            {**VALID, "text_en": ""},
            "text_en",
            "Give both the English title and the English text, or neither.",
        ),
        (
            {**VALID, "title_en": ""},
            "text_en",
            "Give both the English title and the English text, or neither.",
        ),
    ]
    for data, field, message in cases:
        response = post_form(client, NEW, data)
        assert response.status_code == 422, field
        assert field_error(response, field) == message
    # Typed text is kept on error.
    assert VALID["text_de"] in response.get_data(as_text=True)


def test_unknown_template_is_404(client, people):
    sign_in(client, people, "admin")
    assert client.get("/verwaltung/antwortvorlagen/4711").status_code == 404
