"""Forms of the administration pages. Texts that exist per language have a German field
(required where the content needs it) and one per other interface language (optional: German is
shown instead, with a note). The German and English fields are declared; the others are added
by :func:`other_languages`, with the English field's type and limits."""

from __future__ import annotations

import re
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional
from wtforms.validators import ValidationError

from portal.core.i18n import LANGUAGE_NAMES
from portal.core.i18n import _
from portal.core.i18n import _l
from portal.moderation.forms import DayField
from portal.moderation.forms import NumberField
from portal.organisations.models import MunicipalityKind
from portal.process.dates import DateSpecError
from portal.process.dates import parse_date_spec
from portal.process.models import PhaseKind

SHORT_MAX = 200
LONG_MAX = 20000
LINE_MAX = 200


def _required(max_length: int = SHORT_MAX) -> list[Any]:
    return [
        DataRequired(message=_l("This field is required.")),
        Length(max=max_length, message=_l("At most %(max)d characters.")),
    ]


def _optional(max_length: int = SHORT_MAX) -> list[Any]:
    return [Optional(), Length(max=max_length, message=_l("At most %(max)d characters."))]


#: Languages whose fields :func:`other_languages` adds (German and English are declared).
OTHER_LANGUAGES = tuple(code for code in LANGUAGE_NAMES if code not in ("de", "en"))


def other_languages(**labels: Any) -> Any:
    """Class decorator: for each ``name=label``, add ``<name>_<code>`` fields for the languages
    besides German and English, like ``<name>_en`` (same field type and validators)."""

    def decorate(cls: type[FlaskForm]) -> type[FlaskForm]:
        for name, label in labels.items():
            english = getattr(cls, f"{name}_en")
            for code in OTHER_LANGUAGES:
                field_label = _l("%(label)s (%(language)s)", label=label, language=LANGUAGE_NAMES[code])
                setattr(
                    cls,
                    f"{name}_{code}",
                    english.field_class(
                        field_label,
                        validators=list(english.kwargs.get("validators") or []),
                        render_kw={"lang": code, "dir": "rtl" if code == "ar" else "ltr"},
                    ),
                )
        return cls

    return decorate


def translations(form: FlaskForm, name: str) -> dict[str, str]:
    """``{"de": ..., "en": ..., ...}`` from the fields ``<name>_<code>`` (empty ones left out)."""
    result = {}
    for code in LANGUAGE_NAMES:
        field = getattr(form, f"{name}_{code}", None)
        value = (field.data or "").strip() if field is not None else ""
        if value:
            result[code] = value
    return result


def fill_translations(form: FlaskForm, name: str, value: dict[str, str] | None) -> None:
    """Put a stored translations mapping into the form's fields."""
    for code in LANGUAGE_NAMES:
        field = getattr(form, f"{name}_{code}", None)
        if field is not None:
            field.data = (value or {}).get(code, "")


def lines(value: str | None) -> list[str]:
    """The non-empty lines of a text area, trimmed."""
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


@other_languages(
    region_name=_l("Name of the district"),
    title=_l("Title of the concept"),
    motto=_l("Motto of the mission statement"),
    intro=_l("Text of the mission statement"),
)
class StrategyForm(FlaskForm):
    """The strategy's own texts."""

    region_name_de = StringField(_l("Name of the district (German)"), validators=_required())
    region_name_en = StringField(_l("Name of the district (English)"), validators=_optional())
    title_de = StringField(_l("Title of the concept (German)"), validators=_required())
    title_en = StringField(_l("Title of the concept (English)"), validators=_optional())
    motto_de = StringField(_l("Motto of the mission statement (German)"), validators=_required(300))
    motto_en = StringField(_l("Motto of the mission statement (English)"), validators=_optional(300))
    intro_de = TextAreaField(_l("Text of the mission statement (German)"), validators=_optional(LONG_MAX))
    intro_en = TextAreaField(_l("Text of the mission statement (English)"), validators=_optional(LONG_MAX))
    horizon_year = NumberField(
        _l("Horizon year"),
        validators=[
            InputRequired(message=_l("Enter a year between 2000 and 2100.")),
            NumberRange(min=2000, max=2100, message=_l("Enter a year between 2000 and 2100.")),
        ],
    )


@other_languages(title=_l("Title"), text=_l("Text"))
class GoalForm(FlaskForm):
    """An Oberziel's texts."""

    title_de = StringField(_l("Title (German)"), validators=_required())
    title_en = StringField(_l("Title (English)"), validators=_optional())
    text_de = TextAreaField(_l("Text (German)"), validators=_required(LONG_MAX))
    text_en = TextAreaField(_l("Text (English)"), validators=_optional(LONG_MAX))


