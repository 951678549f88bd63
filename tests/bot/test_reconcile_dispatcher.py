"""The monthly ledger reconciliation through the bot (dispatcher tier): on Dec 2 the sales
desk confirms November's totals from /pending as they stand (Zhao Lei's contract of
¥102,000.00 co-signed Nov 30 with its ¥20,000.00 deposit); the accountant, reading Chinese,
types her own deposit figure (a wrong one first: asked again) and confirms; the month is
reconciled, the finance VP is told the difference, and /pending offers it no more."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from feed import ACCOUNTANT, Fed
from harness import FakeClock
from order_builders import contract_in_force
from test_forms_dispatcher import window_text

from bot.i18n import make_i18n
from bot.rendering import Renderer, make_env

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
    ((role, figures),) = rows(fed, "SELECT role, figures FROM reconciliation_confirmations")
    assert role == "sales_desk"
    kept = json.loads(str(figures))
    assert (kept["deposits"], kept["outstanding"]) == ("20000.00", "82000.00"), "what was seen"

    await fed.send(ACCOUNTANT, "/pending")
    await fed.click(ACCOUNTANT, "📒 核对台帐 · 2026-11")
    await fed.click(ACCOUNTANT, "✏️")
    await fed.click(ACCOUNTANT, "收到定金")
    await fed.send(ACCOUNTANT, "abc")
    assert "您的数字" in window_text(fed, ACCOUNTANT), "asked again"
    await fed.send(ACCOUNTANT, "1.9万")
    assert "✏️ 收到定金：¥19,000.00" in window_text(fed, ACCOUNTANT)
    await fed.click(ACCOUNTANT, "✅")

    assert "双方均已确认；销售业务科与财务之间有 1 处差异待核清。" in window_text(fed, ACCOUNTANT)
    (figures,) = rows(
        fed, "SELECT figures FROM reconciliation_confirmations WHERE role = 'accountant'"
    )
    assert json.loads(str(figures[0]))["deposits"] == "19000.00"
    told = rows(
        fed, "SELECT params FROM outbox WHERE template = 'ledger_reconciled' AND recipient_id = 10"
    )
    assert len(told) == 1, "the finance VP, Qian Hong"
    sides = json.loads(str(told[0][0]))["sides"]
    assert sides[1]["differences"] == [["deposits", "20000.00", "19000.00"]]
    await fed.send(DESK, "/pending")
    assert "Reconcile the ledger" not in str(fed.window(DESK).reply_markup)


@pytest.mark.parametrize(
    ("language", "differences", "outcome"),
    [
        ("en", 0, "Reconciled: the sales desk and finance agree."),
        (
            "en",
            2,
            "Both sides confirmed; 2 differences to settle between the sales desk and finance.",
        ),
        ("zh", 0, "已核对完毕：销售业务科与财务账目一致。"),
        ("zh", 1, "双方均已确认；销售业务科与财务之间有 1 处差异待核清。"),
    ],
)
def test_a_reconciled_month_says_whether_both_sides_agree(
    language: str, differences: int, outcome: str
) -> None:
    i18n = make_i18n("en")
    with i18n.context(), i18n.use_locale(language):
        text = Renderer(make_env(i18n, ZoneInfo("Asia/Shanghai"))).render_within(
            "ledger_reconciliation",
            {
                "month": "2027-02",
                "totals": [["payments", "33360.00"]],
                "sides": [],
                "differences": differences,
                "reconciled": True,
                "accrual": None,
                "accrued_total": None,
                "mine": [],
            },
        )
    assert outcome in text
