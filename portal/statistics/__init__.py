"""Public participation statistics: over time, per goal, per municipality, proposals' outcomes."""

from flask import Blueprint

from portal.core import navigation
from portal.core.i18n import _l

bp = Blueprint("statistics", __name__)
navigation.register("statistics.index", _l("Statistics"), 50)

from portal.statistics import views  # noqa: E402,F401  (registers the routes)
