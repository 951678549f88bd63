"""A commission sheet on a screen: every line with every payment it counts (the sheet traced
to its payments), paged to fit; the totals on each page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from aiogram_dialog import DialogManager

from bot.core.collections import SheetLine
from bot.core.usecases.commission_view import SheetView, sheet_params
from bot.rendering import Renderer
from bot.ui.paging import paged_text
from dialogs.common import renderer_of

SCREEN_PAYMENTS = 30  # a line's payments shown on the screen; more are counted


def page_renderer(
    renderer: Renderer, view: SheetView
) -> Callable[[Sequence[SheetLine], int, int], str]:
    def render(lines: Sequence[SheetLine], page: int, pages: int) -> str:
        params: dict[str, Any] = sheet_params(view, page=lines, payments=SCREEN_PAYMENTS)
        return renderer.render("commission_sheet", **{**params, "page": page, "pages": pages})

    return render


def sheet_pages(manager: DialogManager, view: SheetView, key: str) -> dict[str, Any]:
    render = page_renderer(renderer_of(manager), view)
    return paged_text(manager, key, view.sheet.lines, render)
