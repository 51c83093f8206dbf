"""Reads for site pages."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.pages.models import SitePage


def get_page(slug: str) -> SitePage | None:
    """The page with ``slug``, if the operator (or seed-demo) created it."""
    return db.session.scalar(select(SitePage).where(SitePage.slug == slug))


def list_pages() -> dict[str, SitePage]:
    """Every existing page by slug."""
    return {page.slug: page for page in db.session.scalars(select(SitePage))}


def page_version(slug: str) -> int | None:
    """The current version of a page (None while it does not exist)."""
    return db.session.scalar(select(SitePage.version).where(SitePage.slug == slug))
