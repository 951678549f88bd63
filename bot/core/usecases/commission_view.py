"""A commission sheet as its screens and cards show it: the sheet with the contracts, payments
and people it names (`SheetView`), and the parameters its templates render (money as text,
so the outbox can keep it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.core.collections import CommissionSheet, SheetLine
from bot.core.commission import SheetRecord
from bot.core.models import Notification, Person
from bot.core.payments import Payment
from bot.core.ports import UnitOfWork
from bot.core.usecases.contract_search import ContractFile, contract_files


@dataclass(frozen=True, slots=True)
class SheetView:
    """A sheet (generated, or filed) with what its screen and cards show beside it."""

    rep_id: int
    month: date
    sheet: CommissionSheet
    record: SheetRecord | None
    contracts: dict[int, ContractFile]
    payments: dict[int, Payment]
    names: dict[int, str]

    def name(self, person_id: int | None) -> str:
        return "—" if person_id is None else self.names.get(person_id, "—")


def sheet_ref(sheet_id: int) -> str:
    return f"commission:{sheet_id}"


async def people_by_id(uow: UnitOfWork) -> dict[int, Person]:
    return {p.id: p for p in await uow.people.all()}


async def sheet_view(
    uow: UnitOfWork,
    rep_id: int,
    month: date,
    sheet: CommissionSheet,
    record: SheetRecord | None,
    payments: Sequence[Payment],
) -> SheetView:
    ids = {line.contract_id for line in sheet.lines} | {p.contract_id for p in payments}
    files = await contract_files(uow, await uow.contracts.by_ids(ids))
    people = await people_by_id(uow)
    return SheetView(
        rep_id,
        month,
        sheet,
        record,
        {f.contract.id: f for f in files},
        {p.id: p for p in payments},
        {i: p.full_name for i, p in people.items()},
    )


def card(
    person_id: int,
    view: SheetView,
    record: SheetRecord,
    *,
    edit: bool = False,
    final: bool = False,
) -> Notification:
    """A checker's (or the payer's) one-tap card; once acted on, the same message is edited
    and keeps only its way to the sheet (`acts` False). `final`: the last in the chain
    approves (批准, the general manager) rather than checks (审核)."""
    return Notification(
        person_id,
        "commission_card",
        {**sheet_params(view), "acts": not edit, "final": final},
        ref=sheet_ref(record.id),
        edit=edit,
        edit_only=edit,
    )


CARD_LINES = 8
LINE_PAYMENTS = 3


def sheet_params(
    view: SheetView,
    *,
    lines: int = CARD_LINES,
    page: Sequence[SheetLine] | None = None,
    payments: int = LINE_PAYMENTS,
) -> dict[str, object]:
    """What a card or the sheet's screen shows: the first `lines` lines (each with its first
    `payments` payments), then how many more; or, on the screen, one `page` of lines. Money
    as text, so the outbox can keep it."""
    record, total = view.record, view.sheet.total
    shown = view.sheet.lines[:lines] if page is None else page
    return {
        "sheet_id": record.id if record else None,
        "status": record.status.value if record else None,
        "rep": view.name(view.rep_id),
        "month": view.month.strftime("%Y-%m"),
        "lines": [_line(view, line, payments) for line in shown],
        "more": max(len(view.sheet.lines) - lines, 0) if page is None else 0,
        "commission": str(total.commission),
        "deduction": str(total.deduction) if total.deduction else None,
        "payable": str(total.payable),
        "unrecovered": str(total.unrecovered) if total.floored else None,
        "excluded": [_payment(view, i) for i in view.sheet.excluded[:CARD_LINES]],
        "excluded_more": max(len(view.sheet.excluded) - CARD_LINES, 0),
        "checks": [[c.role.value, view.name(c.by)] for c in record.checks] if record else [],
        "returned_by": view.name(record.returned_by) if record and record.returned_by else None,
        "reason": record.return_reason if record else None,
        "paid_reference": record.paid_reference if record else None,
        "page": None,  # the screen's page of lines, of `pages`
        "pages": None,
    }


def _line(view: SheetView, line: SheetLine, payments: int) -> dict[str, object]:
    file = view.contracts.get(line.contract_id)
    return {
        "number": file.contract.number if file else None,
        "customer": file.customer_name if file else "—",
        "payments": [_payment(view, i) for i in line.payment_ids[:payments]],
        "payments_more": max(len(line.payment_ids) - payments, 0),
        "collected": str(line.collected),
        "rate": str(line.rate * 100),
        "commission": str(line.commission),
        "deduction": str(line.deduction) if line.deduction else None,
    }


def _payment(view: SheetView, payment_id: int) -> dict[str, object]:
    p = view.payments.get(payment_id)
    if p is None:
        return {"id": payment_id, "paid_on": None}
    file = view.contracts.get(p.contract_id)
    return {
        "id": p.id,
        "paid_on": p.paid_on.isoformat(),
        "amount": str(p.amount),
        "reference": p.reference,
        "number": file.contract.number if file else None,
    }
