"""A PrintDocument drawn on A4 with fpdf2: header, fields, tables, paragraphs, signatures."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF, FontFace
from fpdf.enums import TableBordersLayout, TableHeadingsDisplay, XPos, YPos

from bot.documents.fonts import MISSING, Typeface, system_typeface
from bot.documents.layout import Field, PrintDocument, Signature, Table

MARGIN = 18.0  # mm
BODY, SMALL, TITLE = 10.0, 8.5, 15.0  # pt
LEADING = 1.45  # line height as a multiple of the font size
PT = 25.4 / 72  # mm per point
PADDING = 1.5  # mm inside a table cell
GREY, RULE, SHADE, TOTALS_SHADE = 90, 160, 232, 244
SIGNATURES_PER_ROW = 3
SIGNING_SPACE = 14.0  # mm above a signature line


def render_pdf(doc: PrintDocument, typeface: Typeface | None = None) -> bytes:
    """The document as PDF bytes, in the system's Chinese-capable font unless told otherwise."""
    typeface = typeface or system_typeface()
    with tempfile.TemporaryDirectory(prefix="salesbot-pdf-") as folder:
        sheet = _Sheet(doc, typeface)
        typeface.install(sheet, "".join(doc.texts()), Path(folder))
        sheet.draw()
        return bytes(sheet.output())


