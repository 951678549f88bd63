"""Issue 13 through the bot (dispatcher tier): the contract card shows what overdue money
costs and the customer's credit; the customer card's money line; the approval card's hold
warning. Today is Mon 2026-11-23 in the harness; the contract of `contract_in_force` owes
¥50,000.00 on 12-31 and ¥32,000.00 on 2027-01-31 after its ¥20,000.00 deposit."""

from __future__ import annotations

import sqlite3

from feed import REP, SUPERVISOR, Fed
from order_builders import contract_in_force
from test_forms_dispatcher import window_text

NUMBER = "HT-2026-0001"


def first_instalment_due(fed: Fed, day: str) -> None:
    with sqlite3.connect(fed.db_path) as db:
        db.execute("UPDATE instalments SET due = ? WHERE position = 0", (day,))


async def test_the_card_shows_interest_the_deduction_and_the_credit_hold(fed: Fed) -> None:
    await contract_in_force(fed)
    first_instalment_due(fed, "2026-11-01")  # 22 days late

    await fed.send(SUPERVISOR, "/contract")
    await fed.click(SUPERVISOR, "Overdue")
    await fed.click(SUPERVISOR, f"⚠️ {NUMBER}")
    card = window_text(fed, SUPERVISOR)
    assert "Overdue: <b>¥50,000.00</b> · since Sun 11-01 · 22 days late" in card
    # 50,000.00 × 6 % × 22 ÷ 365 = 180.8219… → 180.82, all of it off the commission
    assert "Overdue interest to date: ¥180.82 · 6 % a year" in card
    assert "Deducted from the commission: ¥180.82" in card
    # 50,000.00 overdue is 61 % of the 82,000.00 outstanding: at least 30 % → hold
    assert "Customer credit: ⚠️ <b>on hold</b> · ¥50,000.00 overdue on all its contracts" in card


async def test_a_contract_paid_on_time_costs_nothing_and_its_customer_is_good(fed: Fed) -> None:
    await contract_in_force(fed)
    await fed.send(REP, "/contract")
    await fed.click(REP, f"{NUMBER} ·")
    card = window_text(fed, REP)
    assert "Overdue interest" not in card
    assert "Customer credit: <b>good</b>" in card


async def test_the_ledger_by_customer_sums_its_contracts_and_flags_days_late(fed: Fed) -> None:
    await contract_in_force(fed)
    first_instalment_due(fed, "2026-11-01")
    await fed.send(SUPERVISOR, "/contract")
    await fed.click(SUPERVISOR, "🔎 By customer")
    await fed.send(SUPERVISOR, "Minghua")
    ledger = window_text(fed, SUPERVISOR)
    assert "outstanding: ¥82,000.00 · overdue: ¥50,000.00 · 22 days late" in ledger
    assert "Σ All these contracts: <b>¥102,000.00</b> · collected: ¥20,000.00 (19.6 %)" in ledger
    assert "Customer credit: on hold" in ledger


async def test_the_customer_card_has_its_money_line_and_credit(fed: Fed) -> None:
    await contract_in_force(fed)
    first_instalment_due(fed, "2026-11-01")
    await fed.send(REP, "/customer")
    await fed.click(REP, "📋 My customers")
    label = next(
        button.text
        for row in fed.window(REP).reply_markup.inline_keyboard  # type: ignore[union-attr]
        for button in row
        if "Minghua" in button.text
    )
    await fed.click(REP, label)
    card = window_text(fed, REP)
    assert (
        "💰 1 contract: ¥102,000.00 · collected: ¥20,000.00 (19.6 %) · outstanding: ¥82,000.00"
        " · ⚠️ overdue: ¥50,000.00 · 22 days late"
    ) in card
    assert "Customer credit: ⚠️ <b>on hold</b>" in card


async def test_a_customer_without_contracts_has_no_money_line(fed: Fed) -> None:
    await fed.send(REP, "/customer")
    await fed.click(REP, "📋 My customers")
    label = next(
        button.text
        for row in fed.window(REP).reply_markup.inline_keyboard  # type: ignore[union-attr]
        for button in row
        if "Minghua" in button.text
    )
    await fed.click(REP, label)
    assert "💰" not in window_text(fed, REP)


async def test_the_approver_reads_the_credit_hold_on_the_request_card(fed: Fed) -> None:
    """The demo's request #1 for Minghua waits for the supervisor in /pending."""
    await contract_in_force(fed)
    first_instalment_due(fed, "2026-11-01")
    await fed.send(SUPERVISOR, "/pending")
    await fed.click(SUPERVISOR, "#1")
    card = window_text(fed, SUPERVISOR)
    assert "⚠️ <b>Customer on credit hold: ¥50,000.00 overdue for 22 days</b>" in card


async def test_a_good_customer_shows_no_credit_line_on_the_request_card(fed: Fed) -> None:
    await contract_in_force(fed)
    await fed.send(SUPERVISOR, "/pending")
    await fed.click(SUPERVISOR, "#1")
    card = window_text(fed, SUPERVISOR)
    assert "credit" not in card
    assert "Special terms request #1" in card
