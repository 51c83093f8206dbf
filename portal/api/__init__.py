"""Open data: the read-only JSON API under /api/v1/ and CSV downloads of public lists.

An entry point only: the domains' queries decide what is public; this package serialises it.
"""

from flask import Blueprint

from portal.extensions import csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # read-only: GET, HEAD and OPTIONS only

from portal.api import exports  # noqa: E402,F401  (registers the CSV routes)
from portal.api import views  # noqa: E402,F401  (registers the routes)
