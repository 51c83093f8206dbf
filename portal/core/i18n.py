"""Language selection and helpers for translated content.

Interface strings go through Babel (``_``, ``_l``, ``pgettext``). Content that comes from data
(the strategy's goals, phases, milestones) is stored as ``{"de": ..., "en": ...}`` and picked
with :func:`tr`.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import current_app
from flask import has_request_context
from flask import request
from flask import session
from flask_babel import get_locale
from flask_babel import gettext
from flask_babel import lazy_gettext
from flask_babel import lazy_pgettext
from flask_babel import ngettext
from flask_babel import pgettext

__all__ = ["_", "_l", "current_language", "lazy_pgettext", "ngettext", "pgettext", "select_locale", "tr"]

_ = gettext
_l = lazy_gettext


def select_locale() -> str:
    """``?lang=xx`` (remembered in the session), else the session, else Accept-Language, else German."""
    languages: tuple[str, ...] = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    asked = request.args.get("lang", "").strip().lower()
    if asked in languages:
        if session.get("lang") != asked:
            session["lang"] = asked
        return asked
    remembered = session.get("lang")
    if remembered in languages:
        return remembered
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    """The language code of the current request (``de``, ``en``)."""
    locale = get_locale()
    return locale.language if locale else current_app.config["BABEL_DEFAULT_LOCALE"]


def tr(value: Mapping[str, str] | str | None, language: str | None = None) -> str:
    """Pick the text for the current language from a translations mapping.

    Falls back to the default language, then to any text there is, so a missing translation
    shows the original rather than nothing.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    language = language or current_language()
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    for code in (language, default):
        text = value.get(code)
        if text:
            return text
    return next((text for text in value.values() if text), "")
