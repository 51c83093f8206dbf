"""Language selection and helpers for translated content.

Interface strings go through Babel (``_``, ``_l``, ``pgettext``). Content that comes from data
(the strategy's goals, phases, milestones) is stored as ``{"de": ..., "en": ...}`` and picked
with :func:`tr`.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import current_app
from flask import g
from flask import has_request_context
from flask import request
from flask import session
from flask_babel import get_locale
from flask_babel import gettext
from flask_babel import lazy_gettext
from flask_babel import lazy_pgettext
from flask_babel import ngettext
from flask_babel import pgettext

__all__ = [
    "LANGUAGE_NAMES",
    "_",
    "_l",
    "current_language",
    "lazy_pgettext",
    "ngettext",
    "pgettext",
    "select_locale",
    "text_direction",
    "tr",
    "tr_language",
    "untranslated_on_this_page",
]

#: Each interface language named in itself (the language picker and the e-mail language field
#: mark every name with its own ``lang``, so screen readers pronounce it correctly).
LANGUAGE_NAMES: dict[str, str] = {
    "de": "Deutsch",
    "en": "English",
    "tr": "Türkçe",
    "ar": "العربية",
    "uk": "Українська",
    "ru": "Русский",
    "pl": "Polski",
}

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


def text_direction(language: str | None = None) -> str:
    """``rtl`` for right-to-left languages (Arabic), else ``ltr``."""
    return "rtl" if (language or current_language()) in current_app.config["RTL_LANGUAGES"] else "ltr"


def tr_language(value: Mapping[str, str] | str | None, language: str | None = None) -> str:
    """The language code of the text :func:`tr` picks (so a page can mark it with ``lang``)."""
    language = language or current_language()
    if value is None or isinstance(value, str) or value.get(language):
        return language
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if value.get(default):
        return default
    return next((code for code, text in value.items() if text), language)


def tr(value: Mapping[str, str] | str | None, language: str | None = None) -> str:
    """Pick the text for the current language from a translations mapping.

    Falls back to the default language (German), then to any text there is, so a missing
    translation shows the original rather than nothing. A fallback during a request is noted, so
    that the page can tell the reader that some texts are not yet translated
    (:func:`untranslated_on_this_page`).
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    wanted = language or current_language()
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    for code in (wanted, default):
        text = value.get(code)
        if text:
            if code != wanted and language is None and has_request_context():
                g.untranslated = True
            return text
    return next((text for text in value.values() if text), "")


def untranslated_on_this_page() -> bool:
    """Whether a text on the page being rendered had to fall back to German."""
    return bool(has_request_context() and g.get("untranslated"))
