from __future__ import annotations

from datetime import date
from typing import Any

from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager

from bot.core.calendar import local
from bot.core.contracts import ContractStatus
from bot.core.invoices import may_ask
from bot.core.usecases import follow_on, invoices, ledger
from bot.core.usecases.collection_report import CollectionReport, collection_report, may_analyse
from bot.core.usecases.credit import ledger_totals, money_of
from bot.core.usecases.ledger import LedgerFilter, LedgerQuery, LedgerRow
from bot.documents.collection_chart import has_chart
from bot.i18n import N_
from bot.ui.fit import BUTTON_TEXT_MAX, WINDOW_LIMIT, clip
from dialogs.common import now_of, person_of, policy_of, renderer_of, uow_of

FILTERS = {
    LedgerFilter.open: N_("Open"),
    LedgerFilter.overdue: N_("Overdue"),
    LedgerFilter.closed: N_("Closed"),
}


def today_of(manager: DialogManager) -> date:
    return local(now_of(manager), policy_of(manager)).date()


def query_of(manager: DialogManager) -> LedgerQuery:
    data = manager.dialog_data
    owner = data.get("owner")
    return LedgerQuery(
        filter=LedgerFilter(data.get("filter", LedgerFilter.open.value)),
        customer=data.get("customer") or None,
        owner_id=int(owner) if owner else None,
        page=int(data.get("page", 0)),
    )


def _button(row: LedgerRow) -> tuple[int, str]:
    mark = "⚠️ " if row.overdue else ""
    text = f"{mark}{row.contract.number or '—'} · {row.customer_name}"
    return row.contract.id, clip(text, BUTTON_TEXT_MAX)


async def ledger_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    uow, person = uow_of(dialog_manager), person_of(dialog_manager)
    query = query_of(dialog_manager)
    today = today_of(dialog_manager)
    page = await ledger.ledger_page(uow, person.id, query, today)
    totals = await ledger_totals(uow, person.id, query, today, policy_of(dialog_manager))
    reps = await ledger.ledger_reps(uow, person.id)
    rep = next((p.full_name for p in reps if p.id == query.owner_id), None)
    text = renderer_of(dialog_manager).render_within(
        "contract_ledger",
        {
            "page": page,
            "filter_label": _(FILTERS[query.filter]),
            "customer": query.customer,
            "rep": rep,
            "show_owner": bool(reps),
            "today": today,
            "totals": totals,
        },
        WINDOW_LIMIT,
    )
    return {
        "ledger": text,
        "rows": [_button(row) for row in page.rows],
        "filters": [
            (f.value, ("• " if f is query.filter else "") + _(label))
            for f, label in FILTERS.items()
        ],
        "has_prev": page.has_prev,
        "has_next": page.has_next,
        "by_rep": bool(reps),
        "narrowed": bool(query.customer or query.owner_id),
        "analyst": may_analyse(person),
    }


async def reps_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    reps = await ledger.ledger_reps(uow_of(dialog_manager), person_of(dialog_manager).id)
    return {"people": [(p.id, clip(p.full_name, BUTTON_TEXT_MAX)) for p in reps]}


async def card_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    file_day = today_of(dialog_manager)
    file = await ledger.contract_file(
        uow_of(dialog_manager),
        person_of(dialog_manager).id,
        int(dialog_manager.dialog_data["contract"]),
        file_day,
    )
    money = await money_of(uow_of(dialog_manager), file, file_day, policy_of(dialog_manager))
    card = renderer_of(dialog_manager).render_within(
        "contract_card", {"file": file, "money": money}, WINDOW_LIMIT
    )
    in_force = file.contract.status is ContractStatus.in_force
    files = await follow_on.may_file_work_orders(
        uow_of(dialog_manager), person_of(dialog_manager).id, policy_of(dialog_manager)
    )
    asks = may_ask(person_of(dialog_manager), file.contract.owner_id)
    return {
        "card": card,
        "in_force": in_force,
        "work_order": in_force and files,
        "invoice": asks and file.contract.status in invoices.INVOICEABLE,
    }


async def report_of(manager: DialogManager) -> CollectionReport:
    """The analysis of the month the window shows, in the person's scope."""
    return await collection_report(
        uow_of(manager),
        person_of(manager).id,
        this_month=bool(manager.dialog_data.get("this_month")),
        policy=policy_of(manager),
        now=now_of(manager),
    )


async def analysis_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    this_month = bool(dialog_manager.dialog_data.get("this_month"))
    params = (await report_of(dialog_manager)).params()
    text = renderer_of(dialog_manager).render_within(
        "notifications/collection_analysis", params, WINDOW_LIMIT
    )
    return {
        "analysis": text,
        "has_chart": has_chart(params),
        "last_month": ("" if this_month else "• ") + _("Last month"),
        "this_month": ("• " if this_month else "") + _("This month"),
    }
