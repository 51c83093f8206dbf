"""Follows and notifications: mail into the outbox per preference (immediately, daily digest, off)
for status changes, official statements and replies; the settings page; send-digest."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.comments import services as comment_services
from portal.comments.services import Voice
from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.notifications.models import DigestItem
from portal.notifications.models import Frequency
from portal.notifications.models import NotificationKind
from portal.notifications.services import set_preferences
from portal.proposals import services
from portal.proposals import workflow
from portal.proposals.models import Follow
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus
from tests.app.participation.conftest import ROLES
from tests.app.participation.conftest import field_error
from tests.app.participation.conftest import municipality_id
from tests.app.participation.conftest import text_of
from tests.app.participation.conftest import user
from tests.conftest import login
from tests.conftest import post_form


def outbox(app) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def email_of(app, user_id: int) -> str:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.get(User, user_id).email


def prefer(app, user_id: int, **choices: str) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        set_preferences(user_id, {NotificationKind(k): Frequency(v) for k, v in choices.items()})
        db.session.commit()


def follow(app, proposal_id: int, user_id: int) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        services.follow(db.session.get(Proposal, proposal_id), db.session.get(User, user_id))
        db.session.commit()


def change_status(app, proposal_id: int, moderator_id: int, to=ProposalStatus.UNDER_REVIEW, answer=None):  # type: ignore[no-untyped-def]
    with app.test_request_context():
        workflow.transition(db.session.get(Proposal, proposal_id), to, user(moderator_id), answer)
        db.session.commit()


def test_status_changes_reach_author_and_followers(app, people, make_proposal, create_user):
    english = create_user(language="en", display_name="Emma E.")
    proposal_id = make_proposal(people["author"], title="Dorfladen in Räbke erhalten")
    follow(app, proposal_id, english)
    follow(app, proposal_id, people["moderator"])  # the actor follows too: no mail to oneself
    change_status(app, proposal_id, people["moderator"])
    change_status(app, proposal_id, people["moderator"], ProposalStatus.ACCEPTED, "Wird 2027 umgesetzt.")
    mails = outbox(app)
    assert [mail.recipient for mail in mails] == [email_of(app, people["author"]), email_of(app, english)] * 2
    german = mails[2]
    assert german.subject == "Neuer Status: „Dorfladen in Räbke erhalten“"
    assert "hat jetzt den Status „Angenommen“" in german.body_text
    assert "Wird 2027 umgesetzt." in german.body_text
    assert f"http://localhost/vorschlaege/{proposal_id}" in german.body_text
    assert "http://localhost/benachrichtigungen" in german.body_text
    assert mails[3].subject == "New status: “Dorfladen in Räbke erhalten”"
    assert "now has the status “Accepted”" in mails[3].body_text


def test_creating_a_proposal_sends_nothing(app, people, make_proposal):
    make_proposal(people["author"])
    assert outbox(app) == []


def test_preferences_off_and_daily(app, people, make_proposal, create_user, runner):
    daily, off = create_user(), create_user()
    prefer(app, daily, status_changes="daily")
    prefer(app, off, status_changes="off")
    prefer(app, people["author"], status_changes="daily", replies="off")
    proposal_id = make_proposal(people["author"], title="Mehr Sitzbänke am Elm-Rundweg")
    for person in (daily, off):
        follow(app, proposal_id, person)
    change_status(app, proposal_id, people["moderator"])
    change_status(app, proposal_id, people["moderator"], ProposalStatus.REJECTED, "Nicht zuständig.")
    assert outbox(app) == []
    with app.app_context():
        items = db.session.scalars(select(DigestItem)).all()
        assert sorted(item.user_id for item in items) == sorted(
            [daily, daily, people["author"], people["author"]]
        )

    result = runner.invoke(args=["send-digest"])
    assert result.exit_code == 0, result.output
    assert "2 digest" in result.output
    mails = outbox(app)
    assert sorted(mail.recipient for mail in mails) == sorted(
        [email_of(app, daily), email_of(app, people["author"])]
    )
    digest = next(mail for mail in mails if mail.recipient == email_of(app, daily))
    assert digest.subject == "Ihre tägliche Zusammenfassung: 2 Neuigkeiten"
    assert "„Mehr Sitzbänke am Elm-Rundweg“ hat jetzt den Status „In Prüfung“." in digest.body_text
    assert "„Mehr Sitzbänke am Elm-Rundweg“ hat jetzt den Status „Abgelehnt“." in digest.body_text
    assert runner.invoke(args=["send-digest"]).output.startswith("Queued 0")


def test_official_statements_reach_the_followers(app, people, make_proposal):
    proposal_id = make_proposal(people["author"], title="Freibad Velpke sanieren")
    follow(app, proposal_id, people["citizen"])
    prefer(app, people["citizen"], official_statements="immediately")
    with app.test_request_context():
        comment_services.post_comment(
            db.session.get(Proposal, proposal_id),
            user(people["municipality_rep"]),
            "Wir prüfen die Förderung.",
            voice=Voice(municipality_id=municipality_id("schoeningen")),
        )
        db.session.commit()
    mails = outbox(app)
    assert sorted(mail.recipient for mail in mails) == sorted(
        [email_of(app, people["author"]), email_of(app, people["citizen"])]
    )
    assert mails[0].subject == "Neue offizielle Stellungnahme zu „Freibad Velpke sanieren“"
    assert "Stadt Schöningen hat eine offizielle Stellungnahme" in mails[0].body_text


def test_replies_reach_the_comment_author_and_comments_the_proposal_author(app, people, make_proposal):
    proposal_id = make_proposal(people["author"], title="Wochenmarkt in Königslutter beleben")
    with app.test_request_context():
        proposal = db.session.get(Proposal, proposal_id)
        top = comment_services.post_comment(proposal, user(people["citizen"]), "Gute Idee!")
        comment_services.post_comment(proposal, user(people["author"]), "Danke!", parent=top)
        comment_services.post_comment(
            proposal, user(people["citizen"]), "Ich auch.", parent=top
        )  # own thread
        db.session.commit()
    mails = outbox(app)
    assert [(mail.recipient, mail.subject) for mail in mails] == [
        (
            email_of(app, people["author"]),
            "Neuer Kommentar zu Ihrem Vorschlag „Wochenmarkt in Königslutter beleben“",
        ),
        (
            email_of(app, people["citizen"]),
            "Neue Antwort auf Ihren Kommentar zu „Wochenmarkt in Königslutter beleben“",
        ),
    ]


def test_unverified_followers_get_no_mail(app, people, make_proposal):
    proposal_id = make_proposal(people["author"])
    follow(app, proposal_id, people["unverified"])
    change_status(app, proposal_id, people["moderator"])
    assert [mail.recipient for mail in outbox(app)] == [email_of(app, people["author"])]


# --- follow buttons and the settings page ----------------------------------------------------


def test_follow_and_unfollow(app, client, people, make_proposal):
    proposal_id = make_proposal(people["author"])
    login(client, people["citizen"])
    assert "Diesem Vorschlag folgen" in text_of(client.get(f"/vorschlaege/{proposal_id}"))
    response = post_form(
        client, f"/vorschlaege/{proposal_id}/folgen", {}, form_url=f"/vorschlaege/{proposal_id}"
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("#folgen")
    page = text_of(client.get(f"/vorschlaege/{proposal_id}"))
    assert "Sie folgen diesem Vorschlag" in page and "Nicht mehr folgen" in page
    post_form(
        client, f"/vorschlaege/{proposal_id}/nicht-mehr-folgen", {}, form_url=f"/vorschlaege/{proposal_id}"
    )
    with app.app_context():
        followers = set(db.session.scalars(select(Follow.user_id).where(Follow.proposal_id == proposal_id)))
    assert followers == {people["author"]}


@pytest.mark.parametrize("role", ROLES)
def test_follow_permission_matrix(app, client, people, make_proposal, role):
    proposal_id = make_proposal(people["author"])
    if people[role]:
        login(client, people[role])
    token_page = "/anmelden" if role == "visitor" else "/benachrichtigungen"
    response = post_form(client, f"/vorschlaege/{proposal_id}/folgen", {}, form_url=token_page)
    expected = {"visitor": 302, "unverified": 403}.get(role, 303)
    assert response.status_code == expected
    with app.app_context():
        follows = db.session.scalar(
            select(Follow.id).where(Follow.proposal_id == proposal_id, Follow.user_id == people[role])
        )
    assert (follows is not None) == (role not in ("visitor", "unverified"))


def test_preferences_page(app, client, people):
    login(client, people["citizen"])
    page = client.get("/benachrichtigungen").get_data(as_text=True)
    assert 'name="status_changes" type="radio" value="immediately"' in page.replace("checked ", "")
    response = post_form(
        client,
        "/benachrichtigungen",
        {"status_changes": "daily", "official_statements": "off", "replies": "immediately"},
    )
    assert response.status_code == 303
    with app.app_context():
        from portal.notifications.services import preferences

        assert preferences(people["citizen"]) == {
            NotificationKind.STATUS_CHANGES: Frequency.DAILY,
            NotificationKind.OFFICIAL_STATEMENTS: Frequency.OFF,
            NotificationKind.REPLIES: Frequency.IMMEDIATELY,
        }
    bad = post_form(client, "/benachrichtigungen", {"status_changes": "hourly", "replies": "off"})
    assert bad.status_code == 200
    assert field_error(bad, "status_changes") == "Bitte wählen Sie, wie oft Sie E-Mails erhalten möchten."


def test_preferences_need_an_account(client, demo):
    response = client.get("/benachrichtigungen")
    assert response.status_code == 302 and "/anmelden" in response.headers["Location"]
