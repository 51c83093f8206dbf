"""Logging without secrets, and the security events worth logging.

:class:`RedactSecrets` scrubs passwords, tokens, session and remember cookies and Authorization
headers from every record (message, arguments and ``extra`` fields) before any handler sees it.
:func:`security_event` logs what an operator must be able to see (failed sign-ins, rate-limit
hits, permission refusals, role changes) on the ``portal.security`` logger, without personal data
beyond the account id.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Flask

SECURITY_LOGGER = "portal.security"
REDACTED = "[redacted]"

_SECRET_KEYS = re.compile(
    r"(password|passwort|passwd|secret|token|csrf|authorization|cookie|session|totp|otp|api[_-]?key)", re.I
)
_PATTERNS = [
    # key=value / key: value / "key": "value" for the secret-looking keys
    re.compile(
        r"""(?P<key>["']?[\w-]*(?:password|passwort|passwd|secret|token|csrf|api[_-]?key|totp|otp)[\w-]*["']?"""
        r"""\s*[=:]\s*)(?P<value>"[^"]*"|'[^']*'|[^\s&,;]+)""",
        re.I,
    ),
    re.compile(r"(?P<key>\bAuthorization\s*[:=]\s*)(?P<value>(?:Bearer|Basic|Token)?\s*[^\s,;]+)", re.I),
    re.compile(r"(?P<key>\b(?:Set-)?Cookie\s*[:=]\s*)(?P<value>[^\n]+)", re.I),
    re.compile(r"(?P<key>\b(?:session|remember_token)=)(?P<value>[^\s;,&]+)", re.I),
    # tokens in URLs of the portal's mail links
    re.compile(r"(?P<key>/(?:bestaetigen|passwort-neu|einladung|konto/e-mail)/)(?P<value>[\w.\-]{16,})"),
]


def redact(text: str) -> str:
    """``text`` with every secret-looking value replaced by ``[redacted]``."""
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group("key") + REDACTED, text)
    return text


def _redact_value(key: str | None, value: Any) -> Any:
    if key is not None and _SECRET_KEYS.search(key):
        return REDACTED
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_redact_value(None, v) for v in value)
    return value


_STANDARD = set(vars(logging.LogRecord("x", 0, "x", 0, "x", None, None))) | {"message", "asctime"}


class RedactSecrets(logging.Filter):
    """A filter for handlers (and loggers): the record leaves it without secrets."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep what there is
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        for key, value in list(vars(record).items()):
            if key not in _STANDARD:
                setattr(record, key, _redact_value(key, value))
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


_FILTER = RedactSecrets()


def install_filter(logger: logging.Logger | None = None) -> None:
    """Attach the filter to ``logger`` (default: the root logger) and to each of its handlers."""
    target = logger or logging.getLogger()
    if _FILTER not in target.filters:
        target.addFilter(_FILTER)
    for handler in target.handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)


def security_event(event: str, **details: Any) -> None:
    """Log a security-relevant event (``login_failed``, ``rate_limited``, ``permission_denied``,
    ``role_changed``, ...) as one line on the ``portal.security`` logger."""
    fields = " ".join(f"{key}={_redact_value(key, value)!s}" for key, value in sorted(details.items()))
    logging.getLogger(SECURITY_LOGGER).warning("security event=%s %s", event, fields)


def _pseudonym(email: str | None) -> str:
    """A short hash of the address: failed sign-ins per account can be counted, not read."""
    import hashlib

    return hashlib.sha256((email or "").strip().lower().encode()).hexdigest()[:12] if email else "-"


def _watch_role_changes() -> None:
    from sqlalchemy import event

    from portal.accounts.models import RoleAssignment

    if event.contains(RoleAssignment, "after_insert", _role_granted):
        return
    event.listen(RoleAssignment, "after_insert", _role_granted)
    event.listen(RoleAssignment, "after_delete", _role_withdrawn)


def _role_granted(_mapper: Any, _connection: Any, target: Any) -> None:
    security_event("role_granted", user=target.user_id, role=str(target.role))


def _role_withdrawn(_mapper: Any, _connection: Any, target: Any) -> None:
    security_event("role_withdrawn", user=target.user_id, role=str(target.role))


def init_app(app: Flask) -> None:
    """Filter every log record of the app; log refusals (403), rate-limit hits (429) and CSRF failures."""
    install_filter()
    install_filter(app.logger)
    install_filter(logging.getLogger(SECURITY_LOGGER))
    install_filter(logging.getLogger("gunicorn.error"))
    install_filter(logging.getLogger("werkzeug"))
    _watch_role_changes()

    from flask import request
    from flask_login import current_user

    @app.after_request
    def _log_refusals(response):  # type: ignore[no-untyped-def]
        failed_sign_in = request.method == "POST" and request.endpoint in (
            "accounts.login",
            "accounts.login_second_factor",
        )
        if failed_sign_in and response.status_code == 200:
            security_event(
                "login_failed", endpoint=request.endpoint, account=_pseudonym(request.form.get("email"))
            )
        if response.status_code in (400, 403, 429):
            event = {400: "bad_request", 403: "permission_denied", 429: "rate_limited"}[response.status_code]
            user = (
                getattr(current_user, "id", None) if current_user and current_user.is_authenticated else None
            )
            security_event(
                event, method=request.method, path=request.path, endpoint=request.endpoint, user=user
            )
        return response
