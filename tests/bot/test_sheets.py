"""The spreadsheet writer (bot/documents/sheets.py): the workbook re-opened with openpyxl and
read cell by cell — values, types, number formats, Chinese text — and text that a spreadsheet
would run as a formula made inert in both formats, while numbers stay numbers."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from bot.documents.sheets import (
    Column,
    Kind,
    Table,
    csv_bytes,
    display_width,
    neutralised,
    sheet_title,
    xlsx_bytes,
)

COLUMNS = (
    Column("客户"),
    Column("Amount", Kind.money),
    Column("Day", Kind.date),
    Column("At", Kind.datetime),
    Column("Share", Kind.percent),
    Column("Visits", Kind.int),
    Column("Qty", Kind.quantity),
    Column("Far"),
)
ROWS = [
    (
        "华东五金有限公司",
        Decimal("-1234.56"),
        date(2026, 11, 29),
        datetime(2026, 11, 29, 8, 5, tzinfo=UTC),
        Decimal("24.50"),
        3,
        Decimal("1.250"),
        True,
    ),
    ("Acme", Decimal("9999999999999.99"), None, None, None, 0, Decimal(0), False),
]
FORMULAS = ["=1+2", "+86 138", "-5", "@SUM(A1)", "\t=cmd", "\r=cmd"]


def reopened(data: bytes) -> list[list[object]]:
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(row) for row in ws.iter_rows()]


def test_the_workbook_reads_back_cell_by_cell() -> None:
    data = xlsx_bytes([Table("合同台帐", COLUMNS, ROWS)])
    book = load_workbook(io.BytesIO(data))
    ws = book.worksheets[0]
    assert ws.title == "合同台帐"
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:H3"
    header, first, second = (list(row) for row in ws.iter_rows())
    assert [c.value for c in header] == [c.header for c in COLUMNS]
    assert all(c.font.b for c in header)
    name, amount, day, at, share, visits, qty, far = first
    assert (name.value, name.data_type) == ("华东五金有限公司", "s")
    assert (amount.value, amount.data_type, amount.number_format) == (-1234.56, "n", "#,##0.00")
    assert (day.value, day.number_format) == (datetime(2026, 11, 29), "yyyy-mm-dd")
    assert day.is_date
    assert (at.value, at.number_format) == (datetime(2026, 11, 29, 8, 5), "yyyy-mm-dd hh:mm")
    assert (share.value, share.number_format) == (0.245, "0.00%")
    assert (visits.value, visits.number_format) == (3, "#,##0")
    assert (qty.value, qty.number_format) == (1.25, "#,##0.###")
    assert far.value == "✓"
    assert Decimal(str(second[1].value)) == Decimal("9999999999999.99"), "15 digits, exact"
    assert second[2].value is None
    assert second[7].value is None


def test_chinese_columns_are_sized_twice_as_wide() -> None:
    assert display_width("合同台帐") == 8
    assert display_width("Acme") == 4
    long_name = Table("T", (Column("n"), Column("m")), [("华" * 20, "a" * 20)])
    ws = load_workbook(io.BytesIO(xlsx_bytes([long_name]))).worksheets[0]
    assert ws.column_dimensions["A"].width > ws.column_dimensions["B"].width


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_text_is_a_string_in_excel(text: str) -> None:
    data = xlsx_bytes([Table("T", (Column("x"), Column("n", Kind.money)), [(text, Decimal(-5))])])
    [_header, (cell, number)] = reopened(data)
    assert cell.data_type == "s"
    assert cell.value.strip() == text.strip()  # XML reads a CR back as LF
    assert (number.value, number.data_type) == (-5, "n"), "a negative amount stays a number"
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_text_is_neutralised_in_csv(text: str) -> None:
    table = Table("T", (Column("x"), Column("n", Kind.money)), [(text, Decimal(-5))])
    rows = list(csv.reader(io.StringIO(csv_bytes(table).decode("utf-8-sig"), newline="")))
    assert rows[1] == ["'" + text, "-5.00"], "text inert; the negative amount a number"


def test_plain_text_is_left_as_it_is() -> None:
    assert neutralised("Acme 1+1") == "Acme 1+1"
    assert neutralised("") == ""


def test_csv_has_a_bom_crlf_and_iso_values() -> None:
    data = csv_bytes(Table("T", COLUMNS, ROWS))
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[1] == "华东五金有限公司,-1234.56,2026-11-29,2026-11-29 08:05,24.50,3,1.250,✓"
    assert lines[2] == "Acme,9999999999999.99,,,,0,0,"
    assert lines[3] == ""


def test_sheet_titles_fit_excels_rules() -> None:
    taken: set[str] = set()
    assert sheet_title("a/b:c" + "x" * 40, taken) == ("a b c" + "x" * 40)[:31]
    assert sheet_title("Payments", taken) == "Payments"
    assert sheet_title("payments", taken) == "payments 2"


def test_a_workbook_holds_one_sheet_per_table() -> None:
    tables = [Table("One", (Column("a"),), [("x",)]), Table("Two", (Column("b"),), [])]
    book = load_workbook(io.BytesIO(xlsx_bytes(tables)))
    assert book.sheetnames == ["One", "Two"]
    assert book["Two"].max_row == 1, "the header alone"


def test_a_control_character_in_a_text_does_not_break_the_workbook() -> None:
    """A vertical tab pasted from Word into a note: openpyxl refuses the cell, and one such
    note would have failed the whole export. It becomes a space."""
    table = Table("Customers", (Column("Note\x00"),), [("line one\x0bline two",)])
    book = load_workbook(io.BytesIO(xlsx_bytes([table])))
    assert book.active["A1"].value == "Note "
    assert book.active["A2"].value == "line one line two"
