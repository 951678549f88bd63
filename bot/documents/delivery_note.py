"""The delivery note (发货单) as a printable document, in the reader's language: the warehouse
ships against it and the customer signs a copy that comes back to finance (seed rule 8)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _

from bot.core.usecases.delivery_access import NoteFile
from bot.documents.layout import Align, Field, PrintDocument, Signature, Table
from bot.rendering import units


def _day(moment: datetime | None, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).date().isoformat() if moment else ""


def delivery_note_document(sheet: NoteFile, tz: ZoneInfo) -> PrintDocument:
    """Its lines are this note's quantities only; lines it leaves out are not printed. The
    contract line holds no unit, so the unit column is left to fill in by hand."""
    note, contract = sheet.note, sheet.file.contract
    rows = tuple(
        (line.product, units(quantity), "")
        for line, quantity in zip(contract.lines, note.lines, strict=True)
        if quantity
    )
    number = f"{contract.number or contract.id}-{note.seq}"
    on_date = Field(_("Date"), "")
    return PrintDocument(
        title=_("Delivery note"),
        number=Field(_("No."), number),
        issued=Field(_("Filed"), _day(note.filed_at, tz)),
        fields=(
            Field(_("Contract"), contract.number or "—"),
            Field(_("Customer"), sheet.file.customer_name),
            Field(_("Delivery note"), _("No. %(seq)s of this contract") % {"seq": note.seq}),
        ),
        tables=(
            Table(
                (_("Product"), _("Quantity this note"), _("Unit")),
                rows,
                align=(Align.LEFT, Align.RIGHT, Align.LEFT),
            ),
        ),
        signatures=(
            Signature(_("Sales desk"), sheet.filed_by, Field(_("Date"), _day(note.filed_at, tz))),
            Signature(
                _("Sales manager"),
                sheet.signed_by or "",
                Field(_("Date"), _day(note.signed_at, tz)),
            ),
            Signature(_("Warehouse"), date=Field(_("Date"), _day(note.shipped_at, tz))),
            Signature(_("Customer"), date=on_date),
        ),
    )


def delivery_note_filename(sheet: NoteFile) -> str:
    contract = sheet.file.contract
    return f"{_('Delivery note')} {contract.number or contract.id}-{sheet.note.seq}"
