"""Statement requests to the municipalities: deadlines, per-municipality state, official answers."""

from flask import Blueprint

# cli_group=None: the command is ``flask send-reminders``, at the top level like send-mail.
bp = Blueprint("statements", __name__, cli_group=None)

from portal.statements import permissions  # noqa: E402,F401  (registers the rules)
from portal.statements import views  # noqa: E402,F401  (registers the routes)
from portal.statements.cli import send_reminders_command  # noqa: E402

bp.cli.add_command(send_reminders_command)
