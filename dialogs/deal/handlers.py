from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Button, Select

from bot.core.deals import DealTerms, InputProblem, check_terms
from bot.core.errors import NotFound
from bot.core.usecases import approvals, customers
from bot.ui.inputs import input_problem_text
from bot.ui.widgets import widget_key
from dialogs.cc_pick.dialog import chosen_cc
from dialogs.common import now_of, person_of, policy_of, uow_of
from dialogs.starts import Resubmit
from dialogs.states import DealSG

# The required answers come first, in order; then the summary, where the optional ones
# (payment terms, deposit, note) are a tap away and Submit is already reachable.
NEXT = {
    "product": DealSG.quantity,
    "quantity": DealSG.amount,
    "amount": DealSG.discount,
    "discount": DealSG.confirm,
    "payment_terms": DealSG.confirm,
    "deposit": DealSG.confirm,
    "note": DealSG.confirm,
}
ECHOED = ("quantity", "amount", "discount", "deposit")  # typed numbers are read back as understood


async def _advance(manager: DialogManager, field: str) -> None:
    editing = manager.dialog_data.get("editing", False)
    await manager.switch_to(DealSG.confirm if editing else NEXT[field])


async def on_value(
    message: Message, widget: ManagedTextInput[Any], manager: DialogManager, value: Any
) -> None:
    field = widget_key(widget.widget.widget_id)
    amount = manager.dialog_data.get("amount")
    if field == "deposit" and amount is not None and value > Decimal(amount):
        # Said now, while the rep still has the numbers in mind; Submit checks again.
        await message.answer(input_problem_text(InputProblem("deposit_over_amount")))
        return
    manager.dialog_data[field] = str(value)
    manager.dialog_data["echo"] = field if field in ECHOED else None
    await _advance(manager, field)


async def on_skip(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    field = widget_key(button.widget_id).removeprefix("skip_")
    manager.dialog_data.update({field: None, "echo": None})
    await _advance(manager, field)


async def on_last_product(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    product = manager.dialog_data.get("last_product")
    if not product:
        return
    manager.dialog_data.update(product=product, echo=None)
    await _advance(manager, "product")


async def on_customer(callback: CallbackQuery, manager: DialogManager, customer_id: int) -> None:
    own = {c.id: c for c in await customers.my_customers(uow_of(manager), person_of(manager).id)}
    chosen = own.get(customer_id)
    if chosen is None:
        return
    manager.dialog_data.update(
        customer_id=chosen.id,
        customer_name=chosen.name,
        last_product=await approvals.last_product(
            uow_of(manager), person_of(manager).id, chosen.id
        ),
    )
    await _after_customer(manager)


async def on_new_customer(
    message: Message, _widget: ManagedTextInput[str], manager: DialogManager, name: str
) -> None:
    created = await customers.quick_add(
        uow_of(manager), owner_id=person_of(manager).id, name=name, now=now_of(manager)
    )
    manager.dialog_data.update(customer_id=created.id, customer_name=created.name)
    await _after_customer(manager)


async def _after_customer(manager: DialogManager) -> None:
    editing = manager.dialog_data.get("editing", False)
    await manager.switch_to(DealSG.confirm if editing else DealSG.product)


async def on_edit(
    callback: CallbackQuery, _widget: Select[str], manager: DialogManager, field: str
) -> None:
    targets = {
        "customer": DealSG.customer,
        "product": DealSG.product,
        "quantity": DealSG.quantity,
        "amount": DealSG.amount,
        "discount": DealSG.discount,
        "payment_terms": DealSG.payment_terms,
        "deposit": DealSG.deposit,
        "note": DealSG.note,
    }
    if field in targets:
        manager.dialog_data.update(editing=True, echo=None)
        await manager.switch_to(targets[field])


def terms_from(data: dict[str, Any]) -> DealTerms:
    def decimal(name: str) -> Decimal | None:
        value = data.get(name)
        return None if value is None else Decimal(value)

    return DealTerms(
        customer_id=int(data["customer_id"]),
        product=data["product"],
        quantity=Decimal(data["quantity"]),
        amount=Decimal(data["amount"]),
        discount=decimal("discount"),
        payment_terms=data.get("payment_terms"),
        deposit=decimal("deposit"),
        note=data.get("note"),
    )


async def on_submit(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    terms = terms_from(manager.dialog_data)
    try:
        check_terms(terms)
    except InputProblem as problem:
        await callback.answer(input_problem_text(problem), show_alert=True)
        return
    uow, actor, policy, now = (
        uow_of(manager),
        person_of(manager).id,
        policy_of(manager),
        now_of(manager),
    )
    resubmitting = manager.dialog_data.get("request_id")
    if resubmitting:
        request = await approvals.resubmit(
            uow, request_id=int(resubmitting), actor_id=actor, terms=terms, policy=policy, now=now
        )
    else:
        request = await approvals.submit(
            uow,
            requester_id=actor,
            terms=terms,
            policy=policy,
            now=now,
            cc=chosen_cc(manager),
        )
    manager.dialog_data["submitted"] = request.id
    await manager.switch_to(DealSG.done)


async def on_start(data: Any, manager: DialogManager) -> None:
    """Resubmitting a returned request starts from its last terms, at the summary."""
    if (start := Resubmit.read(data)) is None:
        return
    try:
        view = await approvals.own_request(uow_of(manager), person_of(manager).id, start.request_id)
    except NotFound:
        return  # not this person's request: a new one is filled in instead
    terms = view.request.terms
    returned = view.returned_step()
    manager.dialog_data.update(
        request_id=view.request.id,
        returned_by=view.names.get(returned.decided_by or 0, "—") if returned else None,
        return_reason=returned.comment if returned else None,
        customer_id=terms.customer_id,
        customer_name=view.customer_name,
        product=terms.product,
        quantity=str(terms.quantity),
        amount=str(terms.amount),
        discount=None if terms.discount is None else str(terms.discount),
        payment_terms=terms.payment_terms,
        deposit=None if terms.deposit is None else str(terms.deposit),
        note=terms.note,
        editing=True,
    )
    await manager.switch_to(DealSG.confirm)
