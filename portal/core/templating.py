"""Jinja globals and filters shared by every template."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask
from flask import request
from flask import url_for
from flask_babel import format_date
from markupsafe import Markup

from portal.core import navigation
from portal.core import permissions
from portal.core.i18n import LANGUAGE_NAMES
from portal.core.i18n import current_language
from portal.core.i18n import text_direction
from portal.core.i18n import tr
from portal.core.i18n import tr_language
from portal.core.i18n import untranslated_on_this_page
from portal.process.dates import format_date_spec

_asset_versions: dict[str, str] = {}


def asset_url(filename: str) -> str:
    """URL of a static file with a content hash, so browsers may cache it for a year."""
    from flask import current_app

    version = _asset_versions.get(filename) if not current_app.debug else None
    if version is None:
        path = Path(current_app.static_folder or "") / filename
        try:
            version = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        except OSError:
            version = "missing"
        _asset_versions[filename] = version
    return url_for("static", filename=filename, v=version)


def url_for_language(language: str) -> str:
    """The current page in another language (keeps the path and other query arguments)."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [language]
    endpoint = request.endpoint or "strategy.home"
    values = dict(request.view_args or {})
    values.update({key: value if len(value) > 1 else value[0] for key, value in args.items()})
    return url_for(endpoint, **values)


def lang_attrs(language: str | None = None) -> Markup:
    """``lang`` and ``dir`` attributes for text written in ``language`` (default: the district's
    own language, in which staff write measures and concept texts)."""
    from flask import current_app

    code = language or current_app.config["BABEL_DEFAULT_LOCALE"]
    return Markup(' lang="{}" dir="{}"').format(code, text_direction(code))


def init_app(app: Flask) -> None:
    """Register the helpers with Jinja."""
    app.jinja_env.globals.update(
        asset_url=asset_url,
        current_language=current_language,
        url_for_language=url_for_language,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        text_direction=text_direction,
        lang_attrs=lang_attrs,
        untranslated_on_this_page=untranslated_on_this_page,
        nav_entries=navigation.entries,
        # Templates ask the same rules as the views: buttons and routes share one truth.
        can=permissions.can,
    )
    app.jinja_env.filters.update(
        tr=tr, tr_language=tr_language, date_spec=format_date_spec, format_date=format_date
    )
    app.jinja_env.add_extension("jinja2.ext.do")
    app.context_processor(site_context)


def site_context() -> dict[str, object]:
    """The district's name for the layout; survives a database outage (error pages need it)."""
    from sqlalchemy.exc import SQLAlchemyError

    from portal.extensions import db
    from portal.strategy.queries import get_strategy

    try:
        strategy = get_strategy()
    except SQLAlchemyError:
        db.session.rollback()
        strategy = None
    return {"site_strategy": strategy}
