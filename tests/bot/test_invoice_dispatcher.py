"""Invoices through the bot (dispatcher tier), on a contract in force of ¥102,000.00 with its
¥20,000.00 deposit in: the rep is refused on the card in one sentence with the figures, and
still at ¥61,199.99 (59.99 %); one cent more opens the gate; the rep asks for the whole amount;
the finance VP signs on the engine's card; the accountant issues it from the button with the
number and today's date; the rep's card shows the invoice and the balance (合同余款). Taps by the
wrong people change nothing."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from feed import ACCOUNTANT, MANAGER, REP, REP_ZH, SUPERVISOR, Fed
from order_builders import ACCOUNTANT_ID, SIGNED, contract_in_force
from test_forms_dispatcher import buttons, window_text

from bot.core.payments import PaymentDraft, PaymentMethod
from bot.ui.cards import Act, ApprovalCb
from bot.ui.invoice_cards import InvoiceCb

DESK, FINANCE_VP = 1008, 1009
FINANCE_VP_ID = 10


def rows(fed: Fed, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(fed.db_path) as db:
        return db.execute(query).fetchall()


async def paid(fed: Fed, amount: str) -> None:
    async with fed.uow() as uow:
        draft = PaymentDraft(1, Decimal(amount), SIGNED.date(), PaymentMethod.bank_transfer)
        await uow.payments.add(draft, recorded_by=ACCOUNTANT_ID, now=SIGNED)
        await uow.commit()


async def open_card(fed: Fed, who: int) -> None:
    await fed.send(who, "/contract")
    await fed.click(who, "HT-2026-0001")


async def ask(fed: Fed, who: int = REP) -> str:
    await open_card(fed, who)
    return await fed.click(who, "🧾 Ask for an invoice")


def refusal(fed: Fed, callback: str) -> str:
    answer = fed.answer(callback)
    assert answer is not None
    assert answer.show_alert
    return str(answer.text)


async def test_the_gate_refuses_with_the_figures_below_60_percent(fed: Fed) -> None:
    await contract_in_force(fed)

    first = refusal(fed, await ask(fed))
    await paid(fed, "41199.99")
    second = refusal(fed, await ask(fed))

    assert first == ("No invoice yet: collected 19.60 % of ¥102,000.00 — ¥41,200.00 more needed.")
    assert second == "No invoice yet: collected 59.99 % of ¥102,000.00 — ¥0.01 more needed."
    assert rows(fed, "SELECT id FROM invoices") == []
    assert "🧾 Ask for an invoice" in buttons(fed, REP), "back on the card"


async def test_only_the_rep_and_the_desk_see_the_button(fed: Fed) -> None:
    await contract_in_force(fed)

    for who in (SUPERVISOR, MANAGER, ACCOUNTANT, FINANCE_VP):
        await open_card(fed, who)
        assert "🧾 Ask for an invoice" not in buttons(fed, who), who
    for who in (REP, DESK):
        await open_card(fed, who)
        assert "🧾 Ask for an invoice" in buttons(fed, who)


async def test_asked_signed_issued_and_the_balance_followed(fed: Fed) -> None:
    await contract_in_force(fed)
    await paid(fed, "41200")  # 61,200.00 of 102,000.00: exactly 60.00 %

    await ask(fed)
    assert "Not invoiced yet: ¥102,000.00" in window_text(fed, REP)
    await fed.send(REP, "102000.01")  # more than the contract: refused, asked again
    assert fed.replies(REP)[-1] == (
        "The invoice amount is above zero and at most ¥102,000.00, not ¥102,000.01."
    )
    assert "Not invoiced yet: ¥102,000.00" in window_text(fed, REP)
    assert rows(fed, "SELECT id FROM invoices") == []
    await fed.click(REP, "🧾 ¥102,000.00")
    assert "The finance VP has it to sign." in window_text(fed, REP)
    assert rows(fed, "SELECT amount, status, collected FROM invoices") == [
        ("102000.00", "asked", "61200.00")
    ]
    [(step_id, approver)] = rows(
        fed,
        "SELECT s.id, s.approver_id FROM approval_steps s JOIN approval_requests r "
        "ON r.id = s.request_id WHERE r.kind = 'invoice'",
    )
    assert approver == FINANCE_VP_ID
    cards = rows(fed, "SELECT recipient_id, params FROM outbox WHERE template = 'approval_card'")
    [(to, card)] = [(r, p) for r, p in cards if '"kind": "invoice"' in str(p)]
    assert to == FINANCE_VP_ID
    assert '"percent": "60.00"' in str(card)
    assert '"balance": "40800.00"' in str(card)

    await fed.tap(FINANCE_VP, ApprovalCb(step=int(step_id), act=Act.approve).pack())
    assert rows(fed, "SELECT status FROM invoices") == [("approved",)]
    told = rows(fed, "SELECT recipient_id FROM outbox WHERE template = 'invoice_to_issue'")
    assert told == [(ACCOUNTANT_ID,)]

    before = fed.rows()
    for someone in (REP, DESK, FINANCE_VP, REP_ZH):
        refusal(fed, await fed.tap(someone, InvoiceCb(invoice=1).pack()))
    assert fed.rows() == before, "only an accountant issues"

    await fed.tap(ACCOUNTANT, InvoiceCb(invoice=1).pack())  # the button on her message
    assert "发票号码？" in window_text(fed, ACCOUNTANT)
    await fed.send(ACCOUNTANT, "/pending")  # or from her queue
    assert "<b>待开发票：1</b>" in window_text(fed, ACCOUNTANT)
    await fed.click(ACCOUNTANT, "🧾 HT-2026-0001")
    assert "发票号码？" in window_text(fed, ACCOUNTANT)
    await fed.send(ACCOUNTANT, "FP-1")  # a dash: refused, asked again
    assert "字母和数字" in fed.replies(ACCOUNTANT)[-1]
    with sqlite3.connect(fed.db_path) as db:  # an earlier invoice of the contract, issued
        db.execute(
            "INSERT INTO invoices (contract_id, amount, collected, status, asked_by, asked_at,"
            " number) VALUES (1, 1.00, 1.00, 'issued', 6, '2026-11-23 02:00:00', 'FP7')"
        )
    await fed.send(ACCOUNTANT, "fp7")  # that number again: refused, asked again
    assert "FP7" in fed.replies(ACCOUNTANT)[-1]
    assert "HT-2026-0001" in fed.replies(ACCOUNTANT)[-1]
    assert "发票号码？" in window_text(fed, ACCOUNTANT)
    await fed.send(ACCOUNTANT, "fp20261130")
    assert "号码 FP20261130" in window_text(fed, ACCOUNTANT)
    await fed.click(ACCOUNTANT, "💾")

    assert rows(fed, "SELECT status, number, issued_by FROM invoices WHERE id = 1") == [
        ("issued", "FP20261130", ACCOUNTANT_ID)
    ]
    told = rows(fed, "SELECT recipient_id FROM outbox WHERE template = 'invoice_issued'")
    assert sorted(told) == [(6,), (9,)]  # the rep (who asked), the sales desk
    await open_card(fed, REP)
    card_text = window_text(fed, REP)
    assert "Invoice No. FP20261130" in card_text
    assert "Balance (合同余款): <b>¥40,800.00</b>" in card_text
