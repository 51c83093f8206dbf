"""Uploads through the real proposal form: wrong content behind an image extension, SVG with
script, oversized files, decompression bombs and path tricks in file names are refused with a
clear message, and nothing but a re-encoded image under a random name reaches the disk."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from tests.security.conftest import World
from tests.security.conftest import sign_in
from tests.security.htmlforms import executable_markup
from tests.security.htmlforms import forms_of

NOT_AN_IMAGE = "The file is not a JPEG, PNG or WebP image."
TOO_LARGE = "The image is too large"
TOO_MANY_PIXELS = "The image has too many pixels."


def _png(width: int = 4, height: int = 4) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 130, 30)).save(out, format="JPEG")
    return out.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>'
)

REFUSED = [
    pytest.param("photo.jpg", b"<html><script>alert(1)</script></html>", NOT_AN_IMAGE, id="html-as-jpg"),
    pytest.param("photo.jpg", b"<?php system($_GET['c']); ?>", NOT_AN_IMAGE, id="php-as-jpg"),
    pytest.param("photo.png", b"MZ\x90\x00" + b"\0" * 200, NOT_AN_IMAGE, id="exe-as-png"),
    pytest.param("drawing.svg", SVG, NOT_AN_IMAGE, id="svg-with-script"),
    pytest.param("drawing.jpg", SVG, NOT_AN_IMAGE, id="svg-as-jpg"),
    pytest.param("photo.gif", b"GIF89a" + b"\0" * 50, NOT_AN_IMAGE, id="gif"),
    pytest.param("polyglot.jpg", _jpeg()[:40] + b"<script>alert(1)</script>", None, id="truncated-polyglot"),
    pytest.param("bomb.png", _png_claiming(60_000, 60_000), None, id="decompression-bomb"),
    pytest.param("big.png", _png(300, 300) + b"\0" * 300_000, TOO_LARGE, id="oversized"),
]


def _form_data(client: FlaskClient) -> dict[str, object]:
    html = client.get("/vorschlaege/neu?unterziel=1.1").get_data(as_text=True)
    form = next(f for f in forms_of(html) if f.method == "post" and "title" in f.kinds)
    data: dict[str, object] = dict(form.fields)
    for name, values in form.options.items():
        if not data.get(name):
            data[name] = next((v for v in values if v), "")
    data.update(
        title="Ein Vorschlag mit einem Bild im Anhang",
        body="Eine Beschreibung, die lang genug ist, damit das Formular sie annimmt, mit Bild.",
        image_alt="Ein Bild",
    )
    return data


def _post(client: FlaskClient, name: str, content: bytes):  # type: ignore[no-untyped-def]
    data = _form_data(client)
    data["image"] = (io.BytesIO(content), name)
    return client.post("/vorschlaege/neu?unterziel=1.1", data=data, content_type="multipart/form-data")


@pytest.fixture
def author(app: Flask, world: World) -> FlaskClient:
    client = app.test_client()
    sign_in(client, world.people["citizen"])
    client.get("/?lang=en")
    return client


def _stored(app: Flask) -> list[Path]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    return sorted(folder.rglob("*")) if folder.exists() else []


@pytest.mark.parametrize(("name", "content", "message"), REFUSED)
def test_bad_uploads_are_refused_with_a_clear_message(
    app: Flask,
    author: FlaskClient,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    content: bytes,
    message: str | None,
) -> None:
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 200_000)
    response = _post(author, name, content)
    html = response.get_data(as_text=True)
    assert response.status_code in (200, 400, 413, 422)
    if response.status_code == 200:
        expected = [message] if message else [NOT_AN_IMAGE, TOO_MANY_PIXELS, "could not be read"]
        assert any(text in html for text in expected), html[:3000]
    assert _stored(app) == []
    assert not executable_markup(html)


@pytest.mark.parametrize(
    "name",
    ["../../../../tmp/evil.jpg", "..\\..\\windows\\evil.jpg", "/etc/passwd.jpg", "evil.php.jpg",
     'x"><img src=x onerror=alert(1)>.jpg', "photo.jpg\x00.php", ".htaccess.jpg"],
)  # fmt: skip
def test_file_names_never_choose_the_stored_path(app: Flask, author: FlaskClient, name: str) -> None:
    from portal.uploads.services import NAME_PATTERN

    response = _post(author, name, _jpeg())
    assert response.status_code == 200
    assert not executable_markup(response.get_data(as_text=True))
    stored = _stored(app)
    assert len(stored) == 1
    assert NAME_PATTERN.match(stored[0].name), stored[0].name
    assert stored[0].parent == Path(app.config["UPLOAD_FOLDER"])
    # The served image is the re-encoded one, as an image, never sniffed as something else.
    served = author.get(f"/bilder/{stored[0].name}")
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"


def test_stored_names_cannot_be_traversed(app: Flask, world: World) -> None:
    client = app.test_client()
    for name in (
        "..%2F..%2Fconfig.py",
        "../config.py",
        "%2e%2e/secret_key",
        "x.svg",
        "AAAAAAAAAAAAAAAAAAAAAA.html",
    ):
        assert client.get(f"/bilder/{name}").status_code == 404
