"""Measures (Maßnahmen): budget, indicators, progress; public pages, exports and the back office."""

from flask import Blueprint

from portal.core import navigation
from portal.core.i18n import _l

bp = Blueprint("measures", __name__)
navigation.register("measures.index", _l("Measures"), 40)

from portal.measures import filters  # noqa: E402,F401  (template filters)
from portal.measures import manage  # noqa: E402,F401  (back-office routes)
from portal.measures import permissions  # noqa: E402,F401  (registers the rules)
from portal.measures import views  # noqa: E402,F401  (public routes)
