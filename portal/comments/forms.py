"""The comment form: text, and for representatives and staff the voice they write in."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import ValidationError

from portal.core.content_language import content_language_field
from portal.core.i18n import _
from portal.core.i18n import _l
from portal.proposals.forms import choice_values
from portal.proposals.forms import choices
from portal.proposals.forms import strip

BODY_MIN, BODY_MAX = 2, 5000
#: Voice value for "as myself".
PERSONAL = "self"


class CommentForm(FlaskForm):
    """A comment or reply; ``voice`` is offered only to people with an official voice."""

    body = TextAreaField(
        _l("Your comment"),
        filters=[strip],
        render_kw={"rows": 5},
        validators=[
            DataRequired(message=_l("Write a comment.")),
            Length(
                min=BODY_MIN,
                max=BODY_MAX,
                message=_l("A comment must be between %(min)d and %(max)d characters long."),
            ),
        ],
    )
    language = content_language_field(_l("Language of your comment"))
    voice = RadioField(_l("Write as"), validate_choice=False, default=PERSONAL)

    def set_voices(self, voices: list[tuple[str, str]]) -> CommentForm:
        """Offer these voices (value, label) besides writing personally."""
        self.voice.choices = choices([(PERSONAL, _("Myself (a personal comment)")), *voices])
        return self

    def validate_voice(self, field: Any) -> None:
        if not field.data:
            field.data = PERSONAL
        allowed = choice_values(field) or {PERSONAL}
        if field.data not in allowed:
            raise ValidationError(_("You cannot write in this name."))


class EditCommentForm(FlaskForm):
    """Changing a comment's text within the edit window."""

    body = CommentForm.body
    language = CommentForm.language
