"""The district's strategy: Leitbild, Oberziele (goals), Unterziele (sub-goals), focus areas."""

from flask import Blueprint

bp = Blueprint("strategy", __name__)

from portal.strategy import views  # noqa: E402,F401  (registers the routes)
