"""Proposals (Vorschläge): the workflow, the guided form, lists, search, supports and follows."""

from flask import Blueprint

from portal.core import navigation
from portal.core.i18n import _l

# cli_group=None: ``flask seed-load`` sits at the top level, like the other documented commands.
bp = Blueprint("proposals", __name__, cli_group=None)
navigation.register("proposals.index", _l("Proposals"), 20)


@bp.app_template_global("max_upload_mb")
def _max_upload_mb() -> str:
    """The upload size limit in MB, for hints."""
    from portal.uploads.services import max_bytes
    from portal.uploads.services import size_in_mb

    return size_in_mb(max_bytes())


@bp.app_template_global("list_url")
def _list_url(
    endpoint: str, view_args: dict[str, object], link_args: dict[str, object], **changes: object
) -> str:
    """The URL of a list page with its filters, and some arguments changed (page, seed)."""
    from flask import url_for

    values = {**link_args, **changes, **view_args}
    return url_for(endpoint, **{key: value for key, value in values.items() if value not in (None, "")})


@bp.app_template_global("login_url")
def _login_url() -> str | None:
    """The sign-in page, coming back here afterwards (None while no sign-in page exists)."""
    from flask import request
    from flask import url_for
    from werkzeug.routing import BuildError

    try:
        return url_for("accounts.login", next=request.full_path.rstrip("?"))
    except BuildError:
        return None


from portal.proposals import permissions  # noqa: E402,F401  (registers the rules)
from portal.proposals import views  # noqa: E402,F401  (registers the routes)
from portal.proposals.load import seed_load_command  # noqa: E402

bp.cli.add_command(seed_load_command)
