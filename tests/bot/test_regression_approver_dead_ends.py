"""Regression, end to end: a deactivated approver dead-ended the request.

Before: an admin deactivated the supervisor through /team while a request waited for her; the
step stayed hers, nobody else could decide it, and the rep heard nothing.
After: the same taps move the step to her manager, who gets the card (saying whom he decides
for, and why) and decides it; the rep is told and the status message shows who decides now.
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
    fresh,
    open_card,
    open_card_zh,
    seed_request,
    settle,
    the_status,
    user_of,
)


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
    assert "Chen Jing" in open_card_zh(user_of(demo, VP)).text