@other_languages(focus=_l("Focus areas, one per line"))
class SubGoalForm(GoalForm):
    """An Unterziel's texts and its focus areas (one per line, the same order in both languages)."""

    focus_de = TextAreaField(_l("Focus areas (German), one per line"), validators=[Optional()])
    focus_en = TextAreaField(_l("Focus areas (English), one per line"), validators=[Optional()])

    def validate_focus_de(self, field: Any) -> None:
        if any(len(line) > LINE_MAX for line in lines(field.data)):
            raise ValidationError(_("Each focus area may be at most %(max)d characters long.", max=LINE_MAX))

    def validate(self, extra_validators: Any = None) -> bool:
        """Every other language: no line too long, and as many lines as in German (or none)."""
        valid = super().validate(extra_validators)
        german = len(lines(self.focus_de.data))
        for code in ("en", *OTHER_LANGUAGES):
            field = getattr(self, f"focus_{code}")
            given = lines(field.data)
            if any(len(line) > LINE_MAX for line in given):
                field.errors = [
                    *field.errors,
                    _("Each focus area may be at most %(max)d characters long.", max=LINE_MAX),
                ]
                valid = False
            elif given and len(given) != german:
                field.errors = [
                    *field.errors,
                    _("Give as many focus areas as in German, in the same order (or none)."),
                ]
                valid = False
        return valid


