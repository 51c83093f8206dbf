"""The moderation back office: start page, the one queue, decisions, merging, answer templates."""

from flask import Blueprint

bp = Blueprint("moderation", __name__)

from portal.moderation import permissions  # noqa: E402,F401  (registers the rules)
from portal.moderation import views  # noqa: E402,F401  (registers the routes)
