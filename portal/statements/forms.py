"""The statement request form and the representatives' answer form."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional
from wtforms.validators import ValidationError

from portal.core import clock
from portal.core.i18n import _
from portal.core.i18n import _l
from portal.moderation.forms import DayField
from portal.moderation.forms import MultiCheckboxField
from portal.moderation.forms import NumberField
from portal.statements.models import Subject

TITLE_MAX = 200
MESSAGE_MAX = 5000
ANSWER_MAX = 10000
REMINDER_MAX = 60


def parse_numbers(value: str | None) -> list[int] | None:
    """ "12, 15 31" → [12, 15, 31]; None when something else than numbers was typed."""
    parts = [part for part in re.split(r"[\s,;]+", value or "") if part]
    if not all(part.isdigit() and len(part) < 10 for part in parts):
        return None
    return list(dict.fromkeys(int(part) for part in parts))


class RequestForm(FlaskForm):
    """Ask municipalities for statements on chosen proposals or on the draft concept."""

    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(message=_l("Enter a title.")),
            Length(max=TITLE_MAX, message=_l("At most %(max)d characters.")),
        ],
    )
    message = TextAreaField(
        _l("Message to the municipalities"),
        validators=[Optional(), Length(max=MESSAGE_MAX, message=_l("At most %(max)d characters."))],
    )
    subject = RadioField(_l("The statements are about"), validate_choice=False)
    proposals = StringField(_l("Numbers of the proposals"))
    municipalities = MultiCheckboxField(_l("Municipalities asked"), coerce=int)
    deadline = DayField(_l("Deadline"))
    reminder_days = NumberField(
        _l("Reminder this many days before the deadline"),
        validators=[
            InputRequired(message=_l("Enter a number of days between 0 and %(max)d.", max=REMINDER_MAX)),
            NumberRange(
                min=0,
                max=REMINDER_MAX,
                message=_l("Enter a number of days between 0 and %(max)d.", max=REMINDER_MAX),
            ),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subject.choices = [(item.value, item.label) for item in Subject]
        self.public_ids: set[int] = set()

    def validate_subject(self, field: Any) -> None:
        if field.data not in {item.value for item in Subject}:
            raise ValidationError(_("Choose what the statements are about."))

    def validate_proposals(self, field: Any) -> None:
        if self.subject.data != Subject.PROPOSALS.value:
            return
        numbers = parse_numbers(field.data)
        if numbers is None:
            raise ValidationError(_("Enter the numbers of the proposals, separated by commas."))
        if not numbers:
            raise ValidationError(_("Enter at least one proposal number."))
        unknown = [str(number) for number in numbers if number not in self.public_ids]
        if unknown:
            raise ValidationError(
                _("These are not numbers of public, open proposals: %(numbers)s", numbers=", ".join(unknown))
            )

    def validate_municipalities(self, field: Any) -> None:
        if not field.data:
            raise ValidationError(_("Choose at least one municipality."))

    def validate_deadline(self, field: Any) -> None:
        if field.data is None and not field.errors:
            raise ValidationError(_("Enter the deadline."))
        if isinstance(field.data, date) and field.data <= clock.today():
            raise ValidationError(_("The deadline must be in the future."))


def answer_form(keys: list[tuple[str, str]]) -> FlaskForm:
    """One text area per proposal (``p_<id>``) or one for the concept (``concept``)."""

    class AnswerForm(FlaskForm):
        def validate(self, extra_validators: Any = None) -> bool:
            valid = super().validate(extra_validators)
            if valid and not any((getattr(self, name).data or "").strip() for name, _label in keys):
                self.form_errors.append(_("Write at least one statement."))
                return False
            return valid

    for name, label in keys:
        setattr(
            AnswerForm,
            name,
            TextAreaField(
                label,
                validators=[Optional(), Length(max=ANSWER_MAX, message=_l("At most %(max)d characters."))],
            ),
        )
    return AnswerForm()
