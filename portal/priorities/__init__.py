"""Prioritisation: citizens and municipalities distribute points over the Unterziele."""

from flask import Blueprint

from portal.core import navigation
from portal.core.i18n import _l

bp = Blueprint("priorities", __name__)
navigation.register("priorities.ballot", _l("Priorities"), 30)

from portal.priorities import permissions  # noqa: E402,F401  (registers the rules)
from portal.priorities import privacy  # noqa: E402,F401  (data export and deletion)
from portal.priorities import views  # noqa: E402,F401  (registers the routes)
