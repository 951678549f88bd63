"""/contract through the bot (dispatcher tier): the ledger lists a contract in force, its card
shows the figures, another rep sees no such contract and a forged card id changes nothing; the
PDF summary arrives as a document, in Chinese for a reader of Chinese."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from io import BytesIO

from aiogram.methods import SendDocument
from aiogram.types import BufferedInputFile
from aiogram_dialog.utils import CB_SEP
from feed import ACCOUNTANT, REP, REP_ZH, SUPERVISOR, Fed
from order_builders import ACCOUNTANT_ID, SIGNED, contract_in_force, record_payment
from pypdf import PdfReader
from test_forms_dispatcher import buttons, window_text

from bot.core.payments import PaymentDraft, PaymentMethod

FINANCE_VP, CUSTOMER_SERVICE = 1009, 1010
NUMBER = "HT-2026-0001"


def documents(fed: Fed, user_id: int) -> list[SendDocument]:
    return [
        call
        for call in fed.session.calls
        if isinstance(call, SendDocument) and call.chat_id == user_id
    ]


def pdf_text(call: SendDocument) -> str:
    assert isinstance(call.document, BufferedInputFile)
    reader = PdfReader(BytesIO(call.document.data))
    return "\n".join(page.extract_text() for page in reader.pages)


async def test_the_rep_lists_the_contract_and_opens_its_card(fed: Fed) -> None:
    await contract_in_force(fed)
    await record_payment(fed, Decimal(5000), "HX-77")

    await fed.send(REP, "/contract")
    ledger = window_text(fed, REP)
    assert "Contract ledger" in ledger
    assert f"<b>{NUMBER}</b>" in ledger
    assert "¥102,000.00 · collected: 24 %" in ledger  # (20,000 + 5,000) ÷ 102,000
    assert "⚠️" not in ledger

    await fed.click(REP, f"{NUMBER} ·")
    card = window_text(fed, REP)
    assert f"📄 <b>{NUMBER}</b> · In force" in card
    assert "Steel pipes DN50 × 100 @ ¥1,000.00 −10 % = ¥90,000.00" in card
    assert "Amount: <b>¥102,000.00</b>" in card
    assert "Deposit received: ¥20,000.00" in card
    assert "¥5,000.00 · Bank transfer · HX-77" in card
    assert "Collected: <b>¥25,000.00</b> · 24 %" in card
    assert "Outstanding: ¥77,000.00" in card
    assert "Signed by (sales head): Liu Yang" in card
    assert "Co-signed by (finance): Zhou Min" in card
    assert "◐ Thu 12-31 · ¥50,000.00 · part paid · ¥5,000.00 paid" in card
    assert "📄 PDF" in buttons(fed, REP)

    await fed.click(REP, "📄 PDF")
    [sent] = documents(fed, REP)
    assert isinstance(sent.document, BufferedInputFile)
    assert sent.document.filename == f"Contract {NUMBER}.pdf"
    text = pdf_text(sent)
    for expected in ("Contract", "Payment schedule", "Instalment 1", "Sales head", "Finance"):
        assert expected in text, expected


async def test_an_overdue_contract_is_flagged_in_the_list_and_the_filter(fed: Fed) -> None:
    await contract_in_force(fed)
    with sqlite3.connect(fed.db_path) as db:  # the first instalment fell due in the past
        db.execute("UPDATE instalments SET due = '2026-11-01' WHERE position = 0")

    await fed.send(SUPERVISOR, "/contract")
    await fed.click(SUPERVISOR, "Overdue")
    ledger = window_text(fed, SUPERVISOR)
    assert f"⚠️ <b>{NUMBER}</b>" in ledger
    assert "Zhao Lei" in ledger, "a manager sees whose contract it is"
    await fed.click(SUPERVISOR, f"⚠️ {NUMBER}")
    assert "Overdue: <b>¥50,000.00</b> · since Sun 11-01" in window_text(fed, SUPERVISOR)


async def test_another_rep_sees_no_such_contract_and_a_forged_id_changes_nothing(
    fed: Fed,
) -> None:
    await contract_in_force(fed)
    await fed.send(REP, "/contract")
    opener = next(
        button.callback_data
        for row in fed.window(REP).reply_markup.inline_keyboard  # type: ignore[union-attr]
        for button in row
        if button.text.startswith(NUMBER)
    )
    assert opener is not None

    await fed.send(REP_ZH, "/contract")  # Sun Li reads Chinese
    assert "没有合同" in window_text(fed, REP_ZH)
    assert NUMBER not in window_text(fed, REP_ZH)
    before = fed.rows()
    intent = fed.intent(fed.window(REP_ZH))
    forged = intent + CB_SEP + opener.split(CB_SEP)[1]
    callback = await fed.tap(REP_ZH, forged, message=fed.window(REP_ZH))
    answer = fed.answer(callback)
    assert answer is not None
    assert answer.show_alert
    assert NUMBER not in window_text(fed, REP_ZH)
    assert fed.rows() == before


async def test_the_pdf_summary_is_sent_and_reads_in_chinese_for_finance(fed: Fed) -> None:
    await contract_in_force(fed)
    await fed.send(FINANCE_VP, "/contract")
    await fed.click(FINANCE_VP, NUMBER)
    await fed.click(FINANCE_VP, "📄 PDF")

    [sent] = documents(fed, FINANCE_VP)
    assert isinstance(sent.document, BufferedInputFile)
    assert sent.document.filename == f"合同 {NUMBER}.pdf"
    text = pdf_text(sent)
    for expected in (
        "合同",
        NUMBER,
        "客户",
        "Steel pipes DN50",
        "合计",
        "¥102,000.00",
        "付款计划",
        "定金",
        "第 1 期",
        "销售负责人",
        "Liu Yang",
        "财务",
        "Zhou Min",
    ):
        assert expected in text, expected
    assert f"📄 <b>{NUMBER}</b> · 生效中" in window_text(fed, FINANCE_VP), "the card again below"


async def test_the_accountant_reads_the_ledger_in_chinese(fed: Fed) -> None:
    await contract_in_force(fed)
    await fed.send(ACCOUNTANT, "/contract")
    assert "合同台帐" in window_text(fed, ACCOUNTANT)
    assert f"<b>{NUMBER}</b>" in window_text(fed, ACCOUNTANT)


async def test_customer_service_has_no_ledger(fed: Fed) -> None:
    await contract_in_force(fed)
    await fed.send(CUSTOMER_SERVICE, "/contract")
    assert fed.replies(CUSTOMER_SERVICE)[-1] == "Sorry, your role does not allow that."
    assert not fed.windows(CUSTOMER_SERVICE)


async def test_from_the_card_the_desk_reaches_delivery_and_files_a_work_order(fed: Fed) -> None:
    desk = 1008
    await contract_in_force(fed)
    await fed.send(desk, "/contract")
    await fed.click(desk, f"{NUMBER} ·")

    callback = await fed.click(desk, "🛠 File a work order")
    answer = fed.answer(callback)
    assert answer is not None
    assert "No follow-on work before the customer's first payment" in (answer.text or "")
    assert f"{NUMBER}" in (fed.window(desk).text or ""), "back on the card"

    async with fed.uow() as uow:
        await uow.payments.add(
            PaymentDraft(1, Decimal(1), SIGNED.date(), PaymentMethod.cash, None),
            recorded_by=ACCOUNTANT_ID,
            now=SIGNED,
        )
        await uow.commit()
    await fed.click(desk, "🛠 File a work order")
    assert "The task for customer service?" in (fed.window(desk).text or "")
    await fed.send(desk, "Install and commission the line")
    await fed.click(desk, "💾")
    with sqlite3.connect(fed.db_path) as db:
        assert db.execute("SELECT task, status FROM work_orders").fetchall() == [
            ("Install and commission the line", "filed")
        ]

    await fed.send(desk, "/contract")
    await fed.click(desk, f"{NUMBER} ·")
    await fed.click(desk, "🚚 Production and delivery")
    assert NUMBER in (fed.window(desk).text or "")
