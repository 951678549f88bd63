from __future__ import annotations

from datetime import date

from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Button, Select

from bot.core.calendar import local
from bot.core.plans import PlanStatus
from bot.core.usecases import customer_register, plans, worklog
from bot.ui.widgets import widget_key
from dialogs.common import now_of, person_of, policy_of, uow_of
from dialogs.states import PlanSG


def _plan(manager: DialogManager) -> int:
    return int(manager.dialog_data["plan"])


CHANGES = {"add": PlanSG.customer, "remove": PlanSG.remove, "goals": PlanSG.goals}


async def on_change(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    """A change to a submitted or approved plan reopens it: asked first, then done."""
    change = widget_key(button.widget_id)
    manager.dialog_data["change"] = change
    plan = await plans.my_plan(
        uow_of(manager),
        actor_id=person_of(manager).id,
        policy=policy_of(manager),
        now=now_of(manager),
    )
    if plan.status in (PlanStatus.submitted, PlanStatus.approved):
        await manager.switch_to(PlanSG.reopen)
    else:
        await manager.switch_to(CHANGES[change])


async def on_reopen(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await manager.switch_to(CHANGES.get(manager.dialog_data.get("change", ""), PlanSG.overview))


async def on_customer(callback: CallbackQuery, manager: DialogManager, customer_id: int) -> None:
    customer = await customer_register.visible_customer(
        uow_of(manager), person_of(manager).id, customer_id
    )
    manager.dialog_data.update(customer=customer.id, customer_name=customer.name)
    await manager.switch_to(PlanSG.day)


async def on_day(
    callback: CallbackQuery, _w: Select[str], manager: DialogManager, day: str
) -> None:
    manager.dialog_data["day"] = day
    await manager.switch_to(PlanSG.purpose)


async def on_purpose(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, purpose: str
) -> None:
    data = manager.dialog_data
    await plans.add_item(
        uow_of(manager),
        actor_id=person_of(manager).id,
        plan_id=_plan(manager),
        customer_id=int(data["customer"]),
        day=date.fromisoformat(data["day"]),
        purpose=purpose,
    )
    data.pop("query", None)
    await manager.switch_to(PlanSG.overview)


async def on_remove(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, item_id: int
) -> None:
    await plans.remove_item(
        uow_of(manager), actor_id=person_of(manager).id, plan_id=_plan(manager), item_id=item_id
    )
    await manager.switch_to(PlanSG.overview)


async def on_goals(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, goals: str
) -> None:
    await plans.set_goals(
        uow_of(manager), actor_id=person_of(manager).id, plan_id=_plan(manager), goals=goals
    )
    await manager.switch_to(PlanSG.overview)


async def on_submit(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await plans.submit(
        uow_of(manager),
        actor_id=person_of(manager).id,
        plan_id=_plan(manager),
        policy=policy_of(manager),
        now=now_of(manager),
    )
    await callback.answer(_("Submitted. Your manager has it."))


async def on_log_note(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, note: str
) -> None:
    today = local(now_of(manager), policy_of(manager)).date()
    await worklog.set_note(
        uow_of(manager), actor_id=person_of(manager).id, day=today, note=note, now=now_of(manager)
    )
