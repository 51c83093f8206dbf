"""/healthz, security headers and the error pages."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from portal.extensions import db


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"
    assert response.headers["Cache-Control"] == "no-store"


def _break_database(monkeypatch):
    def fail(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", fail)
    monkeypatch.setattr(db.session, "scalar", fail)
    monkeypatch.setattr(db.session, "scalars", fail)


def test_healthz_503_when_the_database_does_not_answer(client, monkeypatch, app):
    with app.app_context():
        _break_database(monkeypatch)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] != "ok"


def test_pages_answer_a_friendly_503_when_the_database_is_down(client, monkeypatch, app):
    with app.app_context():
        _break_database(monkeypatch)
        response = client.get("/")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "vorübergehend nicht erreichbar" in response.get_data(as_text=True)


def test_security_headers_on_every_page_type(client, demo):
    for url in ("/", "/oberziele/1", "/missing", "/healthz"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp
        assert "style-src 'self'" in csp
        assert "img-src 'self' data:" in csp
        assert "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]
        assert headers["Permissions-Policy"]


def test_method_not_allowed_is_translated(client):
    response = client.post("/healthz")
    assert response.status_code in (400, 405)  # CSRF protection may answer first


def test_static_assets_are_served_with_long_caching(client):
    page = client.get("/").get_data(as_text=True)
    import re

    css = re.search(r'href="(/static/dist/portal\.css\?v=[0-9a-f]+)"', page)
    assert css, "the layout links the built stylesheet with a content hash"
    response = client.get(css.group(1))
    assert response.status_code == 200
    assert response.cache_control.max_age and response.cache_control.max_age >= 86400
    response.close()
