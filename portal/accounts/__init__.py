"""Accounts: users, roles, sign-in, e-mail verification, privacy self-service."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)


from portal.accounts import admin_views  # noqa: E402,F401  (registers the admin routes)
from portal.accounts import permissions  # noqa: E402,F401  (registers the rules)
from portal.accounts import services  # noqa: E402,F401  (registers the export/erase parts)
from portal.accounts import views  # noqa: E402,F401  (registers the routes)
