"""CSV downloads of public data: UTF-8 with a byte-order mark and semicolons.

The BOM makes spreadsheet software (Excel in a German locale) read umlauts correctly, and the
semicolon is the list separator it expects there.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from collections.abc import Sequence
from typing import Any

from flask import Response

BOM = "\ufeff"


def _cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    """The CSV document (with BOM) as text."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([_cell(str(value)) for value in header])
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def csv_response(filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Response:
    """A download response ``filename`` (ASCII) with the CSV document."""
    response = Response(csv_text(header, rows).encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "public, max-age=60"
    return response
