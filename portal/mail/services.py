"""Queueing mail in the outbox and delivering it (SMTP, or .eml files without SMTP_HOST).

A message is added to the session of the change that causes it, so it is committed with that
change or not at all. Delivery runs outside requests (``send-mail``); a failed attempt is retried
with exponential backoff, so an SMTP outage loses nothing. A message is marked sent in its own
commit right after the server accepted it, so a second run never sends it twice.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate
from email.utils import make_msgid
from pathlib import Path

from flask import current_app
from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select

from portal.core import clock
from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.mail.models import OutboxStatus

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 60


def queue_mail(recipient: str, template: str, *, language: str, **context: object) -> OutboxMessage:
    """Render ``mail/<template>.txt`` (and ``.html`` if it exists) in ``language`` and queue it.

    The text template's first line is ``Subject: ...``; the rest is the body.
    """
    with force_locale(language):
        rendered = render_template(f"mail/{template}.txt", **context)
        subject_line, _, body_text = rendered.lstrip().partition("\n")
        if not subject_line.startswith("Subject:"):
            raise ValueError(f"mail/{template}.txt must start with 'Subject: '")
        subject = subject_line.removeprefix("Subject:").strip()
        try:
            body_html: str | None = render_template(f"mail/{template}.html", subject=subject, **context)
        except Exception as error:
            from jinja2 import TemplateNotFound

            if not isinstance(error, TemplateNotFound):
                raise
            body_html = None
    message = OutboxMessage(
        recipient=recipient, subject=subject, body_text=body_text.strip() + "\n", body_html=body_html
    )
    db.session.add(message)
    return message


def build_email(message: OutboxMessage) -> EmailMessage:
    """The MIME message for an outbox row (plain text plus optional HTML alternative)."""
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=True)
    email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}")
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    return email


def _deliver_smtp(email: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=20) as smtp:
        if config["SMTP_STARTTLS"]:
            smtp.starttls()
        if config["SMTP_USERNAME"]:
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
        smtp.send_message(email)


def outbox_folder() -> Path:
    """Where mail goes as .eml files when no SMTP_HOST is configured."""
    folder = Path(current_app.config.get("MAIL_OUTBOX_DIR") or Path(current_app.instance_path) / "outbox")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _deliver_file(message: OutboxMessage, email: EmailMessage) -> None:
    stamp = clock.now().strftime("%Y%m%dT%H%M%S")
    path = outbox_folder() / f"{stamp}-{message.id:06d}.eml"
    path.write_bytes(bytes(email))


def deliver_pending(limit: int = 100) -> tuple[int, int]:
    """Deliver due messages; returns (sent, failed attempts). Commits after each message."""
    now = clock.now()
    ids = list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
    )
    sent = failed = 0
    for message_id in ids:
        message = db.session.get(OutboxMessage, message_id, with_for_update={"skip_locked": True})
        if message is None or message.status is not OutboxStatus.PENDING:
            continue
        email = build_email(message)
        try:
            if current_app.config.get("SMTP_HOST"):
                _deliver_smtp(email)
            else:
                _deliver_file(message, email)
        except (OSError, smtplib.SMTPException) as error:
            message.attempts += 1
            message.last_error = f"{type(error).__name__}: {error}"[:500]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxStatus.FAILED
                log.error("mail %s failed permanently after %s attempts", message.id, message.attempts)
            else:
                delay = BACKOFF_BASE_SECONDS * 2 ** (message.attempts - 1)
                message.next_attempt_at = clock.now() + timedelta(seconds=delay)
                log.warning(
                    "mail %s not delivered (%s); retry in %ss", message.id, type(error).__name__, delay
                )
            failed += 1
        else:
            message.status = OutboxStatus.SENT
            message.sent_at = clock.now()
            message.attempts += 1
            sent += 1
        db.session.commit()
    return sent, failed
