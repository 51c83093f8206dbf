"""The language a person writes a proposal or comment in.

User content keeps the language its author wrote it in, so that pages can mark it with
``lang="…"`` (and ``dir``) and screen readers pronounce it correctly. The form offers the
interface languages, each named in itself; the default is the language the page is shown in.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from wtforms import SelectChoice
from wtforms import SelectField
from wtforms.validators import ValidationError

from portal.core.i18n import LANGUAGE_NAMES
from portal.core.i18n import _
from portal.core.i18n import current_language


def _choices() -> list[SelectChoice]:
    return [SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGE_NAMES.items()]


def _validate(form: Any, field: Any) -> None:
    if field.data not in current_app.config["LANGUAGES"]:
        raise ValidationError(_("Choose one of the languages of the list."))


def content_language_field(label: Any) -> SelectField:
    """A select of the interface languages; empty input becomes the current language."""
    return SelectField(
        label,
        choices=_choices(),
        validate_choice=False,
        validators=[_validate],
        filters=[lambda value: value or current_language()],
        default=current_language,
    )
