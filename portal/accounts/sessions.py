"""Sign-in sessions: rotation at sign-in, idle timeouts, the pending second factor.

The session is Flask's signed cookie. It carries the time of the last request; staff are signed
out after 30 minutes without activity, citizens after 14 days. A citizen who ticks "stay signed
in" gets a permanent session (PERMANENT_SESSION_LIFETIME) and Flask-Login's remember-me cookie;
everybody else's session cookie ends with the browser. Staff never get remember-me. Signing in
clears the session (only the chosen language survives), so nothing planted before the sign-in
carries over into the signed-in session. Both cookies carry the session version: bumping it
(sign-out, password change) ends every session of the account everywhere.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import flash
from flask import redirect
from flask import request
from flask import session
from flask import url_for
from flask_login import current_user
from flask_login import login_user
from flask_login import logout_user

from portal.accounts.models import User
from portal.core import clock
from portal.core.i18n import _

STAFF_IDLE_TIMEOUT = timedelta(minutes=30)
CITIZEN_IDLE_TIMEOUT = timedelta(days=14)
#: How old the last-seen stamp may get before a request renews it (saves a cookie per request).
LAST_SEEN_RESOLUTION = timedelta(seconds=60)
#: How long the second step of a two-factor sign-in may take.
SECOND_FACTOR_TIMEOUT = timedelta(minutes=5)

LAST_SEEN_KEY = "_seen"
PENDING_KEY = "_2fa"
KEPT_KEYS = ("lang",)

#: What a staff account that must still set up two-factor sign-in may reach.
TOTP_SETUP_ENDPOINTS = frozenset(
    {"accounts.two_factor", "accounts.logout", "static", "health.healthz", "pages.show"}
)


def _now() -> int:
    return int(clock.now().timestamp())


def _reset_session() -> None:
    kept = {key: session[key] for key in KEPT_KEYS if key in session}
    session.clear()
    session.update(kept)


def idle_timeout(user: Any) -> timedelta:
    """How long this account's session survives without a request."""
    return STAFF_IDLE_TIMEOUT if user.is_staff else CITIZEN_IDLE_TIMEOUT


def start_session(user: User, *, remember: bool) -> None:
    """A new session for ``user`` (the old one is discarded); remember-me never for staff."""
    remember = remember and not user.is_staff
    _reset_session()
    session.permanent = remember
    login_user(user, remember=remember, fresh=True)
    session[LAST_SEEN_KEY] = _now()
    # Someone who never picked a language in this browser gets the one of their account.
    session.setdefault("lang", user.language)


def end_session() -> None:
    """Sign out here: the session is emptied (the language stays) and remember-me cleared."""
    logout_user()
    _reset_session()
    session["_remember"] = "clear"


def begin_second_factor(user: User, *, remember: bool, next_url: str | None) -> None:
    """Password accepted, code still to come: remember who, in a fresh session."""
    _reset_session()
    session[PENDING_KEY] = {
        "u": user.id,
        "v": user.session_version,
        "r": bool(remember),
        "t": _now(),
        "n": next_url or "",
    }


def pending_second_factor() -> dict[str, Any] | None:
    """The pending two-factor sign-in, if it is recent enough."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    if _now() - int(pending.get("t", 0)) > SECOND_FACTOR_TIMEOUT.total_seconds():
        session.pop(PENDING_KEY, None)
        return None
    return pending


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site (no open redirect), else None.

    Browsers drop tabs and line breaks from URLs and read a backslash as a slash, so a slash, a
    tab and a slash, or a slash and a backslash, lead off-site as "//evil" does: any control
    character or backslash refuses.
    """
    if not target or "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def remember_language(user: User) -> None:
    """A signed-in person who picks another interface language keeps it for e-mails too.

    The picker is a link (``?lang=xx``, no form, works without JavaScript); the account's language
    is what notifications and other mails are written in.
    """
    from flask import current_app

    from portal.extensions import db

    asked = request.args.get("lang", "").strip().lower()
    if asked in current_app.config["LANGUAGES"] and user.language != asked:
        user.language = asked
        db.session.commit()


def check_session() -> Any:
    """Before every request: end idle sessions, keep the stamp fresh, enforce staff TOTP."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = _now()
    seen = session.get(LAST_SEEN_KEY)
    if isinstance(seen, int) and now - seen > idle_timeout(current_user).total_seconds():
        end_session()
        flash(_("You were signed out after a period without activity. Please sign in again."), "info")
        return None
    if not isinstance(seen, int) or now - seen >= LAST_SEEN_RESOLUTION.total_seconds():
        session[LAST_SEEN_KEY] = now
    remember_language(current_user)
    from portal.accounts.services import needs_totp_setup

    if request.endpoint not in TOTP_SETUP_ENDPOINTS and needs_totp_setup(current_user):
        flash(_("Staff accounts must use two-factor sign-in. Please set it up now."), "warning")
        return redirect(url_for("accounts.two_factor"))
    return None
