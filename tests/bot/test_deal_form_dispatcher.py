"""The /deal form on a phone (dispatcher tier): the required answers first, then the summary
where Submit is already reachable; typed numbers read back as understood; the customer's last
product offered as one tap; a returned request's edit screen repeating why it came back."""

from __future__ import annotations

import sqlite3

from feed import REP, SUPERVISOR, Fed
from harness import FakeClock
from test_forms_dispatcher import buttons as form_buttons
from test_forms_dispatcher import window_text as form_text

from bot.core.approvals import Decision
from bot.core.usecases import approvals

MINGHUA = "Minghua Trading Co., Ltd."
DISCOUNT_PROMPT = "Discount asked for? In percent (12 or 12%), or the 折 way (九五折 is 5 %)."


def window_text(fed: Fed) -> str:
    return form_text(fed, REP)


def buttons(fed: Fed) -> list[str]:
    return form_buttons(fed, REP)


async def test_the_required_answers_lead_straight_to_the_summary(fed: Fed) -> None:
    await fed.send(REP, "/deal")
    await fed.click(REP, "Golden Dragon Pipes")
    await fed.send(REP, "Steel pipes")
    await fed.send(REP, "1,000")
    assert window_text(fed).startswith("✓ Quantity: 1000\n"), "1,000 read back"
    await fed.send(REP, "36万")
    assert window_text(fed) == f"✓ Amount: ¥360,000.00\n{DISCOUNT_PROMPT}", "36万 read back"
    await fed.send(REP, "九五折")

    summary = window_text(fed)
    assert "Discount: 5 % · net: ¥342,000.00" in summary.splitlines(), "九五折 is 5 % off"
    assert summary.endswith("Send it for approval? Tap a field to change it.")
    assert buttons(fed)[0] == "📨 Submit", "Submit is reachable with the required answers in"
    for optional in ("✏️ Payment terms", "✏️ Deposit", "✏️ Note"):
        assert optional in buttons(fed), optional


async def test_an_optional_answer_is_one_tap_from_the_summary_and_returns_there(
    fed: Fed,
) -> None:
    await fed.send(REP, "/deal")
    await fed.click(REP, "Golden Dragon Pipes")
    for answer in ("Steel pipes", "100", "120000", "12"):
        await fed.send(REP, answer)
    await fed.click(REP, "✏️ Deposit")
    await fed.send(REP, "3万")
    assert "Deposit: ¥30,000.00" in window_text(fed).splitlines()
    assert buttons(fed)[0] == "📨 Submit"


async def test_the_customers_last_product_is_offered_as_one_tap(fed: Fed) -> None:
    await fed.send(REP, "/deal")
    await fed.click(REP, MINGHUA)
    assert "↩️ Steel pipes DN50" in buttons(fed), "the demo's earlier request for Minghua"
    await fed.click(REP, "↩️ Steel pipes DN50")
    assert window_text(fed) == "Quantity?"
    for answer in ("10", "5000", "3"):
        await fed.send(REP, answer)
    assert "Product: Steel pipes DN50" in window_text(fed).splitlines()


async def test_a_customer_never_asked_for_offers_no_product(fed: Fed) -> None:
    await fed.send(REP, "/deal")
    await fed.click(REP, "Golden Dragon Pipes")
    assert not [b for b in buttons(fed) if b.startswith("↩️")]


async def test_the_returned_requests_edit_screen_repeats_the_reason(fed: Fed) -> None:
    async with fed.uow() as uow:
        supervisor = await uow.people.by_telegram_id(SUPERVISOR)
        assert supervisor is not None
        step = (await uow.steps.open_for(supervisor.id))[0]
        await approvals.decide(
            uow,
            step_id=step.id,
            actor_id=supervisor.id,
            decision=Decision.return_for_changes,
            comment="Ask for 10 % at most",
            policy=fed.app.policy,
            now=FakeClock()(),
        )
    await fed.send(REP, "/my")
    await fed.click(REP, "↩️")
    await fed.click(REP, "✏️ Edit and send again")
    lines = window_text(fed).splitlines()
    assert "↩️ Returned by Chen Jing" in lines
    assert "What to change: “Ask for 10 % at most”" in lines


async def test_an_approver_looks_at_the_customer_from_pending_and_comes_back(fed: Fed) -> None:
    await fed.send(SUPERVISOR, "/pending")
    await fed.click(SUPERVISOR, "#1")
    await fed.click(SUPERVISOR, "📇 Customer and visits")
    assert (fed.window(SUPERVISOR).text or "").startswith(f"<b>{MINGHUA}</b>")
    await fed.click(SUPERVISOR, "◀ Back")
    assert "Special terms request #1" in (fed.window(SUPERVISOR).text or ""), "back on the request"


async def test_the_rep_records_the_deal_from_an_approved_request(fed: Fed) -> None:
    with sqlite3.connect(fed.db_path) as db:  # the demo's request #1, approved up the chain
        db.execute("UPDATE approval_requests SET status = 'approved' WHERE id = 1")
    await fed.send(REP, "/my")
    await fed.click(REP, "✅")
    callback = await fed.click(REP, "🤝 The customer agreed: record the deal")

    answer = fed.answer(callback)
    assert answer is not None
    assert answer.text == "Deal recorded: the customer agreed to these terms. 🤝"
    with sqlite3.connect(fed.db_path) as db:
        assert db.execute("SELECT stage, request_id FROM deals").fetchall() == [("negotiating", 1)]
        assert db.execute("SELECT status FROM customers WHERE id = 1").fetchall() == [("won",)]
    assert "🤝 The customer agreed: record the deal" not in buttons(fed), "once per request"
