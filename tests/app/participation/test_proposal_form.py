"""The guided proposal form: Unterziel step, every field's bad input with its message, the preview
with similar proposals, confirmation, moderation mode, phases, editing and withdrawing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.core import clock
from portal.core.settings import set_setting
from portal.extensions import db
from portal.proposals.models import Follow
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus
from portal.proposals.models import ProposalStatusChange
from tests.app.participation.conftest import field_error
from tests.app.participation.conftest import text_of
from tests.conftest import login
from tests.conftest import post_form

URL = "/vorschlaege/neu?unterziel=1.2"
VALID = {
    "subgoal": "1.2",
    "title": "Bürgerbus für die Dörfer rund um Süpplingen",
    "body": "Ein ehrenamtlich gefahrener Bürgerbus verbindet die Dörfer zweimal täglich "
    "mit dem Arzt in Süpplingen.",
    "municipality": "nord-elm",
    "horizon": "short",
    "cost_class": "medium",
    "focus_area": "",
    "image_alt": "",
}


@pytest.fixture
def citizen(client, people):
    login(client, people["citizen"])
    return people["citizen"]


def test_step_one_chooses_the_subgoal(client, citizen):
    response = client.get("/vorschlaege/neu")
    assert response.status_code == 200
    page = text_of(response)
    assert "Schritt 1 von 3" in page
    html = response.get_data(as_text=True)
    assert len(re.findall(r'href="/vorschlaege/neu\?unterziel=\d\.\d"', html)) == 13


def test_unknown_subgoal_goes_back_to_step_one(client, citizen):
    assert "Schritt 1 von 3" in text_of(client.get("/vorschlaege/neu?unterziel=9.9"))


def test_the_form_offers_the_focus_areas_of_the_subgoal(client, citizen):
    page = text_of(client.get(URL))
    assert "Schritt 2 von 3" in page
    assert "Nahversorgung / Einzelhandel" in page  # a focus area of 1.2
    assert "Generationsgerechtes Wohnen" not in page  # one of 1.1
    # 2.1 has no focus areas: no such field
    assert 'id="focus_area"' not in client.get("/vorschlaege/neu?unterziel=2.1").get_data(as_text=True)


def test_preview_then_confirm_creates_a_public_proposal(app, client, citizen):
    preview = post_form(client, URL, VALID)
    assert preview.status_code == 200
    page = text_of(preview)
    assert "Schritt 3 von 3" in page
    assert "Ihr Vorschlag ist noch nicht gespeichert" in page
    assert VALID["title"] in page
    assert "Samtgemeinde Nord-Elm" in page
    with app.app_context():
        assert db.session.scalar(select(Proposal.id)) is None, "nothing is saved before confirming"

    response = post_form(client, URL, {**VALID, "confirm": "1"}, form_url=URL)
    assert response.status_code == 303
    with app.app_context():
        proposal = db.session.scalars(select(Proposal)).one()
        assert response.headers["Location"].endswith(f"/vorschlaege/{proposal.id}")
        assert proposal.status is ProposalStatus.SUBMITTED
        assert proposal.is_public
        assert proposal.author_id == citizen
        assert proposal.title == VALID["title"]
        assert db.session.scalar(select(Follow.user_id).where(Follow.proposal_id == proposal.id)) == citizen
        history = db.session.scalars(select(ProposalStatusChange)).one()
        assert (history.from_status, history.to_status) == (None, ProposalStatus.SUBMITTED)
    detail = client.get(response.headers["Location"])
    assert "Vielen Dank! Ihr Vorschlag ist veröffentlicht." in text_of(detail)


def test_change_returns_to_the_form_with_the_text_kept(client, citizen):
    response = post_form(client, URL, {**VALID, "change": "1"})
    html = response.get_data(as_text=True)
    assert "Schritt 2 von 3" in text_of(response)
    assert VALID["body"] in html
    assert re.search(r'<option selected value="nord-elm">|<option value="nord-elm" selected>', html)


def test_similar_proposals_are_shown_before_saving(client, citizen, people, make_proposal):
    make_proposal(people["author"], title="Bezahlbares Haus für junge Familien in Schöningen")
    make_proposal(people["author"], title="Glasfaser für alle Ortsteile von Velpke")
    data = {
        **VALID,
        "title": "Leerstehende Häuser in der Innenstadt für junge Familien",
        "body": "Die Stadt kauft leerstehende Häuser und vermittelt sie an Familien weiter.",
    }
    page = text_of(post_form(client, URL, data))
    assert "Ist Ihre Idee schon da?" in page
    assert "Bezahlbares Haus für junge Familien in Schöningen" in page
    assert "Glasfaser" not in page


def test_no_hint_without_similar_proposals(client, citizen):
    assert "Ist Ihre Idee schon da?" not in text_of(post_form(client, URL, VALID))


def test_markdown_is_sanitised(app, client, citizen):
    body = (
        'Siehe **hier**: [Plan](https://example.org/plan) <script>alert("x")</script> '
        "und <img src=x onerror=alert(1)>"
    )
    post_form(client, URL, {**VALID, "body": body, "confirm": "1"})
    with app.app_context():
        proposal = db.session.scalars(select(Proposal)).one()
    assert "<strong>hier</strong>" in proposal.body_html
    assert 'rel="nofollow ugc noopener"' in proposal.body_html
    assert "<script" not in proposal.body_html and "<img" not in proposal.body_html
    assert "onerror" not in proposal.body_html or "&lt;img" in proposal.body_html


BAD_INPUT = [
    ("title", "", "Bitte geben Sie einen Titel ein."),
    ("title", "   ", "Bitte geben Sie einen Titel ein."),
    ("title", "Zu kurz", "Der Titel muss zwischen 10 und 150 Zeichen lang sein."),
    ("title", "x" * 151, "Der Titel muss zwischen 10 und 150 Zeichen lang sein."),
    ("body", "", "Bitte beschreiben Sie Ihren Vorschlag."),
    ("body", "Nur ein Satz.", "Die Beschreibung muss zwischen 30 und 10000 Zeichen lang sein."),
    ("body", "x" * 10001, "Die Beschreibung muss zwischen 30 und 10000 Zeichen lang sein."),
    ("municipality", "", "Bitte wählen Sie eine Gemeinde oder den ganzen Landkreis."),
    ("municipality", "atlantis", "Bitte wählen Sie eine Gemeinde aus der Liste."),
    ("horizon", "", "Bitte wählen Sie, wann der Vorschlag umgesetzt werden könnte."),
    ("horizon", "forever", "Bitte wählen Sie, wann der Vorschlag umgesetzt werden könnte."),
    ("cost_class", "", "Bitte schätzen Sie die Kosten grob, oder wählen Sie „Weiß ich nicht“."),
    ("cost_class", "free", "Bitte schätzen Sie die Kosten grob, oder wählen Sie „Weiß ich nicht“."),
    ("focus_area", "99999", "Bitte wählen Sie einen Schwerpunkt dieses Unterziels."),
    ("image_alt", "x" * 251, "Die Bildbeschreibung darf höchstens 250 Zeichen lang sein."),
]


@pytest.mark.parametrize(
    ("name", "value", "message"), BAD_INPUT, ids=[f"{n}:{v[:10]!r}" for n, v, _m in BAD_INPUT]
)
def test_bad_input_gets_a_message_next_to_the_field_and_keeps_the_text(
    app, client, citizen, name, value, message
):
    response = post_form(client, URL, {**VALID, name: value})
    assert response.status_code == 200
    assert field_error(response, name) == message
    html = response.get_data(as_text=True)
    assert 'id="error-summary"' in html
    assert f'href="#{name}"' in html
    # what was typed is still there
    assert VALID["body"] in html or name == "body"
    if name == "title" and value.strip():
        assert f'value="{value}"' in html
    with app.app_context():
        assert db.session.scalar(select(Proposal.id)) is None


def test_messages_in_english(client, citizen):
    response = post_form(client, URL + "&lang=en", {**VALID, "title": ""}, form_url=URL + "&lang=en")
    assert field_error(response, "title") == "Enter a title."


def test_forged_subgoal_cannot_be_used(client, citizen):
    response = post_form(client, "/vorschlaege/neu", {**VALID, "subgoal": "7.7"}, form_url=URL)
    assert "Schritt 1 von 3" in text_of(response)


# --- who may propose, and when -------------------------------------------------------------


def test_visitors_are_sent_to_sign_in(client, demo):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/anmelden" in response.headers["Location"]


def test_unverified_accounts_are_told_to_confirm_their_address(client, people):
    login(client, people["unverified"])
    page = text_of(client.get(URL))
    assert "Bestätigen Sie Ihre E-Mail-Adresse, um Vorschläge einzureichen." in page
    assert 'name="title"' not in client.get(URL).get_data(as_text=True)


def test_after_the_phase_the_closed_action_is_explained(client, citizen, people, make_proposal):
    make_proposal(people["author"])
    clock.freeze(clock.today().replace(year=2027, month=2, day=1))
    page = text_of(client.get(URL))
    assert "Vorschläge konnten bis 23. Januar 2027 eingereicht werden." in page
    listing = text_of(client.get("/vorschlaege"))
    assert "Vorschläge konnten bis 23. Januar 2027 eingereicht werden." in listing
    assert "Vorschlag machen" not in listing
    response = post_form(client, "/vorschlaege/neu", {**VALID, "confirm": "1"}, form_url=URL)
    assert "Vorschläge konnten bis 23. Januar 2027 eingereicht werden." in text_of(response)


def test_before_the_phase_the_start_is_announced(client, citizen):
    clock.freeze(clock.today().replace(year=2026, month=11, day=1))
    assert "Vorschläge können ab dem 25. November 2026 eingereicht werden." in text_of(client.get(URL))


# --- moderation mode -------------------------------------------------------------------------


@pytest.fixture
def pre_moderation(app, demo):
    with app.app_context():
        set_setting("proposals.moderation_mode", "pre")
        db.session.commit()


def test_pre_moderation_keeps_new_proposals_private(app, client, people, pre_moderation):
    login(client, people["author"])
    response = post_form(client, URL, {**VALID, "confirm": "1"})
    detail_url = response.headers["Location"]
    page = text_of(client.get(detail_url))
    assert "sobald die Moderation ihn geprüft hat" in page
    assert "Noch nicht öffentlich" in page
    with app.app_context():
        proposal = db.session.scalars(select(Proposal)).one()
        assert proposal.published_at is None and not proposal.is_public

    for role in ("visitor", "citizen", "municipality_rep"):
        other = client.application.test_client()
        if people[role]:
            login(other, people[role])
        assert other.get(detail_url).status_code == 404
        assert VALID["title"] not in text_of(other.get("/vorschlaege"))
        assert VALID["title"] not in text_of(other.get("/unterziele/1.2"))
    moderator = client.application.test_client()
    login(moderator, people["moderator"])
    assert moderator.get(detail_url).status_code == 200

    from portal.proposals import workflow
    from tests.app.participation.conftest import user

    with app.test_request_context():
        workflow.transition(
            db.session.get(Proposal, proposal.id), ProposalStatus.PUBLISHED, user(people["moderator"])
        )
        db.session.commit()
    visitor = client.application.test_client()
    assert visitor.get(detail_url).status_code == 200
    assert VALID["title"] in text_of(visitor.get("/vorschlaege"))


def test_post_moderation_is_the_default(app, client, citizen):
    post_form(client, URL, {**VALID, "confirm": "1"})
    visitor = client.application.test_client()
    assert VALID["title"] in text_of(visitor.get("/vorschlaege"))


# --- edit and withdraw -----------------------------------------------------------------------


def test_author_edits_until_there_are_supports(app, client, people, make_proposal):
    proposal_id = make_proposal(people["author"], title="Ein erster Titel für den Vorschlag")
    login(client, people["author"])
    url = f"/vorschlaege/{proposal_id}/bearbeiten"
    form = client.get(url)
    assert "Ein erster Titel für den Vorschlag" in form.get_data(as_text=True)
    preview = post_form(
        client, url, {**VALID, "title": "Ein geänderter Titel für den Vorschlag", "preview": "1"}
    )
    assert "Vorschau" in text_of(preview)
    response = post_form(client, url, {**VALID, "title": "Ein geänderter Titel für den Vorschlag"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Proposal, proposal_id).title == "Ein geänderter Titel für den Vorschlag"
    bad = post_form(client, url, {**VALID, "title": "kurz"})
    assert field_error(bad, "title") == "Der Titel muss zwischen 10 und 150 Zeichen lang sein."


@pytest.mark.parametrize("what", ["supports", "comments"])
def test_no_editing_once_supported_or_discussed(client, people, make_proposal, what):
    proposal_id = make_proposal(people["author"], **{what: 1})
    login(client, people["author"])
    assert client.get(f"/vorschlaege/{proposal_id}/bearbeiten").status_code == 403
    page = text_of(client.get(f"/vorschlaege/{proposal_id}"))
    assert "Sie können diesen Vorschlag nicht mehr bearbeiten" in page
    assert "Vorschlag bearbeiten" not in page


def test_others_cannot_edit(client, people, make_proposal):
    proposal_id = make_proposal(people["author"])
    for role in ("citizen", "municipality_rep", "moderator", "admin"):
        other = client.application.test_client()
        login(other, people[role])
        assert other.get(f"/vorschlaege/{proposal_id}/bearbeiten").status_code == 403
    assert client.get(f"/vorschlaege/{proposal_id}/bearbeiten").status_code == 302  # visitor: sign in


def test_author_withdraws_after_confirming(app, client, people, make_proposal):
    proposal_id = make_proposal(people["author"], supports=2)
    login(client, people["author"])
    confirm = client.get(f"/vorschlaege/{proposal_id}/zurueckziehen")
    assert "Möchten Sie Ihren Vorschlag" in text_of(confirm)
    response = post_form(client, f"/vorschlaege/{proposal_id}/zurueckziehen", {})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Proposal, proposal_id).status is ProposalStatus.WITHDRAWN
    page = text_of(client.get(f"/vorschlaege/{proposal_id}"))
    assert "Die Verfasserin oder der Verfasser hat diesen Vorschlag zurückgezogen." in page
    assert "Zurückgezogen" in page
    assert client.get(f"/vorschlaege/{proposal_id}/zurueckziehen").status_code == 403


def test_others_cannot_withdraw(client, people, make_proposal):
    proposal_id = make_proposal(people["author"])
    login(client, people["citizen"])
    assert client.get(f"/vorschlaege/{proposal_id}/zurueckziehen").status_code == 403
