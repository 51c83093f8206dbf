"""Participation figures, each one aggregate SQL query (GROUP BY): the number of queries is the
same whatever the number of proposals, comments, supports and ballots.

What counts: proposals that are listed in public (published, not hidden, neither merged nor
withdrawn), and the comments (not deleted, not hidden) and supports on them. A comment by a
municipality or department is a *statement* and is counted apart from ordinary comments.
*Participants* are the distinct people with at least one such proposal, comment or support, or
a prioritisation ballot. The models of the participation domains are imported lazily.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case
from sqlalchemy import distinct
from sqlalchemy import extract
from sqlalchemy import func
from sqlalchemy import literal
from sqlalchemy import select
from sqlalchemy import union_all

from portal.extensions import db


def _models():  # type: ignore[no-untyped-def]
    from portal.comments.models import Comment
    from portal.proposals.models import Proposal
    from portal.proposals.models import Support
    from portal.proposals.queries import listed_clause

    return Proposal, Comment, Support, listed_clause


def _official(comment: Any) -> Any:
    return comment.official_municipality_id.is_not(None) | comment.official_department_id.is_not(None)


def _visible_comment(comment: Any) -> Any:
    return comment.deleted_at.is_(None) & comment.hidden_at.is_(None)


def _month(column: Any) -> tuple[Any, Any]:
    return extract("year", column), extract("month", column)


@dataclass(frozen=True)
class Counts:
    """The figures of one group (a month, an Unterziel, a municipality, or everything)."""

    participants: int = 0
    proposals: int = 0
    comments: int = 0
    statements: int = 0
    supports: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "participants": self.participants,
            "proposals": self.proposals,
            "comments": self.comments,
            "statements": self.statements,
            "supports": self.supports,
        }


def _activity(with_month: bool = False):  # type: ignore[no-untyped-def]
    """Every (user, [year, month]) contribution as one UNION ALL subquery: the participants' source."""
    from portal.priorities.models import BallotKind
    from portal.priorities.models import PriorityBallot

    proposal, comment, support, listed = _models()

    def columns(user: Any, moment: Any) -> list[Any]:
        if not with_month:
            return [user.label("user_id")]
        year, month = _month(moment)
        return [user.label("user_id"), year.label("y"), month.label("m")]

    parts = [
        select(*columns(proposal.author_id, proposal.published_at)).where(
            listed(), proposal.author_id.is_not(None)
        ),
        select(*columns(comment.author_id, comment.created_at))
        .join(proposal, proposal.id == comment.proposal_id)
        .where(listed(), _visible_comment(comment), comment.author_id.is_not(None)),
        select(*columns(support.user_id, support.created_at))
        .join(proposal, proposal.id == support.proposal_id)
        .where(listed()),
        select(*columns(PriorityBallot.user_id, PriorityBallot.created_at)).where(
            PriorityBallot.kind == BallotKind.CITIZEN
        ),
    ]
    return union_all(*parts).subquery("activity")


def totals() -> Counts:
    """Everything at once: participants, proposals, comments, statements, supports (2 queries)."""
    proposal, comment, support, listed = _models()
    activity = _activity()
    participants = db.session.scalar(select(func.count(distinct(activity.c.user_id)))) or 0
    comments = (
        select(func.count(comment.id))
        .join(proposal, proposal.id == comment.proposal_id)
        .where(listed(), _visible_comment(comment))
    )
    row = db.session.execute(
        select(
            select(func.count(proposal.id)).where(listed()).scalar_subquery(),
            comments.where(~_official(comment)).scalar_subquery(),
            comments.where(_official(comment)).scalar_subquery(),
            select(func.count(support.id))
            .join(proposal, proposal.id == support.proposal_id)
            .where(listed())
            .scalar_subquery(),
        )
    ).one()
    return Counts(int(participants), int(row[0] or 0), int(row[1] or 0), int(row[2] or 0), int(row[3] or 0))


