"""The ONLY place that turns user text into HTML (and the only module importing bleach).

User-authored Markdown is rendered with markdown-it (raw HTML disabled) and then cleaned with
bleach against one allow-list of tags, attributes and protocols. Links get
``rel="nofollow ugc noopener"``. Call :func:`render_markdown` when the text is written (in the
service) and store the result; templates mark only these stored fields ``|safe``.
"""

from __future__ import annotations

import bleach
from bleach.linkifier import Linker
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "a", "code", "pre", "h3", "h4", "hr"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

# "js-default" disables raw HTML in the source; headings are shifted so user text never
# produces an h1/h2 that would break the page outline.
_markdown = MarkdownIt("js-default", {"breaks": True, "linkify": False}).disable(["image", "table"])


def _set_rel(attrs: dict, new: bool = False) -> dict:  # type: ignore[type-arg]
    href = attrs.get((None, "href"), "")
    if not href.startswith(("http://", "https://", "mailto:")):
        return attrs
    attrs[(None, "rel")] = "nofollow ugc noopener"
    return attrs


_linker = Linker(callbacks=[_set_rel], skip_tags={"pre", "code"}, parse_email=False)


def _shift_headings(html: str, top_heading: int = 3) -> str:
    for level in (6, 5, 4, 3, 2, 1):
        target = min(level + top_heading - 1, 4)
        html = html.replace(f"<h{level}>", f"<h{target}>").replace(f"</h{level}>", f"</h{target}>")
    return html


def render_markdown(source: str, *, top_heading: int = 3) -> str:
    """Markdown → safe HTML for display.

    ``top_heading`` is the level a Markdown "#" becomes: 3 for user contributions (below the
    page's own h1/h2); 2 for the admin-written site pages, whose text is the page's main content.
    """
    top_heading = 2 if top_heading == 2 else 3
    html = _shift_headings(_markdown.render(source or ""), top_heading)
    tags = ALLOWED_TAGS | {"h2"} if top_heading == 2 else ALLOWED_TAGS
    cleaned = bleach.clean(
        html, tags=tags, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS, strip=True
    )
    return _linker.linkify(cleaned)


def clean_text(value: str | None) -> str:
    """Plain text as typed, trimmed, with control and bidi-override characters removed."""
    if not value:
        return ""
    forbidden = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"}
    return "".join(
        ch for ch in value if ch not in forbidden and (ch in "\n\t" or ord(ch) >= 32) and ord(ch) != 127
    ).strip()
