"""The customer picker the deal, visit and plan forms open with: the person's customers
(recent first), a search by part of the name, and what each form adds (a new customer, back).
Who may pick whom is the query use cases' rule; the form's own handler takes the pick."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from enum import StrEnum
from typing import Any

from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.common import Whenable, WhenCondition
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Button, Select

from bot.core.usecases import customers
from bot.ui.inputs import text_field
from bot.ui.text import Label, Tr
from bot.ui.widgets import choice_list, text_up_to
from dialogs.common import person_of, uow_of

CUSTOMER_LIST = "c"
SEARCH = "q"
SHOW_ALL = "all"
SEARCH_MAX = 50
SHOWN_MAX = 30

Picked = Callable[[CallbackQuery, DialogManager, int], Awaitable[None]]


class Pool(StrEnum):
    own = "own"  # the person's own customers: a deal is asked for one's own customer
    open = "open"  # every open customer the person may see: visits and plans


async def _customers(dialog_manager: DialogManager, pool: Pool) -> dict[str, Any]:
    query = dialog_manager.dialog_data.get("query")
    uow, actor = uow_of(dialog_manager), person_of(dialog_manager).id
    if pool is Pool.own:
        found = list(await customers.my_customers(uow, actor, query))
    else:
        found = [c for c in await customers.visible_customers(uow, actor, query) if c.is_open]
        found = found[:SHOWN_MAX]
    return {
        "customers": [(c.id, c.name) for c in found],
        "query": query or "",
        "searching": bool(query),
        "none": not found,
    }


async def _on_search(
    message: Message, _widget: ManagedTextInput[str], manager: DialogManager, query: str
) -> None:
    manager.dialog_data["query"] = query


async def _on_show_all(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    manager.dialog_data.pop("query", None)


def customer_picker(
    state: State,
    *,
    prompt: Tr,
    empty: Tr,
    pool: Pool,
    on_picked: Picked,
    extra: Sequence[Whenable] = (),
) -> Window:
    """The picking window of a form; `on_picked` gets the tapped customer's id."""

    async def picked(
        callback: CallbackQuery, _widget: Select[int], manager: DialogManager, customer_id: int
    ) -> None:
        await on_picked(callback, manager, customer_id)

    async def getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
        return await _customers(dialog_manager, pool)

    searching: WhenCondition = "searching"
    return Window(
        prompt,
        Tr("Matches for “{query}”:", when=searching),
        empty,
        choice_list("customers", CUSTOMER_LIST, picked, height=6),
        text_field(SEARCH, text_up_to(SEARCH_MAX), _on_search),
        Button(Label("Show all my customers"), id=SHOW_ALL, on_click=_on_show_all, when=searching),
        *extra,
        state=state,
        getter=getter,
    )
