"""The contract summary (合同) as a printable document, in the reader's language: its number
and date, the parties, the lines with their total, the payment schedule and the signatures of
the sales head and of finance."""

from __future__ import annotations

from datetime import date, datetime

from aiogram.utils.i18n import gettext as _

from bot.core.calendar import local
from bot.core.contracts import ContractStatus
from bot.core.policy import Policy
from bot.core.usecases.ledger import ContractFile
from bot.documents.layout import Align, Field, PrintDocument, Signature, Table
from bot.labels import contract_status_label, schedule_mark_label
from bot.rendering import money, percent, units

R = Align.RIGHT


# Before approval the paper is the application (合同申报单, rule 2), signed by the sales manager
# (审签) and approved by the general manager (签批); from approval on it is the contract.
APPLICATION = frozenset(
    {
        ContractStatus.applied,
        ContractStatus.returned,
        ContractStatus.refused,
        ContractStatus.withdrawn,
    }
)


def document_title(file: ContractFile) -> str:
    return _("Contract application") if file.contract.status in APPLICATION else _("Contract")


def contract_document(file: ContractFile, policy: Policy) -> PrintDocument:
    contract = file.contract

    def when(moment: datetime | None) -> str:
        return _iso(local(moment, policy).date()) if moment else ""

    if contract.status in APPLICATION:
        signatures = (
            Signature(_("Sales manager (审签)"), "", Field(_("Date"), "")),
            Signature(_("General manager (签批)"), "", Field(_("Date"), "")),
        )
    else:
        signatures = (
            Signature(
                _("Sales head"),
                file.name(contract.signed_by),
                Field(_("Date"), when(contract.signed_at)),
            ),
            Signature(
                _("Finance"),
                file.name(contract.cosigned_by),
                Field(_("Date"), when(contract.cosigned_at)),
            ),
        )
    return PrintDocument(
        title=document_title(file),
        number=Field(_("No."), contract.number or "—"),
        issued=Field(_("Date"), when(contract.cosigned_at or contract.signed_at)),
        fields=(
            Field(_("Customer"), file.customer_name),
            Field(_("Sales rep"), file.name(contract.owner_id)),
            Field(_("Status"), contract_status_label(contract.status.value)),
            Field(_("Delivery date"), _iso(contract.delivery_date)),
        ),
        tables=(_lines(file, policy.currency), _schedule(file, policy.currency)),
        signatures=signatures,
    )


def _iso(day: date) -> str:
    return day.isoformat()


def _lines(file: ContractFile, currency: str) -> Table:
    lines = file.contract.lines
    return Table(
        headers=(
            _("No."),
            _("Product"),
            _("Quantity"),
            _("Unit price"),
            _("Discount"),
            _("Amount"),
            _("Delivered"),
        ),
        rows=tuple(
            (
                str(n),
                line.product,
                units(line.quantity),
                money(line.unit_price, currency),
                percent(line.discount) if line.discount else "—",
                money(line.amount, currency),
                units(delivered),
            )
            for n, (line, delivered) in enumerate(
                zip(lines, file.figures.delivered, strict=True), 1
            )
        ),
        totals=("", _("Total"), "", "", "", money(file.figures.amount, currency), ""),
        align=(R, Align.LEFT, R, R, R, R, R),
        title=_("Lines"),
    )


def _schedule(file: ContractFile, currency: str) -> Table:
    figures = file.figures
    return Table(
        headers=(_("Payment"), _("Due"), _("Amount"), _("Paid"), _("Status")),
        rows=tuple(
            (
                _("Deposit") if state.due is None else _("Instalment %(num)s") % {"num": n},
                _iso(state.due) if state.due else "—",
                money(state.amount, currency),
                money(state.covered, currency),
                schedule_mark_label(state.mark.value),
            )
            for n, state in enumerate(file.schedule)
        ),
        totals=(
            _("Total"),
            "",
            money(figures.amount, currency),
            money(figures.collected, currency),
            "",
        ),
        align=(Align.LEFT, Align.LEFT, R, R, Align.LEFT),
        title=_("Payment schedule"),
    )
