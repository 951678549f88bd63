"""An export sent into the chat as a document: the tables made into the file off the event
loop (a big workbook takes seconds), with a caption that says how many rows it holds."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from aiogram.types import BufferedInputFile, CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager

from bot.core.usecases import exports
from bot.documents.sheets import Table, csv_bytes, xlsx_bytes
from dialogs.common import send_back

XLSX, CSV = "xlsx", "csv"


def file_bytes(tables: Sequence[Table], extension: str) -> bytes:
    return csv_bytes(tables[0]) if extension == CSV else xlsx_bytes(tables)


async def send_export(
    callback: CallbackQuery,
    manager: DialogManager,
    build: Callable[[], list[Table]],
    name: str,
    *,
    truncated: bool,
) -> None:
    """`build` runs in a worker thread with the reader's language (the thread copies the
    context), and so does the file's writing."""
    await callback.answer(_("Preparing the file…"))  # a big one takes seconds
    extension = name.rsplit(".", 1)[-1]
    tables = await asyncio.to_thread(build)
    data = await asyncio.to_thread(file_bytes, tables, extension)
    caption = _("📥 {title}: {rows} rows.").format(
        title=tables[0].title, rows=f"{len(tables[0].rows):,}"
    )
    if truncated:
        caption += "\n" + _("Only the first {limit} rows fit in one file.").format(
            limit=f"{exports.MAX_ROWS:,}"
        )
    await send_back(callback, manager, BufferedInputFile(data, filename=name), caption=caption)
