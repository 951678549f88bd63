"""The rep records the reservation signed with the customer: the amount (the approved terms'
net amount a tap away), the deposit the customer is to pay, and the signed page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiogram.enums import ContentType
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.input import ManagedTextInput, MessageInput
from aiogram_dialog.widgets.kbd import Button, Cancel, Row
from aiogram_dialog.widgets.text import Format

from bot.core.deals import DealTerms, InputProblem, parse_amount
from bot.core.orders import check_reservation
from bot.core.usecases import orders
from bot.i18n import N_
from bot.rendering import money
from bot.ui.inputs import input_problem_text, text_field
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only
from dialogs.common import ends_if_refused, now_of, person_of, policy_of, renderer_of, uow_of
from dialogs.discard import FormKind, cancel_button, close_if_discarded
from dialogs.starts import AtDeal
from dialogs.states import ReservationSG
from dialogs.summary_form import back_to_summary, echo, edit_button, next_or_summary

ANSWERS = ("amount", "deposit", "page")
NEXT = {"amount": ReservationSG.deposit, "deposit": ReservationSG.page}


def _cancel() -> Button:
    return cancel_button(FormKind.request, ANSWERS)


async def _advance(manager: DialogManager, field: str) -> None:
    await next_or_summary(manager, NEXT.get(field, ReservationSG.confirm), ReservationSG.confirm)


async def on_amount(
    message: Message, _w: ManagedTextInput[Decimal], manager: DialogManager, value: Decimal
) -> None:
    manager.dialog_data.update(amount=str(value), echo="amount")
    await _advance(manager, "amount")


async def on_deposit(
    message: Message, _w: ManagedTextInput[Decimal], manager: DialogManager, value: Decimal
) -> None:
    try:
        check_reservation(Decimal(manager.dialog_data["amount"]), value)
    except InputProblem as problem:
        await message.answer(input_problem_text(problem))
        return
    manager.dialog_data.update(deposit=str(value), echo="deposit")
    await _advance(manager, "deposit")


async def on_agreed(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    """The approved terms' figure, taken with one tap instead of typed again."""
    field = "amount" if button.widget_id == "agreed_amount" else "deposit"
    value = manager.dialog_data.get(f"agreed_{field}")
    if value is None:
        return
    manager.dialog_data.update({field: value, "echo": None})
    if field == "deposit" and Decimal(value) > Decimal(manager.dialog_data["amount"]):
        await callback.answer(input_problem_text(InputProblem("deposit_over_amount")), True)
        return
    await _advance(manager, field)


async def on_page(message: Message, _w: MessageInput, manager: DialogManager) -> None:
    if message.photo:
        manager.dialog_data.update(page=message.photo[-1].file_id, page_is_photo=True)
    elif message.document:
        manager.dialog_data.update(page=message.document.file_id, page_is_photo=False)
    else:
        await message.answer(_("Please send a photo of the signed page, or the file."))
        return
    manager.dialog_data["echo"] = None
    await manager.switch_to(ReservationSG.confirm)


