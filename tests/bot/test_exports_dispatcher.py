"""📥 Export through the bot (dispatcher tier): from /customer a rep gets the target customer
table as a workbook that opens, with only their own customers; the visit log of a month as a
CSV in Chinese for a reader of Chinese, a phone neutralised; from /contract the ledger with
its figures; from a commission sheet's screen its workbook. A rep is offered no collections."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal

import pytest
from aiogram.methods import SendDocument
from aiogram.types import BufferedInputFile
from aiogram_dialog.utils import CB_SEP
from feed import ACCOUNTANT, REP, REP_ZH, SUPERVISOR, Fed
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from order_builders import SIGNED, contract_in_force, record_payment
from test_commission_dispatcher import file_january
from test_forms_dispatcher import buttons, window_text

from bot.core.errors import NotAllowed, NotFound
from bot.core.usecases import exports
from bot.ui.commission_cards import CommissionAct, CommissionCb

TODAY = "2026-11-23"  # the fake clock's day in Shanghai
NUMBER = "HT-2026-0001"
ZHAO_LEI_ID, SUN_LI_ID = 6, 7  # record ids (order_builders)


def document(fed: Fed, user_id: int) -> BufferedInputFile:
    [sent] = [c for c in fed.session.calls if isinstance(c, SendDocument) and c.chat_id == user_id]
    assert isinstance(sent.document, BufferedInputFile)
    return sent.document


def caption(fed: Fed, user_id: int) -> str:
    [sent] = [c for c in fed.session.calls if isinstance(c, SendDocument) and c.chat_id == user_id]
    return sent.caption or ""


def sheet(file: BufferedInputFile, index: int = 0) -> Worksheet:
    book = load_workbook(io.BytesIO(file.data))
    found: Worksheet = book.worksheets[index]
    return found


def values(ws: Worksheet) -> list[list[object]]:
    return [[c.value for c in row] for row in ws.iter_rows()]


async def test_a_rep_exports_their_target_customers_as_excel(fed: Fed) -> None:
    await fed.send(REP, "/customer")
    await fed.click(REP, "📥 Export")
    offered = buttons(fed, REP)
    assert {"Target customers", "Visit log", "Contract ledger"} <= set(offered)
    assert "Collections and ageing" not in offered, "a rep has no collection analysis"

    await fed.click(REP, "Target customers")
    await fed.click(REP, "📊 Excel")
    file = document(fed, REP)
    assert file.filename == f"target-customers-{TODAY}.xlsx"
    assert "Target customers: 2 rows." in caption(fed, REP)
    ws = sheet(file)
    rows = values(ws)
    assert rows[0][:4] == ["Customer", "Status", "Contact", "Phone"]
    names = {r[0] for r in rows[1:]}
    assert names == {"Minghua Trading Co., Ltd.", "Golden Dragon Pipes"}
    assert "华东五金有限公司" not in names, "Sun Li's customer is not Zhao Lei's to export"
    dragon = next(r for r in rows[1:] if r[0] == "Golden Dragon Pipes")
    header = rows[0]
    assert dragon[header.index("Phone")] == "+862168888888"
    assert dragon[header.index("Visits")] == 1
    assert dragon[header.index("Latest intent")] == "Low"
    assert dragon[header.index("Last visit")] == datetime(2026, 11, 22)
    assert ws.freeze_panes == "A2"
    assert "Customers" in window_text(fed, REP), "the /customer menu is back below the file"


async def test_the_visit_log_arrives_as_csv_in_chinese(fed: Fed) -> None:
    await fed.send(REP_ZH, "/customer")
    await fed.click(REP_ZH, "📥")
    await fed.click(REP_ZH, "拜访记录")
    await fed.click(REP_ZH, "本月")
    await fed.click(REP_ZH, "📄 CSV")
    file = document(fed, REP_ZH)
    assert file.filename == "visit-log-2026-11-01_2026-11-30.csv"
    assert file.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(file.data.decode("utf-8-sig"))))
    assert rows[0][0] == "日期"
    assert rows[1:] == [], "Sun Li logged no visit; Zhao Lei's is not hers"

    await fed.send(REP, "/customer")
    await fed.click(REP, "📥 Export")
    await fed.click(REP, "Visit log")
    await fed.click(REP, "This month")
    await fed.click(REP, "📄 CSV")
    text = document(fed, REP).data.decode("utf-8-sig")
    assert text.endswith("\r\n")
    [_header, visit] = list(csv.reader(io.StringIO(text)))
    assert visit[:5] == ["2026-11-22", "Zhao Lei", "Golden Dragon Pipes", "First visit", "Low"]


async def test_the_customer_csv_neutralises_a_phone_that_starts_with_plus(fed: Fed) -> None:
    await fed.send(REP, "/customer")
    await fed.click(REP, "📥 Export")
    await fed.click(REP, "Target customers")
    await fed.click(REP, "📄 CSV")
    text = document(fed, REP).data.decode("utf-8-sig")
    assert ",'+8613800138000," in text
    assert ",+8613800138000," not in text


async def test_the_ledger_export_carries_the_ledgers_figures(fed: Fed) -> None:
    await contract_in_force(fed)
    await record_payment(fed, Decimal(5000), "HX-77")
    await fed.send(ACCOUNTANT, "/contract")
    await fed.click(ACCOUNTANT, "📥")
    await fed.click(ACCOUNTANT, "合同台帐")
    await fed.click(ACCOUNTANT, "📊 Excel")
    file = document(fed, ACCOUNTANT)
    assert file.filename == f"contract-ledger-{TODAY}.xlsx"
    ws = sheet(file)
    header = [c.value for c in ws[1]]
    assert header[:3] == ["合同", "客户", "业务员"]
    row = dict(zip(header, ws[2], strict=True))
    assert row["合同"].value == NUMBER
    amount = row["金额 (CNY)"]
    assert amount.value == 102000
    assert amount.data_type == "n"
    assert amount.number_format == "#,##0.00"
    assert row["已收 (CNY)"].value == 25000
    assert row["回款比例"].value == 0.245  # 24.50 %
    assert row["回款比例"].number_format == "0.00%"
    assert row["未收 (CNY)"].value == 77000


async def test_a_manager_exports_collections_and_ageing(fed: Fed) -> None:
    await contract_in_force(fed)
    await fed.send(SUPERVISOR, "/contract")
    await fed.click(SUPERVISOR, "📥 Export")
    await fed.click(SUPERVISOR, "Collections and ageing")
    await fed.click(SUPERVISOR, "🗓")
    offered = {int(b) for b in buttons(fed, SUPERVISOR) if b.strip("[] ").isdigit()}
    assert offered == set(range(1, 24)), "no day after today"
    await tap_day(fed, SUPERVISOR, 1)
    await tap_day(fed, SUPERVISOR, 23)  # today
    assert "2026-11-01 – 2026-11-23" in window_text(fed, SUPERVISOR)
    await fed.click(SUPERVISOR, "📊 Excel")
    file = document(fed, SUPERVISOR)
    assert file.filename == "collections-ageing-2026-11-01_2026-11-23.xlsx"
    header = values(sheet(file))[0]
    assert header[-4:] == [
        "Overdue 1–30 days (CNY)",
        "Overdue 31–60 days (CNY)",
        "Overdue 61–90 days (CNY)",
        "Overdue over 90 days (CNY)",
    ]


async def tap_day(fed: Fed, user_id: int, day: int) -> None:
    window = fed.window(user_id)
    assert window.reply_markup is not None
    [data] = [
        b.callback_data
        for row in window.reply_markup.inline_keyboard  # type: ignore[union-attr]
        for b in row
        if b.text.strip("[] ").lstrip("0") == str(day) and b.callback_data
    ]
    await fed.tap(user_id, data, message=window)


async def test_a_commission_sheet_arrives_as_a_workbook_from_its_screen(fed: Fed) -> None:
    """January's sheet of test_commission_dispatcher: ¥40,000 × 2 % = ¥800.00, less ¥67.40 of
    overdue interest: ¥732.60 payable, the two payments traced."""
    await file_january(fed)
    await fed.tap(ACCOUNTANT, CommissionCb(sheet=1, act=CommissionAct.open).pack())
    await fed.settle()
    await fed.click(ACCOUNTANT, "📥 Excel")
    file = document(fed, ACCOUNTANT)
    assert file.filename == "commission-sheet-2027-01-Zhao Lei.xlsx"
    book = load_workbook(io.BytesIO(file.data))
    assert book.sheetnames == ["提成表", "合同", "付款"]
    summary = values(book["提成表"])
    assert summary[1] == ["Zhao Lei", "2027-01", 800, 67.4, 732.6]
    [line] = values(book["合同"])[1:]
    assert line[:4] == [NUMBER, "Minghua Trading Co., Ltd.", 2, 40000]
    assert book["合同"]["E2"].number_format == "0.00%"
    assert book["合同"]["E2"].value == 0.02
    paid = values(book["付款"])[1:]
    assert sorted((r[0], r[3], r[5]) for r in paid) == [
        (datetime(2026, 12, 20), 30000, "BK-77"),
        (datetime(2027, 1, 10), 10000, "BK-78"),
    ]


async def test_another_rep_may_not_export_a_sheet_that_is_not_theirs(fed: Fed) -> None:
    await file_january(fed)
    async with fed.uow() as uow:
        with pytest.raises(NotFound):
            await exports.commission_export(uow, SUN_LI_ID, 1, fed.app.policy)
        view = await exports.commission_export(uow, ZHAO_LEI_ID, 1, fed.app.policy)
    assert view.sheet.total.payable == Decimal("732.60"), "the rep's own sheet is theirs to export"


async def test_a_forged_tap_on_an_export_not_offered_sends_nothing(fed: Fed) -> None:
    """A rep is not offered collections; a tap forged with its item id is refused as a button
    not on screen, and the use case refuses it too, whatever the form shows."""
    await fed.send(REP, "/customer")
    await fed.click(REP, "📥 Export")
    window = fed.window(REP)
    forged = fed.intent(window) + CB_SEP + "k:collections"
    answer = fed.answer(await fed.tap(REP, forged, message=window))
    assert answer is not None
    assert (answer.text, answer.show_alert) == ("This button is no longer active.", True)
    assert not [c for c in fed.session.calls if isinstance(c, SendDocument)]
    async with fed.uow() as uow:
        with pytest.raises(NotAllowed):
            await exports.collections_export(
                uow,
                ZHAO_LEI_ID,
                exports.Period(SIGNED.date(), SIGNED.date()),
                SIGNED.date(),
                fed.app.policy,
            )


async def test_a_cut_export_says_so_under_the_file(
    fed: Fed, monkeypatch: pytest.MonkeyPatch
) -> None:
    await contract_in_force(fed)
    await contract_in_force(fed, customer_id=2, number="HT-2026-0002")
    monkeypatch.setattr(exports, "MAX_ROWS", 1)
    await fed.send(ACCOUNTANT, "/contract")
    await fed.click(ACCOUNTANT, "📥")
    await fed.click(ACCOUNTANT, "合同台帐")
    await fed.click(ACCOUNTANT, "📊 Excel")
    assert caption(fed, ACCOUNTANT) == ("📥 合同台帐：共 1 行。\n一个文件最多 1 行。")
    assert [r[0] for r in values(sheet(document(fed, ACCOUNTANT)))[1:]] == ["HT-2026-0002"]
    monkeypatch.setattr(exports, "MAX_ROWS", 100_000)
    await fed.send(REP, "/customer")
    await fed.click(REP, "📥 Export")
    await fed.click(REP, "Target customers")
    monkeypatch.setattr(exports, "MAX_ROWS", 1)
    await fed.click(REP, "📄 CSV")
    assert len(document(fed, REP).data.decode("utf-8-sig").splitlines()) == 2, "header, 1 row"
    assert caption(fed, REP).endswith("Only the first 1 rows fit in one file.")


async def test_help_says_where_exports_are_for_each_role(fed: Fed) -> None:
    await fed.send(REP, "/help")
    said = fed.replies(REP)[-1]
    assert "In /customer, 📥 Export: the target customer table" in said
    assert "In /contract, 📥 Export: the contract ledger" in said
    await fed.send(ACCOUNTANT, "/help")
    said = fed.replies(ACCOUNTANT)[-1]
    assert "在 /contract 中点 📥 导出" in said
    assert "在 /customer 中点" not in said, "finance keeps no customer register"
