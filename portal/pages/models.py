"""SitePage."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from portal.core.db import TimestampMixin
from portal.core.db import Translations
from portal.core.i18n import _l
from portal.extensions import db


class PageSlug(StrEnum):
    IMPRESSUM = "impressum"
    DATENSCHUTZ = "datenschutz"
    BARRIEREFREIHEIT = "barrierefreiheit"
    NUTZUNGSBEDINGUNGEN = "nutzungsbedingungen"

    @property
    def label(self) -> str:
        """Translated name of the page, for links and the admin list."""
        return str(PAGE_LABELS[self])


PAGE_LABELS = {
    PageSlug.IMPRESSUM: _l("Legal notice"),
    PageSlug.DATENSCHUTZ: _l("Privacy notice"),
    PageSlug.BARRIEREFREIHEIT: _l("Accessibility statement"),
    PageSlug.NUTZUNGSBEDINGUNGEN: _l("Terms of use"),
}


class SitePage(TimestampMixin, db.Model):
    """A page the operator edits; title and body per language, body as Markdown and as HTML."""

    __tablename__ = "site_pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[Translations]
    #: Markdown as written, per language.
    body_source: Mapped[Translations]
    #: The sanitised HTML rendered from body_source when it was saved (core.sanitize).
    body_html: Mapped[Translations]
    #: Bumped on every change of the text (the privacy notice's version is stored at registration).
    version: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<SitePage {self.slug} v{self.version}>"
