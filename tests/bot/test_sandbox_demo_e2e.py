"""`salesbot sandbox` opens on a morning already under way: customers registered, one
confirmed, yesterday's visit with a follow-up due today, and a deal request on the
supervisor's desk — made through the real use cases, so the bot behaves as in real use."""

from __future__ import annotations

from harness import Sandbox

from bot.sandbox.demo import seed_demo_work
from storage.uow import SqlUnitOfWork

SUPERVISOR, REP, OTHER_REP = 1004, 1005, 1006


async def test_the_demo_morning_is_live_through_the_bot(demo: Sandbox) -> None:
    assert demo.app is not None
    async with SqlUnitOfWork(demo.app.sessionmaker) as uow:
        await seed_demo_work(uow, demo.app.policy, demo.clock())
    demo.app.sender.wake()
    await demo.outbox_idle()
    supervisor, rep = demo.user(SUPERVISOR), demo.user(REP)

    card = supervisor.last()
    assert card.text.startswith("Special terms request #1")
    assert "Discount: 12 %" in card.text
    assert supervisor.buttons(card) == [
        "✅ Approve",
        "✍️ Approve with opinion",
        "❌ Reject",
        "↩️ Return for changes",
        "🔀 Transfer",
        "➕ Add approver",
        "📇 Customer and visits",
    ]
    prospects = [m for m in supervisor.bot_messages() if "to confirm" in m.text]
    assert len(prospects) == 1, "the morning's prospects are one message"
    assert prospects[0].text.startswith("✅ Minghua Trading Co., Ltd.: confirmed by Chen Jing.")
    assert "🌱 2 prospects to confirm" in prospects[0].text
    assert supervisor.buttons(prospects[0]) == ["🌱 Golden Dragon Pipes", "🌱 华东五金有限公司"]
    await supervisor.tap("📇 Customer and visits", message=card)
    assert supervisor.last_text().startswith("<b>Minghua Trading Co., Ltd.</b>") or (
        supervisor.last_text().startswith("Minghua Trading Co., Ltd.")
    ), "the customer's card, to look before deciding"
    await supervisor.tap("✅ Approve", message=card)
    await demo.settle()
    await demo.outbox_idle()
    assert "✅ approved · Chen Jing" in rep.last_text()

    await rep.send("/customer")
    await rep.tap("📋 My customers")
    assert rep.buttons() == ["🌱 Golden Dragon Pipes", "🌱 Minghua Trading Co., Ltd.", "◀ Back"]

    assert await demo.run_job("follow_ups") == 1
    assert "Golden Dragon Pipes" in rep.last_text()

    other = demo.user(OTHER_REP, language="zh")
    await other.send("/customer")
    await other.tap("📋 我的客户")
    assert other.buttons()[0] == "🌱 华东五金有限公司"
