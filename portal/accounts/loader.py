"""Flask-Login user loading: the cookie carries ``id:session_version``."""

from __future__ import annotations

from flask_login import LoginManager

from portal.accounts.models import User
from portal.extensions import db


def load_user(user_id: str) -> User | None:
    """The user whose id and session version match the cookie, else None (signed out)."""
    ident, _, version = user_id.partition(":")
    if not ident.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(ident))
    if user is None or user.session_version != int(version):
        return None
    return user


def init_login_manager(manager: LoginManager) -> None:
    """Wire the loader and the sign-in page; the message is flashed in the user's language."""
    manager.user_loader(load_user)
    manager.login_view = "accounts.login"
    manager.session_protection = "strong"
    # The default message would be a lazy string in the session (flask-login#203): views flash.
    manager.login_message = None  # type: ignore[assignment]
