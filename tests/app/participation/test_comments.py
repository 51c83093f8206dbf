"""Comments with one level of replies, the edit window, deleted markers, official statements by
municipalities and departments (listed first, filterable), phases and permissions."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.comments.models import Comment
from portal.core import clock
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus
from tests.app.participation.conftest import ROLES
from tests.app.participation.conftest import field_error
from tests.app.participation.conftest import municipality_id
from tests.app.participation.conftest import text_of
from tests.conftest import login
from tests.conftest import post_form


def comment(client, proposal_id: int, body: str, **extra: str):  # type: ignore[no-untyped-def]
    return post_form(
        client,
        f"/vorschlaege/{proposal_id}/kommentare",
        {"body": body, **extra},
        form_url=f"/vorschlaege/{proposal_id}",
    )


def reply(client, proposal_id: int, parent_id: int, body: str):  # type: ignore[no-untyped-def]
    return post_form(
        client,
        f"/kommentare/{parent_id}/antworten",
        {"reply-body": body},
        form_url=f"/vorschlaege/{proposal_id}?antworten={parent_id}",
    )


def comments_of(app, proposal_id: int) -> list[Comment]:  # type: ignore[no-untyped-def]
    with app.app_context():
        rows = db.session.scalars(
            select(Comment).where(Comment.proposal_id == proposal_id).order_by(Comment.id)
        )
        return [row for row in rows]


def count_of(app, proposal_id: int) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.get(Proposal, proposal_id).comments_count


@pytest.fixture
def proposal(people, make_proposal) -> int:
    return make_proposal(people["author"])


def test_comment_and_reply(app, client, people, proposal):
    login(client, people["citizen"])
    response = comment(client, proposal, "Eine **gute** Idee, aber wer fährt den Bus?")
    assert response.status_code == 303
    [top] = comments_of(app, proposal)
    assert response.headers["Location"].endswith(f"/vorschlaege/{proposal}#kommentar-{top.id}")
    assert "<strong>gute</strong>" in top.body_html

    other = client.application.test_client()
    login(other, people["author"])
    page = other.get(f"/vorschlaege/{proposal}?antworten={top.id}").get_data(as_text=True)
    assert f'id="antwort-{top.id}"' in page and 'name="reply-body"' in page
    assert reply(other, proposal, top.id, "Ehrenamtliche aus dem Dorf.").status_code == 303
    top, answer = comments_of(app, proposal)
    assert answer.parent_id == top.id
    assert count_of(app, proposal) == 2
    html = client.get(f"/vorschlaege/{proposal}").get_data(as_text=True)
    # the reply sits inside its parent's list of replies
    assert re.search(
        rf'id="kommentar-{top.id}".*class="comment-replies".*id="kommentar-{answer.id}"', html, re.S
    )
    assert "2 Kommentare" in text_of(client.get(f"/vorschlaege/{proposal}"))


def test_only_one_level_of_replies(app, client, people, proposal):
    login(client, people["citizen"])
    comment(client, proposal, "Erster Kommentar hier")
    [top] = comments_of(app, proposal)
    reply(client, proposal, top.id, "Eine Antwort darauf")
    _top, answer = comments_of(app, proposal)
    html = client.get(f"/vorschlaege/{proposal}").get_data(as_text=True)
    assert f"antworten={answer.id}" not in html
    response = post_form(
        client,
        f"/kommentare/{answer.id}/antworten",
        {"reply-body": "Tiefer"},
        form_url=f"/vorschlaege/{proposal}",
    )
    assert response.status_code == 403
    assert len(comments_of(app, proposal)) == 2


BAD = [
    ("", "Bitte schreiben Sie einen Kommentar."),
    ("    ", "Bitte schreiben Sie einen Kommentar."),
    ("x", "Ein Kommentar muss zwischen 2 und 5000 Zeichen lang sein."),
    ("x" * 5001, "Ein Kommentar muss zwischen 2 und 5000 Zeichen lang sein."),
]


@pytest.mark.parametrize(("body", "message"), BAD, ids=["empty", "blank", "short", "long"])
def test_bad_comments_get_a_message_and_keep_the_text(app, client, people, proposal, body, message):
    login(client, people["citizen"])
    response = comment(client, proposal, body)
    assert response.status_code == 200
    assert field_error(response, "body") == message
    if body.strip():
        assert body in response.get_data(as_text=True)
    assert comments_of(app, proposal) == []


@pytest.mark.parametrize(("body", "message"), BAD[::3], ids=["empty", "long"])
def test_bad_replies_get_a_message_at_the_reply_form(app, client, people, proposal, body, message):
    login(client, people["citizen"])
    comment(client, proposal, "Ein Kommentar")
    [top] = comments_of(app, proposal)
    response = reply(client, proposal, top.id, body)
    assert response.status_code == 200
    assert field_error(response, "reply-body") == message
    assert f'id="antwort-{top.id}"' in response.get_data(as_text=True)


def test_edit_within_the_window_only(app, client, people, proposal):
    login(client, people["citizen"])
    comment(client, proposal, "Mit Tippfeler")
    [mine] = comments_of(app, proposal)
    assert "Bearbeiten" in text_of(client.get(f"/vorschlaege/{proposal}"))
    bad = post_form(client, f"/kommentare/{mine.id}/bearbeiten", {"body": ""})
    assert field_error(bad, "body") == "Bitte schreiben Sie einen Kommentar."
    assert (
        post_form(client, f"/kommentare/{mine.id}/bearbeiten", {"body": "Ohne Tippfehler"}).status_code == 303
    )
    [mine] = comments_of(app, proposal)
    assert mine.body == "Ohne Tippfehler" and mine.edited_at is not None
    assert "bearbeitet" in text_of(client.get(f"/vorschlaege/{proposal}"))
    clock.freeze(clock.now() + timedelta(minutes=16))
    assert client.get(f"/kommentare/{mine.id}/bearbeiten").status_code == 403
    assert f"/kommentare/{mine.id}/bearbeiten" not in client.get(f"/vorschlaege/{proposal}").get_data(
        as_text=True
    )


@pytest.mark.parametrize("role", ["citizen", "municipality_rep", "moderator", "admin"])
def test_nobody_else_edits_or_deletes(app, client, people, proposal, role):
    writer = client.application.test_client()
    login(writer, people["author"])
    comment(writer, proposal, "Mein Kommentar")
    [theirs] = comments_of(app, proposal)
    login(client, people[role])
    assert client.get(f"/kommentare/{theirs.id}/bearbeiten").status_code == 403
    assert client.get(f"/kommentare/{theirs.id}/loeschen").status_code == 403
    anonymous = client.application.test_client()
    assert anonymous.get(f"/kommentare/{theirs.id}/bearbeiten").status_code == 302


def test_delete_without_replies_removes_it(app, client, people, proposal):
    login(client, people["citizen"])
    comment(client, proposal, "Doch keine gute Idee")
    [mine] = comments_of(app, proposal)
    assert "Möchten Sie diesen Kommentar wirklich löschen?" in text_of(
        client.get(f"/kommentare/{mine.id}/loeschen")
    )
    assert post_form(client, f"/kommentare/{mine.id}/loeschen", {}).status_code == 303
    assert comments_of(app, proposal) == []
    assert count_of(app, proposal) == 0


def test_delete_with_replies_leaves_a_marker(app, client, people, proposal):
    login(client, people["citizen"])
    comment(client, proposal, "Streitbarer Kommentar")
    [mine] = comments_of(app, proposal)
    other = client.application.test_client()
    login(other, people["author"])
    reply(other, proposal, mine.id, "Da widerspreche ich")
    post_form(client, f"/kommentare/{mine.id}/loeschen", {})
    marker, answer = comments_of(app, proposal)
    assert marker.deleted_at is not None and marker.body == "" and marker.body_html == ""
    page = text_of(client.get(f"/vorschlaege/{proposal}"))
    assert "Dieser Kommentar wurde von der Verfasserin oder dem Verfasser gelöscht." in page
    assert "Streitbarer Kommentar" not in page
    assert "Da widerspreche ich" in page
    assert count_of(app, proposal) == 1
    # the marker goes once its last reply is gone
    post_form(other, f"/kommentare/{answer.id}/loeschen", {})
    assert comments_of(app, proposal) == []
    assert count_of(app, proposal) == 0


# --- official statements -------------------------------------------------------------------------


def test_municipality_statement_is_badged_and_listed_first(app, client, people, proposal):
    citizen = client.application.test_client()
    login(citizen, people["citizen"])
    comment(citizen, proposal, "Ein früher Bürgerkommentar")
    login(client, people["municipality_rep"])
    form = client.get(f"/vorschlaege/{proposal}").get_data(as_text=True)
    assert "Als Stadt Schöningen (offizielle Stellungnahme)" in form
    assert "Mich selbst (persönlicher Kommentar)" in form
    with app.app_context():
        voice = f"m:{municipality_id('schoeningen')}"
    response = comment(client, proposal, "Die Stadt Schöningen unterstützt den Vorschlag.", voice=voice)
    assert response.status_code == 303
    statement = comments_of(app, proposal)[-1]
    assert (
        statement.official_municipality_id is not None and statement.author_id == people["municipality_rep"]
    )
    page = text_of(citizen.get(f"/vorschlaege/{proposal}"))
    assert "Stellungnahme der Stadt Schöningen" in page
    assert page.index("Die Stadt Schöningen unterstützt") < page.index("Ein früher Bürgerkommentar")
    only = text_of(citizen.get(f"/vorschlaege/{proposal}?kommentare=stellungnahmen"))
    assert "Die Stadt Schöningen unterstützt" in only and "Ein früher Bürgerkommentar" not in only


def test_department_statement(app, client, people, proposal):
    from portal.organisations.models import Department

    login(client, people["department_staff"])
    with app.app_context():
        department = db.session.scalar(select(Department.id).where(Department.key == "demo-bauen-umwelt"))
    assert "Als Demo: Bauen und Umwelt (Stellungnahme des Geschäftsbereichs)" in text_of(
        client.get(f"/vorschlaege/{proposal}")
    )
    comment(client, proposal, "Der Geschäftsbereich prüft die Flächen.", voice=f"d:{department}")
    assert "Stellungnahme des Geschäftsbereichs Demo: Bauen und Umwelt" in text_of(
        client.get(f"/vorschlaege/{proposal}")
    )


@pytest.mark.parametrize(
    ("role", "voice"),
    [
        ("citizen", "m:schoeningen"),
        ("municipality_rep", "m:helmstedt"),
        ("municipality_rep", "d:1"),
        ("department_staff", "m:schoeningen"),
    ],
)
def test_nobody_writes_in_a_name_that_is_not_theirs(app, client, people, proposal, role, voice):
    kind, key = voice.split(":")
    with app.app_context():
        ident = municipality_id(key) if kind == "m" else 99999
    login(client, people[role])
    response = comment(client, proposal, "Im fremden Namen", voice=f"{kind}:{ident}")
    assert response.status_code == 200
    assert field_error(response, "voice") == "In diesem Namen können Sie nicht schreiben."
    assert comments_of(app, proposal) == []


def test_statements_filter_without_statements(client, people, proposal):
    page = text_of(client.get(f"/vorschlaege/{proposal}?kommentare=stellungnahmen"))
    assert "Zu diesem Vorschlag hat noch keine Gemeinde und kein Geschäftsbereich Stellung genommen." in page


def test_replies_are_never_statements(app, client, people, proposal):
    login(client, people["municipality_rep"])
    comment(client, proposal, "Ein persönlicher Kommentar")
    [top] = comments_of(app, proposal)
    page = client.get(f"/vorschlaege/{proposal}?antworten={top.id}").get_data(as_text=True)
    assert 'name="reply-voice"' not in page


# --- who may comment, and when ----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_comment_permission_matrix(app, client, people, proposal, role):
    if people[role]:
        login(client, people[role])
    token_page = "/anmelden" if role == "visitor" else "/benachrichtigungen"
    response = post_form(
        client, f"/vorschlaege/{proposal}/kommentare", {"body": "Hallo zusammen"}, form_url=token_page
    )
    if role == "visitor":
        assert response.status_code == 302 and "/anmelden" in response.headers["Location"]
        assert "Melden Sie sich an, um zu kommentieren." in text_of(client.get(f"/vorschlaege/{proposal}"))
    elif role == "unverified":
        assert response.status_code == 403
        assert "Bestätigen Sie Ihre E-Mail-Adresse, um zu kommentieren." in text_of(
            client.get(f"/vorschlaege/{proposal}")
        )
    else:
        assert response.status_code == 303
    assert len(comments_of(app, proposal)) == (0 if role in ("visitor", "unverified") else 1)


def test_comments_follow_the_phases(app, client, people, proposal):
    login(client, people["citizen"])
    clock.freeze(clock.today().replace(year=2027, month=2, day=1))  # the statements phase
    client = client.application.test_client()
    login(client, people["citizen"])
    assert comment(client, proposal, "Noch in der Stellungnahmephase").status_code == 303
    clock.freeze(clock.today().replace(year=2027, month=3, day=1))  # prioritisation
    client = client.application.test_client()
    login(client, people["citizen"])
    page = text_of(client.get(f"/vorschlaege/{proposal}"))
    assert "Kommentare konnten bis 22. Februar 2027 geschrieben werden." in page
    assert 'name="body"' not in client.get(f"/vorschlaege/{proposal}").get_data(as_text=True)
    response = post_form(
        client, f"/vorschlaege/{proposal}/kommentare", {"body": "Zu spät"}, form_url="/benachrichtigungen"
    )
    assert response.status_code == 403
    assert len(comments_of(app, proposal)) == 1


@pytest.mark.parametrize("status", [ProposalStatus.ACCEPTED, ProposalStatus.WITHDRAWN])
def test_decided_proposals_are_closed_for_comments(client, people, make_proposal, status):
    proposal_id = make_proposal(people["author"], status=status)
    login(client, people["citizen"])
    assert "Dieser Vorschlag kann nicht mehr kommentiert werden." in text_of(
        client.get(f"/vorschlaege/{proposal_id}")
    )


def test_commenting_is_rate_limited(app, client, people, proposal, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_COMMENTS", "2 per minute")
    login(client, people["citizen"])
    codes = [comment(client, proposal, f"Kommentar {n}").status_code for n in range(3)]
    assert codes == [303, 303, 429]


def test_comments_make_the_proposal_uneditable(client, people, proposal):
    login(client, people["citizen"])
    comment(client, proposal, "Ein erster Kommentar")
    author = client.application.test_client()
    login(author, people["author"])
    assert author.get(f"/vorschlaege/{proposal}/bearbeiten").status_code == 403
