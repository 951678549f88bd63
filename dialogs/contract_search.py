"""The contract finder the payment and work order forms open with: the contract's number or
the customer's name typed (up to 50 characters), the matches as buttons. Which contracts may
be found is the use case's rule; the form's own handler takes the pick."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Cancel, Select

from bot.core.errors import DomainError
from bot.core.usecases.contract_search import SEARCH_MAX, ContractFile
from bot.rendering import money
from bot.ui.errors import explain
from bot.ui.fit import BUTTON_TEXT_MAX, clip
from bot.ui.inputs import text_field
from bot.ui.text import Label, Tr
from bot.ui.widgets import choice_list, text_up_to
from dialogs.common import policy_of

CONTRACT_LIST = "k"
SEARCH = "q"
QUERY = "query"

Search = Callable[[DialogManager, str], Awaitable[list[ContractFile]]]
Picked = Callable[[CallbackQuery, DialogManager, int], Awaitable[None]]


def refusal_of(manager: DialogManager) -> Callable[[DomainError], Awaitable[str]]:
    """`ends_if_refused(why=...)`: the refusal's sentence with money in the policy currency."""

    async def why(error: DomainError) -> str:
        return explain(error, policy_of(manager).currency)

    return why


async def _on_search(
    message: Message, _widget: ManagedTextInput[str], manager: DialogManager, query: str
) -> None:
    manager.dialog_data[QUERY] = query


def _label(file: ContractFile, currency: str) -> str:
    amount = money(file.contract.amount, currency)
    return f"{file.contract.number} · {file.customer_name} · {amount}"


def contract_finder(state: State, *, prompt: Tr, search: Search, on_picked: Picked) -> Window:
    """The finding window of a form; `on_picked` gets the tapped contract's id."""

    async def picked(
        callback: CallbackQuery, _widget: Select[int], manager: DialogManager, contract_id: int
    ) -> None:
        await on_picked(callback, manager, contract_id)

    async def getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
        query = dialog_manager.dialog_data.get(QUERY)
        found = await search(dialog_manager, query) if query else []
        currency = policy_of(dialog_manager).currency
        return {
            "contracts": [
                (f.contract.id, clip(_label(f, currency), BUTTON_TEXT_MAX)) for f in found
            ],
            "query": query or "",
            "none": bool(query) and not found,
        }

    return Window(
        prompt,
        Tr("No contract matches “{query}”. Try part of the number or the name.", when="none"),
        choice_list("contracts", CONTRACT_LIST, picked, height=6),
        text_field(SEARCH, text_up_to(SEARCH_MAX), _on_search),
        Cancel(Label("✖ Cancel")),  # nothing typed yet is worth keeping: the way back out
        state=state,
        getter=getter,
    )
