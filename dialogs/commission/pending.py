"""The commission sections of /pending: the desk's sheets to file for the month just ended,
the sheets waiting for the reader's check, the approved ones for the accountant to pay; and
the desk's way to file any rep's sheet."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.common import Whenable
from aiogram_dialog.widgets.kbd import Button, Start

from bot.core.commission import SheetRecord
from bot.core.errors import NotAllowed
from bot.core.usecases import commission, commission_chain, reconciliation
from bot.rendering import money
from bot.ui.fit import BUTTON_TEXT_MAX, clip
from bot.ui.text import Label, Tr
from bot.ui.widgets import choice_list
from dialogs.common import person_of, policy_of, uow_of
from dialogs.money_fields import today_of
from dialogs.starts import AtMonth, AtRepMonth, AtSheet
from dialogs.states import CommissionFileSG, CommissionSG, ReconcileSG


async def commission_pending(manager: DialogManager) -> dict[str, Any]:
    uow, actor, policy = uow_of(manager), person_of(manager).id, policy_of(manager)
    queue = await commission_chain.commission_queue(
        uow, actor_id=actor, policy=policy, today=today_of(manager)
    )

    def sheet(s: SheetRecord) -> tuple[int, str]:
        label = f"💼 {queue.names.get(s.rep_id, '—')} · {s.month:%Y-%m} · "
        return s.id, clip(label + money(s.total.payable, policy.currency), BUTTON_TEXT_MAX)

    try:
        files = bool(await commission.reps_to_file(uow, actor, policy))
    except NotAllowed:
        files = False
    due = await reconciliation.reconciliation_due(uow, actor, today_of(manager), policy)
    return {
        "reconcile": due is not None,
        "reconcile_month": f"{due:%Y-%m}" if due else "",
        "cm_file": [
            (r.rep_id, clip(f"💼 {r.name} · {money(r.collected, policy.currency)}", 60))
            for r in queue.to_file
        ],
        "cm_month": f"{queue.month:%Y-%m}",
        "cm_check": [sheet(s) for s in queue.to_check],
        "cm_pay": [sheet(s) for s in queue.to_pay],
        "files_commission": files,
        "commission_empty": not (queue.to_file or queue.to_check or queue.to_pay or due),
    }


async def on_rep(callback: CallbackQuery, _w: Any, manager: DialogManager, rep_id: int) -> None:
    await manager.start(CommissionFileSG.rep, data=AtRepMonth(rep_id).data())


async def on_sheet(callback: CallbackQuery, _w: Any, manager: DialogManager, sheet_id: int) -> None:
    await manager.start(CommissionSG.card, data=AtSheet(sheet_id).data())


def commission_sections() -> list[Whenable]:
    return [
        Tr("<b>Commission sheets to file for {cm_month}</b>", when="cm_file"),
        choice_list("cm_file", "cmf", on_rep),
        Tr("<b>Commission sheets to check</b>", when="cm_check"),
        choice_list("cm_check", "cmc", on_sheet),
        Tr("<b>Commission sheets to pay</b>", when="cm_pay"),
        choice_list("cm_pay", "cmp", on_sheet),
        Tr("<b>The ledger for {reconcile_month} waits for your confirmation</b>", when="reconcile"),
    ]


def commission_start() -> list[Whenable]:
    return [
        Start(
            Label("💼 Commission sheet"),
            id="cms",
            state=CommissionFileSG.rep,
            when="files_commission",
        ),
        Button(
            Label("📒 Reconcile the ledger · {reconcile_month}"),
            id="rec",
            on_click=on_reconcile,
            when="reconcile",
        ),
    ]


async def on_reconcile(callback: CallbackQuery, _b: Any, manager: DialogManager) -> None:
    due = await reconciliation.reconciliation_due(
        uow_of(manager), person_of(manager).id, today_of(manager), policy_of(manager)
    )
    if due is not None:
        await manager.start(ReconcileSG.totals, data=AtMonth(due.isoformat()).data())