class _Sheet(FPDF):
    def __init__(self, doc: PrintDocument, typeface: Typeface) -> None:
        super().__init__(format="A4")
        self.doc, self.typeface = doc, typeface
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        self.set_title(doc.title)

    def normalize_text(self, text: str) -> str:
        """A character the font lacks prints as "?", never as an invisible or boxed glyph."""
        covers = self.typeface.covers
        kept = "".join(c if c == "\n" or covers(c) else MISSING for c in text)
        return super().normalize_text(kept)

    def draw(self) -> None:
        self.set_font(self.typeface.family, size=BODY)
        self.add_page()
        _fields(self, self.doc.fields)
        for table in self.doc.tables:
            _table(self, table)
        for paragraph in self.doc.paragraphs:
            self._write(BODY, paragraph)
            self.ln(2)
        _signatures(self, self.doc.signatures)

    def header(self) -> None:
        top, width = self.get_y(), self.epw * 0.62
        self._write(TITLE, self.doc.title, width=width)
        bottom = self.get_y()
        self.set_xy(MARGIN + width, top)
        for pair in (self.doc.number, self.doc.issued):
            self._write(SMALL, f"{pair.label} {pair.value}", align="RIGHT", grey=True)
            self.set_x(MARGIN + width)
        self.set_y(max(bottom, self.get_y()) + 1)
        self._rule()
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-MARGIN + 4)
        self.set_font(size=SMALL)
        self.cell(0, SMALL * PT * LEADING, f"{self.page_no()} / {{nb}}", align="C")

    def line_height(self, size: float) -> float:
        return size * PT * LEADING

    def _write(
        self, size: float, text: str, *, width: float = 0, align: str = "LEFT", grey: bool = False
    ) -> None:
        self.set_font(size=size)
        self.set_text_color(GREY if grey else 0)
        self.multi_cell(
            width, self.line_height(size), text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.set_text_color(0)

    def _rule(self) -> None:
        self.set_draw_color(RULE)
        self.line(MARGIN, self.get_y(), MARGIN + self.epw, self.get_y())
        self.set_draw_color(0)


def _fields(sheet: _Sheet, fields: Sequence[Field]) -> None:
    if not fields:
        return
    sheet.set_font(size=BODY)
    label = max(sheet.get_string_width(f.label) for f in fields) + 2 * PADDING
    label = min(label, sheet.epw * 0.4)
    with sheet.table(
        col_widths=(label, sheet.epw - label),
        first_row_as_headings=False,
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        line_height=sheet.line_height(BODY),
        padding=PADDING,
        text_align="LEFT",
        v_align="TOP",
    ) as table:
        for pair in fields:
            row = table.row()
            row.cell(pair.label, style=FontFace(color=GREY))
            row.cell(pair.value)
    sheet.ln(5)


def _table(sheet: _Sheet, table: Table) -> None:
    if table.title:
        sheet._write(BODY, table.title)
        sheet.ln(1)
    sheet.set_font(size=SMALL)
    columns = len(table.headers)
    with sheet.table(
        col_widths=tuple(column_widths(_natural_widths(sheet, table), sheet.epw)),
        headings_style=FontFace(fill_color=SHADE),
        repeat_headings=TableHeadingsDisplay.ON_TOP_OF_EVERY_PAGE,
        line_height=sheet.line_height(SMALL),
        padding=PADDING,
        text_align=tuple(table.column_align(c).value for c in range(columns)),
        v_align="TOP",
    ) as drawn:
        drawn.row(table.headers)
        for row in table.rows:
            drawn.row(row)
        if table.totals is not None:
            drawn.row(table.totals, style=FontFace(fill_color=TOTALS_SHADE))
    sheet.set_font(size=BODY)
    sheet.ln(5)


def _natural_widths(sheet: _Sheet, table: Table) -> list[float]:
    lines = (table.headers, *table.rows, *((table.totals,) if table.totals else ()))
    return [
        max(sheet.get_string_width(line[c]) for line in lines if c < len(line)) + 2 * PADDING + 1
        for c in range(len(table.headers))
    ]


def column_widths(natural: Sequence[float], room: float) -> list[float]:
    """Each column's width on the page, given the width its longest text wants.

    If everything fits, the columns grow in proportion. Otherwise a column that wants less than
    an equal share of what is left keeps its width, so numbers and dates stay on one line, and
    the wide columns (product names, notes) share the rest in proportion and wrap.
    """
    if sum(natural) <= room:
        return [width * room / sum(natural) for width in natural]
    wide = set(range(len(natural)))
    while True:
        left = room - sum(natural[c] for c in range(len(natural)) if c not in wide)
        narrow = {c for c in wide if natural[c] <= left / len(wide)}
        if not narrow:
            break
        wide -= narrow
    wanted = sum(natural[c] for c in wide)
    return [natural[c] * left / wanted if c in wide else natural[c] for c in range(len(natural))]


def _signatures(sheet: _Sheet, signatures: Sequence[Signature]) -> None:
    for start in range(0, len(signatures), SIGNATURES_PER_ROW):
        _signature_row(sheet, signatures[start : start + SIGNATURES_PER_ROW])


def _signature_row(sheet: _Sheet, row: Sequence[Signature]) -> None:
    gap = 8.0
    width = (sheet.epw - gap * (SIGNATURES_PER_ROW - 1)) / SIGNATURES_PER_ROW
    if sheet.will_page_break(SIGNING_SPACE + 4 * sheet.line_height(BODY)):
        sheet.add_page()
    sheet.ln(4)
    top = sheet.get_y()
    bottoms = []
    for n, signature in enumerate(row):
        sheet.set_xy(MARGIN + n * (width + gap), top)
        bottoms.append(_signature(sheet, signature, width))
    sheet.set_y(max(bottoms))


def _signature(sheet: _Sheet, signature: Signature, width: float) -> float:
    left = sheet.get_x()
    sheet.set_font(size=BODY)
    sheet.multi_cell(width, sheet.line_height(BODY), signature.role, new_x=XPos.LEFT)
    sheet.set_xy(left, sheet.get_y() + SIGNING_SPACE)
    sheet.line(left, sheet.get_y(), left + width, sheet.get_y())
    sheet.set_font(size=SMALL)
    sheet.multi_cell(width, sheet.line_height(SMALL), signature.name, new_x=XPos.LEFT)
    if signature.date is not None:
        _date(sheet, signature.date, width)
    return sheet.get_y()


def _date(sheet: _Sheet, date: Field, width: float) -> None:
    """The date under a signature, or its label and a line to write it on by hand."""
    left, height = sheet.get_x(), sheet.line_height(SMALL)
    if date.value:
        sheet.multi_cell(width, height, f"{date.label} {date.value}", new_x=XPos.LEFT)
        return
    label = sheet.get_string_width(date.label) + 1
    sheet.cell(label, height, date.label)
    bottom = sheet.get_y() + height
    sheet.line(left + label, bottom, left + width, bottom)
    sheet.set_xy(left, bottom + 1)
