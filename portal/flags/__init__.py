"""Reports (flags) of proposals and comments; enough of them hide the content until a moderator decides."""

from flask import Blueprint

bp = Blueprint("flags", __name__)

from portal.flags import permissions  # noqa: E402,F401  (registers the rules)
from portal.flags import views  # noqa: E402,F401  (registers the routes)
