"""``seed-load``: large synthetic data in bulk, to measure the portal under realistic sizes.

Rows are written with bulk INSERTs in chunks (no ORM objects per row); counters (supports,
comments) are set afterwards with one UPDATE each, and the SQLite search index in one pass. The
same ``--seed`` gives the same data. Accounts get ``load-N@example.org`` addresses and no
password.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from collections.abc import Sequence
from typing import Any

import click
from flask.cli import with_appcontext
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update

from portal.accounts.models import User
from portal.comments.models import Comment
from portal.core import clock
from portal.core.sanitize import render_markdown
from portal.extensions import db
from portal.organisations.models import Municipality
from portal.proposals import search
from portal.proposals.models import CostClass
from portal.proposals.models import Follow
from portal.proposals.models import Horizon
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus
from portal.proposals.models import ProposalStatusChange
from portal.proposals.models import Support
from portal.strategy.models import SubGoal

CHUNK = 2000
_THINGS = [
    "Radweg",
    "Bürgerbus",
    "Spielplatz",
    "Dorfladen",
    "Glasfaser",
    "Ärztehaus",
    "Kita",
    "Jugendtreff",
    "Wanderweg",
    "Solaranlage",
    "Bushaltestelle",
    "Sporthalle",
    "Bücherei",
    "Marktplatz",
    "Freibad",
]
_VERBS = ["ausbauen", "erneuern", "erhalten", "bauen", "verbessern", "barrierefrei machen", "beleuchten"]
_PLACES = [
    "in Helmstedt",
    "in Schöningen",
    "am Elm",
    "in Velpke",
    "in Lehre",
    "in Grasleben",
    "im Dorf",
    "an der Schule",
    "am Bahnhof",
    "im Ortskern",
]
_SENTENCES = [
    "Viele Menschen im Ort wünschen sich das schon lange.",
    "Das würde Familien, Älteren und Pendlern gleichermaßen helfen.",
    "Die Kosten ließen sich mit Fördermitteln deutlich senken.",
    "Ehrenamtliche aus dem Verein würden mithelfen.",
    "Andere Landkreise haben damit gute Erfahrungen gemacht.",
    "Bitte auch an Menschen mit Rollstuhl oder Kinderwagen denken.",
]


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def _bulk(model: Any, rows: Sequence[dict[str, Any]]) -> None:
    for chunk in _chunks(rows):
        db.session.execute(insert(model), list(chunk))


def _max_id(model: Any) -> int:
    return int(db.session.scalar(select(func.max(model.id))) or 0)


def seed_load(
    users: int, proposals: int, supports: int, comments: int, ballots: int, seed: int
) -> dict[str, int]:
    """Insert the requested numbers of rows; returns what was created. Flushes, never commits."""
    rng = random.Random(seed)  # noqa: S311  # nosec B311 - synthetic data, not security
    now = clock.now()
    subgoal_ids = list(db.session.scalars(select(SubGoal.id)))
    if not subgoal_ids:
        raise click.ClickException("No strategy yet: run import-strategy (or seed-demo) first.")
    municipality_ids = [None, *db.session.scalars(select(Municipality.id))]
    created = {"users": 0, "proposals": 0, "supports": 0, "comments": 0, "ballots": 0}

    first_user = _max_id(User)
    _bulk(
        User,
        [
            {
                "email": f"load-{first_user + n + 1}@example.org",
                "display_name": f"Testperson {first_user + n + 1}",
                "password_hash": None,  # nosec B105 - no password: synthetic accounts cannot sign in
                "email_verified_at": now,
                "municipality_id": rng.choice(municipality_ids),
                "language": "de",
                "session_version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for n in range(users)
        ],
    )
    created["users"] = users
    user_ids = list(db.session.scalars(select(User.id).where(User.id > first_user).order_by(User.id)))
    if not user_ids and (proposals or supports or comments or ballots):
        user_ids = list(db.session.scalars(select(User.id).order_by(User.id).limit(10000)))
    if not user_ids:
        return created

    first_proposal = _max_id(Proposal)
    rows = []
    for _ in range(proposals):
        title = f"{rng.choice(_THINGS)} {rng.choice(_PLACES)} {rng.choice(_VERBS)}"
        body = " ".join(rng.sample(_SENTENCES, 3))
        rows.append(
            {
                "subgoal_id": rng.choice(subgoal_ids),
                "municipality_id": rng.choice(municipality_ids),
                "author_id": rng.choice(user_ids),
                "title": title,
                "body": body,
                "body_html": render_markdown(body),
                "horizon": rng.choice(list(Horizon)),
                "cost_class": rng.choice(list(CostClass)),
                "status": ProposalStatus.SUBMITTED,
                "published_at": now,
                "supports_count": 0,
                "comments_count": 0,
                "created_at": now,
                "updated_at": now,
            }
        )
    _bulk(Proposal, rows)
    created["proposals"] = proposals
    new = db.session.execute(
        select(Proposal.id, Proposal.author_id, Proposal.title, Proposal.body).where(
            Proposal.id > first_proposal
        )
    ).all()
    history = [
        {
            "proposal_id": r.id,
            "to_status": ProposalStatus.SUBMITTED,
            "actor_id": r.author_id,
            "created_at": now,
        }
        for r in new
    ]
    _bulk(ProposalStatusChange, history)
    _bulk(Follow, [{"proposal_id": r.id, "user_id": r.author_id, "created_at": now} for r in new])
    search.index_many((r.id, r.title, r.body) for r in new)
    proposal_ids = [r.id for r in new] or list(db.session.scalars(select(Proposal.id).limit(100000)))
    if not proposal_ids:
        return created

    existing = {(row[0], row[1]) for row in db.session.execute(select(Support.proposal_id, Support.user_id))}
    pairs: set[tuple[int, int]] = set()
    limit = len(proposal_ids) * len(user_ids) - len(existing)
    while len(pairs) < min(supports, limit):
        pair = (rng.choice(proposal_ids), rng.choice(user_ids))
        if pair not in existing:
            pairs.add(pair)
    _bulk(Support, [{"proposal_id": p, "user_id": u, "created_at": now} for p, u in sorted(pairs)])
    created["supports"] = len(pairs)

    first_comment = _max_id(Comment)
    tops = comments - comments // 3
    top_rows = []
    for _ in range(tops):
        text = rng.choice(_SENTENCES)
        top_rows.append(
            {
                "proposal_id": rng.choice(proposal_ids),
                "author_id": rng.choice(user_ids),
                "body": text,
                "body_html": render_markdown(text),
                "created_at": now,
            }
        )
    _bulk(Comment, top_rows)
    parents = db.session.execute(
        select(Comment.id, Comment.proposal_id).where(Comment.id > first_comment, Comment.parent_id.is_(None))
    ).all()
    if parents:
        replies = []
        for _ in range(comments // 3):
            parent, text = rng.choice(parents), rng.choice(_SENTENCES)
            replies.append(
                {
                    "proposal_id": parent.proposal_id,
                    "parent_id": parent.id,
                    "author_id": rng.choice(user_ids),
                    "body": text,
                    "body_html": render_markdown(text),
                    "created_at": now,
                }
            )
        _bulk(Comment, replies)
    created["comments"] = comments if parents else tops

    support_count = select(func.count()).select_from(Support).where(Support.proposal_id == Proposal.id)
    comment_count = (
        select(func.count())
        .select_from(Comment)
        .where(Comment.proposal_id == Proposal.id, Comment.deleted_at.is_(None))
    )
    db.session.execute(
        update(Proposal).values(
            supports_count=support_count.scalar_subquery(), comments_count=comment_count.scalar_subquery()
        ),
        execution_options={"synchronize_session": False},
    )
    created["ballots"] = _ballots(rng, ballots, user_ids, subgoal_ids, now)
    db.session.flush()
    return created


def _ballots(rng: random.Random, count: int, user_ids: list[int], subgoal_ids: list[int], now: Any) -> int:
    """Citizen priority ballots, if the prioritisation domain is installed (else nothing)."""
    if not count:
        return 0
    try:
        from portal.priorities.models import PriorityAllocation
        from portal.priorities.models import PriorityBallot
        from portal.priorities.queries import ballot_rules
    except ImportError:  # the prioritisation is not part of this installation
        return 0
    rules = ballot_rules()
    voted = set(db.session.scalars(select(PriorityBallot.user_id).where(PriorityBallot.user_id.is_not(None))))
    voters = [user_id for user_id in user_ids if user_id not in voted][:count]
    first = _max_id(PriorityBallot)
    _bulk(
        PriorityBallot,
        [{"kind": "citizen", "user_id": user_id, "created_at": now, "updated_at": now} for user_id in voters],
    )
    ballot_ids = list(db.session.scalars(select(PriorityBallot.id).where(PriorityBallot.id > first)))
    allocations = []
    for ballot_id in ballot_ids:
        points: dict[int, int] = {}
        for _ in range(rules.points_per_ballot):
            open_ids = [s for s in subgoal_ids if points.get(s, 0) < rules.max_per_subgoal]
            if not open_ids:
                break
            choice = rng.choice(open_ids)
            points[choice] = points.get(choice, 0) + 1
        allocations += [{"ballot_id": ballot_id, "subgoal_id": s, "points": p} for s, p in points.items()]
    _bulk(PriorityAllocation, allocations)
    return len(ballot_ids)


@click.command("seed-load")
@with_appcontext
@click.option("--users", default=0, show_default=True, help="Verified accounts (no password).")
@click.option("--proposals", default=0, show_default=True, help="Public proposals, by random new users.")
@click.option("--supports", default=0, show_default=True, help="Supports (distinct person and proposal).")
@click.option("--comments", default=0, show_default=True, help="Comments; a third of them are replies.")
@click.option(
    "--ballots",
    default=0,
    show_default=True,
    help="Citizen priority ballots (one per new user; nothing while the prioritisation is not installed).",
)
@click.option("--seed", default=1, show_default=True, help="Random seed: the same seed gives the same data.")
def seed_load_command(
    users: int, proposals: int, supports: int, comments: int, ballots: int, seed: int
) -> None:
    """Insert large synthetic data into the configured database, in bulk."""
    from portal.notifications.services import muted

    with muted():
        created = seed_load(users, proposals, supports, comments, ballots, seed)
    db.session.commit()
    click.echo("Created " + ", ".join(f"{count} {name}" for name, count in created.items()))
