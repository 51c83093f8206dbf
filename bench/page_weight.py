"""Bytes a first visit transfers per page: HTML and everything it loads, compressed as a browser
asks for it (``Accept-Encoding: br, gzip``); fonts are counted apart (cached across pages).

    .venv/bin/python bench/page_weight.py            # the configured database (make run's demo)

Prints one line per page and exits non-zero if a page is over the budget (50 KB without fonts
and user images).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config import DevelopmentConfig
from portal import create_app

BUDGET = 50 * 1024
PAGES = ["/", "/vorschlaege", "/unterziele/1.2", "/massnahmen", "/statistik", "/ablauf", "/leichte-sprache"]
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')
FONT = re.compile(r"url\((fonts/[^)]+)\)")


def transferred(client, url: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    response = client.get(url, headers={"Accept-Encoding": "br, gzip"})
    body = response.get_data()
    response.close()
    plain = client.get(url).get_data(as_text=True) if response.headers.get("Content-Encoding") else ""
    return len(body), plain or body.decode(errors="replace")


def main() -> int:
    app = create_app(DevelopmentConfig, {"PAGE_CACHE_ENTRIES": 0})
    client = app.test_client()
    with app.app_context():
        from sqlalchemy import select

        from portal.extensions import db
        from portal.measures.models import Measure
        from portal.proposals.models import Proposal

        first_proposal = db.session.scalar(select(Proposal.id).order_by(Proposal.comments_count.desc()))
        first_measure = db.session.scalar(select(Measure.id).where(Measure.is_public))
    pages = [*PAGES, f"/vorschlaege/{first_proposal}", f"/massnahmen/{first_measure}"]
    over = 0
    for page in pages:
        html_bytes, html = transferred(client, page)
        assets = sorted(set(ASSET.findall(html)))
        asset_bytes = 0
        font_bytes = 0
        for asset in assets:
            size, text = transferred(client, asset)
            asset_bytes += size
            if asset.split("?")[0].endswith("fonts.css"):
                for font in sorted(set(FONT.findall(text))):
                    font_bytes += transferred(client, "/static/dist/" + font)[0]
        total = html_bytes + asset_bytes
        over += total > BUDGET
        print(
            f"{page:28} HTML {html_bytes / 1024:5.1f} KB + CSS/icons {asset_bytes / 1024:5.1f} KB = "
            f"{total / 1024:5.1f} KB  (fonts, once: {font_bytes / 1024:.0f} KB)"
        )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
