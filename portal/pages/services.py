"""Writing site pages: the admin's edits and the demo templates of seed-demo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from portal.audit.services import record
from portal.core.sanitize import render_markdown
from portal.extensions import db
from portal.pages.models import PageSlug
from portal.pages.models import SitePage
from portal.pages.queries import get_page

#: Demo texts: data/pages/<slug>.<language>.md, the first line "# Title", the rest Markdown.
DEMO_PAGES = Path(__file__).resolve().parents[2] / "data" / "pages"
LANGUAGES = ("de", "en")


def render_bodies(sources: dict[str, str]) -> dict[str, str]:
    """Sanitised HTML per language (the page's own h1 is the title, so "#" becomes h2)."""
    return {language: render_markdown(text, top_heading=2) for language, text in sources.items() if text}


def save_page(slug: PageSlug, *, title: dict[str, str], body: dict[str, str], actor: Any) -> SitePage:
    """Create or update a page; the version goes up when its text changes. Audited."""
    title = {language: text.strip() for language, text in title.items() if text and text.strip()}
    body = {language: text.strip() + "\n" for language, text in body.items() if text and text.strip()}
    page = get_page(slug.value)
    if page is None:
        page = SitePage(
            slug=slug.value, title=title, body_source=body, body_html=render_bodies(body), version=1
        )
        db.session.add(page)
        changed = True
    else:
        changed = page.title != title or page.body_source != body
        if changed:
            page.title = title
            page.body_source = body
            page.body_html = render_bodies(body)
            page.version += 1
    page.updated_by_id = getattr(actor, "id", None)
    db.session.flush()
    if changed:
        record("pages.updated", actor=actor, obj=page, slug=slug.value, version=page.version)
    return page


def read_demo_page(slug: PageSlug) -> tuple[dict[str, str], dict[str, str]]:
    """The demo title and Markdown per language from data/pages/."""
    titles: dict[str, str] = {}
    bodies: dict[str, str] = {}
    for language in LANGUAGES:
        path = DEMO_PAGES / f"{slug.value}.{language}.md"
        if not path.is_file():
            continue
        first, _, rest = path.read_text(encoding="utf-8").partition("\n")
        titles[language] = first.removeprefix("#").strip()
        bodies[language] = rest.strip() + "\n"
    return titles, bodies


def seed_demo_pages() -> list[str]:
    """Create the pages that do not exist yet from the demo templates (idempotent)."""
    created = []
    for slug in PageSlug:
        if get_page(slug.value) is not None:
            continue
        titles, bodies = read_demo_page(slug)
        if not titles:
            continue
        page = SitePage(
            slug=slug.value, title=titles, body_source=bodies, body_html=render_bodies(bodies), version=1
        )
        db.session.add(page)
        created.append(slug.value)
    db.session.flush()
    return created
