"""The Kreisentwicklungskonzept: versions assembled from strategy, priorities and measures; web and PDF."""

from flask import Blueprint

from portal.core import navigation
from portal.core.i18n import _l

bp = Blueprint("concept", __name__)
navigation.register("concept.index", _l("Development concept"), 45)

from portal.concept import permissions  # noqa: E402,F401  (registers the rules)
from portal.concept import views  # noqa: E402,F401  (registers the routes)
