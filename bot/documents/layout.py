"""What a printable document says, independent of the library that draws it.

Every string arrives translated and formatted for the reader (money, dates), so the renderer
only lays text out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum


class Align(StrEnum):
    LEFT = "LEFT"
    RIGHT = "RIGHT"
    CENTER = "CENTER"


@dataclass(frozen=True)
class Field:
    label: str
    value: str


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    totals: tuple[str, ...] | None = None
    # One per column; a column not named is left-aligned (numbers go RIGHT).
    align: tuple[Align, ...] = ()
    title: str = ""

    def column_align(self, column: int) -> Align:
        return self.align[column] if column < len(self.align) else Align.LEFT

    def texts(self) -> Iterator[str]:
        yield self.title
        yield from self.headers
        for row in self.rows:
            yield from row
        yield from self.totals or ()


@dataclass(frozen=True)
class Signature:
    role: str
    # Printed under the line; empty leaves the line blank to sign by hand.
    name: str = ""
    # ("Date", "2026-11-29"); a date with an empty value prints a blank line to fill in.
    date: Field | None = None

    def texts(self) -> Iterator[str]:
        yield self.role
        yield self.name
        if self.date is not None:
            yield from (self.date.label, self.date.value)


@dataclass(frozen=True)
class PrintDocument:
    title: str
    number: Field
    issued: Field
    fields: tuple[Field, ...] = ()
    tables: tuple[Table, ...] = ()
    paragraphs: tuple[str, ...] = ()
    signatures: tuple[Signature, ...] = ()

    def texts(self) -> Iterator[str]:
        """Every string the document prints: the renderer embeds glyphs for exactly these."""
        yield self.title
        for pair in (self.number, self.issued, *self.fields):
            yield from (pair.label, pair.value)
        for table in self.tables:
            yield from table.texts()
        yield from self.paragraphs
        for signature in self.signatures:
            yield from signature.texts()
