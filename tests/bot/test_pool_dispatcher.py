"""The customer pool (公海) at the dispatcher tier: the sweep returns an idle customer, the last
owner no longer lists it and is refused a reclaim with the day the block ends, another rep's
supervisor claims it with one tap, a manager assigns from the pool within their line, and the
registration's duplicate check names the pool and offers the claim. The demo: Zhao Lei (REP)
owns Minghua; Chen Jing (SUPERVISOR) is his supervisor, Liu Yang (MANAGER) hers."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from feed import MANAGER, REP, REP_ZH, SUPERVISOR, Fed
from harness import FakeClock

from bot.core.policy import Policy
from bot.core.usecases.pool import sweep_pool

NOW = FakeClock()()
MINGHUA = "Minghua Trading Co., Ltd."


def query(fed: Fed, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(fed.db_path) as db:
        return list(db.execute(sql))


def alert(fed: Fed, callback_id: str) -> str:
    answer = fed.answer(callback_id)
    assert answer is not None
    return str(answer.text)


def owner_of(fed: Fed, name: str) -> object:
    ((owner, pooled),) = query(
        fed,
        "SELECT p.telegram_id, c.pooled_at FROM customers c JOIN people p ON p.id = c.owner_id"
        f" WHERE c.name = '{name}'",
    )
    return owner, pooled is not None


async def pool_minghua(fed: Fed) -> None:
    """Minghua taken 31 days ago and never visited: the sweep returns it today."""
    ((customer_id,),) = query(fed, f"SELECT id FROM customers WHERE name = '{MINGHUA}'")
    ((owner_id,),) = query(fed, f"SELECT id FROM people WHERE telegram_id = {REP}")
    async with fed.uow() as uow:
        assert isinstance(customer_id, int)
        assert isinstance(owner_id, int)
        await uow.pool.take(customer_id, owner_id, NOW - timedelta(days=31), from_pool=False)
        await uow.commit()
    async with fed.uow() as uow:
        assert await sweep_pool(uow, policy=Policy(), now=NOW) == 1
    async with fed.uow() as uow:  # run twice, send once
        assert await sweep_pool(uow, policy=Policy(), now=NOW) == 0
    assert owner_of(fed, MINGHUA) == (REP, True)


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
