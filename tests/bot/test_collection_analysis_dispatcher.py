"""The collection analysis on demand (dispatcher tier): a supervisor opens it from /contract,
last month first, then this month with the overdue money aged; a rep has no such button; /help
tells the managers where it is."""

from __future__ import annotations

import sqlite3
from io import BytesIO

from aiogram.methods import SendPhoto
from aiogram.types import BufferedInputFile
from aiogram_dialog.utils import CB_SEP
from feed import REP, SUPERVISOR, Fed
from order_builders import contract_in_force
from PIL import Image
from test_forms_dispatcher import buttons, window_text

from bot.documents.charts import WIDTH_PX

FINANCE_VP = 1009  # Qian Hong, who reads Chinese


async def test_a_supervisor_reads_last_month_then_this_month(fed: Fed) -> None:
    await contract_in_force(fed)
    with sqlite3.connect(fed.db_path) as db:  # the first instalment fell due this month
        db.execute("UPDATE instalments SET due = '2026-11-01' WHERE position = 0")

    await fed.send(SUPERVISOR, "/contract")
    await fed.click(SUPERVISOR, "📈 Collections")
    last = window_text(fed, SUPERVISOR)
    assert "Collections · 2026-10" in last
    assert "Due in the month: ¥0.00 · collected against it: ¥0.00 (nothing due)" in last
    assert buttons(fed, SUPERVISOR)[:2] == ["• Last month", "This month"]

    await fed.click(SUPERVISOR, "This month")
    this = window_text(fed, SUPERVISOR)
    assert "Collections · 2026-11" in this
    assert "This month so far, as of Mon 11-23." in this
    assert "Due in the month: ¥50,000.00 · collected against it: ¥0.00 (0 %)" in this
    assert "1–30 days: ¥50,000.00" in this
    assert "• Zhao Lei: ¥0.00 / ¥50,000.00 (0 %) · overdue: ¥50,000.00" in this
    assert buttons(fed, SUPERVISOR)[:2] == ["Last month", "• This month"]

    await fed.click(SUPERVISOR, "◀ Back to the ledger")
    assert "Contract ledger" in window_text(fed, SUPERVISOR)


async def test_a_rep_has_no_analysis_and_help_points_managers_to_it(fed: Fed) -> None:
    await contract_in_force(fed)
    await fed.send(REP, "/contract")
    assert "📈 Collections" not in buttons(fed, REP)

    await fed.send(SUPERVISOR, "/help")
    assert "In /contract, 📈 Collections" in fed.replies(SUPERVISOR)[-1]
    await fed.send(REP, "/help")
    assert "📈 Collections" not in fed.replies(REP)[-1]


def photos(fed: Fed, user_id: int) -> list[SendPhoto]:
    return [c for c in fed.session.calls if isinstance(c, SendPhoto) and c.chat_id == user_id]


def picture(sent: SendPhoto) -> Image.Image:
    assert isinstance(sent.photo, BufferedInputFile)
    return Image.open(BytesIO(sent.photo.data))


async def due_this_month(fed: Fed, reader: int, collections: str) -> None:
    """A contract whose first instalment fell due this month (2026-11), the reader in its
    collection analysis (last month's, which has nothing)."""
    await contract_in_force(fed)
    with sqlite3.connect(fed.db_path) as db:
        db.execute("UPDATE instalments SET due = '2026-11-01' WHERE position = 0")
    await fed.send(reader, "/contract")
    await fed.click(reader, collections)


async def test_the_chart_arrives_as_a_photo_and_the_analysis_comes_back_under_it(
    fed: Fed,
) -> None:
    await due_this_month(fed, SUPERVISOR, "📈 Collections")
    assert "📊 Chart" not in buttons(fed, SUPERVISOR), "last month had nothing to draw"

    await fed.click(SUPERVISOR, "This month")
    shown = len(fed.windows(SUPERVISOR))
    await fed.click(SUPERVISOR, "📊 Chart")

    [sent] = photos(fed, SUPERVISOR)
    assert (
        sent.caption
        == "📊 <b>Collections · 2026-11</b>\nDue and collected by rep; overdue money by age."
    )
    assert isinstance(sent.photo, BufferedInputFile)
    assert sent.photo.filename == "collections-2026-11.png"
    image = picture(sent)
    assert (image.format, image.size[0]) == ("PNG", WIDTH_PX)
    assert len(fed.windows(SUPERVISOR)) == shown + 1, "the analysis is sent again under it"
    assert "Collections · 2026-11" in window_text(fed, SUPERVISOR)


async def test_a_reader_of_chinese_gets_the_chart_captioned_in_chinese(fed: Fed) -> None:
    await due_this_month(fed, FINANCE_VP, "📈 回款分析")
    await fed.click(FINANCE_VP, "本月")
    await fed.click(FINANCE_VP, "📊 图表")  # a glyph missing from the font would raise here
    [sent] = photos(fed, FINANCE_VP)
    assert sent.caption == "📊 <b>回款分析 · 2026-11</b>\n按销售员的应收与已回款；逾期金额按账龄。"
    assert picture(sent).size[0] == WIDTH_PX


async def test_a_rep_forging_the_way_to_the_chart_gets_nothing(fed: Fed) -> None:
    await contract_in_force(fed)
    await fed.send(REP, "/contract")
    forged = fed.intent(fed.window(REP)) + CB_SEP + "analysis"
    before = len(fed.windows(REP))
    answer = fed.answer(await fed.tap(REP, forged, message=fed.window(REP)))
    assert answer is not None
    assert answer.show_alert
    assert photos(fed, REP) == []
    assert all("Collections ·" not in (w.text or "") for w in fed.windows(REP)[before:])


async def test_a_month_with_nothing_left_to_draw_is_said_not_drawn(fed: Fed) -> None:
    """The window showed figures; by the tap they are gone (the month turned): the button is
    stale, so no photo is drawn (there would be nothing to fold into bars)."""
    await due_this_month(fed, SUPERVISOR, "📈 Collections")
    await fed.click(SUPERVISOR, "This month")
    with sqlite3.connect(fed.db_path) as db:  # as if closed before the month began
        db.execute("UPDATE contracts SET status = 'closed', closed_at = '2026-10-01 00:00:00'")

    answer = fed.answer(await fed.click(SUPERVISOR, "📊 Chart"))

    assert answer is not None
    assert answer.show_alert
    assert answer.text == "This button is no longer active."
    assert photos(fed, SUPERVISOR) == []
