"""Uploaded images: checked, re-encoded without metadata, stored under random names, served here."""

from flask import Blueprint

bp = Blueprint("uploads", __name__)

from portal.uploads import views  # noqa: E402,F401  (registers the routes)
