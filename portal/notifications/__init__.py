"""E-mail notifications about followed proposals, per kind immediately, as a daily digest, or off."""

from flask import Blueprint

# cli_group=None: the command is ``flask send-digest``, at the top level like send-mail.
bp = Blueprint("notifications", __name__, cli_group=None)

from portal.notifications import permissions  # noqa: E402,F401  (registers the rules)
from portal.notifications import services  # noqa: E402,F401  (connects the signal listeners)
from portal.notifications import views  # noqa: E402,F401  (registers the routes)
from portal.notifications.cli import send_digest_command  # noqa: E402

bp.cli.add_command(send_digest_command)
