"""Rate limits of participation actions (Flask-Limiter), keyed per user when signed in.

Limits come from config keys so that an operator (or a test) can change them; IP addresses
live only in the limiter's storage, never in the database.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from flask_limiter.util import get_remote_address
from flask_login import current_user

DEFAULTS = {
    "RATELIMIT_PROPOSALS": "30 per hour",
    "RATELIMIT_COMMENTS": "10 per minute;100 per day",
    "RATELIMIT_SUPPORTS": "60 per minute",
    "RATELIMIT_FLAGS": "20 per hour",
}


def rate_key() -> str:
    """The signed-in user, else the client's address."""
    if current_user and current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"ip:{get_remote_address()}"


def limit_of(name: str) -> Callable[[], str]:
    """A callable Flask-Limiter evaluates per request: the configured limit or the default."""

    def value() -> str:
        return str(current_app.config.get(name) or DEFAULTS[name])

    return value
