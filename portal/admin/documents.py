"""Milestone documents on disk: PDFs checked by their content, stored under random names.

Files live in ``instance/documents`` (config ``DOCUMENTS_FOLDER``), named by a random token, so
a name reveals nothing and cannot be guessed; they are served only through the download route,
as attachments with the name the admin uploaded (cleaned).
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from pathlib import Path
from typing import IO

from flask import current_app

from portal.core.i18n import _

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{22}\.pdf$")


class DocumentRejected(ValueError):
    """The upload is not an acceptable PDF; ``message`` is translated for the form."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def documents_folder() -> Path:
    """Where documents are stored (config ``DOCUMENTS_FOLDER``, else ``instance/documents``)."""
    folder = Path(current_app.config.get("DOCUMENTS_FOLDER") or Path(current_app.instance_path) / "documents")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def max_bytes() -> int:
    """The size limit of a document (config ``DOCUMENT_MAX_BYTES``, default 20 MB)."""
    return int(current_app.config.get("DOCUMENT_MAX_BYTES") or DEFAULT_MAX_BYTES)


def download_name(filename: str | None) -> str:
    """A safe file name for the download ("Beschluss Kreistag.pdf" stays readable)."""
    stem = Path(filename or "").stem
    stem = unicodedata.normalize("NFKC", stem)
    stem = re.sub(r"[^\w .()-]+", "_", stem, flags=re.UNICODE).strip(" ._")[:100]
    return f"{stem or 'dokument'}.pdf"


def store_pdf(stream: IO[bytes]) -> tuple[str, int]:
    """Check and store an uploaded PDF; returns (random file name, size in bytes)."""
    limit = max_bytes()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise DocumentRejected(_("The file is too large (at most %(mb)s MB).", mb=f"{limit / 1024 / 1024:g}"))
    if not data.startswith(b"%PDF-"):
        raise DocumentRejected(_("Only PDF files can be uploaded."))
    name = f"{secrets.token_urlsafe(16)}.pdf"
    (documents_folder() / name).write_bytes(data)
    return name, len(data)


def path_of(name: str) -> Path | None:
    """The stored file, if the name is one of ours and it exists."""
    if not NAME_PATTERN.match(name):
        return None
    path = documents_folder() / name
    return path if path.is_file() else None


def remove(name: str | None) -> None:
    """Delete a stored file (after the commit that removed its row)."""
    if name and NAME_PATTERN.match(name):
        (documents_folder() / name).unlink(missing_ok=True)
