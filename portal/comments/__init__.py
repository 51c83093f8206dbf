"""Comments with one level of replies, and official statements of municipalities and departments."""

from flask import Blueprint

bp = Blueprint("comments", __name__)


@bp.app_template_global("edit_window_minutes")
def _edit_window_minutes() -> int:
    """How many minutes a comment stays editable."""
    from portal.comments.permissions import edit_window

    return int(edit_window().total_seconds() // 60)


from portal.comments import permissions  # noqa: E402,F401  (registers the rules)
from portal.comments import views  # noqa: E402,F401  (registers the routes)
