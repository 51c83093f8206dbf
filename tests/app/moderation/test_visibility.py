"""Hide and restore proposals and comments with a reason: the author is told why by e-mail, the
reports are closed, the action is audited, and the public no longer sees hidden content."""

from __future__ import annotations

from sqlalchemy import select

from portal.comments.models import Comment
from portal.extensions import db
from portal.flags.models import Flag
from portal.flags.models import FlagDecision
from portal.proposals.models import Proposal
from tests.app.moderation.conftest import audit
from tests.app.moderation.conftest import field_error
from tests.app.moderation.conftest import outbox
from tests.app.moderation.conftest import set_setting
from tests.app.moderation.conftest import sign_in
from tests.app.moderation.conftest import text_of
from tests.conftest import post_form

REASON = "Der Vorschlag enthält Werbung für ein Unternehmen."


def _visibility(client, url, action, reason):
    page = url.rsplit("/", 1)[0]
    return post_form(client, url, {"visibility": action, "reason": reason}, form_url=page)


def test_hide_a_proposal_with_a_reason(app, client, people, make_proposal, report):
    ident = make_proposal(title="Ein Vorschlag voller Werbung für Firmen")
    report(ident, people["citizen"])
    sign_in(client, people, "moderator")
    response = _visibility(client, f"/verwaltung/vorschlaege/{ident}/sichtbarkeit", "hide", REASON)
    assert response.status_code == 303
    with app.app_context():
        proposal = db.session.get(Proposal, ident)
        assert proposal.hidden_at is not None
        assert proposal.hidden_reason == REASON
        flag = db.session.scalar(select(Flag).where(Flag.proposal_id == ident))
        assert flag.decision is FlagDecision.HIDDEN and flag.resolved_by_id == people["moderator"]
        [event] = audit("moderation.proposal_hidden")
        assert event.actor_id == people["moderator"] and event.reason == REASON
        [mail] = outbox("anja@example.org")[-1:]
        assert "Ein Vorschlag voller Werbung für Firmen" in mail.subject
        assert REASON in mail.body_text
    # The public no longer sees it; the author still does, with the note.
    visitor = app.test_client()
    assert visitor.get(f"/vorschlaege/{ident}").status_code == 404
    author = app.test_client()
    sign_in(author, people, "author")
    page = author.get(f"/vorschlaege/{ident}").get_data(as_text=True)
    assert "Hidden by the moderation." in page
    assert REASON in page


def test_hiding_needs_a_reason(app, client, people, make_proposal):
    ident = make_proposal()
    sign_in(client, people, "moderator")
    response = _visibility(client, f"/verwaltung/vorschlaege/{ident}/sichtbarkeit", "hide", "  ")
    assert response.status_code == 422
    assert field_error(response, "reason") == "Please give a reason: the author is told why."
    with app.app_context():
        assert db.session.get(Proposal, ident).hidden_at is None
        assert outbox("anja@example.org") == []


def test_restore_tells_the_author_and_dismisses_reports(app, client, people, make_proposal, report):
    set_setting(app, "flags.hide_threshold", 1)
    ident = make_proposal()
    report(ident, people["citizen"])
    with app.app_context():
        assert db.session.get(Proposal, ident).hidden_reason == "reports"
    sign_in(client, people, "moderator")
    page = client.get(f"/verwaltung/vorschlaege/{ident}")
    assert "Hidden automatically" in text_of(page)
    response = _visibility(
        client, f"/verwaltung/vorschlaege/{ident}/sichtbarkeit", "restore", "Keine Werbung."
    )
    assert response.status_code == 303
    with app.app_context():
        proposal = db.session.get(Proposal, ident)
        assert proposal.hidden_at is None and proposal.hidden_reason is None
        assert (
            db.session.scalar(select(Flag.decision).where(Flag.proposal_id == ident))
            is FlagDecision.DISMISSED
        )
        [mail] = outbox("anja@example.org")
        assert "Keine Werbung." in mail.body_text
        assert audit("moderation.proposal_restored")[0].reason == "Keine Werbung."
    assert app.test_client().get(f"/vorschlaege/{ident}").status_code == 200


