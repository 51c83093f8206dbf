"""Departments assess proposals: assignments, default routing by Unterziel, internal assessments."""

from flask import Blueprint

bp = Blueprint("assessments", __name__)


@bp.app_template_filter("euros")
def _euros(value: int) -> str:
    """Whole euros in the current language ("12.500 €" / "€12,500")."""
    from flask_babel import format_currency

    return format_currency(value, "EUR", "#,##0\u00a0¤", currency_digits=False)


from portal.assessments import permissions  # noqa: E402,F401  (registers the rules)
from portal.assessments import services  # noqa: E402,F401  (connects the routing to new proposals)
from portal.assessments import views  # noqa: E402,F401  (registers the routes)
