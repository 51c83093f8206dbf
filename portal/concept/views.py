"""The Kreisentwicklungskonzept: public versions (web and PDF), the moderators' draft and publishing."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_login import current_user

from portal.concept import bp
from portal.concept import queries
from portal.concept import services
from portal.concept.assemble import assemble_document
from portal.concept.forms import PublishForm
from portal.concept.models import ConceptStatus
from portal.concept.models import ConceptVersion
from portal.concept.pdf import render_pdf
from portal.core.i18n import _
from portal.core.permissions import can
from portal.core.permissions import require
from portal.extensions import db
from portal.measures.models import Direction
from portal.measures.models import MeasureHorizon
from portal.measures.models import MeasureStatus


def document_context(doc: dict[str, Any], version: ConceptVersion | None) -> dict[str, Any]:
    """What the document templates need besides the snapshot: labels in the request's language."""
    return {
        "doc": doc,
        "version": version,
        "status_labels": {status.value: status.label for status in MeasureStatus},
        "horizon_labels": {horizon.value: horizon.label for horizon in MeasureHorizon},
        "direction_labels": {direction.value: direction.label for direction in Direction},
    }


@bp.get("/konzept")
def index():  # type: ignore[no-untyped-def]
    """The published versions of the concept."""
    return render_template("concept/index.html", versions=queries.list_versions())


def _version_or_404(number: int) -> ConceptVersion:
    version = queries.get_version(number)
    if version is None or not can("concept.view", version):
        abort(404)
    return version


@bp.get("/konzept/<int:number>")
def version(number: int):  # type: ignore[no-untyped-def]
    """A published version, exactly as it was published."""
    found = _version_or_404(number)
    return render_template("concept/version.html", **document_context(found.snapshot, found))


def _pdf_response(doc: dict[str, Any], version: ConceptVersion | None, filename: str) -> Response:
    html = render_template("concept/pdf.html", **document_context(doc, version))
    return Response(
        render_pdf(html),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@bp.get("/konzept/<int:number>.pdf")
def version_pdf(number: int):  # type: ignore[no-untyped-def]
    """A published version as PDF."""
    found = _version_or_404(number)
    response = _pdf_response(found.snapshot, found, f"kreisentwicklungskonzept-{found.number}.pdf")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.get("/konzept/entwurf")
def preview():  # type: ignore[no-untyped-def]
    """The concept assembled from today's data, before publishing (moderators)."""
    require("concept.preview")
    return render_template("concept/version.html", **document_context(assemble_document(), None))


@bp.get("/konzept/entwurf.pdf")
def preview_pdf():  # type: ignore[no-untyped-def]
    """The live draft as PDF (moderators)."""
    require("concept.preview")
    response = _pdf_response(assemble_document(), None, "kreisentwicklungskonzept-entwurf.pdf")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/verwaltung/konzept", methods=["GET", "POST"])
def manage():  # type: ignore[no-untyped-def]
    """Check the draft and publish it as a new version."""
    require("concept.publish")
    form = PublishForm()
    if form.validate_on_submit():
        published = services.publish_version(
            ConceptStatus(form.status.data), actor=current_user, note=form.note.data or ""
        )
        db.session.commit()
        flash(
            str(_("Version %(number)d of the concept has been published.", number=published.number)),
            "success",
        )
        return redirect(url_for("concept.version", number=published.number))
    draft = assemble_document()
    return render_template(
        "concept/manage.html",
        form=form,
        draft=draft,
        versions=queries.list_versions(),
        next_number=queries.next_number(),
    )