@other_languages(title=_l("Title"), description=_l("Description"))
class PhaseForm(FlaskForm):
    """A phase of the participation process."""

    kind = SelectField(_l("Kind"), validate_choice=False)
    title_de = StringField(_l("Title (German)"), validators=_required())
    title_en = StringField(_l("Title (English)"), validators=_optional())
    description_de = TextAreaField(_l("Description (German)"), validators=_optional(LONG_MAX))
    description_en = TextAreaField(_l("Description (English)"), validators=_optional(LONG_MAX))
    starts_on = DayField(_l("First day"))
    ends_on = DayField(_l("Last day"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [(kind.value, kind.label) for kind in PhaseKind]

    def validate_kind(self, field: Any) -> None:
        if field.data not in {kind.value for kind in PhaseKind}:
            raise ValidationError(_("Choose the kind of phase."))

    def validate_starts_on(self, field: Any) -> None:
        if field.data is None and not field.errors:
            raise ValidationError(_("Enter the first day."))

    def validate_ends_on(self, field: Any) -> None:
        if field.data is None and not field.errors:
            raise ValidationError(_("Enter the last day."))
        if field.data is not None and self.starts_on.data is not None and field.data < self.starts_on.data:
            raise ValidationError(_("The last day must not be before the first day."))


@other_languages(title=_l("Title"), body=_l("Text"))
class MilestoneForm(FlaskForm):
    """An entry of the decision timeline."""

    date_spec = StringField(_l("Date"), validators=_required(80))
    title_de = StringField(_l("Title (German)"), validators=_required(300))
    title_en = StringField(_l("Title (English)"), validators=_optional(300))
    body_de = TextAreaField(_l("Text (German)"), validators=_optional(LONG_MAX))
    body_en = TextAreaField(_l("Text (English)"), validators=_optional(LONG_MAX))
    reference = StringField(_l("Reference (e.g. the number of the council document)"), validators=_optional())

    def validate_date_spec(self, field: Any) -> None:
        try:
            parse_date_spec(field.data or "")
        except DateSpecError:
            raise ValidationError(
                _(
                    "Write the date as 2017-04-27 (a day), 2017-11 (a month), 2017-05..2017-08 (months) "
                    "or 2018-04-24,2018-05-18 (several days)."
                )
            ) from None


@other_languages(title=_l("Title of the document"))
class DocumentForm(FlaskForm):
    """A document of a milestone: an uploaded PDF, or a link."""

    title_de = StringField(_l("Title of the document (German)"), validators=_required())
    title_en = StringField(_l("Title of the document (English)"), validators=_optional())
    file = FileField(_l("PDF file"))
    url = StringField(_l("Or a link to the document"), validators=_optional(500))

    def validate(self, extra_validators: Any = None) -> bool:
        """A file or a link, not both (checked here: Optional() ends a field's own checks early)."""
        valid = super().validate(extra_validators)
        has_file = bool(self.file.data and getattr(self.file.data, "filename", ""))
        value = (self.url.data or "").strip()
        message = None
        if has_file and value:
            message = _("Upload a file or give a link, not both.")
        elif not has_file and not value:
            message = _("Upload a PDF file or give a link.")
        elif value and not re.match(r"^https://[^\s/$.?#][^\s]*$", value):
            message = _("Give a full address starting with https://.")
        if message:
            self.url.errors = [*self.url.errors, message]
            valid = False
        return valid


class MunicipalityForm(FlaskForm):
    """A municipality of the district."""

    name = StringField(_l("Name"), validators=_required())
    kind = SelectField(_l("Kind"), validate_choice=False)
    postcodes = StringField(_l("Postcodes"), validators=_optional(500))
    inhabitants = NumberField(
        _l("Inhabitants"),
        validators=[
            Optional(),
            NumberRange(min=0, max=100_000_000, message=_l("Enter a whole number, 0 or more.")),
        ],
    )
    inhabitants_date = DayField(_l("Inhabitants counted on"))
    inhabitants_note = StringField(_l("Note on the inhabitants"), validators=_optional())
    members = TextAreaField(_l("Member municipalities, one per line"), validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [(kind.value, kind.label) for kind in MunicipalityKind]

    def validate_kind(self, field: Any) -> None:
        if field.data not in {kind.value for kind in MunicipalityKind}:
            raise ValidationError(_("Choose the kind of municipality."))

    def validate_postcodes(self, field: Any) -> None:
        codes = postcodes(field.data)
        if codes is None:
            raise ValidationError(_("Enter five-digit postcodes, separated by commas."))

    def validate_members(self, field: Any) -> None:
        if any(len(line) > LINE_MAX for line in lines(field.data)):
            raise ValidationError(_("Each name may be at most %(max)d characters long.", max=LINE_MAX))


def postcodes(value: str | None) -> list[str] | None:
    """ "38350, 38372" → ["38350", "38372"]; None if something is not a five-digit postcode."""
    parts = [part for part in re.split(r"[\s,;]+", value or "") if part]
    if not all(re.fullmatch(r"\d{5}", part) for part in parts):
        return None
    return list(dict.fromkeys(parts))


@other_languages(name=_l("Name"))
class DepartmentForm(FlaskForm):
    """A department of the district administration."""

    name_de = StringField(_l("Name (German)"), validators=_required())
    name_en = StringField(_l("Name (English)"), validators=_optional())
    position = NumberField(
        _l("Position in lists"),
        validators=[
            Optional(),
            NumberRange(min=0, max=1000, message=_l("Enter a number between 0 and 1000.")),
        ],
    )
    demo = BooleanField(_l("Demo data (to be replaced by the operator)"))


class SettingsForm(FlaskForm):
    """The site settings admins change without a deployment."""

    moderation_mode = RadioField(_l("Moderation of new proposals"), validate_choice=False)
    hide_threshold = NumberField(
        _l("Reports that hide content until a moderator decides"),
        validators=[
            InputRequired(message=_l("Enter a number between 1 and 100.")),
            NumberRange(min=1, max=100, message=_l("Enter a number between 1 and 100.")),
        ],
    )
    require_residence = BooleanField(_l("Only residents of the district may support proposals"))
    points_per_ballot = NumberField(
        _l("Points each participant distributes in the prioritisation"),
        validators=[
            InputRequired(message=_l("Enter a number between 1 and 100.")),
            NumberRange(min=1, max=100, message=_l("Enter a number between 1 and 100.")),
        ],
    )
    max_per_subgoal = NumberField(
        _l("At most this many points per sub-goal"),
        validators=[
            InputRequired(message=_l("Enter a number between 1 and 100.")),
            NumberRange(min=1, max=100, message=_l("Enter a number between 1 and 100.")),
        ],
    )
    results_live = BooleanField(_l("Show the prioritisation results while the phase runs"))
    edit_window = NumberField(
        _l("Minutes during which a comment can still be changed"),
        validators=[
            InputRequired(message=_l("Enter a number between 0 and 1440.")),
            NumberRange(min=0, max=1440, message=_l("Enter a number between 0 and 1440.")),
        ],
    )
    reminder_days = NumberField(
        _l("Default reminder for statement requests, in days before the deadline"),
        validators=[
            InputRequired(message=_l("Enter a number between 0 and 60.")),
            NumberRange(min=0, max=60, message=_l("Enter a number between 0 and 60.")),
        ],
    )

    def validate_moderation_mode(self, field: Any) -> None:
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_("Choose how new proposals are moderated."))

    def validate_max_per_subgoal(self, field: Any) -> None:
        if (
            isinstance(field.data, int)
            and isinstance(self.points_per_ballot.data, int)
            and field.data > self.points_per_ballot.data
        ):
            raise ValidationError(_("This cannot be more than the points a participant has."))


class AuditFilterForm(FlaskForm):
    """Filters of the audit log (GET)."""

    class Meta:
        csrf = False

    aktion = SelectField(_l("Action"), validate_choice=False)
    person = StringField(_l("Person (name or e-mail address)"), validators=_optional(100))
    von = DayField(_l("From"))
    bis = DayField(_l("Until"))

    def validate_bis(self, field: Any) -> None:
        if field.data and self.von.data and field.data < self.von.data:
            raise ValidationError(_("The end must not be before the start."))
