"""Issue 15, the customer pool end to end: a customer left idle for 30 days goes back to the
pool with a message to its owner, and the supervisor claims it from /pool."""

from __future__ import annotations

from harness import Sandbox

REP, SUPERVISOR = 1005, 1004


async def test_an_idle_customer_goes_to_the_pool_and_is_claimed(demo: Sandbox) -> None:
    rep, supervisor = demo.user(REP), demo.user(SUPERVISOR)
    await rep.send("/customer")
    await rep.tap("➕ Register a customer")
    await rep.send("Pearl River Pumps")
    await rep.tap("No phone yet")
    await rep.tap("💾 Save")

    demo.clock.advance(days=27)
    assert await demo.run_job("pool") == 1
    assert "goes back to the customer pool soon" in rep.last_text()
    demo.clock.advance(days=3)
    assert await demo.run_job("pool") == 2
    assert "1 customer went back to the customer pool: no visit or call in 30 days." in (
        rep.last_text()
    )
    assert "• Pearl River Pumps · Zhao Lei" in supervisor.last_text()

    await supervisor.send("/pool")
    await supervisor.tap("Pearl River Pumps")
    await supervisor.tap("🙋 Claim it")
    answer = supervisor.last_callback_answer()
    assert answer is not None
    assert answer["text"] == "✅ Pearl River Pumps is your customer now."
    await supervisor.send("/customer")
    await supervisor.tap("📋 My customers")
    assert "Pearl River Pumps" in " ".join(supervisor.buttons())
