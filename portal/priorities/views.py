"""The ballot (citizen and official municipal), the results page and its CSV download."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask import flash
from flask import make_response
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user

from portal.core import charts
from portal.core.csv_export import csv_response
from portal.core.i18n import _
from portal.core.i18n import tr
from portal.core.permissions import can
from portal.core.permissions import require
from portal.extensions import db
from portal.extensions import limiter
from portal.priorities import bp
from portal.priorities import queries
from portal.priorities import results
from portal.priorities import services
from portal.priorities.forms import build_ballot_form
from portal.priorities.forms import build_residence_filter
from portal.strategy.queries import get_strategy


def _voter_key() -> str:
    """Rate-limit ballots per person (not per address: many people share one)."""
    return f"ballot:{current_user.get_id()}" if current_user.is_authenticated else request.remote_addr or ""


def _strategy():  # type: ignore[no-untyped-def]
    strategy = get_strategy()
    if strategy is None:
        abort(404)
    return strategy


def _require_verified():  # type: ignore[no-untyped-def]
    """Visitors go to sign-in; unconfirmed accounts learn why they may not vote yet."""
    if current_user.is_authenticated and not current_user.is_verified:
        abort(make_response(render_template("priorities/unverified.html"), 403))
    require("priorities.vote")


def _handle(form, window, cast, *, template: str, context: dict[str, Any]):  # type: ignore[no-untyped-def]
    """Validate, cast, commit, redirect; or show the form again with the messages (typed values kept)."""
    status = 200
    if request.method == "POST":
        if not window.is_open:
            status = 409
            context["closed_error"] = True
        elif form.validate_on_submit():
            try:
                cast(form.points())
            except services.BallotClosed:
                status = 409
                context["closed_error"] = True
            else:
                db.session.commit()
                return None
        else:
            status = 400 if form.errors.get("csrf_token") else 200
    return render_template(template, form=form, window=window, **context), status


@bp.route("/priorisierung", methods=["GET", "POST"])
@limiter.limit("30 per minute", key_func=_voter_key, methods=["POST"])
def ballot():  # type: ignore[no-untyped-def]
    """The person's own ballot: one number per Unterziel; changeable until the phase ends."""
    _require_verified()
    strategy = _strategy()
    rules = queries.ballot_rules()
    window = queries.prioritisation_window()
    existing = queries.citizen_ballot(current_user.id)
    form = build_ballot_form(strategy, rules, existing.points_by_subgoal() if existing else None)
    subgoal_ids = set(results.subgoal_numbers(strategy))
    answer = _handle(
        form,
        window,
        lambda points: services.cast_citizen_ballot(current_user, points, subgoal_ids),
        template="priorities/ballot.html",
        context={
            "strategy": strategy,
            "rules": rules,
            "ballot": existing,
            "represented": queries.municipalities_by_ids(current_user.represented_municipality_ids),
            "results_public": queries.results_are_public(window, rules),
        },
    )
    if answer is not None:
        return answer
    flash(
        _("Your priorities have been saved. You can change them until %(date)s.", date=_date(window)),
        "success",
    )
    return redirect(url_for(".ballot"))


@bp.route("/priorisierung/gemeinde/<key>", methods=["GET", "POST"])
@limiter.limit("30 per minute", key_func=_voter_key, methods=["POST"])
def municipal_ballot(key: str):  # type: ignore[no-untyped-def]
    """A municipality's official ballot, cast by one of its representatives."""
    _require_verified()
    municipality = queries.find_municipality(key)
    if municipality is None:
        abort(404)
    require("priorities.vote_municipal", municipality)
    strategy = _strategy()
    rules = queries.ballot_rules()
    window = queries.prioritisation_window()
    existing = queries.municipal_ballot(municipality.id)
    form = build_ballot_form(strategy, rules, existing.points_by_subgoal() if existing else None)
    subgoal_ids = set(results.subgoal_numbers(strategy))
    answer = _handle(
        form,
        window,
        lambda points: services.cast_municipal_ballot(current_user, municipality, points, subgoal_ids),
        template="priorities/municipal_ballot.html",
        context={"strategy": strategy, "rules": rules, "ballot": existing, "municipality": municipality},
    )
    if answer is not None:
        return answer
    flash(
        _(
            "The official priorities of %(name)s have been saved. They can be changed until %(date)s.",
            name=municipality.name,
            date=_date(window),
        ),
        "success",
    )
    return redirect(url_for(".municipal_ballot", key=municipality.key))


def _date(window: queries.Window) -> str:
    from flask_babel import format_date

    return format_date(window.phase.ends_on, "medium") if window.phase else ""


# --- results ----------------------------------------------------------------------------------


def _results_access() -> tuple[queries.BallotRules, queries.Window, bool]:
    """Rules, window and whether this is a staff preview; 404-free: closed results explain themselves."""
    rules = queries.ballot_rules()
    window = queries.prioritisation_window()
    public = queries.results_are_public(window, rules)
    preview = not public and can("priorities.preview_results")
    return rules, window, preview


def _residence_choice(municipalities: list[Any]) -> tuple[queries.Residence, Any]:
    """The ``?gemeinde=`` filter: None (everybody), UNKNOWN, or a municipality id; 404 if unknown."""
    key = request.args.get("gemeinde", "").strip()
    if not key:
        return None, None
    if key == queries.UNKNOWN:
        return queries.UNKNOWN, None
    municipality = next((item for item in municipalities if item.key == key), None)
    if municipality is None:
        abort(404)
    return municipality.id, municipality


