"""The exports as spreadsheet tables in the reader's language: headers and the domain's codes
translated, money in the policy's currency, times in the company's zone, and the file's name
(`contract-ledger-2026-11-29.xlsx`)."""

from __future__ import annotations

from datetime import date, datetime

from aiogram.utils.i18n import gettext as _

from bot.core.calendar import local
from bot.core.collection_analysis import AGEING_LIMITS
from bot.core.collections import collected_percent, days_late
from bot.core.customers import CustomerLine, Visit
from bot.core.policy import Policy
from bot.core.usecases.exports import ContractCollection, Export, ExportKind, Period
from bot.core.usecases.ledger import LedgerRow
from bot.documents.sheets import Column, Kind, Table
from bot.i18n import N_
from bot.labels import (
    contract_status_label,
    intent_label,
    kind_label,
    pick_label,
    status_label,
)

INT, MONEY, DAY, AT, PCT = Kind.int, Kind.money, Kind.date, Kind.datetime, Kind.percent

EXPORT_TITLES = {
    ExportKind.customers: N_("Target customers"),
    ExportKind.visits: N_("Visit log"),
    ExportKind.ledger: N_("Contract ledger"),
    ExportKind.collections: N_("Collections and ageing"),
}
SLUGS = {
    ExportKind.customers: "target-customers",
    ExportKind.visits: "visit-log",
    ExportKind.ledger: "contract-ledger",
    ExportKind.collections: "collections-ageing",
}


def export_title(kind: ExportKind) -> str:
    return _(EXPORT_TITLES[kind])


def file_name(slug: str, today: date, extension: str, period: Period | None = None) -> str:
    """`contract-ledger-2026-11-29.xlsx`; a period's export names its days instead."""
    days = f"{period.first}_{period.last}" if period else today.isoformat()
    return f"{slug}-{days}.{extension}"


def money_column(header: str, policy: Policy) -> Column:
    return Column(f"{header} ({policy.currency})", MONEY)


def _at(moment: datetime | None, policy: Policy) -> datetime | None:
    return local(moment, policy) if moment else None


def _name(names: dict[int, str], key: int | None) -> str:
    return "—" if key is None else names.get(key, "—")


def customer_tables(export: Export[CustomerLine], policy: Policy) -> list[Table]:
    columns = (
        Column(_("Customer")),
        Column(_("Status")),
        Column(_("Contact")),
        Column(_("Phone")),
        Column(_("Address")),
        Column(_("Region")),
        Column(_("Industry")),
        Column(_("Size")),
        Column(_("Source")),
        Column(_("Owner")),
        Column(_("Registered"), AT),
        Column(_("Confirmed"), AT),
        Column(_("Last visit"), DAY),
        Column(_("Latest intent")),
        Column(_("Next follow-up"), DAY),
        Column(_("Visits"), INT),
        Column(_("Note")),
    )
    rows = [
        (
            c.name,
            status_label(c.status),
            c.contact_name,
            c.phone,
            c.address,
            _pick(c.region),
            _pick(c.industry),
            _pick(c.size),
            _pick(c.source),
            _name(export.people, c.owner_id),
            _at(c.created_at, policy),
            _at(c.confirmed_at, policy),
            c.last_visit_on,
            intent_label(line.latest_intent) if line.latest_intent else None,
            c.next_follow_up,
            line.visits,
            c.note,
        )
        for line in export.rows
        for c in (line.customer,)
    ]
    return [Table(export_title(ExportKind.customers), columns, rows)]


def _pick(code: str | None) -> str | None:
    return pick_label(code) if code else None


def visit_tables(export: Export[Visit], policy: Policy) -> list[Table]:
    columns = (
        Column(_("Date"), DAY),
        Column(_("Rep")),
        Column(_("Customer")),
        Column(_("Kind")),
        Column(_("Purchase intent")),
        Column(_("Outcome")),
        Column(_("Next step")),
        Column(_("Next follow-up"), DAY),
        Column(_("Far from the customer")),
    )
    rows = [
        (
            v.visited_on,
            _name(export.people, v.rep_id),
            _name(export.customers, v.customer_id),
            kind_label(v.kind),
            intent_label(v.intent),
            v.outcome,
            v.next_step,
            v.next_follow_up,
            v.far,
        )
        for v in export.rows
    ]
    return [Table(export_title(ExportKind.visits), columns, rows)]


def ledger_tables(export: Export[LedgerRow], policy: Policy, today: date) -> list[Table]:
    columns = (
        Column(_("Contract")),
        Column(_("Customer")),
        Column(_("Rep")),
        Column(_("Status")),
        Column(_("Signed"), AT),
        Column(_("Co-signed"), AT),
        money_column(_("Amount"), policy),
        money_column(_("Deposit"), policy),
        money_column(_("Collected"), policy),
        Column(_("Collected %"), PCT),
        money_column(_("Outstanding"), policy),
        money_column(_("Overdue"), policy),
        Column(_("Days late"), INT),
        money_column(_("Invoiced"), policy),
        Column(_("Legal follow-up")),
    )
    rows = [
        (
            c.number,
            row.customer_name,
            row.owner_name,
            contract_status_label(c.status),
            _at(c.signed_at, policy),
            _at(c.cosigned_at, policy),
            f.amount,
            f.deposit_received,
            f.collected,
            collected_percent(f.amount, f.collected),
            f.outstanding,
            f.overdue,
            days_late(f.overdue_since, today) if f.overdue and f.overdue_since else None,
            row.invoiced,
            c.legal_flagged_at is not None,
        )
        for row in export.rows
        for c, f in ((row.contract, row.figures),)
    ]
    return [Table(export_title(ExportKind.ledger), columns, rows)]


def ageing_headers() -> list[str]:
    """ "Overdue 1–30 days" … "Overdue over 90 days", from AGEING_LIMITS."""
    headers, low = [], 1
    for limit in AGEING_LIMITS:
        if limit is None:
            headers.append(_("Overdue over %(days)s days") % {"days": low - 1})
        else:
            headers.append(_("Overdue %(low)s–%(high)s days") % {"low": low, "high": limit})
            low = limit + 1
    return headers


def collection_tables(export: Export[ContractCollection], policy: Policy) -> list[Table]:
    columns = (
        Column(_("Contract")),
        Column(_("Customer")),
        Column(_("Rep")),
        money_column(_("Due in the period"), policy),
        money_column(_("Collected against due"), policy),
        money_column(_("Received"), policy),
        Column(_("Collection rate"), PCT),
        money_column(_("Overdue"), policy),
        *(money_column(h, policy) for h in ageing_headers()),
    )
    rows = [
        (
            r.contract.number,
            _name(export.customers, r.contract.customer_id),
            _name(export.people, r.contract.owner_id),
            r.figures.due,
            r.figures.applied,
            r.figures.received,
            r.figures.rate,
            r.figures.overdue,
            *r.figures.ageing,
        )
        for r in export.rows
    ]
    return [Table(export_title(ExportKind.collections), columns, rows)]
