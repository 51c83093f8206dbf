"""The admin's form for a site page: title and Markdown text per language."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import Optional

from portal.core.i18n import _l


class SitePageForm(FlaskForm):
    title_de = StringField(
        _l("Title (German)"),
        validators=[
            DataRequired(message=_l("Enter the German title.")),
            Length(max=200, message=_l("The title may have at most 200 characters.")),
        ],
    )
    body_de = TextAreaField(
        _l("Text (German, Markdown)"),
        validators=[
            DataRequired(message=_l("Enter the German text.")),
            Length(max=100_000, message=_l("The text is too long.")),
        ],
    )
    title_en = StringField(
        _l("Title (English)"),
        validators=[Optional(), Length(max=200, message=_l("The title may have at most 200 characters."))],
    )
    body_en = TextAreaField(
        _l("Text (English, Markdown)"),
        validators=[Optional(), Length(max=100_000, message=_l("The text is too long."))],
    )
