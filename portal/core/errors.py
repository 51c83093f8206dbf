"""Translated error pages (403, 404, 405, 429, 500, 503) and database-outage handling."""

from __future__ import annotations

import contextlib
import logging

from flask import Flask
from flask import jsonify
from flask import render_template
from flask import request
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import ServiceUnavailable

from portal.extensions import db

log = logging.getLogger(__name__)

PAGES = {403, 404, 405, 429, 500, 503}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(error: HTTPException):  # type: ignore[no-untyped-def]
    """Render the error page for ``error`` (JSON under /api/)."""
    code = error.code or 500
    if _wants_json():
        return jsonify(error=code, message=error.description), code
    template = f"errors/{code}.html" if code in PAGES else "errors/generic.html"
    response = render_template(template, error=error, code=code), code
    return response


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):  # type: ignore[no-untyped-def]
        if error.code and error.code < 400:
            return error
        # Roll back before rendering: rendering may autoflush a broken session.
        db.session.rollback()
        return render_error(error)

    @app.errorhandler(OperationalError)
    def _database_down(error: OperationalError):  # type: ignore[no-untyped-def]
        log.error(
            "database unavailable: %s %s", error.orig.__class__.__name__ if error.orig else error, error.orig
        )
        with contextlib.suppress(SQLAlchemyError):
            db.session.rollback()
        response = render_error(ServiceUnavailable())
        body, code = response
        return body, code, {"Retry-After": "30"}
