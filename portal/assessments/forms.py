"""The assessment form and the routing form."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms import SelectField
from wtforms import TextAreaField
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional
from wtforms.validators import ValidationError

from portal.assessments.models import Feasibility
from portal.assessments.models import Responsibility
from portal.core.i18n import _
from portal.core.i18n import _l
from portal.moderation.forms import MultiCheckboxField
from portal.moderation.forms import NumberField

TEXT_MAX = 10000
COST_MAX = 10_000_000_000


class AssessmentForm(FlaskForm):
    """A department's internal assessment of a proposal."""

    feasibility = RadioField(_l("Feasibility"), validate_choice=False)
    cost_estimate = NumberField(
        _l("Cost estimate in euros"),
        validators=[
            Optional(),
            NumberRange(min=0, max=COST_MAX, message=_l("Enter a whole number of euros, 0 or more.")),
        ],
    )
    responsibility = RadioField(_l("Who is responsible?"), validate_choice=False)
    text = TextAreaField(
        _l("Assessment"),
        validators=[Optional(), Length(max=TEXT_MAX, message=_l("At most %(max)d characters."))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.feasibility.choices = [(item.value, item.label) for item in Feasibility]
        self.responsibility.choices = [(item.value, item.label) for item in Responsibility]

    def validate_feasibility(self, field: Any) -> None:
        if field.data not in {item.value for item in Feasibility}:
            raise ValidationError(_("Choose how feasible the proposal is."))

    def validate_responsibility(self, field: Any) -> None:
        if field.data not in {item.value for item in Responsibility}:
            raise ValidationError(_("Choose who is responsible."))


class AssignmentFilterForm(FlaskForm):
    """Filters of the assessment list (GET)."""

    class Meta:
        csrf = False

    zustand = SelectField(_l("State"), validate_choice=False)
    geschaeftsbereich = SelectField(_l("Department"), validate_choice=False)


def routing_form(subgoals: list[tuple[int, str]], departments: list[tuple[int, str]]) -> FlaskForm:
    """A form with one group of department checkboxes per Unterziel (fields ``sg_<id>``)."""

    class RoutingForm(FlaskForm):
        pass

    for ident, label in subgoals:
        setattr(RoutingForm, f"sg_{ident}", MultiCheckboxField(label, coerce=int))
    form = RoutingForm()
    for ident, _label in subgoals:
        getattr(form, f"sg_{ident}").choices = departments
    return form
