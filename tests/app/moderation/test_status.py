"""Status changes from the back office, through the workflow: every moderator edge, refusals with
clear messages, required answers, answer templates, history and notifications."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.proposals import workflow
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus as S
from portal.proposals.models import ProposalStatusChange
from tests.app.moderation.conftest import ANSWER
from tests.app.moderation.conftest import audit
from tests.app.moderation.conftest import field_error
from tests.app.moderation.conftest import outbox
from tests.app.moderation.conftest import sign_in
from tests.app.moderation.conftest import text_of
from tests.conftest import post_form

#: Every edge a moderator takes on the status screen (merging has its own page: test_merge.py).
EDGES = [
    (edge.source, edge.target)
    for edge in workflow.TRANSITIONS
    if edge.moderator and edge.source is not None and edge.target is not S.MERGED
]


def _in_status(make_proposal, status):
    if status is S.SUBMITTED:
        return make_proposal(published=False)
    return make_proposal(status=status)


def _status(client, ident, data):
    return post_form(
        client, f"/verwaltung/vorschlaege/{ident}/status", data, form_url=f"/verwaltung/vorschlaege/{ident}"
    )


@pytest.mark.parametrize(("source", "target"), EDGES, ids=[f"{s}->{t}" for s, t in EDGES])
def test_every_moderator_edge(app, client, people, make_user, make_proposal, source, target):
    ident = _in_status(make_proposal, source)
    follower = make_user(email="follower@example.org")
    with app.test_request_context():
        from portal.accounts.models import User
        from portal.proposals import services

        services.follow(db.session.get(Proposal, ident), db.session.get(User, follower))
        db.session.commit()
    sign_in(client, people, "moderator")
    page = client.get(f"/verwaltung/vorschlaege/{ident}").get_data(as_text=True)
    assert f'<option value="{target.value}"' in page
    response = _status(client, ident, {"status": target.value, "answer": ANSWER})
    assert response.status_code == 303, text_of(response)
    with app.app_context():
        proposal = db.session.get(Proposal, ident)
        assert proposal.status is target
        assert proposal.published_at is not None
        change = db.session.scalars(
            select(ProposalStatusChange)
            .where(ProposalStatusChange.proposal_id == ident)
            .order_by(ProposalStatusChange.id.desc())
        ).first()
        assert (change.from_status, change.to_status, change.actor_id) == (
            source,
            target,
            people["moderator"],
        )
        edge = workflow.find_edge(source, target)
        expected = None if edge.answer is workflow.Answer.NONE else ANSWER
        assert change.answer == expected
        assert audit(f"proposals.{target.value}")[-1].actor_id == people["moderator"]
        # Author and followers are told (each in their language), with the answer if there is one.
        for address in ("anja@example.org", "follower@example.org"):
            mails = outbox(address)
            assert mails, address
            assert expected is None or expected in mails[-1].body_text
    # The public history shows the answer.
    public = app.test_client().get(f"/vorschlaege/{ident}")
    assert public.status_code == 200
    assert expected is None or expected in text_of(public)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (S.PUBLISHED, S.ACCEPTED),
        (S.ACCEPTED, S.REJECTED),
        (S.UNDER_REVIEW, S.PUBLISHED),
        (S.PUBLISHED, S.SUBMITTED),
    ],
)
def test_invalid_transition_is_refused_with_a_clear_message(
    app, client, people, make_proposal, source, target
):
    ident = _in_status(make_proposal, source)
    sign_in(client, people, "moderator")
    if source is S.ACCEPTED:  # final: the status screen is not offered at all
        assert "is final" in text_of(client.get(f"/verwaltung/vorschlaege/{ident}"))
        assert _status(client, ident, {"status": target.value, "answer": ANSWER}).status_code == 403
        return
    response = _status(client, ident, {"status": target.value, "answer": ANSWER})
    assert response.status_code == 422
    message = field_error(response, "answer")
    assert message in (
        f"A proposal with the status “{source.label}” cannot be changed to “{target.label}”.",
        "This proposal is already public.",
    )
    with app.app_context():
        assert db.session.get(Proposal, ident).status is source


@pytest.mark.parametrize("target", [S.ACCEPTED, S.REJECTED])
def test_answer_required(app, client, people, make_proposal, target):
    ident = make_proposal(status=S.UNDER_REVIEW)
    sign_in(client, people, "moderator")
    response = _status(client, ident, {"status": target.value, "answer": "  "})
    assert response.status_code == 422
    with app.test_request_context("/?lang=en"):
        expected = f"Please give a public answer: it is required for the status “{target.label}”."
    assert field_error(response, "answer") == expected


def test_reopen_a_rejected_proposal(app, client, people, make_proposal):
    ident = make_proposal(status=S.REJECTED)
    sign_in(client, people, "moderator")
    assert _status(client, ident, {"status": "under_review", "answer": ""}).status_code == 422
    assert _status(client, ident, {"status": "under_review", "answer": "Neue Lage."}).status_code == 303
    with app.app_context():
        assert db.session.get(Proposal, ident).status is S.UNDER_REVIEW


def test_no_status_chosen(client, people, make_proposal):
    ident = make_proposal()
    sign_in(client, people, "moderator")
    response = _status(client, ident, {"status": "", "answer": ANSWER})
    assert response.status_code == 422
    assert field_error(response, "status") == "Choose the new status."
    response = _status(client, ident, {"status": "merged", "answer": ANSWER})
    assert field_error(response, "status") == "Choose the new status."


def test_answer_template_prefills_the_answer(app, client, people, make_proposal):
    from portal.moderation.models import AnswerTemplate

    with app.app_context():
        template = AnswerTemplate(
            title={"de": "Ablehnung: Zuständigkeit", "en": "Rejection: responsibility"},
            text={"de": "Dafür ist das Land zuständig.", "en": "The state is responsible for this."},
        )
        db.session.add(template)
        db.session.commit()
        template_id = template.id
    ident = make_proposal()
    sign_in(client, people, "moderator")
    page = client.get(f"/verwaltung/vorschlaege/{ident}")
    assert "Rejection: responsibility" in text_of(page)
    response = _status(client, ident, {"status": "rejected", "template": template_id, "insert_template": "1"})
    assert response.status_code == 200
    assert "The state is responsible for this.</textarea>" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Proposal, ident).status is S.SUBMITTED, "inserting a template changes nothing"
    response = _status(client, ident, {"status": "rejected", "template": "", "insert_template": "1"})
    assert field_error(response, "template") == "Choose a template."


def test_history_on_the_moderation_page_names_the_moderator(client, people, make_proposal):
    ident = make_proposal(status=S.UNDER_REVIEW)
    sign_in(client, people, "moderator")
    text = text_of(client.get(f"/verwaltung/vorschlaege/{ident}"))
    assert "Mona M." in text and ANSWER in text


def test_moderation_page_query_count_does_not_grow(
    app, client, people, make_user, make_proposal, make_comment, count_queries
):
    from portal.flags.models import FlagReason

    ident = make_proposal(status=S.UNDER_REVIEW)
    make_proposal()  # one similar proposal from the start: the hints cost the same from then on
    sign_in(client, people, "moderator")
    client.get(f"/verwaltung/vorschlaege/{ident}")
    with count_queries() as few:
        client.get(f"/verwaltung/vorschlaege/{ident}")
    with app.test_request_context():
        from portal.accounts.models import User
        from portal.flags import services as flag_services

        for _number in range(5):
            reporter = db.session.get(User, make_user())
            flag_services.report(db.session.get(Proposal, ident), reporter, FlagReason.SPAM, "Werbung")
        db.session.commit()
    for _number in range(3):
        make_comment(ident, people["citizen"])
        make_proposal(title="Vorschlag Nummer für den Landkreis ähnlich")
    with count_queries() as many:
        assert client.get(f"/verwaltung/vorschlaege/{ident}").status_code == 200
    assert many.count == few.count
