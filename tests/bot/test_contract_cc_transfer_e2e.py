"""Issue 15 end to end: a contract application with colleagues informed (抄送) and a step
transferred (转交), through the bot over the Bot API emulator. The sales desk files Zhao Lei's
contract application informing Zhao Lei and his supervisor Chen Jing, and urges it on from /my;
the sales manager Liu Yang
hands his step to the general manager Wang Fang (the one the contract order trusts above him),
whose approval, in Chinese, counts for her own step too; the two informed hear the outcome once
and open the request read-only, seeing who decided for whom."""

from __future__ import annotations

from harness import Sandbox
from test_approval_flows_e2e import settle, user_of
from test_order_flow_e2e import (
    ACCOUNTANT,
    DESK,
    GM,
    MANAGER,
    REP,
    SUPERVISOR,
    VP,
    application_filed,
    deposit_in,
    every_chat_reads_well,
    newest,
    reserved,
    won,
)

from bot.sandbox.demo import seed_demo_work
from storage.uow import SqlUnitOfWork

REASON = "At the trade fair all week; Wang Fang knows this customer"
CUSTOMER = "Minghua Trading Co., Ltd."


async def test_a_contract_application_informed_and_transferred(demo: Sandbox) -> None:
    assert demo.app is not None
    async with SqlUnitOfWork(demo.app.sessionmaker) as uow:
        await seed_demo_work(uow, demo.app.policy, demo.clock())
    demo.app.sender.wake()
    await settle(demo)
    rep, supervisor = user_of(demo, REP), user_of(demo, SUPERVISOR)
    manager, vp, gm = user_of(demo, MANAGER), user_of(demo, VP), user_of(demo, GM)
    await won(demo, rep)
    await reserved(demo, rep)
    await deposit_in(demo, user_of(demo, ACCOUNTANT))
    await application_filed(demo, user_of(demo, DESK), cc=("Chen Jing", "Zhao Lei"))

    desk = user_of(demo, DESK)
    await desk.send("/my")  # the desk follows and urges what it filed, as a rep does
    await desk.tap(f"⏳ #2 {CUSTOMER} · ¥105,600.00")
    await desk.tap("📣 Urge")
    await settle(demo)
    assert manager.last_text().startswith(
        f"📣 Wu Hua urges you to decide contract application #2 for {CUSTOMER}"
    )

    card = newest(manager, "Contract application #2")
    await manager.tap("🔀 Transfer", message=card)
    assert manager.buttons() == ["Wang Fang · General manager", "✖ Cancel"]
    await manager.tap("Wang Fang · General manager")
    await manager.send(REASON)
    await settle(demo)
    handed = newest(manager, "Contract application #2")
    assert f"↪️ Transferred to Wang Fang by Liu Yang: “{REASON}”" in handed.text
    assert handed.button_labels == [], "the old card keeps no buttons"
    assert any("Liu Yang transferred it to Wang Fang" in m.text for m in desk.bot_messages())

    card = newest(gm, "合同申报单 #2")
    assert "原由 Liu Yang 审批，已转交给您。" in card.text
    await gm.tap("✅ 批准", message=card)
    await settle(demo)
    assert desk.last_text().startswith(f"✅ Contract application #2 for {CUSTOMER} is approved")

    for informed in (rep, supervisor):
        told = [m for m in informed.bot_messages() if "(CC)" in m.text]
        assert len(told) == 1, "told once"
        assert told[0].text.startswith(
            f"📨 For your information (CC): contract application #2 by Wu Hua for {CUSTOMER} "
            "is final: ✅ Approved"
        )
        await informed.tap("📄 Open the request", message=told[0])
        view = informed.last_text().splitlines()
        assert view[0].startswith("Contract application #2 · Wu Hua · Minghua")
        assert "👥 Informed (CC): Chen Jing, Zhao Lei" in view
        assert any("Wang Fang (on behalf of Liu Yang)" in line for line in view)
        assert informed.buttons() == ["✖ Close"], "read-only"
    assert not [m for m in vp.bot_messages() if "#2" in m.text], "nobody else is told"
    every_chat_reads_well(demo)
