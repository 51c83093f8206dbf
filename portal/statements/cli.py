"""``flask send-reminders``: remind representatives N days before a statement deadline."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from portal.extensions import db


@click.command("send-reminders")
@with_appcontext
def send_reminders_command() -> None:
    """Queue the reminders that are due (once per municipality and request); send-mail delivers them."""
    from portal.statements.services import send_due_reminders

    count = send_due_reminders()
    db.session.commit()
    click.echo(f"Reminders queued for {count} municipalities.")
