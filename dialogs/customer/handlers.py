from __future__ import annotations

import asyncio
from contextlib import AbstractAsyncContextManager
from typing import Any

from aiogram import Bot
from aiogram.types import CallbackQuery, InputMediaPhoto, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Data, DialogManager, ShowMode, StartMode
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Button, Select

from bot.core.customers import CustomerStatus
from bot.core.errors import NotFound
from bot.core.usecases import contract_application, customer_register, customers, orders
from bot.documents.files import pdf_file
from bot.documents.pdf import render_pdf
from bot.documents.reception import reception_document, reception_filename
from dialogs.application.dialog import start_application
from dialogs.common import chat_of, ends_if_refused, now_of, person_of, policy_of, uow_of
from dialogs.customer.getters import HANDED
from dialogs.reservation.dialog import start_reservation
from dialogs.starts import AtCustomer, EditCustomer, SearchCustomers
from dialogs.states import CustomerSG, RegisterSG, VisitSG


def _customer(manager: DialogManager) -> int:
    return int(manager.dialog_data["customer"])


def _card_action(
    manager: DialogManager, event: Message | CallbackQuery
) -> AbstractAsyncContextManager[None]:
    """An action on the card that someone else's change made impossible (the prospect confirmed
    or rejected meanwhile, the status changed) ends on the card, which shows the customer as
    they are now."""
    return ends_if_refused(manager, event, back_to=CustomerSG.card)


async def on_search(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, query: str
) -> None:
    if manager.current_context().state == CustomerSG.menu:
        manager.dialog_data.pop("list", None)  # from the menu: every customer one may read
    manager.dialog_data.update(query=query, typed=False)
    await manager.switch_to(CustomerSG.results)


