"""Helpers shared by the dialogs: typed access to what the middlewares put in."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from aiogram import Bot
from aiogram.fsm.state import State
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, ShowMode, StartMode

from bot.core.errors import DomainError
from bot.core.models import Person
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.rendering import Renderer
from bot.ui.errors import explain
from dialogs.starts import StartData


def uow_of(manager: DialogManager) -> UnitOfWork:
    uow: UnitOfWork = manager.middleware_data["uow"]
    return uow


def person_of(manager: DialogManager) -> Person:
    person: Person = manager.middleware_data["person"]
    return person


def now_of(manager: DialogManager) -> datetime:
    now: datetime = manager.middleware_data["now"]
    return now


def renderer_of(manager: DialogManager) -> Renderer:
    renderer: Renderer = manager.middleware_data["renderer"]
    return renderer


def policy_of(manager: DialogManager) -> Policy:
    policy: Policy = manager.middleware_data["policy"]
    return policy


def person_label(person: Person, role_label: str) -> str:
    return f"{person.full_name} · {role_label}"


async def turn_page(callback: CallbackQuery, button: Any, manager: DialogManager) -> None:
    """◀ / ▶ under a paged list: the buttons' ids are "prev" and "next"."""
    step = 1 if button.widget_id == "next" else -1
    manager.dialog_data["page"] = max(0, int(manager.dialog_data.get("page", 0)) + step)


async def tell(event: Message | CallbackQuery, text: str) -> None:
    if isinstance(event, CallbackQuery):
        await event.answer(text, show_alert=True)
    else:
        await event.answer(text)


@asynccontextmanager
async def ends_if_refused(
    manager: DialogManager,
    event: Message | CallbackQuery,
    *,
    back_to: State | None = None,
    why: Callable[[DomainError], Awaitable[str]] | None = None,
) -> AsyncIterator[None]:
    """A form exists for one action. When the use case refuses it, the thing acted on changed
    meanwhile (the request was decided or withdrawn, the plan reopened, the prospect rejected):
    asking again cannot help. So the person is told why (`why`, else the error's sentence),
    nothing is recorded, and the form ends — back to `back_to` in the same dialog, or closed —
    and their next message is handled as usual instead of meeting the same refusal."""
    try:
        yield
    except DomainError as error:
        await uow_of(manager).rollback()
        await tell(event, await why(error) if why else explain(error))
        if back_to is None:
            await manager.done()
        else:
            await manager.switch_to(back_to)


async def open_below(
    callback: CallbackQuery,
    manager: DialogManager,
    state: State,
    start: StartData,
    mode: StartMode = StartMode.NORMAL,
) -> None:
    """Opens a form from a button on a notification, as a new message below it, so the
    notification keeps its buttons. While that very form waits on top (same window, same start
    data) a second tap opens nothing more: two quick taps give one form. The form is put on the
    stack here, under the stack's lock, and only drawn in the background; a background start
    would let the second tap in before the first form is on the stack."""
    data = start.data()
    if manager.has_context():
        top = manager.current_context()
        if top.state == state and top.start_data == data:
            await callback.answer(_("This form is already open below."))
            return
    await manager.start(state, data=data, mode=mode, show_mode=ShowMode.NO_UPDATE)
    await manager.bg(stack_id=manager.current_stack().id).update(show_mode=ShowMode.SEND)
    await callback.answer()


def chat_of(callback: CallbackQuery) -> int:
    """The chat a tap came from: its message's, or the person's own for an inline message."""
    return callback.message.chat.id if callback.message else callback.from_user.id


async def send_back(
    callback: CallbackQuery,
    manager: DialogManager,
    file: BufferedInputFile,
    *,
    caption: str | None = None,
    photo: bool = False,
) -> None:
    """A file (a PDF, a workbook, a chart) sent straight back to the person who tapped, not
    through the outbox: it answers their own tap and nothing is committed with it. The form
    comes back under it."""
    bot: Bot = manager.middleware_data["bot"]
    if photo:
        await bot.send_photo(chat_of(callback), file, caption=caption)
    else:
        await bot.send_document(chat_of(callback), file, caption=caption)
    manager.show_mode = ShowMode.SEND
