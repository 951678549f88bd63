"""Issue 3 end to end: a deal request climbs the chain as one-tap cards."""

from __future__ import annotations

from harness import Sandbox

from botapi_emulator.driver import SandboxUser

REP, SUPERVISOR, MANAGER, VP, GM = 1005, 1004, 1003, 1002, 1001


async def file_request(rep: SandboxUser, discount: str = "12") -> None:
    await rep.send("/deal")
    await rep.tap("➕ New customer")
    await rep.send("Acme Trading Co.")
    await rep.send("Steel pipes")
    await rep.send("100")
    await rep.send("120,000")
    await rep.send(discount)
    assert f"Discount: {discount} %" in rep.last_text()
    await rep.tap("📨 Submit")


def card_of(user: SandboxUser) -> str:
    return next(m.text for m in reversed(user.bot_messages()) if "#1" in m.text)


async def test_a_12_percent_request_climbs_the_whole_chain(demo: Sandbox) -> None:
    rep = demo.user(REP)
    await file_request(rep)
    assert any(
        "Request #1 is on its way: Chen Jing decides first." in m.text for m in rep.bot_messages()
    )
    await demo.settle()
    status_messages = [m for m in rep.bot_messages() if m.text.startswith("Your request #1")]
    assert len(status_messages) == 1

    for approver_id, approve in (
        (SUPERVISOR, "✅ Approve"),
        (MANAGER, "✅ Approve"),
        (VP, "✅ 批准"),
        (GM, "✅ 批准"),
    ):
        approver = demo.user(approver_id)
        card = approver.keyboard_message()
        assert card is not None, f"no card for {approver_id}"
        await approver.tap(approve, message=card)
        await demo.settle()
        decided = demo.emulator.get_message(approver_id, card.message_id)
        assert decided is not None
        assert not decided.buttons, "the decided card loses its buttons"

    status = [m for m in rep.bot_messages() if m.text.startswith("Your request #1")]
    assert len(status) == 1, "one status message, edited in place"
    assert "Approved" in status[0].text
    assert rep.last_text().startswith("✅ Request #1 for Acme Trading Co. is approved.")
