"""Data at scale: seed-load's shape and consistency, and write paths that do not grow with the data."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text

from portal.accounts.models import User
from portal.accounts.passwords import verify_password
from portal.comments.models import Comment
from portal.extensions import db
from portal.measures.models import BudgetLine
from portal.measures.models import Indicator
from portal.measures.models import IndicatorValue
from portal.measures.models import Measure
from portal.measures.models import measure_subgoals
from portal.organisations.models import Municipality
from portal.priorities.models import PriorityAllocation
from portal.priorities.models import PriorityBallot
from portal.priorities.queries import ballot_rules
from portal.proposals.models import Follow
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus
from portal.proposals.models import ProposalStatusChange
from portal.proposals.models import Support
from portal.strategy.models import SubGoal
from tests.conftest import TEST_PASSWORD as PASSWORD
from tests.conftest import login
from tests.conftest import post_form


def count(model, *where) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_seed_load_creates_a_realistic_consistent_data_set(app, demo, runner, monkeypatch):
    from portal.accounts import passwords

    hashed: list[str] = []
    real = passwords.hash_password
    monkeypatch.setattr(passwords, "hash_password", lambda value: hashed.append(value) or real(value))
    args = [
        "seed-load",
        "--users",
        "400",
        "--proposals",
        "150",
        "--supports",
        "4000",
        "--comments",
        "1500",
        "--ballots",
        "120",
        "--measures",
        "9",
        "--password",
        PASSWORD,
        "--seed",
        "5",
    ]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "Created 400 users, 150 proposals, 4000 supports, 1500 comments, 120 ballots, 9 measures" in (
        result.output
    )
    with app.app_context():
        assert count(User, User.email.like("load-%")) == 400
        assert count(Proposal) == 150
        assert count(Support) == 4000
        assert count(Comment) == 1500
        assert count(Follow) == 150  # every author follows their proposal
        assert count(ProposalStatusChange, ProposalStatusChange.from_status.is_(None)) == 150

        # The denormalised counters equal the real counts, for every proposal.
        supports = dict(
            db.session.execute(select(Support.proposal_id, func.count()).group_by(Support.proposal_id)).all()
        )
        comments = dict(
            db.session.execute(
                select(Comment.proposal_id, func.count())
                .where(Comment.deleted_at.is_(None))
                .group_by(Comment.proposal_id)
            ).all()
        )
        proposals = db.session.execute(
            select(
                Proposal.id,
                Proposal.supports_count,
                Proposal.comments_count,
                Proposal.subgoal_id,
                Proposal.municipality_id,
                Proposal.status,
                Proposal.published_at,
            )
        ).all()
        for row in proposals:
            assert row.supports_count == supports.get(row.id, 0), row.id
            assert row.comments_count == comments.get(row.id, 0), row.id

        # Spread over every Unterziel and municipality, mostly public and open, some decided.
        assert {row.subgoal_id for row in proposals} == set(db.session.scalars(select(SubGoal.id)))
        assert {row.municipality_id for row in proposals} >= set(db.session.scalars(select(Municipality.id)))
        assert all(row.published_at is not None for row in proposals)
        statuses = [row.status for row in proposals]
        open_ = sum(status in (ProposalStatus.SUBMITTED, ProposalStatus.PUBLISHED) for status in statuses)
        assert open_ > len(statuses) * 0.6
        assert {ProposalStatus.UNDER_REVIEW, ProposalStatus.ACCEPTED} <= set(statuses)
        assert ProposalStatus.MERGED not in statuses

        # Skewed: the most supported and most discussed proposals far above the middle.
        support_counts = sorted(row.supports_count for row in proposals)
        comment_counts = sorted(row.comments_count for row in proposals)
        assert support_counts[-1] >= 5 * max(1, support_counts[len(support_counts) // 2])
        assert comment_counts[-1] >= 5 * max(1, comment_counts[len(comment_counts) // 2])

        # Replies answer a top-level comment of the same proposal; a third are replies.
        parent = Comment.__table__.alias("parent")
        wrong = db.session.scalar(
            select(func.count())
            .select_from(Comment.__table__.join(parent, Comment.parent_id == parent.c.id))
            .where((parent.c.proposal_id != Comment.proposal_id) | parent.c.parent_id.is_not(None))
        )
        assert wrong == 0
        assert count(Comment, Comment.parent_id.is_not(None)) >= 1500 // 3 - 150

        # Measures with Unterziele, budget and indicators with values.
        assert count(Measure) == 9
        assert count(BudgetLine) >= 9
        assert count(Indicator) >= 9
        assert count(IndicatorValue) >= 2 * count(Indicator)
        linked = set(db.session.scalars(select(measure_subgoals.c.measure_id)))
        assert linked == set(db.session.scalars(select(Measure.id)))

        # Ballots: one per voter, every point given.
        assert count(PriorityBallot) == 120
        points = db.session.execute(
            select(PriorityAllocation.ballot_id, func.sum(PriorityAllocation.points)).group_by(
                PriorityAllocation.ballot_id
            )
        ).all()
        assert len(points) == 120
        assert {total for _ballot, total in points} == {ballot_rules().points_per_ballot}

        # One hash, computed once, for every account, and it is the password's.
        assert hashed == [PASSWORD]
        hashes = set(db.session.scalars(select(User.password_hash).where(User.email.like("load-%"))))
        assert len(hashes) == 1
        assert verify_password(hashes.pop(), PASSWORD)
        assert count(User, User.email.like("load-%"), User.municipality_id.is_not(None)) > 300

        if db.session.get_bind().dialect.name == "sqlite":
            assert db.session.scalar(text("SELECT count(*) FROM fts_proposals")) == 150

        # Ids come from the database again afterwards (PostgreSQL: the sequences moved on).
        user = User(email="after-load@example.org", display_name="Nach dem Laden")
        db.session.add(user)
        db.session.flush()
        assert user.id > max(db.session.scalars(select(User.id).where(User.email.like("load-%"))))
        db.session.rollback()


def test_seed_load_with_supports_for_existing_proposals_recounts(app, demo, runner):
    first = runner.invoke(args=["seed-load", "--users", "40", "--proposals", "12", "--seed", "2"])
    assert first.exit_code == 0, first.output
    more = runner.invoke(args=["seed-load", "--supports", "150", "--comments", "30", "--seed", "3"])
    assert more.exit_code == 0, more.output
    with app.app_context():
        assert count(Support) == 150
        assert count(Comment) == 30
        for proposal in db.session.scalars(select(Proposal)):
            assert proposal.supports_count == count(Support, Support.proposal_id == proposal.id)
            assert proposal.comments_count == count(Comment, Comment.proposal_id == proposal.id)


def test_seed_load_verbose_names_each_bulk_write(app, demo, runner):
    result = runner.invoke(args=["seed-load", "--users", "3", "--proposals", "2", "--verbose"])
    assert result.exit_code == 0, result.output
    assert "users" in result.output and "proposals" in result.output and "(total)" in result.output


def test_support_post_queries_do_not_grow(client, people, make_proposal, count_queries):
    login(client, people["citizen"])

    def support_queries(supports: int) -> int:
        proposal_id = make_proposal(people["author"], supports=supports, comments=2)
        url = f"/vorschlaege/{proposal_id}"
        with count_queries() as counter:
            response = post_form(client, f"{url}/unterstuetzen", form_url=url)
        assert response.status_code == 303
        return counter.count  # the form page (constant, see test_lists_and_search) and the POST

    assert support_queries(1) == support_queries(30)
