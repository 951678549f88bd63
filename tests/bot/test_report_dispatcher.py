"""/report at the dispatcher tier: a rep gets their own figures (no scope to choose), a sales
manager chooses between theirs and their team's (never the company's), a chosen range is
checked, and a forged scope button is refused."""

from __future__ import annotations

import sqlite3
from io import BytesIO

import pytest
from aiogram.methods import SendDocument, SendPhoto
from aiogram.types import BufferedInputFile
from aiogram_dialog.utils import CB_SEP
from feed import MANAGER, REP, REP_ZH, SUPERVISOR, Fed
from openpyxl import load_workbook
from order_builders import contract_in_force
from PIL import Image
from test_forms_dispatcher import buttons, window_text

from storage.report_repos import SqlReports

PERIODS = ["This week", "Last week", "This month", "Last month", "📅 Choose the dates", "Close"]
DIMENSIONS = ["By rep", "By region", "By customer", "By product", "By channel"]


async def test_a_rep_reads_their_own_month_by_rep(fed: Fed) -> None:
    await contract_in_force(fed)
    await fed.send(REP, "/report")
    assert window_text(fed, REP) == "📊 Report: which period?"
    assert buttons(fed, REP) == PERIODS

    await fed.click(REP, "This month")
    assert window_text(fed, REP) == "Broken down by?"  # a rep reads only their own
    assert buttons(fed, REP)[:5] == DIMENSIONS

    await fed.click(REP, "By rep")
    text = window_text(fed, REP)
    assert "Report · Sun 11-01 – Mon 11-30" in text
    assert "This month · Mine · By rep" in text
    assert "Contracts: ¥102,000.00" in text
    assert "• Zhao Lei: ¥102,000.00 · collected: ¥20,000.00" in text
    assert "Sun Li" not in text
    assert buttons(fed, REP) == [
        "📊 Chart",
        "📥 Excel",
        "📥 Other exports",
        "🔁 Another breakdown",
        "🗓 Another period",
        "Close",
    ]

    await fed.click(REP, "🔁 Another breakdown")
    await fed.click(REP, "By product")
    by_product = window_text(fed, REP)
    assert "Visits: — (first: —" in by_product  # no meaning by product: a dash, not 0


async def test_a_manager_chooses_mine_or_my_team_never_the_company(fed: Fed) -> None:
    await contract_in_force(fed)
    await fed.send(MANAGER, "/report")
    await fed.click(MANAGER, "This month")
    assert window_text(fed, MANAGER) == "Whose figures?"
    assert buttons(fed, MANAGER)[:2] == ["Mine", "My team"]
    assert "The company" not in buttons(fed, MANAGER)

    await fed.click(MANAGER, "My team")
    await fed.click(MANAGER, "By customer")
    text = window_text(fed, MANAGER)
    assert "My team · By customer" in text
    assert "¥102,000.00" in text


async def test_a_forged_company_scope_is_refused(fed: Fed) -> None:
    await fed.send(SUPERVISOR, "/report")
    await fed.click(SUPERVISOR, "Last month")
    window = fed.window(SUPERVISOR)
    before = len(fed.mm.sent_messages)

    callback_id = await fed.tap(
        SUPERVISOR, f"{fed.intent(window)}{CB_SEP}rs:company", message=window
    )

    answer = fed.answer(callback_id)
    assert answer is not None
    assert (answer.text, answer.show_alert) == ("This button is no longer active.", True)
    assert len(fed.mm.sent_messages) == before


async def test_a_range_ending_before_it_starts_is_asked_again(fed: Fed) -> None:
    await fed.send(SUPERVISOR, "/report")
    await fed.click(SUPERVISOR, "📅 Choose the dates")
    assert window_text(fed, SUPERVISOR) == "From which day?"
    await fed.click(SUPERVISOR, "10")
    assert window_text(fed, SUPERVISOR) == "To which day? (a year at most)"
    labels = buttons(fed, SUPERVISOR)
    assert "9" not in labels  # the calendar offers no day before the first
    await fed.click(SUPERVISOR, "20")
    assert window_text(fed, SUPERVISOR) == "Whose figures?"
    await fed.click(SUPERVISOR, "Mine")
    await fed.click(SUPERVISOR, "By region")
    assert "Report · Tue 11-10 – Fri 11-20" in window_text(fed, SUPERVISOR)


