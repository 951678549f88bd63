"""The signed reservation and the deposit through the bot (dispatcher tier): the rep records
the reservation from the approved request, the accountant the deposit from /pending or from
the "expect a deposit" message; wrong input re-asks, other people's taps are refused."""

from __future__ import annotations

import sqlite3

from feed import ACCOUNTANT, REP, SUPERVISOR, Fed
from test_forms_dispatcher import buttons, window_text

from bot.ui.cards import DealAct, DealCb

PAGE = "AgACAgIAAxkBAAIBsigned"


async def won(fed: Fed) -> None:
    with sqlite3.connect(fed.db_path) as db:  # the demo's request #1, approved up the chain
        db.execute("UPDATE approval_requests SET status = 'approved' WHERE id = 1")
    await fed.send(REP, "/my")
    await fed.click(REP, "✅")
    await fed.click(REP, "🤝 The customer agreed: record the deal")


def deals(fed: Fed) -> list[tuple[object, ...]]:
    with sqlite3.connect(fed.db_path) as db:
        return db.execute(
            "SELECT id, stage, reserved_amount, expected_deposit FROM deals"
        ).fetchall()


def queued(fed: Fed, template: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(fed.db_path) as db:
        return db.execute(
            "SELECT recipient_id, ref FROM outbox WHERE template = ?", (template,)
        ).fetchall()


async def reserved(fed: Fed) -> None:
    await won(fed)
    await fed.click(REP, "✍️ Signed reservation")
    await fed.click(REP, "↩️")  # the approved terms' net amount
    await fed.send(REP, "20000")
    await fed.send_photo(REP, PAGE)
    await fed.click(REP, "💾 Save")


async def test_the_rep_records_the_signed_reservation_on_the_approved_terms(fed: Fed) -> None:
    await won(fed)
    await fed.click(REP, "✍️ Signed reservation")
    assert "The amount on the signed reservation?" in window_text(fed, REP)
    await fed.click(REP, "↩️")  # the approved terms' net amount, one tap
    assert "The deposit the customer is to pay?" in window_text(fed, REP)

    await fed.send(REP, "2万")
    assert window_text(fed, REP).startswith("✓ Deposit: ¥20,000.00")
    await fed.send(REP, "no photo, sorry")
    assert fed.replies(REP)[-1] == "Please send a photo of the signed page, or the file."
    await fed.send_photo(REP, PAGE)

    summary = window_text(fed, REP)
    assert "Approved terms of request #1" in summary
    assert "Deposit to pay: <b>¥20,000.00</b>" in summary
    assert "Signed page: 🖼 photo received" in summary
    await fed.click(REP, "💾 Save")

    assert "The accountant expects the deposit of ¥20,000.00" in window_text(fed, REP)
    [(_id, stage, _amount, deposit)] = deals(fed)
    assert (stage, deposit) == ("reserved", "20000.00")
    assert queued(fed, "deposit_expected") == [(8, "deposit:1")]  # the demo's accountant


async def test_a_deposit_over_the_amount_is_refused_and_the_form_keeps_its_answers(
    fed: Fed,
) -> None:
    await won(fed)
    await fed.click(REP, "✍️ Signed reservation")
    await fed.send(REP, "1000")
    await fed.send(REP, "1001")

    assert fed.replies(REP)[-1] == "The deposit cannot be larger than the amount."
    assert "The deposit the customer is to pay?" in window_text(fed, REP)
    await fed.send(REP, "1000")
    await fed.send_photo(REP, PAGE)
    assert "Reservation amount: <b>¥1,000.00</b>" in window_text(fed, REP)


async def test_the_accountant_records_the_deposit_from_pending(fed: Fed) -> None:
    await reserved(fed)

    await fed.send(ACCOUNTANT, "/pending")  # the demo's accountant reads Chinese
    assert "待收定金：1" in window_text(fed, ACCOUNTANT)
    await fed.click(ACCOUNTANT, "💰")
    assert "应收：¥20,000.00。实收金额？" in window_text(fed, ACCOUNTANT)
    await fed.send(ACCOUNTANT, "两万")  # typed the Chinese way
    await fed.click(ACCOUNTANT, "支票")
    await fed.send(ACCOUNTANT, "x" * 33)
    assert "32" in fed.replies(ACCOUNTANT)[-1]
    assert "您开具的收据号？" in window_text(fed, ACCOUNTANT), "asked again"
    await fed.send(ACCOUNTANT, "SJ-0042")

    summary = window_text(fed, ACCOUNTANT)
    assert "实收：<b>¥20,000.00</b>" in summary
    assert "收据号：SJ-0042" in summary
    assert "付款方式：支票" in summary
    await fed.click(ACCOUNTANT, "💾")

    assert [stage for _id, stage, *_ in deals(fed)] == ["deposit_paid"]
    with sqlite3.connect(fed.db_path) as db:
        assert db.execute("SELECT amount, method, receipt_no FROM deposits").fetchall() == [
            ("20000.00", "cheque", "SJ-0042")
        ]
    told = {recipient for recipient, _ref in queued(fed, "deposit_received")}
    assert told == {6, 5}  # the rep and their supervisor (the demo's ids)


async def test_the_expect_a_deposit_button_opens_the_form_for_the_accountant_only(
    fed: Fed,
) -> None:
    await reserved(fed)
    data = DealCb(deal=1, act=DealAct.deposit).pack()

    before = fed.rows()
    for someone in (REP, SUPERVISOR):
        callback = await fed.tap(someone, data)
        answer = fed.answer(callback)
        assert answer is not None
        assert answer.show_alert
    assert fed.rows() == before, "nothing changed"

    await fed.tap(ACCOUNTANT, data)
    assert "实收金额？" in window_text(fed, ACCOUNTANT)
    assert "↩️ ¥20,000.00" in buttons(fed, ACCOUNTANT)


async def test_the_rep_marks_the_deal_lost_from_the_card_with_a_reason(fed: Fed) -> None:
    await won(fed)
    await fed.send(REP, "/customer")
    await fed.click(REP, "📋 My customers")
    await fed.click(REP, "🏆 Minghua")
    await fed.click(REP, "✖ Deal lost")
    await fed.send(REP, "x" * 301)
    assert fed.replies(REP)[-1] == "That is 301 characters; please keep it to 300."
    await fed.send(REP, "Bought from a competitor")

    assert fed.replies(REP)[-1] == "Recorded: the deal is lost. The reason is kept with it."
    assert [stage for _id, stage, *_ in deals(fed)] == ["lost"]
    assert "✖ Deal lost" not in buttons(fed, REP), "nothing left to lose"
