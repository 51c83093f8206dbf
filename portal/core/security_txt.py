"""``/.well-known/security.txt`` (RFC 9116): where to report a vulnerability."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint
from flask import Response
from flask import current_app

from portal.core import clock

bp = Blueprint("security_txt", __name__)

#: RFC 9116 wants an expiry; the file is generated, so it is always a year ahead.
VALIDITY = timedelta(days=365)


@bp.get("/.well-known/security.txt")
def security_txt() -> Response:
    """Contact, expiry, policy and languages for security researchers."""
    base = current_app.config["PORTAL_BASE_URL"].rstrip("/")
    contact = current_app.config.get("SECURITY_CONTACT") or f"mailto:{current_app.config['MAIL_FROM']}"
    expires = (clock.now() + VALIDITY).strftime("%Y-%m-%dT00:00:00Z")
    body = "\n".join(
        [
            f"Contact: {contact}",
            f"Expires: {expires}",
            "Preferred-Languages: de, en",
            f"Canonical: {base}/.well-known/security.txt",
            f"Policy: {base}/.well-known/security.txt",
            "# Please report vulnerabilities privately to the contact above; see SECURITY.md of the",
            "# Beteiligungsportal project. Do not test against other people's accounts or data.",
            "",
        ]
    )
    response = Response(body, mimetype="text/plain")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
