"""The concept as PDF: the same HTML as the web view, laid out by WeasyPrint with a print stylesheet.

Nothing is fetched from the network: the URL fetcher serves only the portal's own font files
(file URLs under ``static/dist/fonts``) and ``data:`` URLs, and refuses everything else. Without
the built fonts, WeasyPrint falls back to DejaVu Sans.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app
from flask import render_template

FONT_FILES = {
    400: "FiraSans-Regular.woff2",
    500: "FiraSans-Medium.woff2",
    600: "FiraSans-SemiBold.woff2",
}


class BlockedURL(ValueError):
    """The PDF asked for something other than the portal's own fonts."""


def font_dir() -> Path:
    return Path(current_app.static_folder or "") / "dist" / "fonts"


def available_fonts() -> dict[int, str]:
    """``{weight: file URL}`` of the Fira Sans files that exist."""
    folder = font_dir()
    return {
        weight: (folder / name).as_uri() for weight, name in FONT_FILES.items() if (folder / name).is_file()
    }


def _fetcher(allowed_root: Path):  # type: ignore[no-untyped-def]
    from urllib.parse import unquote
    from urllib.parse import urlparse

    from weasyprint.urls import URLFetcher

    root = allowed_root.resolve()

    class PortalFetcher(URLFetcher):
        """Only data: URLs and files under the font folder."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("file:"):
                path = Path(unquote(urlparse(url).path)).resolve()
                if root not in path.parents:
                    raise BlockedURL(url)
            elif not url.startswith("data:"):
                raise BlockedURL(url)
            return super().fetch(url, headers)

    return PortalFetcher(allowed_protocols={"file", "data"})


def render_pdf(html: str) -> bytes:
    """Lay out ``html`` (a complete document) with the concept's print stylesheet."""
    from weasyprint import CSS
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    stylesheet = CSS(string=render_template("concept/pdf.css", fonts=available_fonts()), font_config=fonts)
    document = HTML(string=html, base_url=font_dir().as_uri() + "/", url_fetcher=_fetcher(font_dir()))
    return document.write_pdf(stylesheets=[stylesheet], font_config=fonts)