@bp.get("/priorisierung/ergebnisse")
def results_page():  # type: ignore[no-untyped-def]
    """Rankings of Unterziele and Oberziele, by points and by people, with charts and tables."""
    strategy = _strategy()
    rules, window, preview = _results_access()
    public = queries.results_are_public(window, rules)
    context: dict[str, Any] = {
        "strategy": strategy,
        "rules": rules,
        "window": window,
        "public": public,
        "preview": preview,
    }
    if not (public or preview):
        return render_template("priorities/results.html", **context)

    municipalities = queries.list_municipalities()
    residence, municipality = _residence_choice(municipalities)
    outcome = results.compute(strategy, residence)
    subgoals = {subgoal.id: subgoal for goal in strategy.goals for subgoal in goal.subgoals}
    goals = {goal.id: goal for goal in strategy.goals}
    participants = queries.participants_by_residence()
    official = results.municipal_ballots(municipalities)
    context.update(
        municipalities=municipalities,
        residence=residence,
        municipality=municipality,
        outcome=outcome,
        subgoals=subgoals,
        goals=goals,
        participants_by_residence=participants,
        official=official,
        charts=_charts(outcome, subgoals, goals),
        subgoals_in_order=sorted(outcome.subgoals, key=lambda item: results.number_key(item.number)),
        filter_form=build_residence_filter(municipalities, request.args),
    )
    return render_template("priorities/results.html", **context)


def _charts(outcome: results.Results, subgoals: dict[int, Any], goals: dict[int, Any]) -> dict[str, Any]:
    def subgoal_bar(item: results.Ranked, value: int) -> charts.Bar:
        return charts.Bar(f"{item.number} {tr(subgoals[item.key].title)}", value)

    def goal_bar(item: results.Ranked, value: int) -> charts.Bar:
        return charts.Bar(_("Main goal %(number)s", number=item.number), value)

    people_order = results.by_people(outcome.subgoals)
    goal_people = results.by_people(outcome.goals)
    return {
        "subgoal_points": charts.bar_chart(
            [subgoal_bar(item, item.points) for item in outcome.subgoals],
            chart_id="chart-subgoal-points",
            title=_("Sub-goals by points"),
            description=charts.describe_top(
                [subgoal_bar(item, item.points) for item in outcome.subgoals], _("points")
            ),
        ),
        "subgoal_people": charts.bar_chart(
            [subgoal_bar(item, item.people) for item in people_order],
            chart_id="chart-subgoal-people",
            title=_("Sub-goals by number of people"),
            description=charts.describe_top(
                [subgoal_bar(item, item.people) for item in people_order], _("people")
            ),
        ),
        "goal_points": charts.bar_chart(
            [goal_bar(item, item.points) for item in outcome.goals],
            chart_id="chart-goal-points",
            title=_("Main goals by points"),
            description=charts.describe_top(
                [goal_bar(item, item.points) for item in outcome.goals], _("points")
            ),
        ),
        "goal_people": charts.bar_chart(
            [goal_bar(item, item.people) for item in goal_people],
            chart_id="chart-goal-people",
            title=_("Main goals by number of people"),
            description=charts.describe_top(
                [goal_bar(item, item.people) for item in goal_people], _("people")
            ),
        ),
    }


@bp.get("/priorisierung/ergebnisse.csv")
def results_csv():  # type: ignore[no-untyped-def]
    """The public results as CSV: everybody, per municipality of residence, official ballots."""
    strategy = _strategy()
    rules, window, _preview = _results_access()
    if not queries.results_are_public(window, rules):
        abort(404)
    data = results.results_for_concept(strategy)
    titles = {row["number"]: row["title"] for row in data["subgoals"]}
    goal_of = {row["number"]: row["goal_number"] for row in data["subgoals"]}
    header = [
        _("Scope"),
        _("Municipality"),
        _("Sub-goal"),
        _("Title"),
        _("Main goal"),
        _("Points"),
        _("People"),
        _("Rank by points"),
        _("Rank by people"),
    ]
    rows: list[list[Any]] = []
    for row in data["subgoals"]:
        rows.append(_csv_row(_("All participants"), "", row))
    for scope in data["by_residence"]:
        name = scope["municipality_name"] or _("Municipality not given")
        for row in scope["subgoals"]:
            rows.append(_csv_row(_("Residents"), name, row))
    for ballot in data["municipal_ballots"]:
        for allocation in ballot["allocations"]:
            number = allocation["subgoal_number"]
            rows.append(
                [
                    _("Official ballot of the municipality"),
                    ballot["municipality_name"],
                    number,
                    tr(titles.get(number)),
                    goal_of.get(number, ""),
                    allocation["points"],
                    "",
                    "",
                    "",
                ]
            )
    return csv_response("priorisierung-ergebnisse.csv", header, rows)


def _csv_row(scope: str, municipality: str, row: dict[str, Any]) -> list[Any]:
    return [
        scope,
        municipality,
        row["number"],
        tr(row["title"]),
        row["goal_number"],
        row["points"],
        row["people"],
        row["rank_by_points"],
        row["rank_by_people"],
    ]
