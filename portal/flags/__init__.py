"""Reports (flags) of proposals and comments; enough of them hide the content until a moderator decides."""

from flask import Blueprint

bp = Blueprint("flags", __name__)


@bp.app_context_processor
def _auto_hidden_reason() -> dict[str, str]:
    """Templates tell "hidden because reported" apart from a moderator's own reason."""
    from portal.flags.services import AUTO_HIDDEN_REASON

    return {"AUTO_HIDDEN_REASON": AUTO_HIDDEN_REASON}


from portal.flags import permissions  # noqa: E402,F401  (registers the rules)
from portal.flags import views  # noqa: E402,F401  (registers the routes)
