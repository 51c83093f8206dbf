"""Serving stored images: the right content type, nosniff, and only when the proposal is visible."""

from __future__ import annotations

import io

from flask import abort
from flask import send_file
from sqlalchemy import select

from portal.core.permissions import can
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.uploads import bp
from portal.uploads import pending
from portal.uploads import services


@bp.get("/bilder/<name>")
def image(name: str):  # type: ignore[no-untyped-def]
    """An image of a proposal the user may see, or one this session has just uploaded."""
    path = services.path_of(name)
    if path is None:
        abort(404)
    proposal = db.session.scalar(select(Proposal).where(Proposal.image_name == name))
    if proposal is None:
        if pending.get(name) is None:
            abort(404)
    elif not can("proposals.view", proposal):
        abort(404)
    # Read into memory (images are small after re-encoding): no file handle outlives the request.
    response = send_file(
        io.BytesIO(path.read_bytes()),
        mimetype=services.CONTENT_TYPES[name.rsplit(".", 1)[1]],
        download_name=name,
        max_age=3600,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
