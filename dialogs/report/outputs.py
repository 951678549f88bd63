"""What a report sends besides its window: its chart as a photo, itself as a workbook."""

from __future__ import annotations

import asyncio

from aiogram.types import BufferedInputFile, CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import Button

from bot.documents.report_chart import report_png
from bot.documents.report_export import report_file_name, report_table
from bot.documents.sheets import xlsx_bytes
from bot.ui.fit import CAPTION_LIMIT
from bot.ui.report_view import report_params
from dialogs.common import policy_of, renderer_of, send_back
from dialogs.report.getters import the_report


async def on_chart(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    """The report's picture sent to the person who tapped, captioned with its headline; the
    report window comes back under it (as the collection analysis's chart does)."""
    await callback.answer(_("Drawing the chart…"))
    params = report_params(await the_report(manager))
    data = await asyncio.to_thread(report_png, params, policy_of(manager).currency)
    caption = renderer_of(manager).render_within("report_caption", params, CAPTION_LIMIT)
    name = report_file_name(params).removesuffix(".xlsx") + ".png"
    await send_back(callback, manager, BufferedInputFile(data, name), caption=caption, photo=True)


async def on_excel(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    """Every line of the report with every measure, and the total, as a workbook."""
    await callback.answer(_("Preparing the file…"))
    found = await the_report(manager)
    params = report_params(found, shown=len(found.lines))
    data = await asyncio.to_thread(lambda: xlsx_bytes([report_table(params)]))
    caption = renderer_of(manager).render_within("report_caption", params, CAPTION_LIMIT)
    file = BufferedInputFile(data, report_file_name(params))
    await send_back(callback, manager, file, caption=caption)
