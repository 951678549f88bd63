"""Payments and follow-on work orders through the bot (dispatcher tier), on a contract in force
(¥102,000.00: deposit ¥20,000 in, ¥50,000 due Dec 31, ¥32,000 due Jan 31): the desk is refused
a work order before the first payment; the accountant records ¥50,000 from /pending; the desk
files the work order, the sales manager signs it from his card and assigns He Ping, who records
the acceptance report; the printable page opens in Chinese for a Chinese reader."""

from __future__ import annotations

import sqlite3
from io import BytesIO

from aiogram.methods import SendDocument
from aiogram.types import BufferedInputFile
from feed import ACCOUNTANT, MANAGER, REP, VP, Fed
from order_builders import contract_in_force
from pypdf import PdfReader
from test_forms_dispatcher import buttons, window_text

from bot.ui.cards import WorkOrderAct, WorkOrderCb

DESK, HE_PING = 1008, 1010
TASK = "Commission the pipeline and train two operators"
REFUSAL = (
    "No follow-on work before the customer's first payment: contract HT-2026-0001 has received "
    "nothing yet against its first instalment of ¥50,000.00 due Thu 12-31 (the deposit of "
    "¥20,000.00 does not count)."
)


def rows(fed: Fed, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(fed.db_path) as db:
        return db.execute(query).fetchall()


def queued(fed: Fed, template: str) -> list[tuple[object, ...]]:
    return rows(fed, f"SELECT recipient_id, params FROM outbox WHERE template = '{template}'")


async def pick_contract(fed: Fed, who: int, start: str) -> str:
    await fed.send(who, "/pending")
    await fed.click(who, start)
    await fed.send(who, "HT-2026")
    return await fed.click(who, "HT-2026-0001")


async def file_work_order(fed: Fed) -> None:
    await pick_contract(fed, DESK, "🛠 File a work order")
    assert "The task for customer service?" in window_text(fed, DESK)
    await fed.send(DESK, TASK)
    assert f"Task: {TASK}" in window_text(fed, DESK)
    await fed.click(DESK, "💾 File")


async def record_payment(fed: Fed) -> None:
    await pick_contract(fed, ACCOUNTANT, "💵 登记回款")  # the demo's accountant reads Chinese
    assert "未收 ¥82,000.00" in window_text(fed, ACCOUNTANT)
    assert "↩️ ¥82,000.00" in buttons(fed, ACCOUNTANT)
    await fed.send(ACCOUNTANT, "5万")
    await fed.click(ACCOUNTANT, "银行转账")
    summary = window_text(fed, ACCOUNTANT)
    assert "实收：<b>¥50,000.00</b>" in summary
    assert "付款方式：银行转账" in summary
    await fed.click(ACCOUNTANT, "💾")


async def test_the_desk_is_refused_a_work_order_before_the_first_payment(fed: Fed) -> None:
    await contract_in_force(fed)

    callback = await pick_contract(fed, DESK, "🛠 File a work order")

    answer = fed.answer(callback)
    assert answer is not None
    assert (answer.text, answer.show_alert) == (REFUSAL, True)
    assert rows(fed, "SELECT id FROM work_orders") == []
    assert "File a work order" in window_text(fed, DESK), "back at the finder"


async def test_the_accountant_records_a_payment_from_pending(fed: Fed) -> None:
    await contract_in_force(fed)

    await record_payment(fed)

    assert "这是该合同的首笔回款。" in window_text(fed, ACCOUNTANT)
    assert rows(fed, "SELECT amount, method, recorded_by FROM payments") == [
        ("50000.00", "bank_transfer", 8)
    ]
    told = queued(fed, "payment_received")
    assert {recipient for recipient, _params in told} == {6, 5}  # the rep, their supervisor
    assert all('"first": true' in str(params) for _r, params in told)


async def test_an_over_payment_is_refused_as_it_is_typed(fed: Fed) -> None:
    await contract_in_force(fed)
    await pick_contract(fed, ACCOUNTANT, "💵 登记回款")

    await fed.send(ACCOUNTANT, "82000.01")

    assert "最多还能登记 ¥82,000.00" in fed.replies(ACCOUNTANT)[-1]
    assert "实收金额？" in window_text(fed, ACCOUNTANT), "asked again"


async def test_a_work_order_from_filing_to_acceptance(fed: Fed) -> None:
    await contract_in_force(fed)
    await record_payment(fed)

    await file_work_order(fed)
    assert "The sales manager has it to sign" in window_text(fed, DESK)
    assert [r for r, _p in queued(fed, "work_order_to_sign")] == [4]  # Liu Yang

    await fed.tap(MANAGER, WorkOrderCb(order=1, act=WorkOrderAct.sign).pack())
    assert "Signed by: Liu Yang" in window_text(fed, MANAGER)
    await fed.click(MANAGER, "👤 Assign customer service")
    await fed.click(MANAGER, "He Ping")
    assert "Assigned to: He Ping" in window_text(fed, MANAGER)
    assert [r for r, _p in queued(fed, "work_order_assigned")] == [11]

    await fed.send(HE_PING, "/pending")
    assert "Your work orders" in window_text(fed, HE_PING)
    await fed.click(HE_PING, "🛠 HT-2026-0001")
    await fed.click(HE_PING, "📝 Acceptance report")
    await fed.send(HE_PING, "Pipeline commissioned; operators trained; customer signed off.")

    assert "done: the acceptance report is in" in window_text(fed, HE_PING)
    assert rows(fed, "SELECT status, assignee_id, acceptance FROM work_orders") == [
        ("accepted", 11, "Pipeline commissioned; operators trained; customer signed off.")
    ]
    assert {r for r, _p in queued(fed, "work_order_accepted")} == {6, 9}  # the rep, the desk


async def test_the_rep_cannot_sign_and_a_second_sign_is_refused(fed: Fed) -> None:
    await contract_in_force(fed)
    await record_payment(fed)
    await file_work_order(fed)
    data = WorkOrderCb(order=1, act=WorkOrderAct.sign).pack()

    refused = fed.answer(await fed.tap(REP, data))
    await fed.tap(MANAGER, data)
    again = fed.answer(await fed.tap(MANAGER, data))

    assert refused is not None
    assert refused.text == "Sorry, your role does not allow that."
    assert again is not None
    assert again.text == "This work order has already moved past that step."
    assert rows(fed, "SELECT status, signed_by FROM work_orders") == [("signed", 4)]


async def test_the_work_order_prints_in_chinese_for_a_chinese_reader(fed: Fed) -> None:
    await contract_in_force(fed)
    await record_payment(fed)
    await file_work_order(fed)
    await fed.tap(MANAGER, WorkOrderCb(order=1, act=WorkOrderAct.sign).pack())

    await fed.tap(VP, WorkOrderCb(order=1, act=WorkOrderAct.open).pack())  # up the rep's line
    await fed.click(VP, "📄 PDF")

    [sent] = [c for c in fed.session.calls if isinstance(c, SendDocument)]
    assert sent.chat_id == VP
    assert isinstance(sent.document, BufferedInputFile)
    assert sent.document.filename == "派工单 HT-2026-0001-1.pdf"
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(sent.document.data)).pages)
    for expected in (
        "派工单",
        "客户",
        "Minghua Trading",
        "工作内容",
        TASK,
        "销售经理签字",
        "Liu Yang",
    ):
        assert expected in text


async def test_the_contract_finder_can_be_left_before_anything_is_typed(fed: Fed) -> None:
    """Before: the finder the payment and work order forms open with had no button at all,
    and every message typed to leave it was taken as a search."""
    for who, start in ((DESK, "🛠 File a work order"), (ACCOUNTANT, "💵 登记回款")):
        await fed.send(who, "/pending")
        await fed.click(who, start)
        assert buttons(fed, who)[-1] in ("✖ Cancel", "✖ 取消")

        await fed.click(who, "✖")

        assert start in buttons(fed, who), "back at /pending"
