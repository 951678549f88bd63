"""The collection analysis on demand (dispatcher tier): a supervisor opens it from /contract,
last month first, then this month with the overdue money aged; a rep has no such button; /help
tells the managers where it is."""

from __future__ import annotations

import sqlite3

from feed import REP, SUPERVISOR, Fed
from order_builders import contract_in_force
from test_forms_dispatcher import buttons, window_text


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
