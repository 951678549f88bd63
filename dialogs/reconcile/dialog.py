"""The month's ledger reconciliation: the ledger's totals and where each side stands; the
desk or the accountant confirms them, after typing their own figure for any line that
differs (the figures kept while the form is open)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Button, Cancel, Select, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.core.deals import InputProblem
from bot.core.reconciliation import LINES, parse_figure
from bot.core.usecases import reconciliation
from bot.labels import ledger_line_label
from bot.ui.fit import WINDOW_LIMIT
from bot.ui.inputs import input_problem_text, text_field
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only, choice_list, text_up_to
from dialogs.common import ends_if_refused, now_of, person_of, policy_of, renderer_of, uow_of
from dialogs.starts import AtMonth
from dialogs.states import ReconcileSG

MONTH, FIGURES, LINE = "month", "figures", "line"
FIGURE_MAX = 40


def _month(manager: DialogManager) -> date:
    return date.fromisoformat(manager.dialog_data[MONTH])


def _figures(manager: DialogManager) -> dict[str, Decimal]:
    return {k: Decimal(v) for k, v in manager.dialog_data.get(FIGURES, {}).items()}


async def on_start(data: Any, manager: DialogManager) -> None:
    start = AtMonth.read(data)
    manager.dialog_data[MONTH] = start.month if start else date.min.isoformat()
    manager.dialog_data[FIGURES] = {}


async def totals_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    screen = await reconciliation.reconciliation_screen(
        uow_of(dialog_manager),
        actor_id=person_of(dialog_manager).id,
        month=_month(dialog_manager),
        policy=policy_of(dialog_manager),
    )
    mine = [[line, str(v)] for line, v in _figures(dialog_manager).items()]
    params = {**reconciliation.reconciliation_params(screen), "mine": mine}
    text = renderer_of(dialog_manager).render_within("ledger_reconciliation", params, WINDOW_LIMIT)
    return {"text": text, "may_confirm": screen.may_confirm}


async def on_confirm(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    async with ends_if_refused(manager, callback):
        await reconciliation.confirm(
            uow_of(manager),
            actor_id=person_of(manager).id,
            month=_month(manager),
            figures=_figures(manager),
            policy=policy_of(manager),
            now=now_of(manager),
        )
        await callback.answer(_("Confirmed ✅"))
        manager.dialog_data[FIGURES] = {}


async def lines_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    return {"lines": [(n, ledger_line_label(line)) for n, line in enumerate(LINES)]}


async def on_line(callback: CallbackQuery, _w: Select[int], manager: DialogManager, n: int) -> None:
    manager.dialog_data[LINE] = LINES[n] if 0 <= n < len(LINES) else LINES[0]
    await manager.switch_to(ReconcileSG.figure)


async def figure_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    return {"label": ledger_line_label(dialog_manager.dialog_data[LINE])}


async def on_figure(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, text: str
) -> None:
    """Checked for its line (a count is whole, money has cents); a wrong one is explained and
    asked again."""
    line = manager.dialog_data[LINE]
    try:
        value = parse_figure(line, text)
    except InputProblem as problem:
        await message.answer(input_problem_text(problem))
        return
    manager.dialog_data[FIGURES] = {**manager.dialog_data.get(FIGURES, {}), line: str(value)}
    await manager.switch_to(ReconcileSG.totals)


def reconcile_dialog() -> Dialog:
    return Dialog(
        Window(
            Format("{text}"),
            Button(Label("✅ Confirm"), id="confirm", on_click=on_confirm, when="may_confirm"),
            SwitchTo(
                Label("✏️ A figure differs"),
                id="differs",
                state=ReconcileSG.line,
                when="may_confirm",
            ),
            Cancel(Label("Close")),
            buttons_only(),
            state=ReconcileSG.totals,
            getter=totals_getter,
        ),
        Window(
            Tr("Which line differs from your books?"),
            choice_list("lines", "ln", on_line),
            SwitchTo(Label("◀ Back to the totals"), id="back", state=ReconcileSG.totals),
            buttons_only(),
            state=ReconcileSG.line,
            getter=lines_getter,
        ),
        Window(
            Tr("<b>{label}</b>\nYour figure? (a number; money to the cent)"),
            text_field("figure", text_up_to(FIGURE_MAX), on_figure),
            SwitchTo(Label("◀ Back to the totals"), id="back", state=ReconcileSG.totals),
            state=ReconcileSG.figure,
            getter=figure_getter,
        ),
        on_start=on_start,
    )
