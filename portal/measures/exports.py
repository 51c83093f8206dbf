"""Exports of measures and budget lines for the finance department's budget planning.

CSV: UTF-8 with a byte order mark, semicolon-separated, CRLF line ends, amounts with a decimal
comma and two decimals ("25000,00") and no thousands separator: the format German spreadsheet
programs open correctly with a double click. The column headers follow the interface language;
the number format does not (semicolon CSV with decimal points would be misread in Germany).
One row per budget line (a measure without budget lines gets one row with the budget columns
empty), so a pivot table sums by year, department or funding source directly.

XLSX: two sheets, "measures" (one row per measure, a column per budget year and the total) and
"budget lines" (as the CSV); amounts are numbers in euros with a currency format, years are
numbers, texts are always stored as text (never as formulas).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal

from portal.core import clock
from portal.core.i18n import _
from portal.core.i18n import tr
from portal.measures.models import Measure

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def filename(extension: str) -> str:
    """``massnahmen-2026-11-25.csv``."""
    return f"massnahmen-{clock.today().isoformat()}.{extension}"


def _safe(text: str) -> str:
    """Text that a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def german_amount(cents: int) -> str:
    """``2500000`` cents → ``"25000,00"``."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100},{cents % 100:02d}"


def _measure_columns(measure: Measure) -> list[str]:
    return [
        str(measure.id),
        measure.title,
        measure.status.label,
        str(measure.progress),
        measure.horizon.label,
        str(measure.start_year or ""),
        str(measure.end_year or ""),
        ", ".join(subgoal.number for subgoal in measure.subgoals),
        tr(measure.lead_department.name) if measure.lead_department else "",
        ", ".join(tr(department.name) for department in measure.departments),
        ", ".join(municipality.name for municipality in measure.municipalities),
        _("yes") if measure.is_public else _("no"),
    ]


def _measure_headers() -> list[str]:
    return [
        _("Measure no."),
        _("Measure"),
        _("Status"),
        _("Progress (%)"),
        _("Time horizon"),
        _("Start year"),
        _("End year"),
        _("Sub-goals"),
        _("Lead department"),
        _("Responsible departments"),
        _("Partner municipalities"),
        _("Public"),
    ]


def budget_rows(measures: Sequence[Measure]) -> list[list[str]]:
    """The CSV's rows (header first), all strings."""
    rows = [[*_measure_headers(), _("Budget year"), _("Amount (EUR)"), _("Funding source")]]
    for measure in measures:
        columns = [_safe(value) for value in _measure_columns(measure)]
        if not measure.budget_lines:
            rows.append([*columns, "", "", ""])
        for line in measure.budget_lines:
            rows.append(
                [*columns, str(line.year), german_amount(line.amount_cents), _safe(line.funding_source)]
            )
    return rows


def budget_csv(measures: Sequence[Measure]) -> bytes:
    """The budget lines as CSV bytes (UTF-8 with BOM, ``;``, CRLF)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerows(budget_rows(measures))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def workbook(measures: Sequence[Measure]) -> bytes:
    """Measures and budget lines as an XLSX workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    euro_format = '#,##0.00 "€"'
    book = Workbook()
    sheet = book.active
    sheet.title = _("Measures")[:31]
    years = sorted({line.year for measure in measures for line in measure.budget_lines})
    header = [*_measure_headers(), *[str(year) for year in years], _("Total (EUR)")]
    sheet.append(header)
    for measure in measures:
        by_year = dict(measure.budget_by_year())
        amounts = [Decimal(by_year.get(year, 0)) / 100 for year in years]
        sheet.append(
            [
                measure.id,
                *_measure_columns(measure)[1:3],
                measure.progress,
                *_measure_columns(measure)[4:5],
                measure.start_year,
                measure.end_year,
                *_measure_columns(measure)[7:],
                *amounts,
                Decimal(measure.budget_total_cents) / 100,
            ]
        )
    first_amount_column = len(_measure_headers()) + 1
    for row in sheet.iter_rows(min_row=2, min_col=first_amount_column):
        for cell in row:
            cell.number_format = euro_format

    lines = book.create_sheet(_("Budget lines")[:31])
    lines.append([*_measure_headers(), _("Budget year"), _("Amount (EUR)"), _("Funding source")])
    for measure in measures:
        columns = _measure_columns(measure)
        for line in measure.budget_lines:
            lines.append(
                [
                    measure.id,
                    *columns[1:3],
                    measure.progress,
                    columns[4],
                    measure.start_year,
                    measure.end_year,
                    *columns[7:],
                    line.year,
                    Decimal(line.amount_cents) / 100,
                    line.funding_source,
                ]
            )
    amount_column = len(_measure_headers()) + 2
    for row in lines.iter_rows(min_row=2, min_col=amount_column, max_col=amount_column):
        for cell in row:
            cell.number_format = euro_format

    for worksheet in (sheet, lines):
        worksheet.freeze_panes = "A2"
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        for row in worksheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
        for column in worksheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            worksheet.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 60)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
