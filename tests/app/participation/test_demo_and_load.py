"""Demo content (seed-demo) and large synthetic data (seed-load)."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy import select

from portal.accounts.models import User
from portal.comments.models import Comment
from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.proposals.demo import seed_demo_content
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus
from portal.proposals.models import Support
from tests.app.participation.conftest import text_of


def count(model, *where) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_demo_content_looks_alive_and_is_idempotent(app, client, demo):
    with app.test_request_context():
        summary = seed_demo_content()
        db.session.commit()
        assert "28 proposals" in summary
        assert seed_demo_content() == "already there"
        assert count(Proposal) == 28
        public = db.session.scalars(select(Proposal).where(Proposal.published_at.is_not(None))).all()
        assert len(public) == 28
        assert {p.subgoal_id for p in public} >= set(range(1, 14)) or len(
            {p.subgoal_id for p in public}
        ) >= 12
        statuses = {p.status for p in public}
        assert {
            ProposalStatus.SUBMITTED,
            ProposalStatus.UNDER_REVIEW,
            ProposalStatus.ACCEPTED,
            ProposalStatus.REJECTED,
            ProposalStatus.MERGED,
        } <= statuses
        assert count(Support) > 200
        assert all(p.supports_count == count(Support, Support.proposal_id == p.id) for p in public)
        assert count(Comment, Comment.parent_id.is_not(None)) >= 5
        assert count(Comment, Comment.official_municipality_id.is_not(None)) == 5
        assert count(Comment, Comment.official_department_id.is_not(None)) == 1
        assert count(OutboxMessage) == 0, "seeding sends no mail"
        demo_users = db.session.scalars(select(User).where(User.email.like("%@example.org"))).all()
        assert all(user.password_hash is None and user.is_verified for user in demo_users)
        merged = next(p for p in public if p.status is ProposalStatus.MERGED)
    page = text_of(client.get("/vorschlaege"))
    assert "27 Vorschläge" in page
    assert client.get(f"/vorschlaege/{merged.id}").status_code == 301
    found = text_of(client.get("/vorschlaege?q=Häuser"))
    assert "Leerstehende Häuser in der Schöninger Innenstadt" in found
    home = text_of(client.get("/"))
    assert "Vorschläge" in home


def test_seed_load_inserts_in_bulk_with_consistent_counters(app, demo, runner):
    args = [
        "seed-load",
        "--users",
        "30",
        "--proposals",
        "40",
        "--supports",
        "200",
        "--comments",
        "60",
        "--ballots",
        "10",
        "--seed",
        "3",
    ]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "Created 30 users, 40 proposals, 200 supports, 60 comments, 10 ballots" in result.output
    with app.app_context():
        assert count(User, User.email.like("load-%")) == 30
        assert count(Proposal) == 40
        assert count(Support) == 200
        assert count(Comment) == 60
        for proposal in db.session.scalars(select(Proposal)):
            assert proposal.supports_count == count(Support, Support.proposal_id == proposal.id)
            assert proposal.comments_count == count(Comment, Comment.proposal_id == proposal.id)
    again = runner.invoke(args=args)
    assert again.exit_code == 0, again.output
    with app.app_context():
        assert count(User, User.email.like("load-%")) == 60
        assert count(Proposal) == 80


def test_seed_load_needs_a_strategy(app, runner):
    result = runner.invoke(args=["seed-load", "--users", "1"])
    assert result.exit_code != 0
    assert "import-strategy" in result.output


def test_seed_load_search_index(app, client, demo, runner):
    runner.invoke(args=["seed-load", "--users", "5", "--proposals", "30", "--seed", "9"])
    assert "Vorschläge" in text_of(client.get("/vorschlaege?q=Radwege"))
    with app.app_context():
        radweg = count(Proposal, Proposal.title.like("Radweg%"))
    page = text_of(client.get("/vorschlaege?q=Radwege"))
    assert f"{radweg} Vorschl" in page