async def on_save(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    data = manager.dialog_data
    async with ends_if_refused(manager, callback):
        await orders.record_reservation(
            uow_of(manager),
            actor_id=person_of(manager).id,
            deal_id=int(data["deal"]),
            amount=Decimal(data["amount"]),
            expected_deposit=Decimal(data["deposit"]),
            signed_page=data["page"],
            page_is_photo=bool(data["page_is_photo"]),
            now=now_of(manager),
        )
        await manager.switch_to(ReservationSG.done)


async def start_reservation(callback: CallbackQuery, manager: DialogManager, deal_id: int) -> None:
    """Opens the form from a card: a deal that no longer waits for its reservation is refused
    with its sentence, and no form opens."""
    async with ends_if_refused(manager, callback, back_to=manager.current_context().state):
        await orders.reservation_file(uow_of(manager), person_of(manager).id, deal_id)
        await manager.start(ReservationSG.amount, data=AtDeal(deal_id).data())


def _terms(terms: DealTerms | None) -> dict[str, str | None] | None:
    """The approved terms as the summary shows them: carried over, never retyped."""
    if terms is None:
        return None
    return {
        "product": terms.product,
        "quantity": str(terms.quantity),
        "amount": str(terms.amount),
        "discount": None if terms.discount is None else str(terms.discount),
        "payment_terms": terms.payment_terms,
    }


async def on_start(data: Any, manager: DialogManager) -> None:
    """Opened on a deal its caller checked (`orders.reservation_file`)."""
    start = AtDeal.read(data)
    deal_id = start.deal if start else 0
    file = await orders.reservation_file(uow_of(manager), person_of(manager).id, deal_id)
    terms = file.terms
    manager.dialog_data.update(
        deal=file.deal.id,
        customer=file.customer_name,
        agreed_amount=None if file.agreed_amount is None else str(file.agreed_amount),
        agreed_deposit=None if terms is None or terms.deposit is None else str(terms.deposit),
        request_id=file.deal.request_id,
        terms=_terms(terms),
    )


async def field_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    currency = policy_of(dialog_manager).currency
    agreed_amount, agreed_deposit = data.get("agreed_amount"), data.get("agreed_deposit")
    return {
        "echo": echo(dialog_manager),
        "customer": data.get("customer", ""),
        "agreed_amount": money(agreed_amount, currency) if agreed_amount else "",
        "agreed_deposit": money(agreed_deposit, currency) if agreed_deposit else "",
    }


async def summary_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    return {
        "summary": renderer_of(dialog_manager).render("reservation_summary", r=data),
        "deposit": money(data["deposit"], policy_of(dialog_manager).currency),
    }


def _amount_window(state: State, prompt: str, on_success: Any) -> Window:
    """An amount typed, or the approved terms' figure taken with one tap."""
    field = str(state.state).rsplit(":", 1)[-1]
    return Window(
        Format("{echo}", when="echo"),
        Tr(prompt),
        text_field(field, parse_amount, on_success),
        Button(
            Format(f"↩️ {{agreed_{field}}}"),
            id=f"agreed_{field}",
            on_click=on_agreed,
            when=f"agreed_{field}",
        ),
        back_to_summary(ReservationSG.confirm),
        _cancel(),
        state=state,
        getter=field_getter,
    )


def reservation_dialog() -> Dialog:
    return Dialog(
        _amount_window(
            ReservationSG.amount,
            N_("<b>Signed reservation · {customer}</b>\nThe amount on the signed reservation?"),
            on_amount,
        ),
        _amount_window(
            ReservationSG.deposit, N_("The deposit the customer is to pay?"), on_deposit
        ),
        Window(
            Format("{echo}", when="echo"),
            Tr("Send a photo of the signed page (or the scanned file)."),
            MessageInput(on_page, content_types=[ContentType.PHOTO, ContentType.DOCUMENT]),
            MessageInput(on_page),
            back_to_summary(ReservationSG.confirm),
            _cancel(),
            state=ReservationSG.page,
            getter=field_getter,
        ),
        Window(
            Format("{summary}"),
            Tr("\nSave it? The accountant will expect the deposit of {deposit}."),
            Button(Label("💾 Save"), id="save", on_click=on_save),
            Row(
                edit_button("✏️ Amount", "e_amount", ReservationSG.amount),
                edit_button("✏️ Deposit", "e_deposit", ReservationSG.deposit),
            ),
            edit_button("✏️ Signed page", "e_page", ReservationSG.page),
            _cancel(),
            buttons_only(),
            state=ReservationSG.confirm,
            getter=summary_getter,
        ),
        Window(
            Tr(
                "Reservation recorded. 📝 The accountant expects the deposit of {deposit}; "
                "you will be told when it is in."
            ),
            Cancel(Label("Done")),
            buttons_only(),
            state=ReservationSG.done,
            getter=summary_getter,
        ),
        on_start=on_start,
        on_process_result=close_if_discarded,
    )
