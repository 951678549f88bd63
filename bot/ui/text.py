"""Translated text widgets for aiogram-dialog.

`Tr` is for message bodies (HTML parse mode): the values it inserts are escaped. `Label` is for
button captions, which Telegram shows verbatim, so nothing is escaped there.
"""

from __future__ import annotations

from html import escape
from typing import Any

from aiogram.utils.i18n import gettext
from aiogram_dialog.api.protocols import DialogManager
from aiogram_dialog.widgets.common import WhenCondition
from aiogram_dialog.widgets.text import Text


class _Escaped(dict[str, Any]):
    def __getitem__(self, key: str) -> Any:
        value = super().__getitem__(key)
        if isinstance(value, str):
            return escape(value)
        if isinstance(value, dict):
            return _Escaped(value)
        return value


class Label(Text):
    def __init__(self, text: str, when: WhenCondition = None) -> None:
        super().__init__(when=when)
        self.text = text

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        return gettext(self.text).format_map(data)


class Tr(Label):
    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        return gettext(self.text).format_map(_Escaped(data))
