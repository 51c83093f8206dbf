"""Reports of proposals and comments: the form, the threshold that hides content until a moderator
decides, the decision itself, permissions and rate limits."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.comments import services as comment_services
from portal.comments.models import Comment
from portal.core.settings import set_setting
from portal.extensions import db
from portal.flags import services
from portal.flags.models import Flag
from portal.flags.models import FlagDecision
from portal.proposals.models import Proposal
from tests.app.participation.conftest import ROLES
from tests.app.participation.conftest import field_error
from tests.app.participation.conftest import text_of
from tests.app.participation.conftest import user
from tests.conftest import login
from tests.conftest import post_form


def report(client, url: str, reason: str = "spam", note: str = ""):  # type: ignore[no-untyped-def]
    return post_form(client, url, {"reason": reason, "note": note})


def flags(app) -> list[Flag]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return list(db.session.scalars(select(Flag).order_by(Flag.id)))


@pytest.fixture
def proposal(people, make_proposal) -> int:
    return make_proposal(people["author"], title="Ein Vorschlag, der gemeldet wird")


def test_report_a_proposal(app, client, people, proposal):
    login(client, people["citizen"])
    url = f"/vorschlaege/{proposal}/melden"
    assert f'href="{url}"' in client.get(f"/vorschlaege/{proposal}").get_data(as_text=True)
    form = text_of(client.get(url))
    assert "Vorschlag melden" in form and "Spam oder Werbung" in form
    response = report(client, url, "offensive", "Beleidigt eine Person.")
    assert response.status_code == 303
    assert "Vielen Dank. Die Moderation sieht sich Ihre Meldung an." in text_of(
        client.get(response.headers["Location"])
    )
    [flag] = flags(app)
    assert (flag.proposal_id, flag.user_id, flag.reason.value, flag.note) == (
        proposal,
        people["citizen"],
        "offensive",
        "Beleidigt eine Person.",
    )
    again = report(client, url)
    assert "Sie haben das bereits gemeldet." in text_of(client.get(again.headers["Location"]))
    assert len(flags(app)) == 1


BAD = [
    ({"reason": ""}, "reason", "Bitte wählen Sie einen Grund."),
    ({"reason": "boring"}, "reason", "Bitte wählen Sie einen Grund."),
    ({"reason": "other", "note": "  "}, "note", "Bitte schreiben Sie der Moderation, was nicht stimmt."),
    ({"reason": "spam", "note": "x" * 1001}, "note", "Der Hinweis darf höchstens 1000 Zeichen lang sein."),
]


@pytest.mark.parametrize(
    ("data", "field", "message"), BAD, ids=["no-reason", "bad-reason", "other-no-note", "long"]
)
def test_bad_reports_get_a_message(app, client, people, proposal, data, field, message):
    login(client, people["citizen"])
    response = post_form(client, f"/vorschlaege/{proposal}/melden", data)
    assert response.status_code == 200
    assert field_error(response, field) == message
    assert flags(app) == []


def test_report_a_comment(app, client, people, proposal):
    with app.test_request_context():
        comment = comment_services.post_comment(
            db.session.get(Proposal, proposal), user(people["author"]), "Ein fragwürdiger Kommentar"
        )
        db.session.commit()
        comment_id = comment.id
    login(client, people["citizen"])
    assert f"/kommentare/{comment_id}/melden" in client.get(f"/vorschlaege/{proposal}").get_data(as_text=True)
    assert "Ein fragwürdiger Kommentar" in text_of(client.get(f"/kommentare/{comment_id}/melden"))
    response = report(client, f"/kommentare/{comment_id}/melden", "off_topic")
    assert response.headers["Location"].endswith(f"/vorschlaege/{proposal}#kommentar-{comment_id}")
    assert flags(app)[0].comment_id == comment_id


REPORTERS = {"unverified", "citizen", "municipality_rep", "department_staff", "moderator", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_report_permission_matrix(app, client, people, proposal, role):
    if people[role]:
        login(client, people[role])
    response = client.get(f"/vorschlaege/{proposal}/melden")
    if role == "visitor":
        assert response.status_code == 302 and "/anmelden" in response.headers["Location"]
    elif role == "author":
        assert response.status_code == 403  # not one's own proposal
    else:
        assert role in REPORTERS
        assert response.status_code == 200
        assert report(client, f"/vorschlaege/{proposal}/melden").status_code == 303
    assert len(flags(app)) == (1 if role in REPORTERS else 0)


def test_reports_hide_content_at_the_threshold(app, client, people, proposal):
    with app.app_context():
        set_setting("flags.hide_threshold", 2)
        db.session.commit()
    for role in ("citizen", "municipality_rep"):
        reporter = client.application.test_client()
        login(reporter, people[role])
        report(reporter, f"/vorschlaege/{proposal}/melden")
    with app.app_context():
        hidden = db.session.get(Proposal, proposal)
        assert hidden.hidden_at is not None and hidden.hidden_reason == "reports"
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "flags.proposal_hidden")
        ).one()
        assert event.object_id == str(proposal)
    assert client.get(f"/vorschlaege/{proposal}").status_code == 404
    assert "Ein Vorschlag, der gemeldet wird" not in text_of(client.get("/vorschlaege"))
    author = client.application.test_client()
    login(author, people["author"])
    assert "Ausgeblendet: Dieser Vorschlag wurde gemeldet" in text_of(author.get(f"/vorschlaege/{proposal}"))
    moderator = client.application.test_client()
    login(moderator, people["moderator"])
    assert moderator.get(f"/vorschlaege/{proposal}").status_code == 200

    # the moderator disagrees: visible again, the reports are closed
    with app.test_request_context():
        closed = services.decide(
            db.session.get(Proposal, proposal), user(people["moderator"]), FlagDecision.DISMISSED
        )
        db.session.commit()
        assert closed == 2
    assert client.get(f"/vorschlaege/{proposal}").status_code == 200
    assert all(flag.resolved_at and flag.decision is FlagDecision.DISMISSED for flag in flags(app))


def test_a_moderator_can_keep_it_hidden(app, people, proposal):
    with app.test_request_context():
        target = db.session.get(Proposal, proposal)
        services.report(target, user(people["citizen"]), services.FlagReason.SPAM)
        assert target.hidden_at is None  # below the default threshold of 3
        services.decide(target, user(people["moderator"]), FlagDecision.HIDDEN, "Werbung für eine Firma")
        db.session.commit()
        assert target.hidden_at is not None and target.hidden_reason == "Werbung für eine Firma"
        assert (
            db.session.scalars(select(AuditEvent).where(AuditEvent.action == "flags.hidden")).one().actor_id
            == (people["moderator"])
        )


def test_hidden_comments_show_a_marker(app, client, people, proposal):
    with app.test_request_context():
        set_setting("flags.hide_threshold", 1)
        target = comment_services.post_comment(
            db.session.get(Proposal, proposal), user(people["author"]), "Gemeiner Satz"
        )
        services.report(target, user(people["citizen"]), services.FlagReason.OFFENSIVE)
        db.session.commit()
        assert db.session.get(Comment, target.id).hidden_at is not None
    page = text_of(client.get(f"/vorschlaege/{proposal}"))
    assert "Dieser Kommentar ist ausgeblendet, bis die Moderation ihn geprüft hat." in page
    assert "Gemeiner Satz" not in page
    moderator = client.application.test_client()
    login(moderator, people["moderator"])
    assert "Gemeiner Satz" in text_of(moderator.get(f"/vorschlaege/{proposal}"))


def test_reporting_is_rate_limited(app, client, people, make_proposal, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_FLAGS", "2 per hour")
    login(client, people["citizen"])
    codes = [
        report(client, f"/vorschlaege/{make_proposal(people['author'])}/melden").status_code for _ in range(3)
    ]
    assert codes == [303, 303, 429]
