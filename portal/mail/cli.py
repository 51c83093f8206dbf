"""``flask send-mail``: deliver the outbox (once, or every few seconds with --loop)."""

from __future__ import annotations

import logging
import time

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db
from portal.mail.services import deliver_pending

log = logging.getLogger(__name__)


@click.command("send-mail")
@click.option("--loop", "interval", type=float, default=None, help="Keep delivering every N seconds.")
@with_appcontext
def send_mail_command(interval: float | None) -> None:
    """Deliver pending mail (SMTP, or .eml files in instance/outbox/ without SMTP_HOST)."""
    while True:
        try:
            sent, failed = deliver_pending()
        except SQLAlchemyError as error:  # database away (or not migrated yet): try again later
            db.session.rollback()
            if interval is None:
                raise click.ClickException(f"database error: {error}") from None
            log.warning("send-mail: database error, retrying: %s", type(error).__name__)
            sent = failed = 0
        finally:
            db.session.remove()
        if interval is None or sent or failed:
            click.echo(f"send-mail: {sent} sent, {failed} failed (will be retried)")
        if interval is None:
            return
        try:
            time.sleep(max(interval, 0.5))
        except KeyboardInterrupt:
            return
