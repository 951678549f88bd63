"""催办 (urge) on a phone (dispatcher tier): the rep taps 📣 Urge on their pending request in
/my; the supervisor deciding it gets a message (`step_urged`); a second tap within the interval is refused in
one sentence saying when, and changes nothing."""

from __future__ import annotations

import sqlite3

from feed import REP, Fed
from test_forms_dispatcher import buttons


def urges(fed: Fed) -> list[tuple[str, str]]:
    with sqlite3.connect(fed.db_path) as db:
        return db.execute(
            "SELECT template, json_extract(params, '$.urged_by') FROM outbox "
            "WHERE template = 'step_urged'"
        ).fetchall()


async def open_pending_request(fed: Fed) -> None:
    await fed.send(REP, "/my")
    await fed.click(REP, "⏳")


async def test_the_rep_urges_the_supervisor_once_per_interval(fed: Fed) -> None:
    await open_pending_request(fed)
    callback = await fed.click(REP, "📣 Urge")

    answer = fed.answer(callback)
    assert answer is not None
    assert answer.text == "📣 Chen Jing has your nudge to decide."
    assert urges(fed) == [("step_urged", "Zhao Lei")]

    before = fed.rows()
    again = await fed.click(REP, "📣 Urge")
    refusal = fed.answer(again)
    assert refusal is not None
    assert refusal.show_alert
    assert refusal.text is not None
    assert refusal.text.startswith("You urged this step a short while ago; you can urge again")
    assert fed.rows() == before, "a refused urge changes nothing"


async def test_a_closed_request_offers_no_urge(fed: Fed) -> None:
    with sqlite3.connect(fed.db_path) as db:
        db.execute("UPDATE approval_requests SET status = 'approved' WHERE id = 1")
    await fed.send(REP, "/my")
    await fed.click(REP, "✅")
    assert "📣 Urge" not in buttons(fed, REP)
