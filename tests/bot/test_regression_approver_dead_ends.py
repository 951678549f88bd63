"""Regression, end to end: an approver who was deactivated, or who blocked the bot,
dead-ended the request.

Before: an admin deactivated the supervisor through /team while a request waited for her, or
she had blocked the bot so her card never arrived (a 403); either way the step stayed hers,
nobody else could decide it, the rep heard nothing, the deadline only escalated, and when she
wrote to the bot again her card was not sent again.
After: deactivation moves the step to her manager, who gets the card (saying whom he decides
for, and why) and decides it, and the rep is told; at the deadline a step she cannot be
reached for moves the same way; and when she writes again she gets her open card, once.
"""

from __future__ import annotations

from harness import Sandbox
from test_approval_flows_e2e import (
    ADMIN,
    CUSTOMER,
    MANAGER,
    REP,
    SUPERVISOR,
    VP,
    cards,
    fresh,
    open_card,
    open_card_zh,
    seed_request,
    settle,
    the_status,
    user_of,
)
from test_deadlines_e2e import MON, set_local

from storage.uow import SqlUnitOfWork


async def unreachable(demo: Sandbox, telegram_id: int) -> bool:
    assert demo.app is not None
    async with SqlUnitOfWork(demo.app.sessionmaker) as uow:
        person = await uow.people.by_telegram_id(telegram_id)
    assert person is not None
    return person.unreachable


async def test_regression_a_deactivated_approvers_step_moves_and_the_requester_is_told(
    demo: Sandbox,
) -> None:
    await seed_request(demo)
    admin, rep, sup, mgr = (user_of(demo, i) for i in (ADMIN, REP, SUPERVISOR, MANAGER))
    sup_card = open_card(sup)

    await admin.send("/team")
    await admin.tap("Chen Jing · Sales supervisor")
    await admin.tap("Deactivate")
    await admin.tap("Yes, deactivate")
    await settle(demo)

    card = open_card(mgr)
    assert "You decide on behalf of Chen Jing, who was deactivated." in card.text
    assert rep.last_text() == (
        f"↪️ Request #1 for {CUSTOMER}: Chen Jing was deactivated, "
        "so Liu Yang decides in their place."
    )
    status = the_status(rep).text
    assert "1. Sales supervisor · Liu Yang (on behalf of Chen Jing) · ⏳ deciding" in status
    assert fresh(demo, sup_card).buttons, "her old card is untouched; she cannot use the bot"

    await mgr.tap("✅ Approve", message=card)
    await settle(demo)

    assert not fresh(demo, card).buttons, "the decided card loses its buttons"
    status = the_status(rep).text
    assert "✅ approved · Liu Yang (on behalf of Chen Jing) · Sales supervisor" in status
    assert "2. Sales manager · Liu Yang · ✅ approved" in status, "one approval counts for both"
    assert "3. Marketing VP · Zhang Wei · ⏳ deciding" in status
    assert "✅ 已批准 · Liu Yang (代 Chen Jing)" in open_card_zh(user_of(demo, VP)).text


async def test_regression_an_unreachable_approvers_step_moves_at_the_deadline(
    demo: Sandbox,
) -> None:
    rep, sup, mgr = (user_of(demo, i) for i in (REP, SUPERVISOR, MANAGER))
    demo.emulator.block_user(SUPERVISOR)
    await seed_request(demo)
    assert await unreachable(demo, SUPERVISOR), "her card got a 403"

    set_local(demo, MON, 18)
    await demo.run_jobs()

    card = open_card(mgr)
    assert "You decide on behalf of Chen Jing, whom the bot could not reach by the deadline." in (
        card.text
    )
    assert rep.last_text() == (
        f"↪️ Request #1 for {CUSTOMER}: the bot could not reach Chen Jing by the deadline, "
        "so Liu Yang decides in their place."
    )
    assert cards(sup) == []
    await mgr.tap("✅ Approve", message=card)
    await settle(demo)
    assert "3. Marketing VP · Zhang Wei · ⏳ deciding" in the_status(rep).text


async def test_regression_an_unreachable_person_who_writes_again_gets_their_open_cards_once(
    demo: Sandbox,
) -> None:
    sup = user_of(demo, SUPERVISOR)
    demo.emulator.block_user(SUPERVISOR)
    await seed_request(demo)
    assert cards(sup) == []

    await sup.send("/help")  # writing to the bot unblocks it
    await settle(demo)

    assert not await unreachable(demo, SUPERVISOR)
    assert sup.buttons(open_card(sup)) == [
        "✅ Approve",
        "✍️ Approve with opinion",
        "❌ Reject",
        "↩️ Return for changes",
        "🔀 Transfer",
        "➕ Add approver",
        "📇 Customer and visits",
    ]
    await sup.send("/help")
    await settle(demo)
    assert len(cards(sup)) == 1, "sent once"
