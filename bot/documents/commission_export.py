"""A commission sheet (业务提成) as a workbook: its totals, a line per contract, and every
payment the lines count (and those not counted, marked so)."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.core.policy import Policy
from bot.core.usecases.commission_view import SheetView
from bot.documents.exports import money_column
from bot.documents.sheets import Column, Kind, Table, Value
from bot.labels import payment_method_label


def commission_tables(view: SheetView, policy: Policy) -> list[Table]:
    """Three worksheets: the totals, a line per contract, and every payment the lines count."""
    total = view.sheet.total
    summary = Table(
        _("Commission sheet"),
        (
            Column(_("Rep")),
            Column(_("Month")),
            money_column(_("Commission"), policy),
            money_column(_("Overdue deductions"), policy),
            money_column(_("Payable"), policy),
        ),
        [
            (
                view.name(view.rep_id),
                view.month.strftime("%Y-%m"),
                total.commission,
                total.deduction,
                total.payable,
            )
        ],
    )
    lines = Table(
        _("Contracts"),
        (
            Column(_("Contract")),
            Column(_("Customer")),
            Column(_("Payments"), Kind.int),
            money_column(_("Collected"), policy),
            Column(_("Rate"), Kind.percent),
            money_column(_("Commission"), policy),
            money_column(_("Overdue deductions"), policy),
        ),
        [
            (
                file.contract.number if file else None,
                file.customer_name if file else "—",
                len(line.payment_ids),
                line.collected,
                line.rate * 100,
                line.commission,
                line.deduction,
            )
            for line in view.sheet.lines
            for file in (view.contracts.get(line.contract_id),)
        ],
    )
    return [summary, lines, _payments(view, policy)]


def _payments(view: SheetView, policy: Policy) -> Table:
    counted = [(i, True) for line in view.sheet.lines for i in line.payment_ids]
    listed = [*counted, *((i, False) for i in view.sheet.excluded)]
    rows: list[tuple[Value, ...]] = []
    for payment_id, counts in listed:
        p = view.payments.get(payment_id)
        if p is None:
            continue
        file = view.contracts.get(p.contract_id)
        rows.append(
            (
                p.paid_on,
                file.contract.number if file else None,
                file.customer_name if file else "—",
                p.amount,
                payment_method_label(p.method),
                p.reference,
                counts,
            )
        )
    return Table(
        _("Payments"),
        (
            Column(_("Paid on"), Kind.date),
            Column(_("Contract")),
            Column(_("Customer")),
            money_column(_("Amount"), policy),
            Column(_("Method")),
            Column(_("Reference")),
            Column(_("Counted")),
        ),
        rows,
    )
