from __future__ import annotations

from typing import Any

from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.input import ManagedTextInput, MessageInput
from aiogram_dialog.widgets.kbd import Button, Select

from bot.core.customer_rules import check_coordinates
from bot.core.customers import Customer, CustomerDraft
from bot.core.deals import InputProblem
from bot.core.usecases import customer_register, pool
from bot.labels import OTHER
from bot.ui.inputs import input_problem_text
from bot.ui.widgets import widget_key
from dialogs.common import now_of, person_of, policy_of, uow_of
from dialogs.discard import EDITING
from dialogs.register.getters import duplicates
from dialogs.starts import EditCustomer
from dialogs.states import RegisterSG

# Only the name and the phone are asked in a row; every other field is one tap away on the
# summary, where Save is reachable at once, and returns there.
NEXT: dict[str, State] = dict.fromkeys(
    ("contact", "address", "industry", "size", "region", "source", "shop", "note"),
    RegisterSG.confirm,
)
OTHER_STATE = {"industry": RegisterSG.industry_other, "region": RegisterSG.region_other}


async def _advance(manager: DialogManager, field: str) -> None:
    await manager.switch_to(NEXT[field])


def _field(widget_id: str) -> str:
    return widget_id.removesuffix("_other").removeprefix("skip_")


async def on_text(
    message: Message, widget: ManagedTextInput[Any], manager: DialogManager, value: Any
) -> None:
    field = _field(widget_key(widget.widget.widget_id))
    manager.dialog_data[field] = value
    await _advance(manager, field)


async def on_skip(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    field = _field(widget_key(button.widget_id))
    if field == "phone":
        manager.dialog_data.update(phone=None, phone_asked=True)
        await check_duplicates(manager)
        return
    manager.dialog_data[field] = None
    await _advance(manager, field)


async def on_pick(
    callback: CallbackQuery, widget: Select[str], manager: DialogManager, code: str
) -> None:
    field = widget_key(widget.widget_id)
    if code == OTHER:
        await manager.switch_to(OTHER_STATE.get(field, NEXT[field]))
        return
    manager.dialog_data[field] = code
    await _advance(manager, field)


async def on_name(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, name: str
) -> None:
    manager.dialog_data["name"] = name
    if manager.dialog_data.get("phone_asked"):
        await check_duplicates(manager)  # renamed from the summary: checked again, then back
        return
    await manager.switch_to(RegisterSG.phone)


async def on_phone(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, phone: str
) -> None:
    manager.dialog_data.update(phone=phone, phone_asked=True)
    await check_duplicates(manager)


async def check_duplicates(manager: DialogManager) -> None:
    ignored = set(manager.dialog_data.get("distinct_from", []))
    fresh = [h for h in await duplicates(manager) if h.customer.id not in ignored]
    await manager.switch_to(RegisterSG.duplicates if fresh else RegisterSG.confirm)


async def on_distinct(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    data = manager.dialog_data
    hits = await duplicates(manager)
    data["distinct_from"] = sorted({*data.get("distinct_from", []), *(h.customer.id for h in hits)})
    await manager.switch_to(RegisterSG.confirm)


async def on_open_existing(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, customer_id: int
) -> None:
    await customer_register.visible_customer(uow_of(manager), person_of(manager).id, customer_id)
    await manager.done({"open": customer_id})


async def on_claim_pooled(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, customer_id: int
) -> None:
    """The company is in the customer pool: the rep claims it instead of registering it again."""
    await pool.claim(
        uow_of(manager),
        actor_id=person_of(manager).id,
        customer_id=customer_id,
        policy=policy_of(manager),
        now=now_of(manager),
    )
    await manager.done({"open": customer_id})


async def on_location(message: Message, _w: MessageInput, manager: DialogManager) -> None:
    if message.location is None:
        return
    try:
        check_coordinates(message.location.latitude, message.location.longitude)
    except InputProblem as problem:
        await message.answer(input_problem_text(problem))
        return
    manager.dialog_data.update(
        latitude=message.location.latitude,
        longitude=message.location.longitude,
        address=manager.dialog_data.get("address") or "📍",
    )
    await _advance(manager, "address")


async def on_edit(
    callback: CallbackQuery, _w: Select[str], manager: DialogManager, field: str
) -> None:
    states = {
        "name": RegisterSG.name,
        "phone": RegisterSG.phone,
        "contact": RegisterSG.contact,
        "address": RegisterSG.address,
        "industry": RegisterSG.industry,
        "size": RegisterSG.size,
        "region": RegisterSG.region,
        "source": RegisterSG.source,
        "shop": RegisterSG.shop,
        "note": RegisterSG.note,
    }
    if field in states:
        await manager.switch_to(states[field])


def _draft(data: dict[str, Any]) -> CustomerDraft:
    address = data.get("address")
    return CustomerDraft(
        name=data["name"],
        phone=data.get("phone"),
        contact_name=data.get("contact"),
        address=None if address == "📍" else address,
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        industry=data.get("industry"),
        size=data.get("size"),
        region=data.get("region"),
        source=data.get("source"),
        shop_url=data.get("shop"),
        note=data.get("note"),
    )


def _answers(customer: Customer) -> dict[str, Any]:
    """A saved customer as the form's answers (`_draft` read backwards)."""
    located = customer.latitude is not None
    return {
        "name": customer.name,
        "phone": customer.phone,
        "contact": customer.contact_name,
        "address": customer.address or ("📍" if located else None),
        "latitude": customer.latitude,
        "longitude": customer.longitude,
        "industry": customer.industry,
        "size": customer.size,
        "region": customer.region,
        "source": customer.source,
        "shop": customer.shop_url,
        "note": customer.note,
    }


async def on_save(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    data = manager.dialog_data
    distinct_from = tuple(data.get("distinct_from", []))
    uow, actor_id, now = uow_of(manager), person_of(manager).id, now_of(manager)
    if data.get(EDITING):
        customer = await customer_register.edit(
            uow,
            actor_id=actor_id,
            customer_id=int(data[EDITING]),
            draft=_draft(data),
            distinct_from=distinct_from,
            now=now,
        )
        await callback.answer(_("Saved."))
        await manager.done({"customer_id": customer.id})
        return
    customer = await customer_register.register(
        uow, actor_id=actor_id, draft=_draft(data), distinct_from=distinct_from, now=now
    )
    await manager.done({"customer_id": customer.id, "registered": True})


async def on_start(data: Any, manager: DialogManager) -> None:
    if (editing := EditCustomer.read(data)) is not None:
        customer = await customer_register.editable_customer(
            uow_of(manager), person_of(manager).id, editing.edit
        )
        manager.dialog_data.update(_answers(customer), phone_asked=True)
        manager.dialog_data[EDITING] = customer.id
        return
    if isinstance(data, dict) and data.get("name"):
        manager.dialog_data["name"] = data["name"]
