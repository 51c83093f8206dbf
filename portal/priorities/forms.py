"""The ballot form: one number field per Unterziel, grouped by Oberziel, built from the strategy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Form
from wtforms import IntegerField
from wtforms import SelectField
from wtforms.validators import ValidationError

from portal.core.i18n import _
from portal.core.i18n import _l
from portal.core.i18n import tr
from portal.priorities.queries import BallotRules
from portal.priorities.services import total_message
from portal.strategy.models import Goal
from portal.strategy.models import Strategy
from portal.strategy.models import SubGoal


def field_name(subgoal: SubGoal) -> str:
    """``points_1_1`` for Unterziel "1.1"."""
    return "points_" + subgoal.number.replace(".", "_")


class PointsField(IntegerField):
    """A whole number of points; empty means 0; what was typed is kept when it is not a number."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or str(valuelist[0]).strip() == "":
            self.data = 0
            return
        try:
            self.data = int(str(valuelist[0]).strip())
        except ValueError:
            self.data = None
            raise ValueError(_("Enter a whole number of points, for example 2.")) from None


class _Range:
    def __init__(self, maximum: int) -> None:
        self.maximum = maximum

    def __call__(self, _form: Any, field: PointsField) -> None:
        if field.data is None:
            return
        if field.data < 0:
            raise ValidationError(_("Points cannot be negative."))
        if field.data > self.maximum:
            raise ValidationError(
                _(
                    "At most %(max)d points per sub-goal; you entered %(given)d.",
                    max=self.maximum,
                    given=field.data,
                )
            )


@dataclass
class GoalGroup:
    """An Oberziel and the form fields of its Unterziele."""

    goal: Goal
    fields: list[tuple[SubGoal, PointsField]]


class BallotForm(FlaskForm):
    """Points per Unterziel; the total must equal the points of a ballot."""

    rules: BallotRules
    groups: list[GoalGroup]

    def validate(self, extra_validators: Any = None) -> bool:
        """Check each field, then the total."""
        valid = super().validate(extra_validators)
        values = [f.data for group in self.groups for _sub, f in group.fields]
        if any(value is None for value in values):
            return False
        total = sum(values)
        if total != self.rules.points_per_ballot:
            self.form_errors.append(total_message(total, self.rules.points_per_ballot))
            return False
        return valid

    @property
    def total(self) -> int:
        """The points typed so far (unparseable fields count 0)."""
        return sum(f.data or 0 for group in self.groups for _sub, f in group.fields if (f.data or 0) > 0)

    def points(self) -> dict[int, int]:
        """``{subgoal_id: points}`` of the validated form."""
        return {subgoal.id: f.data or 0 for group in self.groups for subgoal, f in group.fields}


def build_ballot_form(
    strategy: Strategy, rules: BallotRules, current: dict[int, int] | None = None
) -> BallotForm:
    """A form for this strategy's Unterziele, pre-filled with ``current`` points ``{subgoal_id: points}``."""
    current = current or {}
    attributes: dict[str, Any] = {}
    for goal in strategy.goals:
        for subgoal in goal.subgoals:
            attributes[field_name(subgoal)] = PointsField(
                f"{subgoal.number} {tr(subgoal.title)}",
                validators=[_Range(rules.max_per_subgoal)],
                default=0,
                render_kw={"min": 0, "max": rules.max_per_subgoal, "step": 1, "inputmode": "numeric"},
            )
    form_class = type("DynamicBallotForm", (BallotForm,), attributes)
    data = {
        field_name(subgoal): current.get(subgoal.id, 0)
        for goal in strategy.goals
        for subgoal in goal.subgoals
    }
    form = form_class(data=data)
    form.rules = rules
    form.groups = [
        GoalGroup(goal, [(subgoal, form[field_name(subgoal)]) for subgoal in goal.subgoals])
        for goal in strategy.goals
    ]
    return form


class ResidenceFilterForm(Form):
    """The results page's filter (GET, no CSRF): everybody, residents of one municipality, or unknown."""

    gemeinde = SelectField(_l("Show the results of"), default="")


def build_residence_filter(municipalities: list[Any], formdata: Any) -> ResidenceFilterForm:
    """The filter with one choice per municipality."""
    form = ResidenceFilterForm(formdata)
    form.gemeinde.choices = [
        ("", _("All participants")),
        *[
            (municipality.key, _("Residents of %(name)s", name=municipality.name))
            for municipality in municipalities
        ],
        ("unknown", _("Participants who did not state a municipality")),
    ]
    return form
