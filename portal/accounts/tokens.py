"""Signed links for e-mail verification, password reset, e-mail change and invitations.

Each purpose has its own salt, so a token made for one purpose never passes as another. Tokens
expire (checked against the portal's clock) and carry a fingerprint of the state they are meant
to change: once used, that state has changed and the link stops working. A reset or invitation
link fingerprints the password hash, a verification link the address and whether it is
confirmed, an e-mail change link the current and the new address.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from flask import current_app
from itsdangerous import BadSignature
from itsdangerous import SignatureExpired
from itsdangerous import TimestampSigner
from itsdangerous import URLSafeTimedSerializer

from portal.accounts.models import User
from portal.core import clock
from portal.extensions import db


class Purpose(StrEnum):
    VERIFY = "verify"
    RESET = "reset"
    EMAIL_CHANGE = "email-change"
    INVITE = "invite"


#: How long a link stays valid.
LIFETIMES = {
    Purpose.VERIFY: timedelta(days=3),
    Purpose.RESET: timedelta(hours=2),
    Purpose.EMAIL_CHANGE: timedelta(days=1),
    Purpose.INVITE: timedelta(days=7),
}


class TokenError(Exception):
    """The link is not valid: tampered with, expired, already used or for a deleted account."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "invalid", "expired", "used"


class _ClockSigner(TimestampSigner):
    """Timestamps from the portal's clock, so tests can let a link expire."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


def _serializer(purpose: Purpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt=f"portal.accounts.{purpose.value}", signer=_ClockSigner
    )


def _fingerprint(user: User, purpose: Purpose, extra: str = "") -> str:
    if purpose is Purpose.VERIFY:
        state = f"{user.email}|{user.email_verified_at is not None}"
    elif purpose in (Purpose.RESET, Purpose.INVITE):
        state = f"{user.password_hash or ''}|{user.email}"
    else:
        state = f"{user.email}|{extra}"
    return hashlib.sha256(state.encode()).hexdigest()[:20]


@dataclass(frozen=True)
class Verified:
    """What a valid token says: whose it is and (for an e-mail change) the new address."""

    user: User
    new_email: str | None = None


def make_token(user: User, purpose: Purpose, *, new_email: str | None = None) -> str:
    """A signed, expiring token for ``user`` and ``purpose``."""
    payload: dict[str, Any] = {"u": user.id, "f": _fingerprint(user, purpose, new_email or "")}
    if new_email is not None:
        payload["e"] = new_email
    return _serializer(purpose).dumps(payload)


def check_token(token: str, purpose: Purpose) -> Verified:
    """The user a token belongs to; raises :class:`TokenError` if it is not (or no longer) valid."""
    max_age = int(LIFETIMES[purpose].total_seconds())
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        raise TokenError("expired") from None
    except BadSignature:
        raise TokenError("invalid") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        raise TokenError("invalid")
    user = db.session.get(User, payload["u"])
    if user is None:
        raise TokenError("invalid")
    new_email = payload.get("e")
    if payload.get("f") != _fingerprint(user, purpose, new_email or ""):
        raise TokenError("used")
    return Verified(user=user, new_email=new_email)
