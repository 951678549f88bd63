"""A report as a workbook: every line of the report the reader is looking at with every
measure, then the total; the figures exactly as the window's (decimals from the same
snapshot), so the file and the screen never disagree."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from aiogram.utils.i18n import gettext as _

from bot.documents.sheets import Column, Kind, Table, Value
from bot.i18n import N_

MEASURES: tuple[tuple[str, str, Kind], ...] = (
    ("visits", N_("Visits"), Kind.int),
    ("first_visits", N_("First visits"), Kind.int),
    ("revisits", N_("Revisits"), Kind.int),
    ("intent_visits", N_("Visits with intent"), Kind.int),
    ("new_customers", N_("New customers"), Kind.int),
    ("prospects_confirmed", N_("Prospects confirmed"), Kind.int),
    ("deals_won", N_("Deals won"), Kind.int),
    ("contract_amount", N_("Contract amount"), Kind.money),
    ("contract_quantity", N_("Contract quantity"), Kind.quantity),
    ("delivered", N_("Delivered"), Kind.money),
    ("delivered_quantity", N_("Delivered quantity"), Kind.quantity),
    ("collected", N_("Collected"), Kind.money),
    ("due", N_("Due"), Kind.money),
    ("applied", N_("Collected against due"), Kind.money),
    ("rate", N_("Collection rate"), Kind.percent),
    ("overdue", N_("Overdue"), Kind.money),
    ("planned_visits", N_("Visits planned"), Kind.int),
    ("planned_done", N_("Planned visits done"), Kind.int),
    ("plan", N_("Plan completion"), Kind.percent),
    ("target_sales", N_("Sales target"), Kind.money),
    ("target", N_("Target completion"), Kind.percent),
    ("commission", N_("Commission"), Kind.money),
)


def _cell(value: str | None, kind: Kind) -> Value:
    if value is None:
        return None
    return int(value) if kind is Kind.int else Decimal(value)


def _row(name: str, figures: Mapping[str, Any]) -> list[Value]:
    return [name, *(_cell(figures.get(key), kind) for key, _label, kind in MEASURES)]


def report_table(params: Mapping[str, Any]) -> Table:
    """`params`: the localized report with all its lines (`report_params(report, shown=all)`)."""
    columns = (
        Column(params["dimension"]),
        *(Column(_(label), kind) for _key, label, kind in MEASURES),
    )
    rows = [_row(line["name"], line) for line in params["lines"]]
    rows.append(_row(_("Total"), params["total"]))
    return Table(_("Report"), columns, rows)


def report_file_name(params: Mapping[str, Any]) -> str:
    return f"report-{params['dimension_code']}-{params['first']}-{params['last']}.xlsx"