def test_confirming_an_automatic_hide_gives_the_reason(app, client, people, make_proposal, report):
    set_setting(app, "flags.hide_threshold", 1)
    ident = make_proposal()
    report(ident, people["citizen"])
    sign_in(client, people, "moderator")
    response = _visibility(client, f"/verwaltung/vorschlaege/{ident}/sichtbarkeit", "hide", REASON)
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Proposal, ident).hidden_reason == REASON
        assert REASON in outbox("anja@example.org")[0].body_text


def test_restoring_visible_content_is_refused(app, client, people, make_proposal):
    ident = make_proposal()
    sign_in(client, people, "moderator")
    response = _visibility(client, f"/verwaltung/vorschlaege/{ident}/sichtbarkeit", "restore", "Grund")
    assert response.status_code == 403


def test_dismiss_reports_of_visible_content(app, client, people, make_proposal, report):
    ident = make_proposal()
    report(ident, people["citizen"])
    sign_in(client, people, "moderator")
    response = _visibility(client, f"/verwaltung/vorschlaege/{ident}/sichtbarkeit", "dismiss", "")
    assert response.status_code == 303
    with app.app_context():
        assert (
            db.session.scalar(select(Flag.decision).where(Flag.proposal_id == ident))
            is FlagDecision.DISMISSED
        )
        assert outbox("anja@example.org") == []
        assert audit("moderation.proposal_reports_dismissed")
    response = _visibility(client, f"/verwaltung/vorschlaege/{ident}/sichtbarkeit", "dismiss", "")
    assert response.status_code == 422
    assert field_error(response, "reason") == "There are no open reports."


def test_unknown_visibility_action_is_a_bad_request(client, people, make_proposal):
    ident = make_proposal()
    sign_in(client, people, "moderator")
    response = _visibility(client, f"/verwaltung/vorschlaege/{ident}/sichtbarkeit", "delete", "x")
    assert response.status_code == 400


def test_hide_and_restore_a_comment(app, client, people, make_proposal, make_comment, report):
    proposal = make_proposal()
    comment = make_comment(proposal, people["citizen"], "Ein Kommentar mit Beleidigungen darin")
    report(comment, people["author"], kind="comment", note="Beleidigend")
    sign_in(client, people, "moderator")
    page = client.get(f"/verwaltung/kommentare/{comment}")
    assert "Beleidigend" in text_of(page)
    response = _visibility(
        client, f"/verwaltung/kommentare/{comment}/sichtbarkeit", "hide", "Beleidigt andere."
    )
    assert response.status_code == 303
    with app.app_context():
        from portal.accounts.models import User

        address = db.session.get(User, people["citizen"]).email
        assert db.session.get(Comment, comment).hidden_reason == "Beleidigt andere."
        mail = outbox(address)[-1]
        assert mail.subject in ("Your comment has been hidden", "Ihr Kommentar wurde ausgeblendet")
        assert "Beleidigt andere." in mail.body_text
        assert audit("moderation.comment_hidden")
    response = _visibility(
        client, f"/verwaltung/kommentare/{comment}/sichtbarkeit", "restore", "Doch sachlich."
    )
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Comment, comment).hidden_at is None
        assert "Doch sachlich." in outbox(address)[-1].body_text
    response = _visibility(client, f"/verwaltung/kommentare/{comment}/sichtbarkeit", "restore", "x")
    assert response.status_code == 403


def test_mail_is_in_the_authors_language(app, client, people, make_user, make_proposal):
    english = make_user(email="english@example.org", language="en", display_name="Emma E.")
    ident = make_proposal(author_id=english, title="A proposal written by an English speaker")
    sign_in(client, people, "moderator")
    _visibility(client, f"/verwaltung/vorschlaege/{ident}/sichtbarkeit", "hide", REASON)
    with app.app_context():
        [mail] = outbox("english@example.org")
        assert mail.subject == "Your proposal “A proposal written by an English speaker” has been hidden"
        assert "The reason:" in mail.body_text
