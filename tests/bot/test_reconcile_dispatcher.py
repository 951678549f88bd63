"""The monthly ledger reconciliation through the bot (dispatcher tier): on Dec 2 the sales
desk confirms November's totals from /pending as they stand (Zhao Lei's contract of
¥102,000.00 co-signed Nov 30 with its ¥20,000.00 deposit); the accountant, reading Chinese,
types her own deposit figure (a wrong one first: asked again) and confirms; the month is
reconciled, the finance VP is told the difference, and /pending offers it no more."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from feed import ACCOUNTANT, Fed
from harness import FakeClock
from order_builders import contract_in_force
from test_forms_dispatcher import window_text

DESK = 1008
DEC_2 = datetime(2026, 12, 2, 2, tzinfo=UTC)


def rows(fed: Fed, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(fed.db_path) as db:
        return db.execute(query).fetchall()


async def test_the_desk_and_the_accountant_reconcile_november(fed: Fed) -> None:
    await contract_in_force(fed)
    clock = fed.app.jobs._clock  # the one clock of the app and its dispatcher
    assert isinstance(clock, FakeClock)
    clock.now = DEC_2

    await fed.send(DESK, "/pending")
    assert "The ledger for 2026-11 waits for your confirmation" in window_text(fed, DESK)
    await fed.click(DESK, "📒 Reconcile the ledger · 2026-11")
    totals = window_text(fed, DESK)
    assert "Contracts signed: 1" in totals
    assert "Amount signed: ¥102,000.00" in totals
    assert "Deposits received: ¥20,000.00" in totals
    assert "Outstanding at month end: ¥82,000.00" in totals
    await fed.click(DESK, "✅ Confirm")
    assert rows(fed, "SELECT role, figures FROM reconciliation_confirmations") == [
        ("sales_desk", "{}")
    ]

    await fed.send(ACCOUNTANT, "/pending")
    await fed.click(ACCOUNTANT, "📒 核对台帐 · 2026-11")
    await fed.click(ACCOUNTANT, "✏️")
    await fed.click(ACCOUNTANT, "收到定金")
    await fed.send(ACCOUNTANT, "abc")
    assert "您的数字" in window_text(fed, ACCOUNTANT), "asked again"
    await fed.send(ACCOUNTANT, "1.9万")
    assert "✏️ 收到定金：¥19,000.00" in window_text(fed, ACCOUNTANT)
    await fed.click(ACCOUNTANT, "✅")

    assert "已核对完毕。" in window_text(fed, ACCOUNTANT)
    (figures,) = rows(
        fed, "SELECT figures FROM reconciliation_confirmations WHERE role = 'accountant'"
    )
    assert json.loads(str(figures[0])) == {"deposits": "19000.00"}
    told = rows(
        fed, "SELECT params FROM outbox WHERE template = 'ledger_reconciled' AND recipient_id = 10"
    )
    assert len(told) == 1, "the finance VP, Qian Hong"
    sides = json.loads(str(told[0][0]))["sides"]
    assert sides[1]["differences"] == [["deposits", "20000.00", "19000.00"]]
    await fed.send(DESK, "/pending")
    assert "Reconcile the ledger" not in str(fed.window(DESK).reply_markup)
