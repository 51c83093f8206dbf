"""Public pages: home (Leitbild, goals, phase, timeline), Oberziel and Unterziel pages."""

from __future__ import annotations

from flask import abort
from flask import render_template

from portal.core import clock
from portal.process import queries as process_queries
from portal.strategy import bp
from portal.strategy import queries


def _strategy_or_404():  # type: ignore[no-untyped-def]
    strategy = queries.get_strategy()
    if strategy is None:
        abort(404)
    return strategy


@bp.get("/")
def home():  # type: ignore[no-untyped-def]
    """Leitbild, Oberziele with Unterziele, the current phase and the decision timeline."""
    from portal.proposals import queries as proposal_queries

    strategy = queries.get_strategy()
    phases = process_queries.list_phases()
    today = clock.today()
    return render_template(
        "strategy/home.html",
        strategy=strategy,
        phases=phases,
        today=today,
        current_phase=process_queries.current_phase(phases, today),
        next_phase=process_queries.next_phase(phases, today),
        milestones=process_queries.list_milestones(),
        proposal_counts=proposal_queries.counts_by_subgoal() if strategy else {},
    )


@bp.get("/ablauf")
def process():  # type: ignore[no-untyped-def]
    """All phases of the participation process and the whole decision timeline."""
    phases = process_queries.list_phases()
    today = clock.today()
    return render_template(
        "strategy/process.html",
        strategy=queries.get_strategy(),
        phases=phases,
        today=today,
        current_phase=process_queries.current_phase(phases, today),
        milestones=process_queries.list_milestones(),
    )


@bp.get("/oberziele/<int:number>")
def goal(number: int):  # type: ignore[no-untyped-def]
    """An Oberziel with its Unterziele."""
    strategy = _strategy_or_404()
    found = queries.find_goal(strategy, number)
    if found is None:
        abort(404)
    return render_template("strategy/goal.html", strategy=strategy, goal=found)


@bp.get("/unterziele/<number>")
def subgoal(number: str):  # type: ignore[no-untyped-def]
    """An Unterziel: its sentence, its focus areas and its proposals (filtered, sorted, paged)."""
    from portal.proposals.views import list_context

    strategy = _strategy_or_404()
    found = queries.find_subgoal(strategy, number)
    if found is None:
        abort(404)
    return render_template(
        "strategy/subgoal.html",
        strategy=strategy,
        subgoal=found,
        goal=queries.goal_of(strategy, found),
        proposals=list_context(strategy, subgoal=found),
    )
