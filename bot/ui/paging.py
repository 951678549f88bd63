"""A dialog window whose text is a list: split into pages that each fit Telegram's limit, with
◀ Previous / Next ▶ buttons. The page number lives in `dialog_data[key]`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from aiogram.fsm.state import State
from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.api.internal import Widget
from aiogram_dialog.widgets.kbd import Button, Row
from aiogram_dialog.widgets.text import Format

from bot.ui.fit import WINDOW_LIMIT, pages_that_fit, shorten_html
from bot.ui.text import Label
from bot.ui.widgets import buttons_only

T = TypeVar("T")
# Renders one page: its items, the page number (from 1) and the number of pages.
PageRenderer = Callable[[Sequence[T], int, int], str]
_WIDEST = 99  # pages are measured with the longest page numbers they could show


def paged_text(
    manager: DialogManager,
    key: str,
    items: Sequence[T],
    render: PageRenderer[T],
    limit: int = WINDOW_LIMIT,
) -> dict[str, Any]:
    """The current page's text as `key`, and the `<key>_prev` / `<key>_next` flags `pager`
    shows its buttons by."""
    pages = pages_that_fit(items, lambda chunk: render(chunk, _WIDEST, _WIDEST), limit)
    page = min(max(int(manager.dialog_data.get(key, 0)), 0), len(pages) - 1)
    manager.dialog_data[key] = page
    return {
        key: shorten_html(render(pages[page], page + 1, len(pages)), limit),
        f"{key}_prev": page > 0,
        f"{key}_next": page < len(pages) - 1,
    }


def pager(key: str) -> Row:
    """◀ Previous / Next ▶ for a `paged_text` of the same key; hidden where there is no page."""

    async def turn(_callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
        step = 1 if button.widget_id == f"{key}_next" else -1
        manager.dialog_data[key] = max(0, int(manager.dialog_data.get(key, 0)) + step)

    return Row(
        Button(Label("◀ Previous"), id=f"{key}_prev", on_click=turn, when=f"{key}_prev"),
        Button(Label("Next ▶"), id=f"{key}_next", on_click=turn, when=f"{key}_next"),
    )


def paged_window(key: str, back: Widget, state: State, getter: Any) -> Window:
    """A window that only shows a `paged_text` of `key`: its pages and the way back."""
    return Window(
        Format(f"{{{key}}}"), pager(key), back, buttons_only(), state=state, getter=getter
    )
