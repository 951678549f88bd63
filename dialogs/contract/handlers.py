from __future__ import annotations

import asyncio

from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Button, Select

from bot.core.usecases import delivery, follow_on, invoices, ledger
from bot.core.usecases.collection_report import CHART_TEMPLATE
from bot.documents.collection_chart import collection_png
from bot.documents.contract import contract_document, document_title
from bot.documents.files import pdf_file
from bot.documents.pdf import render_pdf
from bot.ui.fit import CAPTION_LIMIT
from dialogs.common import (
    ends_if_refused,
    person_of,
    policy_of,
    renderer_of,
    send_back,
    uow_of,
)
from dialogs.contract.getters import report_of, today_of
from dialogs.contract_search import refusal_of
from dialogs.starts import AtContract
from dialogs.states import ContractLedgerSG, DeliverySG, InvoiceAskSG, WorkOrderFileSG


async def on_filter(
    callback: CallbackQuery, _w: Select[str], manager: DialogManager, chosen: str
) -> None:
    manager.dialog_data.update(filter=chosen, page=0)


async def on_customer(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, text: str
) -> None:
    manager.dialog_data.update(customer=text, page=0)
    await manager.switch_to(ContractLedgerSG.ledger)


async def on_rep(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, person_id: int
) -> None:
    manager.dialog_data.update(owner=person_id, page=0)
    await manager.switch_to(ContractLedgerSG.ledger)


async def on_clear(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    for key in ("customer", "owner"):
        manager.dialog_data.pop(key, None)
    manager.dialog_data["page"] = 0


async def on_month(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data["this_month"] = button.widget_id == "thism"


async def on_chart(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    """The analysis's picture sent to the person who tapped, with a short caption (as the
    contract's PDF is); the analysis window comes back under it."""
    params = (await report_of(manager)).params()
    data = await asyncio.to_thread(collection_png, params, policy_of(manager).currency)
    caption = renderer_of(manager).render_within(
        f"notifications/{CHART_TEMPLATE}", params, CAPTION_LIMIT
    )
    picture = BufferedInputFile(data, filename=f"collections-{params['month']}.png")
    await send_back(callback, manager, picture, caption=caption, photo=True)


async def on_open(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, contract_id: int
) -> None:
    await ledger.visible_contract(uow_of(manager), person_of(manager).id, contract_id)
    manager.dialog_data["contract"] = contract_id
    await manager.switch_to(ContractLedgerSG.card)


async def on_pdf(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await send_contract_pdf(callback, manager, int(manager.dialog_data["contract"]))


async def send_contract_pdf(
    callback: CallbackQuery, manager: DialogManager, contract_id: int
) -> None:
    """The contract (or its application, before approval) sent straight back to the person who
    tapped, not through the outbox: it answers their own tap and nothing is committed with it
    (as a visit's photos are). Only a contract in the person's sight is printed."""
    file = await ledger.contract_file(
        uow_of(manager), person_of(manager).id, contract_id, today_of(manager)
    )
    document = contract_document(file, policy_of(manager))
    data = await asyncio.to_thread(render_pdf, document)
    name = f"{document_title(file)} {file.contract.number or file.contract.id}"
    await send_back(callback, manager, pdf_file(data, name))


async def on_delivery(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    """The contract's production and delivery screen, for whoever may see it there."""
    contract_id = int(manager.dialog_data["contract"])
    async with ends_if_refused(manager, callback, back_to=ContractLedgerSG.card):
        await delivery.contract_sheet(
            uow_of(manager), person_of(manager).id, contract_id, policy_of(manager)
        )
        await manager.start(DeliverySG.contract, data=AtContract(contract_id).data())


async def on_work_order(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    """A work order for this contract: refused here, with the amounts, before the first payment."""
    contract_id = int(manager.dialog_data["contract"])
    async with ends_if_refused(
        manager, callback, back_to=ContractLedgerSG.card, why=refusal_of(manager)
    ):
        await follow_on.work_order_contract(
            uow_of(manager), person_of(manager).id, contract_id, policy_of(manager)
        )
        await manager.start(WorkOrderFileSG.task, data=AtContract(contract_id).data())


async def on_invoice(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    """Ask for an invoice: refused here, in one sentence with the figures, below the threshold."""
    contract_id = int(manager.dialog_data["contract"])
    async with ends_if_refused(
        manager, callback, back_to=ContractLedgerSG.card, why=refusal_of(manager)
    ):
        await invoices.invoice_start(
            uow_of(manager), person_of(manager).id, contract_id, policy_of(manager)
        )
        await manager.start(InvoiceAskSG.amount, data=AtContract(contract_id).data())
