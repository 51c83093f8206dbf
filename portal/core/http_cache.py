"""HTTP caching and compression: static files, ETag/304 and a page cache for anonymous visitors.

- **Compression** (Flask-Compress): HTML, CSS, JavaScript, JSON, SVG, CSV and XML bodies of at
  least ``COMPRESS_MIN_SIZE`` bytes, brotli or gzip as the client asks (``Vary: Accept-Encoding``).
  Static files are compressed once per process and kept (:func:`_static`).
- **Static files**: a URL with the file's content hash (``asset_url`` in templating.py adds
  ``?v=<hash>``) is cached for a year and marked ``immutable``; any other static URL for
  ``STATIC_MAX_AGE`` seconds, then revalidated (ETag / Last-Modified).
- **ETag / 304** for pages that are the same for every anonymous visitor: GET, 200, HTML, no
  signed-in user, no flashed message, no CSRF token rendered into the page and no caching rule
  set by the view. Such pages carry ``Cache-Control: private, no-cache`` and an ETag; a matching
  ``If-None-Match`` gets 304 without a body. Everything else (signed-in pages above all) gets
  ``private, no-cache`` without ETag, unless the view set its own rule.
- **Page cache** (``PAGE_CACHE_ENTRIES`` > 0): the same anonymous pages are kept per process,
  keyed by the content version, the day, the resolved language, scheme, host, path and query.
  The content version (:mod:`portal.core.content_version`) changes in the same transaction as
  every write to the database, and each request reads it with one query, so a page can never be
  older than the last committed change. A request is only answered from the cache when it is
  certainly anonymous (no user id in the session, no remember-me cookie) and has no flashed
  message waiting; the cached body holds no session-bound data because only pages without CSRF
  token, flash message or user are stored, and cookies are never stored (the session cookie of
  each visitor is written by Flask after the response is built, as for any other response).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask import Request
from flask import Response
from flask import current_app
from flask import g
from flask import request
from flask import session
from flask.globals import request_ctx

from portal.core import content_version

IMMUTABLE = "public, max-age=31536000, immutable"
ANONYMOUS_PAGE = "private, no-cache"

#: Endpoints whose anonymous GET pages are never taken from or put into the page cache: the
#: sign-in and registration forms carry CSRF tokens (they are excluded anyway), health checks
#: and the API have their own rules.
_NO_PAGE_CACHE_PREFIXES = ("static", "health.", "api.", "accounts.", "uploads.")


@dataclass(frozen=True)
class CachedPage:
    body: bytes
    mimetype: str
    etag: str
    stored: float


class PageCache:
    """A small LRU of anonymous pages, per process, bounded by entries and by age."""

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple[str, ...], CachedPage] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[str, ...], max_age: float) -> CachedPage | None:
        with self._lock:
            page = self._entries.get(key)
            if page is None or time.monotonic() - page.stored > max_age:
                if page is not None:
                    del self._entries[key]
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return page

    def put(self, key: tuple[str, ...], page: CachedPage, limit: int) -> None:
        with self._lock:
            # Entries of an older content version can never be asked for again: drop them.
            version = key[0]
            if self._entries and next(reversed(self._entries))[0] != version:
                for old in [k for k in self._entries if k[0] != version]:
                    del self._entries[old]
            self._entries[key] = page
            self._entries.move_to_end(key)
            while len(self._entries) > limit:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)


page_cache = PageCache()

_fingerprints: dict[str, str] = {}
_compressed_static: dict[tuple[str, str, str], bytes] = {}


def _fingerprint(filename: str) -> str | None:
    """The content hash asset_url puts into the URL of ``filename`` (same algorithm)."""
    version = _fingerprints.get(filename) if not current_app.debug else None
    if version is None:
        path = Path(current_app.static_folder or "") / filename
        try:
            version = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        except OSError:
            return None
        _fingerprints[filename] = version
    return version


def _accepted_encoding(req: Request) -> str | None:
    accepted = req.headers.get("Accept-Encoding", "").lower()
    for name in ("br", "gzip"):
        for part in accepted.split(","):
            token, _, params = part.strip().partition(";")
            if token.strip() == name and params.replace(" ", "") not in ("q=0", "q=0.0"):
                return name
    return None


def _compress(data: bytes, encoding: str) -> bytes:
    if encoding == "br":
        import brotli

        return brotli.compress(data, quality=11)
    import gzip

    return gzip.compress(data, compresslevel=9)


def _static(response: Response) -> Response:
    """Cache-Control by fingerprint; compressed bodies made once per process (best quality)."""
    filename = (request.view_args or {}).get("filename", "")
    version = request.args.get("v")
    if version and version == _fingerprint(filename):
        response.headers["Cache-Control"] = IMMUTABLE
    else:
        response.headers["Cache-Control"] = f"public, max-age={current_app.config['STATIC_MAX_AGE']}"
    if response.status_code != 200 or response.mimetype not in current_app.config["COMPRESS_MIMETYPES"]:
        return response
    encoding = _accepted_encoding(request)
    vary = response.headers.get("Vary", "")
    if "accept-encoding" not in vary.lower():
        response.headers["Vary"] = f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"
    if encoding is None:
        return response
    etag, _weak = response.get_etag()
    if etag and f"{etag}-{encoding}" in request.if_none_match:
        response.close()
        response.direct_passthrough = False
        response.set_data(b"")
        response.status_code = 304
        response.set_etag(f"{etag}-{encoding}")
        for name in ("Content-Type", "Content-Length"):
            response.headers.pop(name, None)
        return response
    key = (filename, etag or "", encoding)
    body = _compressed_static.get(key)
    if body is None:
        response.direct_passthrough = False
        source = response.response
        data = response.get_data()
        if hasattr(source, "close"):
            source.close()  # the file handle of send_file's body, now read
        if len(data) < current_app.config["COMPRESS_MIN_SIZE"]:
            return response
        body = _compress(data, encoding)
        _compressed_static[key] = body
    else:
        response.close()  # the file handle of send_file's body
    response.direct_passthrough = False
    response.set_data(body)
    response.headers["Content-Encoding"] = encoding
    if etag:
        response.set_etag(f"{etag}-{encoding}")
    return response


# --- anonymous pages ---------------------------------------------------------------------------


def _surely_anonymous() -> bool:
    """Before the view: nobody is or may become signed in by this request's cookies."""
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return "_user_id" not in session and remember not in request.cookies and "_flashes" not in session


