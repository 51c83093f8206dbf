"""Forms of the proposal pages. Choices are filled per request; messages are translated."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField
from wtforms import HiddenField
from wtforms import RadioField
from wtforms import SelectChoice
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import Optional
from wtforms.validators import ValidationError

from portal.core.content_language import content_language_field
from portal.core.i18n import _
from portal.core.i18n import _l
from portal.organisations.models import Municipality
from portal.proposals.models import CostClass
from portal.proposals.models import Horizon
from portal.strategy.models import SubGoal

TITLE_MIN, TITLE_MAX = 10, 150
BODY_MIN, BODY_MAX = 30, 10000
ALT_MAX = 250
#: Municipality choice for "the whole district".
WHOLE_DISTRICT = "district"


def strip(value: Any) -> Any:
    """Filter: surrounding whitespace removed, so blank input counts as empty."""
    return value.strip() if isinstance(value, str) else value


def choices(pairs: list[tuple[str, Any]]) -> list[SelectChoice]:
    """Form choices from (value, label) pairs (labels resolved in the current language)."""
    return [SelectChoice(str(value), str(label)) for value, label in pairs]


def choice_values(field: Any) -> set[str]:
    """The values a select or radio field offers."""
    return {choice.value for choice in field.choices or []}


def choice_label(field: Any, value: str | None) -> str:
    """The label of ``value`` among a field's choices ("" when not offered)."""
    return next((choice.label for choice in field.choices or [] if choice.value == value), "")


class EmptyForm(FlaskForm):
    """One-button actions (support, follow, withdraw): only the CSRF token."""


class ProposalForm(FlaskForm):
    """The proposal form (create and edit). The Unterziel is chosen in the step before."""

    subgoal = HiddenField()
    focus_area = SelectField(_l("Focus area"), validate_choice=False)
    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter a title.")),
            Length(
                min=TITLE_MIN,
                max=TITLE_MAX,
                message=_l("The title must be between %(min)d and %(max)d characters long."),
            ),
        ],
    )
    body = TextAreaField(
        _l("Description"),
        filters=[strip],
        render_kw={"rows": 10},
        validators=[
            DataRequired(message=_l("Describe your proposal.")),
            Length(
                min=BODY_MIN,
                max=BODY_MAX,
                message=_l("The description must be between %(min)d and %(max)d characters long."),
            ),
        ],
    )
    language = content_language_field(_l("Language of your text"))
    municipality = SelectField(_l("Where?"), validate_choice=False)
    horizon = RadioField(_l("Time horizon"), validate_choice=False)
    cost_class = RadioField(_l("Rough cost"), validate_choice=False)
    image = FileField(_l("Image"), render_kw={"accept": "image/jpeg,image/png,image/webp"})
    image_alt = StringField(
        _l("Image description (alternative text)"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=ALT_MAX, message=_l("The image description may be at most %(max)d characters long.")),
        ],
    )
    #: An image already uploaded in this session (the preview step carries it).
    pending_image = HiddenField()
    remove_image = BooleanField(_l("Remove the image"))

    def setup(self, subgoal: SubGoal, municipalities: list[Municipality]) -> ProposalForm:
        """Fill the choices for this Unterziel and the district's municipalities."""
        from portal.core.i18n import tr

        self.subgoal.data = subgoal.number
        self.focus_area.choices = choices(
            [("", _("No particular focus area"))]
            + [(area.id, tr(area.title)) for area in subgoal.focus_areas]
        )
        self.municipality.choices = choices(
            [("", _("Please choose")), (WHOLE_DISTRICT, _("The whole district"))]
            + [(municipality.key, municipality.name) for municipality in municipalities]
        )
        self.horizon.choices = choices([(horizon.value, horizon.label) for horizon in Horizon])
        self.cost_class.choices = choices([(cost.value, cost.label) for cost in CostClass])
        self._subgoal = subgoal
        return self

    def validate_focus_area(self, field: Any) -> None:
        if field.data and field.data not in choice_values(field):
            raise ValidationError(_("Choose one of the focus areas of this sub-goal."))

    def validate_municipality(self, field: Any) -> None:
        if not field.data:
            raise ValidationError(_("Choose a municipality, or the whole district."))
        if field.data not in choice_values(field):
            raise ValidationError(_("Choose one of the municipalities of the list."))

    def validate_horizon(self, field: Any) -> None:
        if field.data not in {horizon.value for horizon in Horizon}:
            raise ValidationError(_("Choose when the proposal could be carried out."))

    def validate_cost_class(self, field: Any) -> None:
        if field.data not in {cost.value for cost in CostClass}:
            raise ValidationError(_("Choose a rough cost, or “I don't know”."))

    @property
    def has_new_file(self) -> bool:
        """Whether a file was sent with this request."""
        return bool(self.image.data and getattr(self.image.data, "filename", ""))


class FilterForm(FlaskForm):
    """The filters and sort order of a list (GET; invalid values are ignored)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)])
    oberziel = SelectField(_l("Main goal"), validate_choice=False)
    unterziel = SelectField(_l("Sub-goal"), validate_choice=False)
    gemeinde = SelectField(_l("Municipality"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    horizont = SelectField(_l("Time horizon"), validate_choice=False)
    stellungnahmen = BooleanField(_l("Only proposals with official statements"))
    sortierung = SelectField(_l("Order"), validate_choice=False)
