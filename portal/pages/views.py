"""Public site pages and their editing by admins."""

from __future__ import annotations

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user

from portal.core.i18n import _
from portal.core.permissions import require
from portal.extensions import db
from portal.pages import bp
from portal.pages import queries
from portal.pages import services
from portal.pages.forms import SitePageForm
from portal.pages.models import PageSlug


def _slug_or_404(slug: str) -> PageSlug:
    try:
        return PageSlug(slug)
    except ValueError:
        abort(404)


@bp.get("/impressum", defaults={"slug": "impressum"})
@bp.get("/datenschutz", defaults={"slug": "datenschutz"})
@bp.get("/barrierefreiheit", defaults={"slug": "barrierefreiheit"})
@bp.get("/nutzungsbedingungen", defaults={"slug": "nutzungsbedingungen"})
def show(slug: str):  # type: ignore[no-untyped-def]
    """A site page in the reader's language (German where no translation exists)."""
    page_slug = _slug_or_404(slug)
    return render_template("pages/show.html", slug=page_slug, page=queries.get_page(slug))


@bp.get("/verwaltung/seiten")
def admin_list():  # type: ignore[no-untyped-def]
    """The site pages with their versions and edit links."""
    require("pages.edit")
    return render_template("pages/admin_list.html", slugs=list(PageSlug), pages=queries.list_pages())


@bp.route("/verwaltung/seiten/<slug>", methods=["GET", "POST"])
def edit(slug: str):  # type: ignore[no-untyped-def]
    """Edit a page's title and Markdown text in German and English."""
    require("pages.edit")
    page_slug = _slug_or_404(slug)
    page = queries.get_page(slug)
    form = SitePageForm()
    if request.method == "GET" and page is not None:
        form.title_de.data = page.title.get("de", "")
        form.title_en.data = page.title.get("en", "")
        form.body_de.data = page.body_source.get("de", "")
        form.body_en.data = page.body_source.get("en", "")
    if form.validate_on_submit():
        saved = services.save_page(
            page_slug,
            title={"de": form.title_de.data or "", "en": form.title_en.data or ""},
            body={"de": form.body_de.data or "", "en": form.body_en.data or ""},
            actor=current_user._get_current_object(),
        )
        db.session.commit()
        flash(_("The page is saved (version %(version)s).", version=saved.version), "success")
        return redirect(url_for("pages.show", slug=page_slug.value))
    return render_template("pages/edit.html", form=form, slug=page_slug, page=page)
