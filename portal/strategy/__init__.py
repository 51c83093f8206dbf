"""The district's strategy: Leitbild, Oberziele (goals), Unterziele (sub-goals), focus areas."""

from flask import Blueprint

from portal.core import navigation
from portal.core.i18n import _l

bp = Blueprint("strategy", __name__)
navigation.register("strategy.home", _l("Home"), 10)
navigation.register("strategy.process", _l("Process and timeline"), 90)

from portal.strategy import views  # noqa: E402,F401  (registers the routes)
