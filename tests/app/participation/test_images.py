"""The image pipeline: re-encoding strips EXIF (GPS), content decides the type (never the name),
size and pixel limits, alt text required, storage under random names, serving with the right type."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import ExifTags
from PIL import Image
from PIL import PngImagePlugin
from sqlalchemy import select

from portal.extensions import db
from portal.proposals.models import Proposal
from tests.app.participation.conftest import field_error
from tests.app.participation.conftest import text_of
from tests.conftest import login
from tests.conftest import post_form

URL = "/vorschlaege/neu?unterziel=1.3"
VALID = {
    "subgoal": "1.3",
    "title": "Blühstreifen entlang der Feldwege am Elm",
    "body": "Landwirte und Gemeinde legen Blühstreifen an, die Insekten und Spaziergängern guttun.",
    "municipality": "koenigslutter-am-elm",
    "horizon": "short",
    "cost_class": "small",
    "image_alt": "Ein Feldweg mit blühendem Rand im Sommer",
}


def jpeg_with_gps(size: tuple[int, int] = (64, 48), orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Kamerahersteller"
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (52.0, 13.0, 30.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (10.0, 48.0, 15.0),
    }
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"secret comment")
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo), "the source carries GPS"
    return data


def png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Anja K., Musterstraße 1")
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 128, 0, 128)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def webp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 0, 200)).save(out, format="WEBP")
    return out.getvalue()


def upload(client, data: bytes, name: str = "foto.jpg", **fields: str):  # type: ignore[no-untyped-def]
    return post_form(client, URL, {**VALID, **fields, "image": (io.BytesIO(data), name)}, form_url=URL)


def stored_files(app) -> list[Path]:  # type: ignore[no-untyped-def]
    folder = Path(app.config["UPLOAD_FOLDER"])
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def citizen(client, people):
    login(client, people["citizen"])
    return people["citizen"]


def test_upload_preview_confirm_and_serve(app, client, citizen):
    preview = upload(client, jpeg_with_gps())
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    src = re.search(r'<img src="(/bilder/[^"]+)" alt="Ein Feldweg mit blühendem Rand im Sommer"', html).group(
        1
    )
    name = src.rsplit("/", 1)[1]
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}\.jpg", name)
    assert f'name="pending_image" value="{name}"' in html

    confirm = post_form(client, URL, {**VALID, "pending_image": name, "confirm": "1"})
    assert confirm.status_code == 303
    with app.app_context():
        proposal = db.session.scalars(select(Proposal)).one()
        assert (proposal.image_name, proposal.image_alt) == (name, VALID["image_alt"])
        assert (proposal.image_width, proposal.image_height) == (64, 48)
    page = client.get(confirm.headers["Location"]).get_data(as_text=True)
    assert f'<img src="/bilder/{name}" alt="Ein Feldweg mit blühendem Rand im Sommer"' in page

    served = client.application.test_client().get(f"/bilder/{name}")  # a visitor
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    result = Image.open(io.BytesIO(served.data))
    assert result.format == "JPEG"
    assert dict(result.getexif()) == {}
    assert "exif" not in result.info and "comment" not in result.info
    assert b"Kamerahersteller" not in served.data and b"secret comment" not in served.data
    assert [path.name for path in stored_files(app)] == [name]


def test_exif_orientation_is_applied_before_stripping(app, client, citizen):
    html = upload(client, jpeg_with_gps((64, 48), orientation=6)).get_data(as_text=True)
    assert 'width="48" height="64"' in html


def test_png_metadata_is_dropped_and_webp_accepted(app, client, citizen):
    html = upload(client, png_with_text(), "grafik.png").get_data(as_text=True)
    name = re.search(r'name="pending_image" value="([^"]+)"', html).group(1)
    assert name.endswith(".png")
    data = (Path(app.config["UPLOAD_FOLDER"]) / name).read_bytes()
    assert b"Musterstra" not in data and Image.open(io.BytesIO(data)).info.get("Author") is None
    assert client.get(f"/bilder/{name}").headers["Content-Type"] == "image/png"
    html = upload(client, webp(), "bild.webp").get_data(as_text=True)
    name = re.search(r'name="pending_image" value="([^"]+)"', html).group(1)
    assert name.endswith(".webp")
    assert client.get(f"/bilder/{name}").headers["Content-Type"] == "image/webp"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "foto.jpg"),
        (b"\xff\xd8\xff\xe0 not really a jpeg", "foto.jpg"),
        (
            b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
            b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
            "animiert.gif",
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "bild.png"),
    ],
    ids=["html-as-jpg", "broken-jpeg", "gif", "svg-as-png"],
)
def test_bad_content_is_refused_whatever_its_name(app, client, citizen, data, name):
    response = upload(client, data, name)
    assert response.status_code == 200
    assert field_error(response, "image") == "Die Datei ist kein JPEG-, PNG- oder WebP-Bild."
    assert stored_files(app) == []
    assert VALID["body"] in response.get_data(as_text=True)


def test_oversize_files_are_refused(app, client, citizen, monkeypatch):
    # (bodies over 500 KB make the test client spool to a file it never closes: keep them smaller)
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 256 * 1024)
    response = upload(client, jpeg_with_gps((400, 400)) + b"\0" * (300 * 1024))
    assert field_error(response, "image") == "Das Bild ist zu groß: Erlaubt sind höchstens 0,2 MB."
    assert stored_files(app) == []


def test_the_default_size_limit_is_in_the_hint(client, citizen):
    assert "höchstens 8 MB" in text_of(client.get(URL))


def test_decompression_bombs_are_refused(app, client, citizen):
    out = io.BytesIO()
    Image.new("1", (9000, 5000)).save(out, format="PNG")  # 45 million pixels in a few kilobytes
    assert len(out.getvalue()) < 100_000
    response = upload(client, out.getvalue(), "klein.png")
    assert field_error(response, "image") == "Das Bild hat zu viele Pixel."
    assert stored_files(app) == []


def test_alt_text_is_required_and_the_image_is_kept(app, client, citizen):
    response = upload(client, jpeg_with_gps(), image_alt="")
    assert (
        field_error(response, "image_alt")
        == "Bitte beschreiben Sie das Bild für Menschen, die es nicht sehen können."
    )
    html = response.get_data(as_text=True)
    name = re.search(r'name="pending_image"[^>]*value="([^"]+)"', html).group(1)
    assert f'src="/bilder/{name}"' in html  # no need to upload again
    again = post_form(client, URL, {**VALID, "pending_image": name})
    assert "Schritt 3 von 3" in text_of(again)


def test_large_images_are_scaled_down(app, client, citizen):
    out = io.BytesIO()
    Image.new("RGB", (3000, 1500), (10, 10, 10)).save(out, format="JPEG")
    html = upload(client, out.getvalue()).get_data(as_text=True)
    assert 'width="2000" height="1000"' in html


def test_who_sees_an_image(app, client, people, citizen):
    html = upload(client, jpeg_with_gps()).get_data(as_text=True)
    name = re.search(r'name="pending_image" value="([^"]+)"', html).group(1)
    # not saved yet: only the session that uploaded it sees it
    assert client.get(f"/bilder/{name}").status_code == 200
    assert client.application.test_client().get(f"/bilder/{name}").status_code == 404
    # somebody else's pending image cannot be attached
    other = client.application.test_client()
    login(other, people["author"])
    post_form(other, URL, {**VALID, "pending_image": name, "confirm": "1"})
    with app.app_context():
        assert db.session.scalars(select(Proposal)).one().image_name is None
    for bad in ("../secret_key", "x.jpg", "AAAAAAAAAAAAAAAAAAAAAA.gif", "AAAAAAAAAAAAAAAAAAAAAA.jpg"):
        assert client.get(f"/bilder/{bad}").status_code == 404


def test_author_removes_the_image_when_editing(app, client, citizen):
    preview = upload(client, jpeg_with_gps()).get_data(as_text=True)
    name = re.search(r'name="pending_image" value="([^"]+)"', preview).group(1)
    response = post_form(client, URL, {**VALID, "pending_image": name, "confirm": "1"})
    edit_url = response.headers["Location"] + "/bearbeiten"
    assert f'src="/bilder/{name}"' in client.get(edit_url).get_data(as_text=True)
    post_form(client, edit_url, {**VALID, "remove_image": "y"})
    with app.app_context():
        proposal = db.session.scalars(select(Proposal)).one()
        assert proposal.image_name is None and proposal.image_alt is None
    assert stored_files(app) == []
