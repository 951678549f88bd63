"""Tables as spreadsheets: an Excel workbook (one worksheet per table) or a CSV file.

Generic: a `Table` knows its columns' kinds, not the domain. Numbers stay numbers (a negative
amount is a number, not text); money is written exactly (the Decimal, not a float) with a
thousands format; days and times are real Excel dates. Text is never run as a formula:
a spreadsheet evaluates a cell that starts with "=", "+", "-" or "@" (and a leading tab or
CR can hide one), so such text gets a "'" in CSV and is typed as a plain string in Excel."""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from io import BytesIO, StringIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Value = str | int | Decimal | date | datetime | bool | None
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
WIDTH_SAMPLE = 500  # rows looked at to size a column
WIDTH_MIN, WIDTH_MAX = 6, 60
TITLE_MAX = 31  # Excel's limit for a worksheet's name
TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


class Kind(StrEnum):
    text = "text"
    int = "int"
    quantity = "quantity"
    money = "money"
    date = "date"
    datetime = "datetime"
    percent = "percent"  # given in percent (24.5), written as a fraction with a % format


FORMATS = {
    Kind.int: "#,##0",
    Kind.quantity: "#,##0.###",
    Kind.money: "#,##0.00",
    Kind.date: "yyyy-mm-dd",
    Kind.datetime: "yyyy-mm-dd hh:mm",
    Kind.percent: "0.00%",
}


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: Kind = Kind.text


@dataclass(frozen=True, slots=True)
class Table:
    """A title (the worksheet's name), columns, and rows of values in the columns' order.
    Datetimes are written as their wall-clock time: give them in the company's zone."""

    title: str
    columns: tuple[Column, ...]
    rows: Sequence[Sequence[Value]]


def neutralised(text: str) -> str:
    """Text a spreadsheet would run as a formula, made inert with a leading "'"."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def display_width(text: str) -> int:
    """Columns a text takes on screen: a Chinese character is about two Latin ones wide."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _shown(value: Value, kind: Kind) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal) and kind is Kind.money:
        return f"{value:.2f}"
    return str(value)


def csv_bytes(table: Table) -> bytes:
    """UTF-8 with a byte order mark, so Excel reads Chinese right; rows end in CRLF."""
    out = StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralised(c.header) for c in table.columns])
    for row in table.rows:
        writer.writerow(
            neutralised(_shown(v, c.kind)) if isinstance(v, str) else _shown(v, c.kind)
            for v, c in zip(row, table.columns, strict=True)
        )
    return out.getvalue().encode("utf-8-sig")


def sheet_title(title: str, taken: set[str]) -> str:
    base = title.translate(TITLE_FORBIDDEN).strip()[:TITLE_MAX] or "Sheet"
    name, n = base, 1
    while name.casefold() in taken:
        n += 1
        name = f"{base[: TITLE_MAX - len(str(n)) - 1]} {n}"
    taken.add(name.casefold())
    return name


def _widths(table: Table) -> list[float]:
    widths = [display_width(c.header) + 2 for c in table.columns]
    for row in table.rows[:WIDTH_SAMPLE]:
        for i, (value, column) in enumerate(zip(row, table.columns, strict=True)):
            shown = _shown(value, column.kind)
            widths[i] = max(widths[i], display_width(shown) + (4 if column.kind in FORMATS else 2))
    return [min(max(w, WIDTH_MIN), WIDTH_MAX) for w in widths]


def _text(value: str) -> str:
    """Text as a worksheet may hold it: the control characters XML 1.0 forbids (a vertical tab
    pasted from Word, a stray NUL) become spaces, instead of failing the whole workbook."""
    return str(ILLEGAL_CHARACTERS_RE.sub(" ", value))


def _cell(sheet: object, value: Value, kind: Kind) -> WriteOnlyCell:
    if isinstance(value, str):
        value = _text(value)
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
    elif isinstance(value, bool):
        value = "✓" if value else None
    elif kind is Kind.percent and isinstance(value, int | Decimal):
        value = Decimal(value) / 100
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    elif kind in FORMATS:
        cell.number_format = FORMATS[kind]
    return cell


def _write(book: Workbook, table: Table, taken: set[str]) -> None:
    sheet = book.create_sheet(sheet_title(table.title, taken))
    for i, width in enumerate(_widths(table), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet, value=_text(column.header))
        cell.data_type = "s"
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        sheet.append([_cell(sheet, v, c.kind) for v, c in zip(row, table.columns, strict=True)])
    last = get_column_letter(len(table.columns))
    sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    """A workbook with a worksheet per table, written in openpyxl's write-only mode (rows go
    straight to the file, so a big table does not hold a cell object per value)."""
    book = Workbook(write_only=True)
    taken: set[str] = set()
    for table in tables:
        _write(book, table, taken)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
