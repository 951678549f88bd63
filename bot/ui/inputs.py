"""What a person is told when a typed value is wrong; the form stays as it was."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.input import TextInput

from bot.core.deals import InputProblem


def input_problem_text(problem: InputProblem) -> str:
    details: dict[str, Any] = problem.details
    texts = {
        "not_a_number": _("Please type a number, for example 12000 or 12,000.50."),
        "too_many_places": _("Please use at most {places} digits after the decimal point."),
        "too_large": _("That number is too large; the most is {maximum}."),
        "not_positive": _("Please type a number greater than zero."),
        "bad_discount": _(
            "Please type the discount in percent (12 or 12%) or the 折 way (九五折 is 5 %)."
        ),
        "empty": _("Please type some text."),
        "too_long": _("That is {length} characters; please keep it to {limit}."),
        "no_special_terms": _(
            "A request needs special terms: a discount, special payment terms, or both."
        ),
        "deposit_over_amount": _("The deposit cannot be larger than the amount."),
        "bad_phone": _(
            "That phone number does not look right. Try e.g. 138 0013 8000, 021-6888 8888 "
            "or +44 20 7946 0958."
        ),
        "bad_url": _("That does not look like a web address, e.g. shop.example.com/store."),
        "bad_location": _("That location is not valid."),
        "future_date": _("A visit cannot be in the future."),
        "too_old": _("A visit can be logged at most {days} days back."),
        "follow_up_before_visit": _("The follow-up cannot be before the visit."),
        "follow_up_too_far": _("Please pick a follow-up within a year."),
        "future_payment": _(
            "Money cannot have arrived in the future; please pick today or before."
        ),
        "payment_too_old": _(
            "That is more than {days} days back; please ask finance to correct old entries."
        ),
        "too_many_lines": _("A contract holds at most 20 lines."),
        "too_many_instalments": _("A schedule holds at most 12 instalments."),
        "over_remainder": _("That is more than is left to schedule."),
        "dues_not_ascending": _("Each instalment falls due after the one before it."),
        "date_in_past": _("That day has passed; please pick today or later."),
        "no_lines": _("A contract needs at least one line."),
        "schedule_mismatch": _(
            "The deposit and the instalments come to {scheduled}, the contract to {amount}."
        ),
        "bad_choice": _("Please choose with the buttons."),
        "nothing_to_deliver": _("Put at least one line on the delivery note (a quantity above 0)."),
        "invoice_number": _("An invoice number (发票号码) is letters and digits only."),
        "future_invoice": _(
            "An invoice cannot be dated in the future; please pick today or before."
        ),
        "invoice_too_old": _("That is more than {days} days back; please pick a later day."),
        "bad_name": _("Please type the newcomer's name in letters, e.g. Li Wei or 李伟."),
    }
    return texts.get(problem.code, _("That value is not valid.")).format(**details)


async def explain_input_error(
    message: Message, _widget: Any, _manager: DialogManager, error: ValueError
) -> None:
    if isinstance(error, InputProblem):
        await message.answer(input_problem_text(error))
    else:
        await message.answer(_("That value is not valid."))


def text_field(widget_id: str, parse: Callable[[str], Any], on_success: Any) -> TextInput[Any]:
    """A typed answer: `parse` checks it (raising InputProblem), a wrong one is explained and
    asked again, a good one goes to `on_success`."""
    return TextInput(
        id=widget_id, type_factory=parse, on_success=on_success, on_error=explain_input_error
    )
