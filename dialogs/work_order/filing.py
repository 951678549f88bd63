"""The sales desk (or the rep, where reps file) files a work order for follow-on service: the
contract found by number or customer, refused at once while its first payment has not
arrived; then the task; the sales manager gets it to sign."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Button, Cancel

from bot.core.usecases import follow_on
from bot.core.usecases.contract_search import ContractFile
from bot.core.work_orders import TASK_MAX
from bot.ui.inputs import text_field
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only, text_up_to
from dialogs.common import ends_if_refused, now_of, person_of, policy_of, uow_of
from dialogs.contract_search import contract_finder, refusal_of
from dialogs.discard import FormKind, cancel_button, close_if_discarded
from dialogs.starts import AtContract
from dialogs.states import WorkOrderFileSG
from dialogs.summary_form import back_to_summary, edit_button

TASK = "task"


def _cancel() -> Button:
    return cancel_button(FormKind.request, (TASK,))


async def _search(manager: DialogManager, text: str) -> list[ContractFile]:
    return await follow_on.serviceable_contracts(
        uow_of(manager), person_of(manager).id, text, policy_of(manager)
    )


async def on_contract(callback: CallbackQuery, manager: DialogManager, contract_id: int) -> None:
    async with ends_if_refused(
        manager, callback, back_to=WorkOrderFileSG.contract, why=refusal_of(manager)
    ):
        file = await follow_on.work_order_contract(
            uow_of(manager), person_of(manager).id, contract_id, policy_of(manager)
        )
        manager.dialog_data.update(
            contract=file.contract.id, number=file.contract.number, customer=file.customer_name
        )
        await manager.switch_to(WorkOrderFileSG.task)


async def on_start(data: Any, manager: DialogManager) -> None:
    """Opened on one contract (from its card in /contract, checked there): straight to the task."""
    at = AtContract.read(data)
    if at is None:
        return
    file = await follow_on.work_order_contract(
        uow_of(manager), person_of(manager).id, at.contract, policy_of(manager)
    )
    manager.dialog_data.update(
        contract=file.contract.id, number=file.contract.number, customer=file.customer_name
    )


async def on_task(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, value: str
) -> None:
    manager.dialog_data[TASK] = value
    await manager.switch_to(WorkOrderFileSG.confirm)


async def on_save(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    data = manager.dialog_data
    async with ends_if_refused(manager, callback, why=refusal_of(manager)):
        await follow_on.file_work_order(
            uow_of(manager),
            actor_id=person_of(manager).id,
            contract_id=int(data["contract"]),
            task=data[TASK],
            policy=policy_of(manager),
            now=now_of(manager),
        )
        await manager.switch_to(WorkOrderFileSG.done)


async def getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    return {
        "number": data.get("number") or "",
        "customer": data.get("customer", ""),
        TASK: data.get(TASK, ""),
    }


def work_order_filing_dialog() -> Dialog:
    return Dialog(
        contract_finder(
            WorkOrderFileSG.contract,
            prompt=Tr(
                "<b>🛠 File a work order</b>\nType the contract number or the customer's name."
            ),
            search=_search,
            on_picked=on_contract,
        ),
        Window(
            Tr(
                "<b>Work order · {number} · {customer}</b>\n"
                "The task for customer service? (up to 500 characters)"
            ),
            text_field(TASK, text_up_to(TASK_MAX), on_task),
            back_to_summary(WorkOrderFileSG.confirm),
            _cancel(),
            state=WorkOrderFileSG.task,
            getter=getter,
        ),
        Window(
            Tr("<b>Work order · {number} · {customer}</b>\nTask: {task}"),
            Tr("\nFile it? The sales manager will be asked to sign it."),
            Button(Label("💾 File"), id="save", on_click=on_save),
            edit_button("✏️ Task", "e_task", WorkOrderFileSG.task),
            _cancel(),
            buttons_only(),
            state=WorkOrderFileSG.confirm,
            getter=getter,
        ),
        Window(
            Tr("Work order filed. 🛠 The sales manager has it to sign."),
            Cancel(Label("Done")),
            buttons_only(),
            state=WorkOrderFileSG.done,
        ),
        on_start=on_start,
        on_process_result=close_if_discarded,
    )
