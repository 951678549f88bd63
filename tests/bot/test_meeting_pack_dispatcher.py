"""The meeting pack and the reception record through the dispatcher (issue 14, point 5): the
sales manager opens the pack from /plan's team view, sets the training topic (a wrong one is
asked again) and gets the PDF; the Saturday message's buttons; the printable reception record
(接待记录) from the customer card, in English and in Chinese. The demo company's clock: Monday
2026-11-23 10:00 in Shanghai, so the coming meeting is Saturday 11-28 09:00 and plans the week
of Monday 11-30."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from aiogram.methods import SendDocument
from aiogram.types import BufferedInputFile
from feed import MANAGER, REP, REP_ZH, VP, Fed
from pypdf import PdfReader
from test_forms_dispatcher import buttons, window_text

from bot.core.customers import VisitDraft
from bot.core.errors import NotFound
from bot.core.meeting import TOPIC_MAX
from bot.core.usecases.customers import reception_record
from bot.core.usecases.routine import send_meeting_summaries
from bot.ui.cards import CustomerCb, MeetingAct, MeetingCb

WEEK = date(2026, 11, 30)
NOW = datetime(2026, 11, 23, 2, tzinfo=UTC)  # the FakeClock's


def one_id(fed: Fed, query: str, *args: object) -> int:
    with sqlite3.connect(fed.db_path) as db:
        (found,) = db.execute(query, args).fetchone()
    return int(found)


def customer_id(fed: Fed, name: str) -> int:
    return one_id(fed, "SELECT id FROM customers WHERE name = ?", name)


def person_id(fed: Fed, telegram_id: int) -> int:
    return one_id(fed, "SELECT id FROM people WHERE telegram_id = ?", telegram_id)


def documents(fed: Fed) -> list[SendDocument]:
    return [c for c in fed.session.calls if isinstance(c, SendDocument)]


def printed_to(fed: Fed, chat_id: int, filename: str) -> str:
    """The one PDF the bot sent, to `chat_id` under `filename`, read back as text."""
    [sent] = documents(fed)
    assert sent.chat_id == chat_id
    assert isinstance(sent.document, BufferedInputFile)
    assert sent.document.filename == filename
    return "".join(p.extract_text() for p in PdfReader(BytesIO(sent.document.data)).pages)


async def to_pack(fed: Fed) -> None:
    await fed.send(MANAGER, "/plan")
    await fed.click(MANAGER, "👥 Team plans and targets")
    await fed.click(MANAGER, "🗓 Meeting pack")


async def test_the_manager_opens_the_pack_sets_the_topic_and_prints_it(fed: Fed) -> None:
    await to_pack(fed)
    pack = window_text(fed, MANAGER)
    assert "Weekly meeting · Sat 11-28 09:00" in pack
    assert "Zhao Lei" in pack
    assert "Sun Li" in pack
    assert "No training topic yet." in pack
    assert buttons(fed, MANAGER)[:2] == ["📄 Full pack (PDF)", "🎓 Training topic"]

    await fed.click(MANAGER, "🎓 Training topic")
    before = fed.rows()["meeting_topics"]
    await fed.send(MANAGER, "x" * (TOPIC_MAX + 1))

    assert fed.replies(MANAGER)[-1] == "That is 201 characters; please keep it to 200."
    assert "Training topic for the meeting on Sat 11-28 09:00" in window_text(fed, MANAGER)
    assert fed.rows()["meeting_topics"] == before == []

    await fed.send(MANAGER, "Handling price objections")

    pack = window_text(fed, MANAGER)
    assert "✅ Training topic saved for the meeting on Sat 11-28 09:00." in pack
    assert "🎓 Training topic: Handling price objections" in pack

    await fed.click(MANAGER, "📄 Full pack (PDF)")

    text = printed_to(fed, MANAGER, "Weekly meeting pack 2026-11-30.pdf")
    for printed in (
        "Weekly meeting pack",
        "Handling price objections",
        "Liu Yang",
        "The team at a glance",
        "Zhao Lei · this week: plan versus actual",
        "Sun Li · next week's key visits",
        "No plan submitted",
    ):
        assert printed in text
    assert "Weekly meeting · Sat 11-28 09:00" in window_text(fed, MANAGER)  # the view is back


async def test_the_topic_can_be_cleared(fed: Fed) -> None:
    await to_pack(fed)
    await fed.click(MANAGER, "🎓 Training topic")
    await fed.send(MANAGER, "Credit checks")
    await fed.click(MANAGER, "🎓 Training topic")
    assert "Now: Credit checks" in window_text(fed, MANAGER)

    await fed.click(MANAGER, "🗑 Clear the topic")

    assert "✅ Training topic cleared" in window_text(fed, MANAGER)
    assert fed.rows()["meeting_topics"] == []


async def test_the_saturday_message_buttons_print_the_pack_and_open_the_topic(fed: Fed) -> None:
    async with fed.uow() as uow:
        await send_meeting_summaries(uow, policy=fed.app.policy, now=NOW)
    async with fed.uow() as uow:
        await uow.meeting_topics.set(person_id(fed, VP), WEEK, "信用管理", NOW)
        await uow.commit()
    pdf = MeetingCb(act=MeetingAct.pdf, week=WEEK.toordinal()).pack()

    await fed.tap(VP, pdf)

    text = printed_to(fed, VP, "周例会资料 2026-11-30.pdf")
    for printed in (
        "周例会资料",
        "培训主题",
        "信用管理",
        "团队概览",
        "Zhao Lei · 本周计划完成情况",
    ):
        assert printed in text
    assert "?" not in text

    callback = await fed.tap(REP, pdf)
    answer = fed.answer(callback)
    assert answer is not None
    assert answer.text == "Sorry, your role does not allow that."
    assert len(documents(fed)) == 1

    await fed.tap(MANAGER, MeetingCb(act=MeetingAct.topic, week=WEEK.toordinal()).pack())
    assert "Training topic for the meeting on Sat 11-28 09:00" in window_text(fed, MANAGER)


async def test_the_reception_record_prints_every_visit(fed: Fed) -> None:
    await fed.send(REP, "/customer")
    await fed.click(REP, "📋 My customers")
    await fed.click(REP, "🌱 Golden Dragon Pipes")

    await fed.click(REP, "🖨 Reception record")

    text = printed_to(fed, REP, "Reception record Golden Dragon Pipes.pdf")
    for printed in (
        "Reception record",
        "Golden Dragon Pipes",
        "+86 21 6888 8888",
        "Met the buyer; they compare three suppliers.",
        "Send the catalogue",
        "Zhao Lei",
        "2026-11-22",
        "2026-11-23",
    ):
        assert printed in " ".join(text.split()) or printed in text
    assert "Golden Dragon Pipes" in window_text(fed, REP)  # the card comes back under it


async def test_the_reception_record_in_chinese_newest_first(fed: Fed) -> None:
    wuzhou = customer_id(fed, "华东五金有限公司")
    sun_li = person_id(fed, REP_ZH)
    async with fed.uow() as uow:
        for day, outcome, far in (
            (date(2026, 11, 16), "初次拜访，客户需要报价单", False),
            (date(2026, 11, 20), "客户来公司参观，意向较高", True),
        ):
            draft = VisitDraft(wuzhou, "revisit", day, outcome, "high", next_step="寄送样品")
            await uow.visits.add(draft, rep_id=sun_li, now=NOW, distance_m=900, far=far)
        await uow.commit()
    await fed.tap(REP_ZH, CustomerCb(customer=wuzhou).pack())

    await fed.click(REP_ZH, "🖨 接待记录")

    text = printed_to(fed, REP_ZH, "接待记录 华东五金有限公司.pdf")
    for printed in (
        "接待记录",
        "华东五金有限公司",
        "王经理",
        "寄送样品",
        "偏远",
        "拜访记录（最新在前）",
    ):
        assert printed in text
    flat = "".join(text.split())
    assert flat.index("客户来公司参观，意向较高") < flat.index("初次拜访，客户需要报价单")
    assert "?" not in text


@pytest.mark.parametrize("reader", [REP_ZH, VP], ids=["another rep", "the marketing VP"])
async def test_the_record_is_for_whoever_may_open_the_card(fed: Fed, reader: int) -> None:
    dragon = customer_id(fed, "Golden Dragon Pipes")
    async with fed.uow() as uow:
        if reader == REP_ZH:
            with pytest.raises(NotFound):
                await reception_record(uow, person_id(fed, reader), dragon)
        else:
            record = await reception_record(uow, person_id(fed, reader), dragon)
            assert [v.outcome for v in record.visits] == [
                "Met the buyer; they compare three suppliers."
            ]


@pytest.mark.parametrize(
    "week",
    [date(1, 1, 1), date(2026, 12, 7), date(2026, 12, 1), date(2025, 11, 17)],
    ids=["the calendar's first monday", "a week not planned yet", "a tuesday", "over a year ago"],
)
async def test_a_pack_button_for_a_week_it_never_had_finds_nothing(
    fed: Fed, caplog: pytest.LogCaptureFixture, week: date
) -> None:
    """The week parses (a day number within the calendar) but no message ever carried it."""
    callback = await fed.tap(MANAGER, MeetingCb(act=MeetingAct.pdf, week=week.toordinal()).pack())

    answer = fed.answer(callback)
    assert answer is not None
    assert answer.text == "I could not find that. It may have been changed or removed."
    assert documents(fed) == []
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
