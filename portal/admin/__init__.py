"""Administration: strategy texts, phases, milestones with documents, municipalities, departments,
site settings and the audit log (admins only)."""

from flask import Blueprint

bp = Blueprint("admin", __name__)


@bp.app_template_global("milestone_documents")
def _milestone_documents(milestones: list) -> dict:  # type: ignore[type-arg]
    """The documents of these milestones by milestone id (one query), for the public timeline."""
    from portal.admin.queries import documents_of

    return documents_of([milestone.id for milestone in milestones])


from portal.admin import content_views  # noqa: E402,F401  (registers the routes)
from portal.admin import permissions  # noqa: E402,F401  (registers the rules)
from portal.admin import site_views  # noqa: E402,F401  (registers the routes)