async def test_in_chinese(fed: Fed) -> None:
    await fed.send(REP_ZH, "/report")
    await fed.click(REP_ZH, "本月")
    await fed.click(REP_ZH, "按销售")
    text = window_text(fed, REP_ZH)
    assert "报表" in text
    assert "拜访：" in text


async def test_help_lists_report_for_those_who_may_read_it(fed: Fed) -> None:
    await fed.send(REP, "/help")
    assert "/report" in fed.replies(REP)[-1]


async def test_a_scope_no_longer_allowed_is_refused_by_the_use_case(fed: Fed) -> None:
    """The buttons offered the team when the form began; the role changed meanwhile, and the
    report itself refuses it (the server's check, not the hidden button)."""
    await fed.send(SUPERVISOR, "/report")
    await fed.click(SUPERVISOR, "Last month")
    await fed.click(SUPERVISOR, "My team")
    with sqlite3.connect(fed.db_path) as db:
        db.execute("UPDATE people SET role = 'rep' WHERE telegram_id = ?", (SUPERVISOR,))
    await fed.click(SUPERVISOR, "By rep")
    text = window_text(fed, SUPERVISOR)
    assert text == "Sorry, your role does not allow that."


async def test_the_report_as_a_chart_and_as_a_workbook(fed: Fed) -> None:
    await contract_in_force(fed)
    await fed.send(MANAGER, "/report")
    await fed.click(MANAGER, "This month")
    await fed.click(MANAGER, "My team")
    await fed.click(MANAGER, "By rep")

    await fed.click(MANAGER, "📊 Chart")
    [photo] = [c for c in fed.session.calls if isinstance(c, SendPhoto) and c.chat_id == MANAGER]
    assert isinstance(photo.photo, BufferedInputFile)
    assert Image.open(BytesIO(photo.photo.data)).width == 1080
    assert photo.caption == ("📊 Report · Sun 11-01 – Mon 11-30 · This month · My team · By rep")

    await fed.click(MANAGER, "📥 Excel")
    [sent] = [c for c in fed.session.calls if isinstance(c, SendDocument) and c.chat_id == MANAGER]
    assert isinstance(sent.document, BufferedInputFile)
    assert sent.document.filename == "report-rep-2026-11-01-2026-11-30.xlsx"
    rows = list(load_workbook(BytesIO(sent.document.data)).worksheets[0].values)
    header = rows[0]
    assert header[:2] == ("By rep", "Visits")
    amount = header.index("Contract amount")
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Zhao Lei"][amount] == 102000
    assert by_name["Total"][amount] == 102000, "the total line last, as on the screen"
    assert window_text(fed, MANAGER).startswith("📊 <b>Report"), "the report comes back under it"


async def test_no_chart_for_an_empty_period(fed: Fed) -> None:
    await fed.send(REP, "/report")
    await fed.click(REP, "Last week")
    await fed.click(REP, "By product")  # visits have no product, and no contract was signed
    assert "Nothing recorded in this period." in window_text(fed, REP)
    assert "📊 Chart" not in buttons(fed, REP)


async def test_a_chart_or_workbook_tap_computes_the_report_once(
    fed: Fed, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tap's check redraws the window, the chart needs the report, the window comes back
    under the photo: one computation serves all three (a company by customer is seconds)."""
    calls = []
    figures = SqlReports.figures

    async def counted(self: SqlReports, query: object) -> object:
        calls.append(query)
        return await figures(self, query)  # type: ignore[arg-type]

    monkeypatch.setattr(SqlReports, "figures", counted)
    await contract_in_force(fed)
    await fed.send(MANAGER, "/report")
    await fed.click(MANAGER, "This month")
    await fed.click(MANAGER, "My team")
    await fed.click(MANAGER, "By rep")
    await fed.click(MANAGER, "📊 Chart")
    await fed.click(MANAGER, "📥 Excel")
    assert len(calls) == 1