async def on_all(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    for key in ("query", "list"):
        manager.dialog_data.pop(key, None)
    await manager.switch_to(CustomerSG.results)


async def on_handed(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    manager.dialog_data.pop("query", None)
    manager.dialog_data["list"] = HANDED
    await manager.switch_to(CustomerSG.results)


async def on_open(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, customer_id: int
) -> None:
    await customer_register.readable_customer(uow_of(manager), person_of(manager).id, customer_id)
    # Back from the card returns to the list it was opened from (the register or the queue).
    manager.dialog_data.update(customer=customer_id, back_to=manager.current_context().state.state)
    await manager.switch_to(CustomerSG.card)


async def on_back_from_card(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    start = AtCustomer.read(manager.start_data)
    if start is not None and start.back_to_caller and "back_to" not in manager.dialog_data:
        await manager.done()
        return
    lists = {CustomerSG.results.state: CustomerSG.results, CustomerSG.queue.state: CustomerSG.queue}
    await manager.switch_to(lists.get(manager.dialog_data.get("back_to", ""), CustomerSG.menu))


async def on_register(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await manager.start(RegisterSG.name)


async def on_registered(start_data: Data, result: Any, manager: DialogManager) -> None:
    if isinstance(result, dict) and (result.get("customer_id") or result.get("open")):
        manager.dialog_data["customer"] = int(result.get("customer_id") or result["open"])
        await manager.switch_to(CustomerSG.card)


async def on_visit(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await manager.start(
        VisitSG.kind, data=AtCustomer(_customer(manager)).data(), mode=StartMode.NORMAL
    )


async def on_edit(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await manager.start(RegisterSG.confirm, data=EditCustomer(_customer(manager)).data())


async def on_reservation(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    deals = await orders.reservable(uow_of(manager), person_of(manager).id, _customer(manager))
    if deals:
        await start_reservation(callback, manager, deals[-1].id)


async def on_application(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    deal_id = await contract_application.fileable_on_customer(
        uow_of(manager), person_of(manager).id, _customer(manager), policy_of(manager)
    )
    if deal_id is not None:
        await start_application(callback, manager, deal_id)


async def on_lost(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, reason: str
) -> None:
    deals = await orders.losable(uow_of(manager), person_of(manager).id, _customer(manager))
    async with _card_action(manager, message):
        if not deals:
            raise NotFound(what="deal")
        await orders.mark_lost(
            uow_of(manager),
            actor_id=person_of(manager).id,
            deal_id=deals[-1].id,
            reason=reason,
            now=now_of(manager),
        )
        await message.answer(_("Recorded: the deal is lost. The reason is kept with it."))
        await manager.switch_to(CustomerSG.card)


async def on_won(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    async with _card_action(manager, callback):
        await customer_register.mark_won(
            uow_of(manager),
            actor_id=person_of(manager).id,
            customer_id=_customer(manager),
            now=now_of(manager),
        )
        await callback.answer(_("Marked as won."))
        await manager.switch_to(CustomerSG.card)


async def on_photos(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, visit_id: int
) -> None:
    """Sent straight back to the person who tapped, not through the outbox: it answers their
    own tap, nothing is committed with it, and a failure is seen at once by the one person who
    can tap again; the outbox carries notifications that must outlive a crash."""
    photos = await customers.visit_photos(uow_of(manager), person_of(manager).id, visit_id)
    bot: Bot = manager.middleware_data["bot"]
    chat_id = chat_of(callback)
    if len(photos) == 1:
        await bot.send_photo(chat_id, photos[0])
    elif photos:
        await bot.send_media_group(chat_id, [InputMediaPhoto(media=p) for p in photos[:10]])
    manager.show_mode = ShowMode.SEND  # the card comes back under the photos


async def on_confirm(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    async with _card_action(manager, callback):
        await customer_register.confirm(
            uow_of(manager),
            actor_id=person_of(manager).id,
            customer_id=_customer(manager),
            now=now_of(manager),
        )
        await callback.answer(_("Confirmed."))


async def on_reject_kind(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data["reject"] = button.widget_id
    await manager.switch_to(CustomerSG.reject_comment)


async def on_reject_comment(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, comment: str
) -> None:
    async with _card_action(manager, message):
        await customer_register.reject(
            uow_of(manager),
            actor_id=person_of(manager).id,
            customer_id=_customer(manager),
            reason=manager.dialog_data.get("reject", "invalid"),
            comment=comment,
            now=now_of(manager),
        )
        await manager.switch_to(CustomerSG.card)


async def on_status(
    callback: CallbackQuery, _w: Select[str], manager: DialogManager, status: str
) -> None:
    async with _card_action(manager, callback):
        await customer_register.change_status(
            uow_of(manager),
            actor_id=person_of(manager).id,
            customer_id=_customer(manager),
            status=CustomerStatus(status),
            now=now_of(manager),
        )
        await manager.switch_to(CustomerSG.card)


async def on_reassign(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, owner_id: int
) -> None:
    async with _card_action(manager, callback):
        await customer_register.reassign(
            uow_of(manager),
            actor_id=person_of(manager).id,
            customer_id=_customer(manager),
            owner_id=owner_id,
            now=now_of(manager),
        )
        await manager.switch_to(CustomerSG.card)


async def on_hand_over(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, person_id: int
) -> None:
    async with _card_action(manager, callback):
        await customer_register.hand_over(
            uow_of(manager),
            actor_id=person_of(manager).id,
            customer_id=_customer(manager),
            recipient_id=person_id,
            now=now_of(manager),
        )
        await callback.answer(_("Handed over."))
        await manager.switch_to(CustomerSG.card)


async def on_start(data: Any, manager: DialogManager) -> None:
    if (search := SearchCustomers.read(data)) is not None:
        manager.dialog_data.update(query=search.query, typed=True)
        await manager.switch_to(CustomerSG.results)
        return
    if (start := AtCustomer.read(data)) is not None:
        customer = await customer_register.readable_customer(
            uow_of(manager), person_of(manager).id, start.customer
        )
        manager.dialog_data["customer"] = customer.id


async def on_reception(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    """The reception record (接待记录) as a PDF in the reader's language, sent below; the card
    comes back under it."""
    async with _card_action(manager, callback):
        record = await customers.reception_record(
            uow_of(manager), person_of(manager).id, _customer(manager)
        )
        policy = policy_of(manager)
        document = reception_document(record, policy.tz, now_of(manager))
        data = await asyncio.to_thread(render_pdf, document)
        bot: Bot = manager.middleware_data["bot"]
        await bot.send_document(callback.from_user.id, pdf_file(data, reception_filename(record)))
        await callback.answer()
        manager.show_mode = ShowMode.SEND
