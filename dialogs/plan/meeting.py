"""The meeting pack in /plan's team view, before Saturday: the short view (as on Saturday's
message), the full pack as a PDF, and the training topic for the coming meeting."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from aiogram import Bot
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, ShowMode, Window
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Button, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.core.meeting import TOPIC_MAX, MeetingPack
from bot.core.policy import Policy
from bot.core.usecases import meeting
from bot.documents.files import pdf_file
from bot.documents.meeting_pack import meeting_pack_document, meeting_pack_filename
from bot.documents.pdf import render_pdf
from bot.labels import day_label
from bot.ui.fit import WINDOW_LIMIT
from bot.ui.inputs import text_field
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only, text_up_to
from dialogs.common import ends_if_refused, now_of, person_of, policy_of, renderer_of, uow_of
from dialogs.states import TeamPlansSG

SAVED = "topic_saved"  # the sentence shown once above the pack after the topic changed


async def send_pack(
    bot: Bot, chat_id: int, pack: MeetingPack, policy: Policy, now: datetime
) -> None:
    """The full pack as a PDF in the reader's language, straight to the one who asked."""
    document = meeting_pack_document(pack, policy.tz, policy.currency, now)
    data = await asyncio.to_thread(render_pdf, document)
    await bot.send_document(chat_id, pdf_file(data, meeting_pack_filename(pack)))


async def _pack(manager: DialogManager) -> MeetingPack:
    return await meeting.meeting_pack(
        uow_of(manager),
        actor_id=person_of(manager).id,
        policy=policy_of(manager),
        now=now_of(manager),
    )


async def pack_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    params = meeting.summary_params(await _pack(dialog_manager))
    text = renderer_of(dialog_manager).render_within(
        "notifications/meeting_summary", params, WINDOW_LIMIT
    )
    saved = dialog_manager.dialog_data.pop(SAVED, None)
    return {"pack": f"✅ {saved}\n\n{text}" if saved else text}


async def on_pdf(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    bot: Bot = manager.middleware_data["bot"]
    pack = await _pack(manager)
    await send_pack(bot, callback.from_user.id, pack, policy_of(manager), now_of(manager))
    await callback.answer()
    manager.show_mode = ShowMode.SEND  # the view comes back under the document


async def topic_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    policy = policy_of(dialog_manager)
    view = await meeting.topic_view(
        uow_of(dialog_manager),
        actor_id=person_of(dialog_manager).id,
        policy=policy,
        now=now_of(dialog_manager),
    )
    return {
        "meeting": day_label(view.meeting.astimezone(policy.tz), clock=True),
        "topic": view.topic or "—",
        "has_topic": view.topic is not None,
        "limit": TOPIC_MAX,
    }


async def _set(manager: DialogManager, topic: str | None) -> str:
    view = await meeting.set_topic(
        uow_of(manager),
        actor_id=person_of(manager).id,
        topic=topic,
        policy=policy_of(manager),
        now=now_of(manager),
    )
    when = day_label(view.meeting.astimezone(policy_of(manager).tz), clock=True)
    if topic is None:
        return _("Training topic cleared for the meeting on %(when)s.") % {"when": when}
    return _("Training topic saved for the meeting on %(when)s.") % {"when": when}


async def on_topic(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, value: str
) -> None:
    async with ends_if_refused(manager, message):
        manager.dialog_data[SAVED] = await _set(manager, value)
        await manager.switch_to(TeamPlansSG.pack)


async def on_clear(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    async with ends_if_refused(manager, callback):
        manager.dialog_data[SAVED] = await _set(manager, None)
        await manager.switch_to(TeamPlansSG.pack)


def pack_windows(back: SwitchTo) -> list[Window]:
    return [
        Window(
            Format("{pack}"),
            Button(Label("📄 Full pack (PDF)"), id="packpdf", on_click=on_pdf),
            SwitchTo(Label("🎓 Training topic"), id="topic", state=TeamPlansSG.topic),
            back,
            buttons_only(),
            state=TeamPlansSG.pack,
            getter=pack_getter,
        ),
        Window(
            Tr(
                "<b>Training topic for the meeting on {meeting}</b>\nNow: {topic}\n\n"
                "Type the topic, up to {limit} characters:"
            ),
            text_field("topic", text_up_to(TOPIC_MAX), on_topic),
            Button(
                Label("🗑 Clear the topic"), id="cleartopic", on_click=on_clear, when="has_topic"
            ),
            SwitchTo(Label("◀ Back"), id="topack", state=TeamPlansSG.pack),
            state=TeamPlansSG.topic,
            getter=topic_getter,
        ),
    ]
