"""Site pages the operator writes: Impressum, Datenschutz, Barrierefreiheit, Nutzungsbedingungen."""

from flask import Blueprint

bp = Blueprint("pages", __name__)

from portal.pages import easy_views  # noqa: E402,F401  (the pages in Leichte Sprache)
from portal.pages import permissions  # noqa: E402,F401  (registers the rules)
from portal.pages import views  # noqa: E402,F401  (registers the routes)
