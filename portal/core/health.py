"""``GET /healthz`` for load balancers and monitoring."""

from __future__ import annotations

from flask import Blueprint
from flask import jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    """200 with ``{"status": "ok"}`` when the database answers, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        response = jsonify(status="unavailable", database="unreachable")
        response.status_code = 503
        response.headers["Retry-After"] = "30"
    else:
        response = jsonify(status="ok", database="ok")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/favicon.ico")
def favicon():  # type: ignore[no-untyped-def]
    """Browsers ask for /favicon.ico on their own; the icon is an SVG in static/."""
    from flask import redirect
    from flask import url_for

    return redirect(url_for("static", filename="favicon.svg"), code=301)
