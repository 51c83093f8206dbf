"""Reads for the strategy pages, with eager loading so each page costs a fixed number of queries."""

from __future__ import annotations

from flask import g
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.strategy.models import Goal
from portal.strategy.models import Strategy
from portal.strategy.models import SubGoal


def get_strategy() -> Strategy | None:
    """The portal's strategy with goals, sub-goals and focus areas, or None.

    Loaded once per request (4 queries) and kept on ``g``: the layout needs the region's name
    on every page, and the pages themselves need the goals.
    """
    if "strategy" not in g:
        g.strategy = db.session.scalar(
            select(Strategy)
            .order_by(Strategy.id)
            .limit(1)
            .options(
                selectinload(Strategy.goals).selectinload(Goal.subgoals).selectinload(SubGoal.focus_areas)
            )
        )
    return g.strategy


def find_goal(strategy: Strategy, number: int) -> Goal | None:
    """The Oberziel with this number from an already loaded strategy."""
    return next((goal for goal in strategy.goals if goal.number == number), None)


def find_subgoal(strategy: Strategy, number: str) -> SubGoal | None:
    """The Unterziel with this number ("1.1") from an already loaded strategy."""
    for goal in strategy.goals:
        for subgoal in goal.subgoals:
            if subgoal.number == number:
                return subgoal
    return None


def goal_of(strategy: Strategy, subgoal: SubGoal) -> Goal:
    """The Oberziel a sub-goal belongs to, without another query."""
    return next(goal for goal in strategy.goals if goal.id == subgoal.goal_id)