def _shareable(response: Response) -> bool:
    """After the view: the page is the same for every anonymous visitor in this language."""
    from flask_login import current_user

    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return False
    if response.mimetype != "text/html" or response.is_streamed or "Cache-Control" in response.headers:
        return False
    if response.headers.get("Set-Cookie") or "csrf_token" in g:
        return False  # a form with this visitor's CSRF token, or a cookie set by the view
    if "_flashes" in session or request_ctx.flashes:
        return False  # a flashed message was (or is to be) shown
    return not current_user.is_authenticated


def _page_key() -> tuple[str, ...] | None:
    limit = current_app.config.get("PAGE_CACHE_ENTRIES", 0)
    if not limit or request.method not in ("GET", "HEAD"):
        return None
    endpoint = request.endpoint or ""
    if not endpoint or endpoint.startswith(_NO_PAGE_CACHE_PREFIXES) or not _surely_anonymous():
        return None
    from portal.core import clock
    from portal.core.i18n import current_language

    return (
        content_version.current(),
        clock.today().isoformat(),
        current_language(),
        request.scheme,
        request.host,
        request.full_path,
    )


def _before() -> Response | None:
    key = _page_key()
    if key is None:
        return None
    page = page_cache.get(key, current_app.config["PAGE_CACHE_SECONDS"])
    if page is None:
        g._page_cache_key = key
        return None
    g._page_cache_hit = page
    response = Response(page.body, status=200, mimetype=page.mimetype)
    return response


def _after(response: Response) -> Response:
    if request.endpoint == "static":
        return _static(response)
    vary = response.headers.get("Vary", "")
    if response.mimetype == "text/html":
        # The language comes from ?lang=, the session cookie or Accept-Language.
        missing = [name for name in ("Cookie", "Accept-Language") if name.lower() not in vary.lower()]
        if missing:
            response.headers["Vary"] = ", ".join([v for v in [vary] if v] + missing)
    hit: CachedPage | None = g.get("_page_cache_hit")
    if hit is not None:
        etag = hit.etag
    elif _shareable(response):
        etag = hashlib.sha256(response.get_data()).hexdigest()[:32]
        key = g.get("_page_cache_key")
        if key is not None:
            page = CachedPage(response.get_data(), response.mimetype or "text/html", etag, time.monotonic())
            page_cache.put(key, page, current_app.config["PAGE_CACHE_ENTRIES"])
    else:
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", ANONYMOUS_PAGE)
        return response
    response.headers["Cache-Control"] = ANONYMOUS_PAGE
    response.set_etag(etag)
    # Compression appends ":br"/":gzip" to the ETag (Flask-Compress); any of them matches.
    asked = request.if_none_match
    if asked and any(tag.split(":")[0] == etag for tag in asked.as_set()):
        response.status_code = 304
        response.set_data(b"")
        for name in ("Content-Type", "Content-Length"):
            response.headers.pop(name, None)
    return response


def init_app(app: Flask) -> None:
    """Register the hooks; call after the other extensions (this after_request runs before theirs)."""
    app.before_request(_before)
    app.after_request(_after)
    content_version.init_app(app)
