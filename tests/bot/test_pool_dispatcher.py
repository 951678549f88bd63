"""The customer pool (公海) at the dispatcher tier: the sweep returns an idle customer, the last
owner no longer lists it and is refused a reclaim with the day the block ends, another rep's
supervisor claims it with one tap, a manager assigns from the pool within their line, and the
registration's duplicate check names the pool and offers the claim. The demo: Zhao Lei (REP)
owns Minghua; Chen Jing (SUPERVISOR) is his supervisor, Liu Yang (MANAGER) hers."""

from __future__ import annotations

from feed import MANAGER, REP, REP_ZH, SUPERVISOR, Fed
from pool_builders import MINGHUA, alert, owner_of, pool_minghua, query


async def test_a_pooled_customer_leaves_its_owner_and_another_claims_it(fed: Fed) -> None:
    await pool_minghua(fed)
    await fed.send(REP, "/customer")
    await fed.click(REP, "📋 My customers")
    assert MINGHUA not in (fed.window(REP).text or "") + str(fed.window(REP).reply_markup)

    await fed.send(REP, "/pool")
    assert "Customer pool" in (fed.window(REP).text or "")
    await fed.click(REP, "Minghua")
    assert "you may claim it again from Wed 12-23" in (fed.window(REP).text or "")
    assert alert(fed, await fed.click(REP, "🙋 Claim it")) == (
        "This customer left your hands recently: you may claim it again from Wed 12-23."
    )
    assert owner_of(fed, MINGHUA) == (REP, True)

    await fed.send(SUPERVISOR, "/pool")
    await fed.click(SUPERVISOR, "Minghua")
    claimed = alert(fed, await fed.click(SUPERVISOR, "🙋 Claim it"))
    assert claimed == f"✅ {MINGHUA} is your customer now."
    assert owner_of(fed, MINGHUA) == (SUPERVISOR, False)
    actions = query(fed, "SELECT action FROM customer_events WHERE action LIKE 'pool_%'")
    assert actions == [("pool_returned",), ("pool_claimed",)]


async def test_the_pool_is_searched_by_region_and_a_manager_assigns_in_line(fed: Fed) -> None:
    await pool_minghua(fed)
    await fed.send(MANAGER, "/pool")
    await fed.send(MANAGER, "West")
    assert "Nothing found" in (fed.window(MANAGER).text or "")
    await fed.send(MANAGER, "East")  # the region's label, stored as "east"
    await fed.click(MANAGER, "Minghua")
    assert "🙋 Claim it" not in str(fed.window(MANAGER).reply_markup)
    await fed.click(MANAGER, "👥 Assign to…")
    assigned = alert(fed, await fed.click(MANAGER, "Sun Li"))
    assert assigned == f"✅ {MINGHUA} is assigned."
    assert owner_of(fed, MINGHUA) == (REP_ZH, False)


async def test_the_duplicate_check_names_the_pool_and_offers_the_claim(fed: Fed) -> None:
    await pool_minghua(fed)
    await fed.send(SUPERVISOR, "/customer")
    await fed.click(SUPERVISOR, "➕ Register a customer")
    await fed.send(SUPERVISOR, "Minghua Trading")
    await fed.click(SUPERVISOR, "No phone yet")
    window = fed.window(SUPERVISOR).text or ""
    assert "🌊 in the customer pool" in window
    assert "Zhao Lei" not in window
    await fed.click(SUPERVISOR, f"🙋 {MINGHUA}")
    assert owner_of(fed, MINGHUA) == (SUPERVISOR, False)
    assert MINGHUA in (fed.window(SUPERVISOR).text or "")  # its card, now theirs
