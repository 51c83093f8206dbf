"""``flask send-digest``: the daily summary mails (run it once a day, e.g. from cron)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from portal.extensions import db


@click.command("send-digest")
@with_appcontext
def send_digest_command() -> None:
    """Queue the daily digest mails into the outbox (send-mail delivers them)."""
    from portal.notifications.services import send_digests

    count = send_digests()
    db.session.commit()
    click.echo(f"Queued {count} digest mail(s).")
