"""User content keeps the language its author wrote in: stored, chosen in the form (default: the
interface language), and marked with lang/dir wherever the text is shown."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.comments.models import Comment
from portal.extensions import db
from portal.proposals.models import Proposal
from tests.app.participation.conftest import field_error
from tests.app.participation.test_proposal_form import URL
from tests.app.participation.test_proposal_form import VALID
from tests.conftest import login
from tests.conftest import post_form


def _create(client, **changes):  # type: ignore[no-untyped-def]
    data = {**VALID, **changes, "confirm": "1"}
    return post_form(client, URL, data, form_url=URL)


def _newest(app) -> Proposal:  # type: ignore[no-untyped-def]
    with app.app_context():
        proposal = db.session.scalars(select(Proposal).order_by(Proposal.id.desc())).first()
        if proposal is not None:
            db.session.expunge(proposal)
        return proposal


def test_the_form_offers_every_language_named_in_itself_defaulting_to_the_interface(client, people):
    login(client, people["citizen"])
    html = client.get(URL + "&lang=tr").get_data(as_text=True)
    select_html = re.search(r'<select[^>]*name="language".*?</select>', html, re.S).group(0)
    selected = re.findall(r"<option([^>]*)>([^<]*)</option>", select_html)
    assert [name for attributes, name in selected if "selected" in attributes] == ["Türkçe"]
    for code, name in [("de", "Deutsch"), ("ar", "العربية"), ("uk", "Українська"), ("pl", "Polski")]:
        assert f'lang="{code}"' in select_html and name in select_html


def test_a_proposal_stores_and_marks_its_language(app, client, people):
    login(client, people["citizen"])
    response = _create(client, language="uk", title="Автобус для сіл навколо Зюпплінгена")
    assert response.status_code == 303
    proposal = _newest(app)
    assert proposal.language == "uk"
    html = client.get(f"/vorschlaege/{proposal.id}").get_data(as_text=True)
    assert re.search(r'<h1[^>]*id="proposal-title"[^>]*lang="uk"[^>]*dir="ltr"', html)
    assert re.search(r'class="user-content proposal__body" lang="uk"', html)
    listing = client.get("/vorschlaege").get_data(as_text=True)
    assert re.search(rf'href="/vorschlaege/{proposal.id}" lang="uk"', listing)


def test_arabic_text_is_right_to_left_inside_a_german_page(app, client, people):
    login(client, people["citizen"])
    assert _create(client, language="ar", title="حافلة للقرى حول زوبلينغن").status_code == 303
    proposal = _newest(app)
    html = client.get(f"/vorschlaege/{proposal.id}").get_data(as_text=True)
    assert '<html lang="de" dir="ltr">' in html
    assert re.search(r'id="proposal-title" lang="ar" dir="rtl"', html)


def test_without_a_choice_the_interface_language_is_taken(app, client, people):
    login(client, people["citizen"])
    client.get("/?lang=pl")
    data = {key: value for key, value in VALID.items()}
    response = post_form(client, URL, {**data, "confirm": "1"}, form_url=URL)
    assert response.status_code == 303
    assert _newest(app).language == "pl"


def test_an_unknown_language_is_refused_next_to_the_field(app, client, people):
    login(client, people["citizen"])
    response = _create(client, language="xx")
    assert response.status_code == 200
    assert _newest(app) is None
    assert field_error(response, "language") == "Wählen Sie eine der Sprachen aus der Liste."
    page = response.get_data(as_text=True)
    assert VALID["title"] in page, "nothing typed is lost"


def test_comments_store_and_mark_their_language(app, client, people, make_proposal):
    proposal_id = make_proposal(people["citizen"])
    login(client, people["citizen"])
    response = post_form(
        client,
        f"/vorschlaege/{proposal_id}/kommentare",
        {"body": "Гарна ідея, я б користувався автобусом щодня.", "language": "uk"},
        form_url=f"/vorschlaege/{proposal_id}",
    )
    assert response.status_code in (302, 303)
    with app.app_context():
        comment = db.session.scalars(select(Comment).where(Comment.proposal_id == proposal_id)).one()
        assert comment.language == "uk"
        comment_id = comment.id
    html = client.get(f"/vorschlaege/{proposal_id}").get_data(as_text=True)
    assert re.search(r'class="user-content comment__body" lang="uk" dir="ltr"', html)
    # Changing the comment can correct its language.
    post_form(
        client,
        f"/kommentare/{comment_id}/bearbeiten",
        {"body": "Гарна ідея, я б користувався автобусом щодня!", "language": "ru"},
    )
    with app.app_context():
        assert db.session.get(Comment, comment_id).language == "ru"