def per_month() -> list[tuple[str, Counts]]:
    """``[("2026-11", Counts), ...]`` oldest first; months without any activity are left out."""
    proposal, comment, support, listed = _models()
    months: dict[tuple[int, int], dict[str, int]] = {}

    def add(rows: Any, key: str) -> None:
        for year, month, count in rows:
            if year is None or month is None:
                continue
            months.setdefault((int(year), int(month)), {})[key] = int(count)

    activity = _activity(with_month=True)
    add(
        db.session.execute(
            select(activity.c.y, activity.c.m, func.count(distinct(activity.c.user_id))).group_by(
                activity.c.y, activity.c.m
            )
        ),
        "participants",
    )
    year, month = _month(proposal.published_at)
    add(
        db.session.execute(
            select(year, month, func.count(proposal.id)).where(listed()).group_by(year, month)
        ),
        "proposals",
    )
    year, month = _month(comment.created_at)
    official = _official(comment)
    rows = db.session.execute(
        select(year, month, official.label("official"), func.count(comment.id))
        .join(proposal, proposal.id == comment.proposal_id)
        .where(listed(), _visible_comment(comment))
        .group_by(year, month, official)
    )
    for y, m, is_official, count in rows:
        entry = months.setdefault((int(y), int(m)), {})
        key = "statements" if is_official else "comments"
        entry[key] = entry.get(key, 0) + int(count)
    year, month = _month(support.created_at)
    add(
        db.session.execute(
            select(year, month, func.count(support.id))
            .join(proposal, proposal.id == support.proposal_id)
            .where(listed())
            .group_by(year, month)
        ),
        "supports",
    )
    return [(f"{y:04d}-{m:02d}", Counts(**values)) for (y, m), values in sorted(months.items())]


def per_subgoal() -> dict[int, Counts]:
    """``{subgoal_id: Counts}`` (participants: people with a proposal, comment or support there)."""
    proposal, comment, support, listed = _models()
    result: dict[int, dict[str, int]] = {}
    for subgoal_id, proposals in db.session.execute(
        select(proposal.subgoal_id, func.count(proposal.id)).where(listed()).group_by(proposal.subgoal_id)
    ):
        result.setdefault(subgoal_id, {})["proposals"] = int(proposals)
    official = _official(comment)
    for subgoal_id, is_official, count in db.session.execute(
        select(proposal.subgoal_id, official.label("official"), func.count(comment.id))
        .join(proposal, proposal.id == comment.proposal_id)
        .where(listed(), _visible_comment(comment))
        .group_by(proposal.subgoal_id, official)
    ):
        entry = result.setdefault(subgoal_id, {})
        key = "statements" if is_official else "comments"
        entry[key] = entry.get(key, 0) + int(count)
    for subgoal_id, count in db.session.execute(
        select(proposal.subgoal_id, func.count(support.id))
        .join(proposal, proposal.id == support.proposal_id)
        .where(listed())
        .group_by(proposal.subgoal_id)
    ):
        result.setdefault(subgoal_id, {})["supports"] = int(count)
    for subgoal_id, count in db.session.execute(_people_by(lambda p: p.subgoal_id)):
        result.setdefault(subgoal_id, {})["participants"] = int(count)
    return {subgoal_id: Counts(**values) for subgoal_id, values in result.items()}


def per_goal() -> dict[int, Counts]:
    """``{goal_id: Counts}``: like :func:`per_subgoal`, grouped by Oberziel in SQL."""
    from portal.strategy.models import SubGoal

    proposal, comment, support, listed = _models()
    result: dict[int, dict[str, int]] = {}
    for goal_id, count in db.session.execute(
        select(SubGoal.goal_id, func.count(proposal.id))
        .join(SubGoal, SubGoal.id == proposal.subgoal_id)
        .where(listed())
        .group_by(SubGoal.goal_id)
    ):
        result.setdefault(goal_id, {})["proposals"] = int(count)
    official = _official(comment)
    for goal_id, is_official, count in db.session.execute(
        select(SubGoal.goal_id, official.label("official"), func.count(comment.id))
        .join(proposal, proposal.id == comment.proposal_id)
        .join(SubGoal, SubGoal.id == proposal.subgoal_id)
        .where(listed(), _visible_comment(comment))
        .group_by(SubGoal.goal_id, official)
    ):
        entry = result.setdefault(goal_id, {})
        key = "statements" if is_official else "comments"
        entry[key] = entry.get(key, 0) + int(count)
    for goal_id, count in db.session.execute(
        select(SubGoal.goal_id, func.count(support.id))
        .join(proposal, proposal.id == support.proposal_id)
        .join(SubGoal, SubGoal.id == proposal.subgoal_id)
        .where(listed())
        .group_by(SubGoal.goal_id)
    ):
        result.setdefault(goal_id, {})["supports"] = int(count)
    for goal_id, count in db.session.execute(_people_by(lambda p: SubGoal.goal_id, join_subgoal=True)):
        result.setdefault(goal_id, {})["participants"] = int(count)
    return {goal_id: Counts(**values) for goal_id, values in result.items()}


