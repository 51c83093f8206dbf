"""CSV and XLSX exports for the finance department."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.conftest import login


@pytest.fixture
def exported(make_measure):  # type: ignore[no-untyped-def]
    return {
        "road": make_measure(
            "Kreisstraße K 12",
            subgoals=["1.2"],
            municipalities=["helmstedt"],
            budget=[(2026, 250_000_00, "Eigenmittel"), (2031, 1_500_50, '=HYPERLINK("x")')],
            status="in_progress",
            progress=20,
        ),
        "empty": make_measure("Ohne Budget", budget=[]),
        "hidden": make_measure("Interne Planung", public=False, budget=[(2027, 1_00, "A")]),
    }


def read_csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark for spreadsheet programs
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_csv_has_one_row_per_budget_line_in_german_format(client, exported):
    response = client.get("/massnahmen/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    header = rows[0]
    assert header[:2] == ["Maßnahmen-Nr.", "Maßnahme"]
    assert header[-3:] == ["Haushaltsjahr", "Betrag (EUR)", "Finanzierungsquelle"]
    body = rows[1:]
    assert [row[1] for row in body] == ["Kreisstraße K 12", "Kreisstraße K 12", "Ohne Budget"]
    road = [row for row in body if row[1] == "Kreisstraße K 12"]
    assert [row[-3:] for row in road] == [
        ["2026", "250000,00", "Eigenmittel"],
        ["2031", "1500,50", '\'=HYPERLINK("x")'],
    ]
    assert road[0][header.index("Status")] == "In Umsetzung"
    assert road[0][header.index("Partnerkommunen")] == "Stadt Helmstedt"
    assert body[-1][-3:] == ["", "", ""]  # a measure without budget still appears
    assert "Interne Planung" not in response.get_data(as_text=True)


def test_moderators_export_unpublished_measures_too(client, exported, moderator):
    login(client, moderator)
    rows = read_csv(client.get("/massnahmen/export.csv"))
    assert "Interne Planung" in [row[1] for row in rows]
    public_column = rows[0].index("Öffentlich")
    assert {row[1]: row[public_column] for row in rows[1:]}["Interne Planung"] == "nein"


def test_xlsx_has_measures_and_budget_lines_as_numbers(client, exported):
    response = client.get("/massnahmen/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Maßnahmen", "Haushaltsansätze"]
    measures = list(book["Maßnahmen"].iter_rows(values_only=True))
    header = measures[0]
    assert "2026" in header and "2031" in header and header[-1] == "Summe (EUR)"
    road = next(row for row in measures if row[1] == "Kreisstraße K 12")
    assert road[header.index("2026")] == 250000
    assert Decimal(str(road[header.index("2031")])) == Decimal("1500.5")
    assert Decimal(str(road[-1])) == Decimal("251500.5")
    lines = list(book["Haushaltsansätze"].iter_rows(values_only=True))
    assert len(lines) == 3  # header and the two budget lines of the public measure
    amount = lines[0].index("Betrag (EUR)")
    assert sorted(Decimal(str(row[amount])) for row in lines[1:]) == [Decimal("1500.5"), Decimal("250000")]
    source = lines[0].index("Finanzierungsquelle")
    formula_text = next(row[source] for row in lines[1:] if row[source].startswith("="))
    assert formula_text == '=HYPERLINK("x")'  # stored as text, never as a formula
    cell = next(c for c in book["Haushaltsansätze"]["A"] if c.row > 1)
    assert cell.data_type == "n"
    for row in book["Haushaltsansätze"].iter_rows(min_row=2):
        assert row[source].data_type == "s"
