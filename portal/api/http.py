"""HTTP details of the open-data API: JSON bodies, ETag and 304, caching, CORS, errors, pages."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from flask import Response
from flask import abort
from flask import current_app
from flask import request
from flask import url_for

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
CACHE_CONTROL = "public, max-age=60"
JSON_TYPE = "application/json"


def absolute(endpoint: str, **values: Any) -> str:
    """The absolute address of a page: PORTAL_BASE_URL plus the path (never the request's host)."""
    base = str(current_app.config["PORTAL_BASE_URL"]).rstrip("/")
    return base + url_for(endpoint, **values)


def json_response(payload: Any, status: int = 200) -> Response:
    """``payload`` as UTF-8 JSON with a strong ETag (hash of the body); 304 when it matches."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=False).encode("utf-8")
    etag = hashlib.sha256(body).hexdigest()[:32]
    response = Response(body, status=status, mimetype=JSON_TYPE)
    response.set_etag(etag)
    if status == 200 and request.if_none_match.contains_weak(etag):
        response = Response(status=304)
        response.set_etag(etag)
    return response


def error(status: int, message: str) -> Response:
    """A JSON error body ``{"error": status, "message": ...}`` (the same shape as the app's errors)."""
    response = Response(
        json.dumps({"error": status, "message": message}, ensure_ascii=False).encode("utf-8"),
        status=status,
        mimetype=JSON_TYPE,
    )
    return response


def bad_request(message: str) -> None:
    """Stop with 400 and a JSON message naming the parameter."""
    abort(error(400, message))


def allowed_parameters(*names: str) -> None:
    """Refuse unknown query parameters (a typo would silently give unfiltered data)."""
    unknown = sorted(set(request.args) - set(names))
    if unknown:
        bad_request(f"unknown query parameter: {', '.join(unknown)}")
    for name in names:
        if len(request.args.getlist(name)) > 1:
            bad_request(f"query parameter given more than once: {name}")


def integer(name: str, default: int | None, *, minimum: int = 1, maximum: int | None = None) -> int | None:
    """A whole-number query parameter within bounds, else 400."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or len(raw) > 9:
        bad_request(f"{name} must be a whole number")
    value = int(raw)
    if value < minimum or (maximum is not None and value > maximum):
        limit = f" and {maximum}" if maximum is not None else ""
        bad_request(
            f"{name} must be between {minimum}{limit}" if limit else f"{name} must be at least {minimum}"
        )
    return value


def choice(name: str, choices: Mapping[str, Any] | set[str] | list[str]) -> str | None:
    """A query parameter that must be one of ``choices`` (or absent)."""
    raw = request.args.get(name)
    if raw is None:
        return None
    if raw not in choices:
        bad_request(f"{name} must be one of: {', '.join(sorted(choices))}")
    return raw


def page_arguments() -> tuple[int, int]:
    """``page`` (from 1) and ``per_page`` (1..100, default 20)."""
    page = integer("page", 1) or 1
    per_page = integer("per_page", DEFAULT_PER_PAGE, maximum=MAX_PER_PAGE) or DEFAULT_PER_PAGE
    return page, per_page


def paginated(items: list[Any], *, total: int, page: int, per_page: int, endpoint: str) -> dict[str, Any]:
    """The list envelope: ``data``, ``meta`` (page, per_page, total, pages) and absolute ``links``."""
    pages = max(1, math.ceil(total / per_page))
    kept = {key: value for key, value in request.args.items() if key not in ("page", "per_page")}

    def link(number: int) -> str:
        query = urlencode({**kept, "page": number, "per_page": per_page})
        return absolute(endpoint) + "?" + query

    return {
        "data": items,
        "meta": {"page": page, "per_page": per_page, "total": total, "pages": pages},
        "links": {
            "self": link(page),
            "first": link(1),
            "last": link(pages),
            "prev": link(page - 1) if page > 1 else None,
            "next": link(page + 1) if page < pages else None,
        },
    }


def keep_session_cookie_out() -> None:
    """Answers that shared caches may keep must not carry a Set-Cookie: the API never writes the
    session (a signed-in caller's session is neither refreshed nor changed by an API request)."""
    from flask import session

    if session:
        session.permanent = False  # no refresh-on-every-request cookie for "stay signed in"
        session.modified = False


def add_headers(response: Response) -> Response:
    """Caching and CORS for every API answer (errors included): read-only, public data."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD"
        response.headers["Access-Control-Allow-Headers"] = "If-None-Match"
        response.headers["Access-Control-Max-Age"] = "86400"
    else:
        response.headers["Access-Control-Expose-Headers"] = "ETag"
    if response.status_code in (200, 304):
        response.headers["Cache-Control"] = CACHE_CONTROL
    else:
        response.headers["Cache-Control"] = "no-store"
    if response.status_code == 405 and "Allow" not in response.headers:
        adapter = current_app.url_map.bind_to_environ(request.environ)
        response.headers["Allow"] = ", ".join(sorted(adapter.allowed_methods()))
    return response
