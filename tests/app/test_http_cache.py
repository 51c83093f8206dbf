"""Compression and static-file caching (portal/core/http_cache.py)."""

from __future__ import annotations

import gzip
import re

import brotli


def test_pages_are_compressed_as_the_browser_asks(client, demo):
    plain = client.get("/", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    for encoding, decode in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        packed = client.get("/", headers={"Accept-Encoding": encoding})
        assert packed.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in packed.headers["Vary"]
        assert decode(packed.get_data()) == plain.get_data()
        assert len(packed.get_data()) < len(plain.get_data()) / 3


def test_fingerprinted_static_files_are_cached_for_a_year(client, demo):
    page = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/dist/portal\.css\?v=[0-9a-f]+)"', page).group(1)
    response = client.get(css, headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Encoding"] == "br"
    assert b"kern" in brotli.decompress(response.get_data())
    # Without the current fingerprint: a short time, then revalidated.
    for url in ("/static/dist/portal.css?v=000000000000", "/static/dist/portal.css"):
        with client.get(url) as other:
            assert other.headers["Cache-Control"] == "public, max-age=3600"


def test_a_compressed_static_file_answers_304_to_its_etag(client, demo):
    page = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/dist/portal\.css\?v=[0-9a-f]+)"', page).group(1)
    first = client.get(css, headers={"Accept-Encoding": "gzip"})
    etag = first.headers["ETag"]
    again = client.get(css, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
