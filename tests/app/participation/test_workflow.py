"""transition(): every edge of the workflow table with the database, refusals with clear messages,
history rows, audit events, the signal, and merging (supports kept, counted once; URL redirects)."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.core.signals import proposal_status_changed
from portal.extensions import db
from portal.proposals import services
from portal.proposals import workflow
from portal.proposals.models import Follow
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus as S
from portal.proposals.models import ProposalStatusChange
from portal.proposals.models import Support
from portal.proposals.workflow import TransitionError
from portal.proposals.workflow import TransitionForbidden
from tests.app.participation.conftest import user

#: Service-level tests read the messages in English.
EN = "/?lang=en"
ANSWER = "Vielen Dank, wir prüfen das gemeinsam mit dem Geschäftsbereich."
#: A status to start from, and the user who takes each edge.
EDGES = [(edge.source, edge.target) for edge in workflow.TRANSITIONS if edge.source is not None]


@pytest.fixture
def received(app):
    events = []

    def listener(sender, **kwargs):
        events.append((sender.id, kwargs["change"].from_status, kwargs["change"].to_status))

    proposal_status_changed.connect(listener)
    yield events
    proposal_status_changed.disconnect(listener)


def _in_status(make_proposal, people, status):
    """A proposal in ``status``; "submitted" ones wait for pre-moderation (not public yet)."""
    if status is S.SUBMITTED:
        return make_proposal(people["author"], published=False)
    return make_proposal(people["author"], status=status)


@pytest.mark.parametrize(("source", "target"), EDGES, ids=[f"{s}->{t}" for s, t in EDGES])
def test_every_edge(app, people, make_proposal, received, source, target):
    proposal_id = _in_status(make_proposal, people, source)
    other_id = make_proposal(people["citizen"]) if target is S.MERGED else None
    actor_role = "author" if target is S.WITHDRAWN else "moderator"
    with app.test_request_context(EN):
        proposal = db.session.get(Proposal, proposal_id)
        assert proposal.status is source
        before = db.session.scalar(select(func.count()).select_from(AuditEvent))
        change = workflow.transition(
            proposal,
            target,
            user(people[actor_role]),
            ANSWER,
            merge_into=db.session.get(Proposal, other_id) if other_id else None,
        )
        db.session.commit()
        assert proposal.status is target
        assert change.from_status is source and change.to_status is target
        assert change.actor_id == people[actor_role]
        assert proposal.published_at is not None, "every status after 'submitted' is public"
        edge = workflow.find_edge(source, target)
        assert change.answer == (None if edge.answer is workflow.Answer.NONE else ANSWER)
        audits = db.session.scalar(select(func.count()).select_from(AuditEvent)) - before
        assert audits == (1 if edge.moderator else 0)
        if edge.moderator:
            event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
            assert event.action == f"proposals.{target.value}"
            assert event.actor_id == people["moderator"]
            assert event.object_id == str(proposal_id)
    assert (proposal_id, source, target) in received


@pytest.mark.parametrize(
    ("status", "target"),
    [
        (S.PUBLISHED, S.ACCEPTED),
        (S.ACCEPTED, S.REJECTED),
        (S.WITHDRAWN, S.PUBLISHED),
        (S.REJECTED, S.ACCEPTED),
        (S.UNDER_REVIEW, S.PUBLISHED),
        (S.PUBLISHED, S.SUBMITTED),
    ],
)
def test_edges_outside_the_table_are_refused_with_a_message(app, people, make_proposal, status, target):
    proposal_id = make_proposal(people["author"], status=status)
    with app.test_request_context(EN):
        proposal = db.session.get(Proposal, proposal_id)
        with pytest.raises(TransitionError) as error:
            workflow.transition(proposal, target, user(people["moderator"]), ANSWER)
        assert "cannot be changed to" in error.value.message
        assert proposal.status is status


def test_messages_are_translated(app, people, make_proposal):
    proposal_id = make_proposal(people["author"], status=S.ACCEPTED)
    with app.test_request_context(headers={"Accept-Language": "de"}):
        proposal = db.session.get(Proposal, proposal_id)
        with pytest.raises(TransitionError) as error:
            workflow.transition(proposal, S.REJECTED, user(people["moderator"]), ANSWER)
    assert error.value.message == (
        "Ein Vorschlag mit dem Status „Angenommen“ kann nicht in „Abgelehnt“ geändert werden."
    )


@pytest.mark.parametrize("target", [S.ACCEPTED, S.REJECTED, S.MERGED])
@pytest.mark.parametrize("answer", [None, "", "   "])
def test_decisions_need_an_answer(app, people, make_proposal, target, answer):
    proposal_id = make_proposal(people["author"], status=S.UNDER_REVIEW)
    other_id = make_proposal(people["citizen"])
    with app.test_request_context(EN):
        proposal = db.session.get(Proposal, proposal_id)
        with pytest.raises(TransitionError) as error:
            workflow.transition(
                proposal,
                target,
                user(people["moderator"]),
                answer,
                merge_into=db.session.get(Proposal, other_id) if target is S.MERGED else None,
            )
        assert "answer" in error.value.message
        assert proposal.status is S.UNDER_REVIEW


def test_reopening_a_rejected_proposal_needs_an_answer(app, people, make_proposal):
    proposal_id = make_proposal(people["author"], status=S.REJECTED)
    with app.test_request_context(EN):
        proposal = db.session.get(Proposal, proposal_id)
        with pytest.raises(TransitionError):
            workflow.transition(proposal, S.UNDER_REVIEW, user(people["moderator"]), "")
        workflow.transition(proposal, S.UNDER_REVIEW, user(people["moderator"]), ANSWER)
        assert proposal.status is S.UNDER_REVIEW


def test_publishing_is_for_proposals_that_wait(app, people, make_proposal):
    proposal_id = make_proposal(people["author"])  # post-moderation: public at once
    with app.test_request_context(EN):
        proposal = db.session.get(Proposal, proposal_id)
        with pytest.raises(TransitionError) as error:
            workflow.transition(proposal, S.PUBLISHED, user(people["moderator"]))
        assert error.value.message == "This proposal is already public."


def test_review_note_is_optional(app, people, make_proposal):
    proposal_id = make_proposal(people["author"])
    with app.test_request_context(EN):
        proposal = db.session.get(Proposal, proposal_id)
        change = workflow.transition(proposal, S.UNDER_REVIEW, user(people["moderator"]))
        assert change.answer is None


WHO_MAY = {
    S.PUBLISHED: {"moderator", "admin"},
    S.UNDER_REVIEW: {"moderator", "admin"},
    S.ACCEPTED: {"moderator", "admin"},
    S.REJECTED: {"moderator", "admin"},
    S.MERGED: {"moderator", "admin"},
    S.WITHDRAWN: {"author"},
}
SOURCE_FOR = {
    S.PUBLISHED: S.SUBMITTED,
    S.UNDER_REVIEW: S.PUBLISHED,
    S.ACCEPTED: S.UNDER_REVIEW,
    S.REJECTED: S.PUBLISHED,
    S.MERGED: S.PUBLISHED,
    S.WITHDRAWN: S.PUBLISHED,
}
ROLES = (
    "visitor",
    "unverified",
    "citizen",
    "author",
    "municipality_rep",
    "department_staff",
    "moderator",
    "admin",
)


@pytest.mark.parametrize("target", list(WHO_MAY))
@pytest.mark.parametrize("role", ROLES)
def test_transition_permission_matrix(app, people, make_proposal, target, role):
    source = SOURCE_FOR[target]
    proposal_id = _in_status(make_proposal, people, source)
    other_id = make_proposal(people["citizen"]) if target is S.MERGED else None
    with app.test_request_context(EN):
        proposal = db.session.get(Proposal, proposal_id)
        actor = user(people[role])
        merge_into = db.session.get(Proposal, other_id) if other_id else None
        if role in WHO_MAY[target]:
            workflow.transition(proposal, target, actor, ANSWER, merge_into=merge_into)
            assert proposal.status is target
        else:
            with pytest.raises(TransitionForbidden) as error:
                workflow.transition(proposal, target, actor, ANSWER, merge_into=merge_into)
            assert "not allowed" in error.value.message
            assert proposal.status is source


def test_history_records_every_step(app, people, make_proposal):
    proposal_id = make_proposal(people["author"], status=S.ACCEPTED)
    with app.test_request_context(EN):
        rows = db.session.scalars(
            select(ProposalStatusChange)
            .where(ProposalStatusChange.proposal_id == proposal_id)
            .order_by(ProposalStatusChange.id)
        ).all()
        assert [(row.from_status, row.to_status) for row in rows] == [
            (None, S.SUBMITTED),
            (S.SUBMITTED, S.UNDER_REVIEW),
            (S.UNDER_REVIEW, S.ACCEPTED),
        ]
        assert rows[-1].answer == "Begründung der Moderation."


# --- merging ----------------------------------------------------------------------------------


def test_merging_keeps_supports_and_counts_a_person_once(app, people, make_proposal, create_user):
    source_id = make_proposal(people["author"], title="Radweg zwischen Helmstedt und Königslutter bauen")
    target_id = make_proposal(people["citizen"], title="Radweg Helmstedt–Königslutter endlich bauen")
    both, only_source, only_target = create_user(), create_user(), create_user()
    with app.test_request_context(EN):
        source = db.session.get(Proposal, source_id)
        target = db.session.get(Proposal, target_id)
        for supporter in (both, only_source):
            services.support(source, user(supporter))
        for supporter in (both, only_target):
            services.support(target, user(supporter))
        services.follow(source, user(only_source))
        db.session.commit()
        assert (source.supports_count, target.supports_count) == (2, 2)

        workflow.transition(source, S.MERGED, user(people["moderator"]), ANSWER, merge_into=target)
        db.session.commit()
        assert source.status is S.MERGED and source.merged_into_id == target_id
        assert target.supports_count == 3
        supporters = set(db.session.scalars(select(Support.user_id).where(Support.proposal_id == target_id)))
        assert supporters == {both, only_source, only_target}
        followers = set(db.session.scalars(select(Follow.user_id).where(Follow.proposal_id == target_id)))
        assert {only_source, people["author"], people["citizen"]} <= followers


def test_merged_proposal_url_redirects_to_the_target(app, client, people, make_proposal):
    source_id = make_proposal(people["author"])
    target_id = make_proposal(people["citizen"])
    with app.test_request_context(EN):
        workflow.transition(
            db.session.get(Proposal, source_id),
            S.MERGED,
            user(people["moderator"]),
            ANSWER,
            merge_into=db.session.get(Proposal, target_id),
        )
        db.session.commit()
    response = client.get(f"/vorschlaege/{source_id}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/vorschlaege/{target_id}?zusammengefuehrt={source_id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "wurde mit diesem zusammengeführt" in page


@pytest.mark.parametrize("case", ["none", "itself", "rejected", "withdrawn", "waiting"])
def test_merge_targets_are_checked(app, people, make_proposal, case):
    proposal_id = make_proposal(people["author"])
    other = {
        "none": None,
        "itself": proposal_id,
        "rejected": make_proposal(people["citizen"], status=S.REJECTED),
        "withdrawn": make_proposal(people["citizen"], status=S.WITHDRAWN),
        "waiting": make_proposal(people["citizen"], published=False),
    }[case]
    with app.test_request_context(EN):
        proposal = db.session.get(Proposal, proposal_id)
        with pytest.raises(TransitionError) as error:
            workflow.transition(
                proposal,
                S.MERGED,
                user(people["moderator"]),
                ANSWER,
                merge_into=db.session.get(Proposal, other) if other else None,
            )
        assert error.value.message
        assert proposal.status is S.PUBLISHED or proposal.status is S.SUBMITTED
