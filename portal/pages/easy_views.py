"""Pages in Leichte Sprache (easy-read German): what the portal is, the Leitbild and the goals,
and how to take part (issue 10).

The texts are German by nature and the same in every interface language, so the pages mark them
``lang="de"``; the page chrome (title, breadcrumbs, notes) stays in the interface language. The
texts are data, not code: Markdown files in ``data/easy/`` (see its README) that another district
replaces with its own. They become HTML through :func:`portal.core.sanitize.render_markdown`, the
one place that turns Markdown into HTML; the result is kept per file and modification time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import abort
from flask import render_template

from portal.core.i18n import _l
from portal.core.sanitize import render_markdown
from portal.pages import bp

#: Where the texts live (a module attribute, so tests can point it elsewhere).
EASY_DIR = Path(__file__).resolve().parents[2] / "data" / "easy"

#: The fixed name German public websites use for easy-read German, in every interface language.
LABEL = "Leichte Sprache"


@dataclass(frozen=True)
class EasyPage:
    slug: str
    label: object  # the page's title in the interface language (lazy string)


#: The pages, in the order of the index. Their texts are ``data/easy/<slug>.md``.
PAGES = (
    EasyPage("beteiligungs-portal", _l("What is the participation portal?")),
    EasyPage("leitbild-und-ziele", _l("The mission statement and the goals")),
    EasyPage("mitmachen", _l("How to take part")),
)


@dataclass(frozen=True)
class EasyText:
    title: str  # German: the file's first "# " line
    html: str  # sanitised by core.sanitize: templates mark it |safe


_HEADING = re.compile(r"^#(#+)(?=\s)", re.MULTILINE)


def load_text(name: str) -> EasyText | None:
    """The text ``data/easy/<name>.md``, or None when there is no such file."""
    path = EASY_DIR / f"{name}.md"
    try:
        modified = path.stat().st_mtime_ns
    except OSError:
        return None
    return _render(str(path), modified)


@lru_cache(maxsize=32)
def _render(path: str, modified: int) -> EasyText:
    source = Path(path).read_text(encoding="utf-8").replace("\r\n", "\n")
    title = LABEL  # a file without a heading line is titled "Leichte Sprache"
    first, _, rest = source.partition("\n")
    if first.startswith("# "):
        title, source = first[2:].strip() or LABEL, rest
    # The file's "##" sections become the page's h2 (the title is the h1).
    body = _HEADING.sub(lambda match: match.group(1), source)
    return EasyText(title=title, html=render_markdown(body, top_heading=2))


def _available() -> list[tuple[EasyPage, EasyText]]:
    return [(page, text) for page in PAGES if (text := load_text(page.slug)) is not None]


@bp.get("/leichte-sprache")
def easy_index():  # type: ignore[no-untyped-def]
    """The list of pages in Leichte Sprache, with a short introduction."""
    return render_template("easy/index.html", label=LABEL, intro=load_text("index"), pages=_available())


@bp.get("/leichte-sprache/<slug>")
def easy_page(slug: str):  # type: ignore[no-untyped-def]
    """One page in Leichte Sprache."""
    pages = _available()
    found = next(((page, text) for page, text in pages if page.slug == slug), None)
    if found is None:
        abort(404)
    page, text = found
    others = [(other, other_text) for other, other_text in pages if other.slug != slug]
    return render_template("easy/page.html", label=LABEL, page=page, text=text, others=others)
