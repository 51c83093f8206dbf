"""The report form: a reason, and a note (required for "other")."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms import TextAreaField
from wtforms.validators import Length
from wtforms.validators import ValidationError

from portal.core.i18n import _
from portal.core.i18n import _l
from portal.flags.models import FlagReason
from portal.proposals.forms import choices
from portal.proposals.forms import strip

NOTE_MAX = 1000


class FlagForm(FlaskForm):
    reason = RadioField(_l("Why do you report this?"), validate_choice=False)
    note = TextAreaField(
        _l("Note for the moderators"),
        filters=[strip],
        validators=[
            Length(max=NOTE_MAX, message=_l("The note may be at most %(max)d characters long.")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reason.choices = choices([(reason.value, reason.label) for reason in FlagReason])

    def validate_reason(self, field: Any) -> None:
        if field.data not in {reason.value for reason in FlagReason}:
            raise ValidationError(_("Choose a reason."))

    def validate_note(self, field: Any) -> None:
        if self.reason.data == FlagReason.OTHER.value and not (field.data or "").strip():
            raise ValidationError(_("Tell the moderators what is wrong."))
