"""The image pipeline: check, re-encode without metadata, store under a random name.

Only JPEG, PNG and WebP are accepted, recognised by their content (never by the file name), up
to a size limit in bytes and in pixels (decompression bombs are refused before decoding).
Every image is decoded and encoded again server-side: EXIF (GPS position, camera, time), XMP,
ICC profiles and comments are dropped, the EXIF orientation is applied first, and large images
are scaled down. Files live in the upload folder (``instance/uploads`` by default) under random
names; the route in views.py serves them.
"""

from __future__ import annotations

import io
import re
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app
from flask_babel import format_decimal
from PIL import Image
from PIL import ImageOps
from PIL import UnidentifiedImageError

from portal.core.i18n import _

#: Upper bound of decoded pixels; Pillow warns above it and refuses above twice that. We refuse
#: anything above it ourselves, before decoding.
MAX_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
DEFAULT_MAX_BYTES = 8 * 1024 * 1024
#: Longest side after re-encoding.
MAX_SIDE = 2000

FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
CONTENT_TYPES = {extension: content_type for extension, content_type in FORMATS.values()}
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{22}\.(jpg|png|webp)$")


class ImageRejected(ValueError):
    """The upload is not an acceptable image; ``message`` is translated for the form."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class StoredImage:
    name: str
    width: int
    height: int

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.name.rsplit(".", 1)[1]]


def upload_folder() -> Path:
    """Where images are stored (config ``UPLOAD_FOLDER``, else ``instance/uploads``)."""
    folder = Path(current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def max_bytes() -> int:
    """The size limit of an upload in bytes (config ``UPLOAD_MAX_BYTES``)."""
    return int(current_app.config.get("UPLOAD_MAX_BYTES") or DEFAULT_MAX_BYTES)


def size_in_mb(size: int) -> str:
    """A byte count as megabytes for people, in the current language ("8", "1,5")."""
    return format_decimal(size / 1024 / 1024, format="#,##0.#")


def _read_limited(stream: IO[bytes]) -> bytes:
    limit = max_bytes()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ImageRejected(
            _("The image is too large: at most %(size)s MB are allowed.", size=size_in_mb(limit))
        )
    if not data:
        raise ImageRejected(_("The file is empty."))
    return data


def _open(data: bytes) -> Image.Image:
    not_an_image = _("The file is not a JPEG, PNG or WebP image.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected(_("The image has too many pixels.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageRejected(not_an_image) from None
    if image.format not in FORMATS:
        raise ImageRejected(not_an_image)
    width, height = image.size
    if width < 1 or height < 1 or width * height > MAX_PIXELS:
        raise ImageRejected(_("The image has too many pixels."))
    return image


def _clean(image: Image.Image) -> Image.Image:
    """Decode, apply the EXIF orientation, scale down, and drop every piece of metadata."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
            image = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning) as error:
        raise ImageRejected(_("The image could not be read; it may be damaged.")) from error
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    # A fresh image holds pixels only: no EXIF, XMP, ICC profile, comments or text chunks.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    clean.info = {}
    return clean


def _encode(image: Image.Image, source_format: str) -> tuple[bytes, str]:
    out = io.BytesIO()
    if source_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
    elif source_format == "PNG":
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(out, format="WEBP", quality=85)
    return out.getvalue(), FORMATS[source_format][0]


def store_image(stream: IO[bytes]) -> StoredImage:
    """Check, clean and store an uploaded image; raises :class:`ImageRejected` with the reason."""
    data = _read_limited(stream)
    image = _open(data)
    source_format = str(image.format)
    clean = _clean(image)
    encoded, extension = _encode(clean, source_format)
    name = f"{secrets.token_urlsafe(16)}.{extension}"
    (upload_folder() / name).write_bytes(encoded)
    return StoredImage(name=name, width=clean.width, height=clean.height)


def path_of(name: str) -> Path | None:
    """The file of a stored image, or None for a name that is not one of ours."""
    if not NAME_PATTERN.match(name or ""):
        return None
    path = upload_folder() / name
    return path if path.is_file() else None


def remove(name: str | None) -> None:
    """Delete a stored image (after the change that dropped it has been committed)."""
    if name and NAME_PATTERN.match(name):
        (upload_folder() / name).unlink(missing_ok=True)
