"""The contract application: the lines (the approved terms already one line), the payment
schedule (the deposit received, then instalments until nothing remains), the delivery date;
then the summary and Submit, into the same approval engine as special terms."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Button, Cancel, Row, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.core.calendar import local
from bot.core.contract_terms import (
    INSTALMENTS_MAX,
    LINES_MAX,
    ContractLine,
    Instalment,
    PaymentSchedule,
    contract_amount,
)
from bot.core.deals import PRODUCT_MAX, InputProblem, parse_amount, parse_discount, parse_quantity
from bot.core.usecases import contract_application
from bot.core.usecases.approval_views import view_for
from bot.i18n import N_
from bot.rendering import money
from bot.ui.calendar import day_calendar
from bot.ui.fit import WINDOW_LIMIT
from bot.ui.inputs import input_problem_text, text_field
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only, text_up_to
from dialogs.cc_pick.dialog import cc_names, chosen_cc, open_cc_pick, with_cc_result
from dialogs.common import ends_if_refused, now_of, person_of, policy_of, renderer_of, uow_of
from dialogs.discard import FormKind, cancel_button
from dialogs.starts import AtDeal
from dialogs.states import ApplicationSG
from dialogs.summary_form import echo

ANSWERS = ("lines",)


def _cancel() -> Button:
    return cancel_button(FormKind.request, ANSWERS)


def _today(manager: DialogManager) -> date:
    return local(now_of(manager), policy_of(manager)).date()


def lines_of(data: dict[str, Any]) -> tuple[ContractLine, ...]:
    return tuple(
        ContractLine(
            line["product"],
            Decimal(line["quantity"]),
            Decimal(line["price"]),
            None if line.get("discount") is None else Decimal(line["discount"]),
        )
        for line in data.get("lines", [])
    )


def schedule_of(data: dict[str, Any]) -> PaymentSchedule:
    instalments = tuple(
        Instalment(date.fromisoformat(i["due"]), Decimal(i["amount"]))
        for i in data.get("instalments", [])
    )
    return PaymentSchedule(Decimal(data.get("deposit", "0")), instalments)


def remainder(data: dict[str, Any]) -> Decimal:
    """What the schedule has still to place: the contract amount less deposit and instalments."""
    return contract_amount(lines_of(data)) - schedule_of(data).total


def _line_data(line: ContractLine) -> dict[str, str | None]:
    return {
        "product": line.product,
        "quantity": str(line.quantity),
        "price": str(line.unit_price),
        "discount": None if line.discount is None else str(line.discount),
    }


async def start_application(callback: CallbackQuery, manager: DialogManager, deal_id: int) -> None:
    """Opens the form from a queue or a card; a deal that cannot take an application now is
    refused with its sentence and no form opens."""
    async with ends_if_refused(manager, callback, back_to=manager.current_context().state):
        await contract_application.application_start(
            uow_of(manager), person_of(manager).id, deal_id, policy_of(manager)
        )
        await manager.start(ApplicationSG.lines, data=AtDeal(deal_id).data())


async def on_start(data: Any, manager: DialogManager) -> None:
    start = AtDeal.read(data)
    opened = await contract_application.application_start(
        uow_of(manager), person_of(manager).id, start.deal if start else 0, policy_of(manager)
    )
    manager.dialog_data.update(
        deal=opened.file.deal.id,
        customer=opened.file.customer_name,
        lines=[_line_data(line) for line in opened.lines],
        deposit=str(opened.deposit),
        instalments=[],
    )


# --- lines ------------------------------------------------------------------------------------


async def on_add_line(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    if len(manager.dialog_data.get("lines", [])) >= LINES_MAX:
        await callback.answer(input_problem_text(InputProblem("too_many_lines")), show_alert=True)
        return
    manager.dialog_data.update(line={}, echo=None)
    await manager.switch_to(ApplicationSG.product)


async def on_drop_line(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    lines = manager.dialog_data.get("lines", [])
    if lines:
        lines.pop()
    manager.dialog_data["instalments"] = []  # the amount changed: the schedule is laid again


def _line_step(field: str, after: Any) -> Any:
    async def typed(
        message: Message, _w: ManagedTextInput[Any], manager: DialogManager, value: Any
    ) -> None:
        manager.dialog_data.setdefault("line", {})[field] = str(value)
        manager.dialog_data["echo"] = field if field in ("quantity", "discount") else None
        if after is None:
            await _line_done(manager)
        else:
            await manager.switch_to(after)

    return typed


async def _line_done(manager: DialogManager) -> None:
    line = manager.dialog_data.pop("line", {})
    manager.dialog_data.setdefault("lines", []).append({**line, "discount": line.get("discount")})
    manager.dialog_data.update(instalments=[], echo=None)
    await manager.switch_to(ApplicationSG.lines)


async def on_no_discount(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    manager.dialog_data.setdefault("line", {})["discount"] = None
    await _line_done(manager)


# --- schedule ---------------------------------------------------------------------------------


async def on_add_instalment(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    if len(manager.dialog_data.get("instalments", [])) >= INSTALMENTS_MAX:
        problem = InputProblem("too_many_instalments")
        await callback.answer(input_problem_text(problem), show_alert=True)
        return
    manager.dialog_data["echo"] = None
    await manager.switch_to(ApplicationSG.instalment)


async def on_drop_instalment(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    instalments = manager.dialog_data.get("instalments", [])
    if instalments:
        instalments.pop()


async def on_instalment(
    message: Message, _w: ManagedTextInput[Decimal], manager: DialogManager, value: Decimal
) -> None:
    if value > remainder(manager.dialog_data):
        await message.answer(input_problem_text(InputProblem("over_remainder")))
        return
    manager.dialog_data.update(instalment=str(value), echo=None)
    await manager.switch_to(ApplicationSG.due)


async def on_rest(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    manager.dialog_data.update(instalment=str(remainder(manager.dialog_data)), echo=None)
    await manager.switch_to(ApplicationSG.due)


def due_range(manager: DialogManager) -> tuple[date | None, date | None]:
    instalments = manager.dialog_data.get("instalments", [])
    after = date.fromisoformat(instalments[-1]["due"]) if instalments else _today(manager)
    return after + timedelta(days=1), None


async def on_due(callback: CallbackQuery, manager: DialogManager, day: date) -> None:
    first, _last = due_range(manager)
    if first is not None and day < first:
        await callback.answer(input_problem_text(InputProblem("dues_not_ascending")), True)
        return
    amount = manager.dialog_data.pop("instalment")
    manager.dialog_data.setdefault("instalments", []).append(
        {"due": day.isoformat(), "amount": amount}
    )
    await manager.switch_to(ApplicationSG.schedule)


def delivery_range(manager: DialogManager) -> tuple[date | None, date | None]:
    return _today(manager), None


async def on_delivery(callback: CallbackQuery, manager: DialogManager, day: date) -> None:
    if day < _today(manager):
        await callback.answer(input_problem_text(InputProblem("date_in_past")), True)
        return
    manager.dialog_data["delivery"] = day.isoformat()
    await manager.switch_to(ApplicationSG.confirm)


async def on_submit(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    data = manager.dialog_data
    async with ends_if_refused(manager, callback):
        try:
            contract = await contract_application.file_application(
                uow_of(manager),
                actor_id=person_of(manager).id,
                deal_id=int(data["deal"]),
                lines=lines_of(data),
                schedule=schedule_of(data),
                delivery_date=date.fromisoformat(data["delivery"]),
                policy=policy_of(manager),
                today=_today(manager),
                now=now_of(manager),
                cc=chosen_cc(manager),
            )
        except InputProblem as problem:  # the form's own checks let nothing wrong through
            await uow_of(manager).rollback()
            await callback.answer(input_problem_text(problem), show_alert=True)
            return
        data["submitted"] = contract.request_id
        await manager.switch_to(ApplicationSG.done)


async def on_lines_next(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await manager.switch_to(ApplicationSG.schedule)


async def on_schedule_next(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    known = manager.dialog_data.get("delivery")  # coming back from the summary
    await manager.switch_to(ApplicationSG.confirm if known else ApplicationSG.delivery)


# --- getters ----------------------------------------------------------------------------------


def _application(manager: DialogManager) -> dict[str, Any]:
    data = manager.dialog_data
    return {
        "customer": data.get("customer", ""),
        "lines": [
            {**line, "amount": str(contract_line.amount)}
            for line, contract_line in zip(data.get("lines", []), lines_of(data), strict=True)
        ],
        "amount": str(contract_amount(lines_of(data))),
        "deposit": data.get("deposit", "0"),
        "instalments": data.get("instalments", []),
        "remainder": str(remainder(data)),
        "delivery": data.get("delivery"),
    }


async def field_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    """What a question window shows: the number typed last, read back, and what is left."""
    rest = remainder(dialog_manager.dialog_data)
    return {
        "echo": echo(dialog_manager),
        "rest": money(rest, policy_of(dialog_manager).currency) if rest > 0 else "",
    }


async def form_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    """A window with the whole application above its buttons."""
    data = dialog_manager.dialog_data
    rest = remainder(data)
    text = renderer_of(dialog_manager).render_within(
        "application_summary", {"a": _application(dialog_manager)}, WINDOW_LIMIT
    )
    return {
        **await field_getter(dialog_manager),
        "summary": text,
        "has_lines": bool(data.get("lines")),
        "has_instalments": bool(data.get("instalments")),
        "placed": rest == 0 and bool(data.get("lines")),
        "over": rest < 0,
        "cc_names": await cc_names(dialog_manager),
    }


async def done_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    request_id = int(dialog_manager.dialog_data["submitted"])
    view = await view_for(
        uow_of(dialog_manager), person_of(dialog_manager).id, request_id, policy_of(dialog_manager)
    )
    step = view.open_step()
    return {
        "request_id": request_id,
        "first": view.names.get(step.decider_id, "—") if step else "—",
    }


def _typed(state: Any, prompt: str, field: str, parse: Any, after: Any) -> Window:
    return Window(
        Format("{echo}", when="echo"),
        Tr(prompt),
        text_field(field, parse, _line_step(field, after)),
        SwitchTo(Label("◀ Back"), id="tolines", state=ApplicationSG.lines),
        state=state,
        getter=field_getter,
    )


def application_dialog(timezone: ZoneInfo) -> Dialog:
    return Dialog(
        Window(
            Format("{summary}"),
            Tr("\nThe lines of the contract: add, remove, then the payment schedule."),
            Row(
                Button(Label("➕ Add a line"), id="add", on_click=on_add_line),
                Button(
                    Label("🗑 Remove the last line"),
                    id="drop",
                    on_click=on_drop_line,
                    when="has_lines",
                ),
            ),
            Button(
                Label("Next: the payment schedule ▶"),
                id="next",
                on_click=on_lines_next,
                when="has_lines",
            ),
            _cancel(),
            buttons_only(),
            state=ApplicationSG.lines,
            getter=form_getter,
        ),
        _typed(
            ApplicationSG.product,
            N_("Which product? (up to 200 characters)"),
            "product",
            text_up_to(PRODUCT_MAX),
            ApplicationSG.quantity,
        ),
        _typed(
            ApplicationSG.quantity, N_("Quantity?"), "quantity", parse_quantity, ApplicationSG.price
        ),
        _typed(
            ApplicationSG.price,
            N_("Unit price, before the discount?"),
            "price",
            parse_amount,
            ApplicationSG.discount,
        ),
        Window(
            Format("{echo}", when="echo"),
            Tr("Discount on this line? In percent (12 or 12%), or the 折 way (九五折 is 5 %)."),
            text_field("discount", parse_discount, _line_step("discount", None)),
            Button(Label("No discount"), id="nodisc", on_click=on_no_discount),
            state=ApplicationSG.discount,
            getter=field_getter,
        ),
        Window(
            Format("{summary}"),
            Tr("\nStill to schedule: {rest}. Add an instalment.", when="rest"),
            Tr(
                "\nThe schedule adds up to more than the contract: remove an instalment.",
                when="over",
            ),
            Button(
                Label("➕ Add an instalment"), id="addi", on_click=on_add_instalment, when="rest"
            ),
            Button(
                Label("🗑 Remove the last instalment"),
                id="dropi",
                on_click=on_drop_instalment,
                when="has_instalments",
            ),
            Button(Label("Next ▶"), id="nexts", on_click=on_schedule_next, when="placed"),
            SwitchTo(Label("◀ Back to the lines"), id="tolines", state=ApplicationSG.lines),
            _cancel(),
            buttons_only(),
            state=ApplicationSG.schedule,
            getter=form_getter,
        ),
        Window(
            Tr("The instalment's amount? Still to schedule: {rest}."),
            text_field("instalment", parse_amount, on_instalment),
            Button(Format("↩️ {rest}"), id="rest", on_click=on_rest, when="rest"),
            SwitchTo(Label("◀ Back"), id="tosched", state=ApplicationSG.schedule),
            state=ApplicationSG.instalment,
            getter=field_getter,
        ),
        Window(
            Tr("When is it due?"),
            day_calendar("due", on_due, timezone, due_range),
            SwitchTo(Label("◀ Back"), id="tosched", state=ApplicationSG.schedule),
            buttons_only(),
            state=ApplicationSG.due,
        ),
        Window(
            Tr("The delivery date the contract promises?"),
            day_calendar("delivery", on_delivery, timezone, delivery_range),
            SwitchTo(Label("◀ Back"), id="tosched", state=ApplicationSG.schedule),
            buttons_only(),
            state=ApplicationSG.delivery,
        ),
        Window(
            Format("{summary}"),
            Tr("\nSend it for approval (sales manager, then general manager)?"),
            Tr("👥 Informed (CC): {cc_names}", when="cc_names"),
            Button(Label("📨 Submit"), id="submit", on_click=on_submit),
            Button(Label("👥 Inform colleagues (CC)"), id="cc", on_click=open_cc_pick),
            Row(
                SwitchTo(Label("✏️ Lines"), id="e_lines", state=ApplicationSG.lines),
                SwitchTo(Label("✏️ Schedule"), id="e_sched", state=ApplicationSG.schedule),
            ),
            SwitchTo(Label("📅 Delivery date"), id="e_deliv", state=ApplicationSG.delivery),
            _cancel(),
            buttons_only(),
            state=ApplicationSG.confirm,
            getter=form_getter,
        ),
        Window(
            Tr("Application #{request_id} is on its way: {first} decides first."),
            Cancel(Label("Done")),
            buttons_only(),
            state=ApplicationSG.done,
            getter=done_getter,
        ),
        on_start=on_start,
        on_process_result=with_cc_result,
    )