def _people_by(group: Any, join_subgoal: bool = False):  # type: ignore[no-untyped-def]
    """Distinct people with a proposal, comment or support, grouped by a column of the proposal."""
    from portal.strategy.models import SubGoal

    proposal, comment, support, listed = _models()

    def part(user: Any, source: Any | None):  # type: ignore[no-untyped-def]
        statement = select(group(proposal).label("grp"), user.label("user_id")).select_from(proposal)
        if source is not None:
            statement = statement.join(source, source.proposal_id == proposal.id)
        if join_subgoal:
            statement = statement.join(SubGoal, SubGoal.id == proposal.subgoal_id)
        statement = statement.where(listed(), user.is_not(None))
        if source is comment:
            statement = statement.where(_visible_comment(comment))
        return statement

    people = union_all(
        part(proposal.author_id, None), part(comment.author_id, comment), part(support.user_id, support)
    ).subquery("people")
    return select(people.c.grp, func.count(distinct(people.c.user_id))).group_by(people.c.grp)


def per_municipality() -> dict[int | None, Counts]:
    """``{municipality_id or None: Counts}``.

    Participants by their stated municipality of residence; proposals by the municipality they
    concern (None: the whole district), comments and supports on those proposals; statements by
    the municipality that gave them (None: departments' statements).
    """
    from portal.accounts.models import User

    proposal, comment, support, listed = _models()
    result: dict[int | None, dict[str, int]] = {}
    activity = _activity()
    for municipality_id, count in db.session.execute(
        select(User.municipality_id, func.count(distinct(activity.c.user_id)))
        .join(User, User.id == activity.c.user_id)
        .group_by(User.municipality_id)
    ):
        result.setdefault(municipality_id, {})["participants"] = int(count)
    for municipality_id, count in db.session.execute(
        select(proposal.municipality_id, func.count(proposal.id))
        .where(listed())
        .group_by(proposal.municipality_id)
    ):
        result.setdefault(municipality_id, {})["proposals"] = int(count)
    for municipality_id, count in db.session.execute(
        select(proposal.municipality_id, func.count(comment.id))
        .join(proposal, proposal.id == comment.proposal_id)
        .where(listed(), _visible_comment(comment), ~_official(comment))
        .group_by(proposal.municipality_id)
    ):
        result.setdefault(municipality_id, {})["comments"] = int(count)
    for municipality_id, count in db.session.execute(
        select(proposal.municipality_id, func.count(support.id))
        .join(proposal, proposal.id == support.proposal_id)
        .where(listed())
        .group_by(proposal.municipality_id)
    ):
        result.setdefault(municipality_id, {})["supports"] = int(count)
    for municipality_id, count in db.session.execute(
        select(comment.official_municipality_id, func.count(comment.id))
        .join(proposal, proposal.id == comment.proposal_id)
        .where(listed(), _visible_comment(comment), comment.official_municipality_id.is_not(None))
        .group_by(comment.official_municipality_id)
    ):
        result.setdefault(municipality_id, {})["statements"] = int(count)
    return {municipality_id: Counts(**values) for municipality_id, values in result.items()}


@dataclass(frozen=True)
class Outcomes:
    """How many listed proposals got a public answer, were accepted, and are part of a public measure."""

    proposals: int
    answered: int
    accepted: int
    in_measures: int = 0

    @property
    def answered_share(self) -> float:
        return self.answered / self.proposals if self.proposals else 0.0

    @property
    def accepted_share(self) -> float:
        return self.accepted / self.proposals if self.proposals else 0.0

    @property
    def in_measures_share(self) -> float:
        return self.in_measures / self.proposals if self.proposals else 0.0


def outcomes() -> Outcomes:
    """Listed proposals; those with a public answer in their history; accepted ones; and those that
    a public measure names as its source (turned into measures). One query.
    """
    from portal.measures.models import Measure
    from portal.measures.models import measure_proposals
    from portal.proposals.models import ProposalStatus
    from portal.proposals.models import ProposalStatusChange

    proposal, _comment, _support, listed = _models()
    answered = (
        select(literal(1))
        .where(
            ProposalStatusChange.proposal_id == proposal.id,
            ProposalStatusChange.answer.is_not(None),
            ProposalStatusChange.answer != "",
        )
        .exists()
    )
    in_measure = (
        select(literal(1))
        .select_from(measure_proposals)
        .join(Measure, Measure.id == measure_proposals.c.measure_id)
        .where(measure_proposals.c.proposal_id == proposal.id, Measure.is_public.is_(True))
        .exists()
    )
    row = db.session.execute(
        select(
            func.count(proposal.id),
            func.coalesce(func.sum(case((answered, 1), else_=0)), 0),
            func.coalesce(func.sum(case((proposal.status == ProposalStatus.ACCEPTED, 1), else_=0)), 0),
            func.coalesce(func.sum(case((in_measure, 1), else_=0)), 0),
        ).where(listed())
    ).one()
    return Outcomes(*(int(value or 0) for value in row))
