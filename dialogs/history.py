"""Every decision on a request, page by page: the cards and the status message show only the
latest few (a request returned six times would not fit one message)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import SwitchTo

from bot.core.approvals import RequestView
from bot.core.usecases.approval_views import request_snapshot
from bot.rendering import HISTORY_SHOWN
from bot.ui.paging import paged_text
from bot.ui.text import Label
from dialogs.common import renderer_of


def more_history(snapshot: dict[str, Any]) -> bool:
    """Whether the card or status message leaves earlier decisions out."""
    return len(snapshot["history"]) > HISTORY_SHOWN


def history_button(state: Any) -> SwitchTo:
    return SwitchTo(Label("📜 Every decision"), id="hist", state=state, when="more_history")


def history_pages(manager: DialogManager, view: RequestView) -> dict[str, Any]:
    snapshot = request_snapshot(view)
    renderer = renderer_of(manager)

    def render(entries: Sequence[dict[str, Any]], page: int, pages: int) -> str:
        return renderer.render(
            "request_history", **{**snapshot, "history": entries, "page": page, "pages": pages}
        )

    return paged_text(manager, "history", snapshot["history"], render)
