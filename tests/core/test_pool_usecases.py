"""The pool in use over fakes: the sweep warns once and returns at the boundary, claims keep
their limits, managers assign within their line, and every move is in the history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from fakes import ADA, RAY, ROB, SAM, SID, SUE
from routine_fakes import W, make_customer, routine_world

from bot.core.errors import NotAllowed, NotFound
from bot.core.policy import Policy, Pool
from bot.core.pool import ASSIGNED, CLAIMED, RETURNED, PoolRefused
from bot.core.usecases import customer_register, customers, pool, pool_sweep

NOW = datetime(2026, 12, 2, 2, tzinfo=UTC)  # Wednesday 10:00 in Shanghai
POLICY = Policy()
CREATED = datetime(2026, 9, 1, 2, tzinfo=UTC)


def world():  # type: ignore[no-untyped-def]
    return routine_world(
        make_customer(
            1,
            ROB,
            "Idle 30 days",
            last_visit_on=date(2026, 11, 2),
            created_at=CREATED,
            confirmed_at=CREATED,  # so only the pool keeps its last owner from marking it won
            pool_warned_for=date(2026, 12, 2),  # warned on 11-29
        ),
        make_customer(2, ROB, "Idle 27 days", last_visit_on=date(2026, 11, 5), created_at=CREATED),
        make_customer(
            3, ROB, "Visited lately", last_visit_on=date(2026, 11, 20), created_at=CREATED
        ),
        make_customer(
            4, ROB, "Won long ago", status=W, last_visit_on=date(2026, 9, 1), created_at=CREATED
        ),
        make_customer(5, RAY, "Idle 29 days", last_visit_on=date(2026, 11, 3), created_at=CREATED),
    )


async def test_the_sweep_returns_at_the_boundary_and_warns_before_it() -> None:
    uow = world()
    sent = await pool_sweep.sweep_pool(uow, policy=POLICY, now=NOW)

    assert uow.customers[1].pooled_at == NOW
    assert [uow.customers[i].pooled_at for i in (2, 3, 4, 5)] == [None] * 4
    assert sent == 3  # one message per owner, and Sue's for her team's returned customer
    (sue,) = uow.outbox.sent_to(SUE)
    assert sue.template == "pool_team_notice"
    assert (sue.params["returned"]["items"][0]["name"], sue.params["owners"]) == (
        "Idle 30 days",
        ["Rob"],
    )
    (rob,) = uow.outbox.sent_to(ROB)
    assert rob.template == "pool_notice"
    assert [i["name"] for i in rob.params["returned"]["items"]] == ["Idle 30 days"]
    assert rob.params["warned"]["items"] == [{"name": "Idle 27 days", "on": "2026-12-05"}]
    (ray,) = uow.outbox.sent_to(RAY)
    # Day 29 but never warned: warned now, and back in the pool three days from now
    assert ray.params["warned"]["items"] == [{"name": "Idle 29 days", "on": "2026-12-05"}]
    assert uow.customer_events.of(1) == [(RETURNED, None, None, None)]
    assert uow.committed


async def test_the_warning_is_sent_once_and_a_visit_starts_a_new_spell() -> None:
    uow = world()
    await pool_sweep.sweep_pool(uow, policy=POLICY, now=NOW)
    uow.outbox.queued.clear()
    assert await pool_sweep.sweep_pool(uow, policy=POLICY, now=NOW + timedelta(days=1)) == 0

    uow.customers.rows[2].last_visit_on = date(2026, 12, 3)  # a visit: a new idle spell
    assert await pool_sweep.sweep_pool(uow, policy=POLICY, now=NOW + timedelta(days=3)) == 2
    assert [n.template for n in uow.outbox.sent_to(RAY)] == ["pool_notice"]  # and Sid's
    assert uow.customers[5].pooled_at is not None
    assert uow.customers[2].pooled_at is None

    uow.outbox.queued.clear()
    later = datetime(2026, 12, 30, 2, tzinfo=UTC)  # 27 days after that visit
    await pool_sweep.sweep_pool(uow, policy=POLICY, now=later)
    (rob,) = uow.outbox.sent_to(ROB)
    assert rob.params["warned"]["items"] == [
        {"name": "Idle 27 days", "on": "2027-01-02"},
        {"name": "Visited lately", "on": "2027-01-02"},  # idle since 11-20, never warned
    ]


async def test_the_pool_switched_off_moves_nothing() -> None:
    uow = world()
    off = Policy(pool=Pool(enabled=False))
    assert await pool_sweep.sweep_pool(uow, policy=off, now=NOW) == 0
    assert uow.outbox.queued == []


async def pooled_world():  # type: ignore[no-untyped-def]
    uow = world()
    await pool_sweep.sweep_pool(uow, policy=POLICY, now=NOW)
    return uow


async def test_a_rep_claims_from_the_pool_and_it_is_in_the_history() -> None:
    uow = await pooled_world()
    later = NOW + timedelta(hours=1)
    taken = await pool.claim(uow, actor_id=RAY, customer_id=1, policy=POLICY, now=later)
    assert (taken.owner_id, taken.pooled_at, taken.taken_at) == (RAY, None, later)
    assert uow.customer_events.of(1)[-1] == (CLAIMED, RAY, None, None)
    page = await pool.pool_page(uow, RAY)
    assert page.total == 0


async def test_the_previous_owner_is_blocked_until_the_block_ends() -> None:
    uow = await pooled_world()
    with pytest.raises(PoolRefused) as refused:
        await pool.claim(uow, actor_id=ROB, customer_id=1, policy=POLICY, now=NOW)
    assert refused.value.until == date(2027, 1, 1)
    later = datetime(2027, 1, 1, 2, tzinfo=UTC)
    assert (
        await pool.claim(uow, actor_id=ROB, customer_id=1, policy=POLICY, now=later)
    ).owner_id == ROB


async def test_claims_per_day_and_holding_limits() -> None:
    uow = await pooled_world()
    for customer_id in (6, 7):
        uow.customers.rows[customer_id] = make_customer(
            customer_id, SUE, f"Old {customer_id}", pooled_at=NOW
        )
    one_a_day = Policy(pool=Pool(claims_per_day=1))
    await pool.claim(uow, actor_id=RAY, customer_id=1, policy=one_a_day, now=NOW)
    with pytest.raises(PoolRefused) as refused:
        await pool.claim(uow, actor_id=RAY, customer_id=6, policy=one_a_day, now=NOW)
    assert refused.value.reason == "claims_per_day"
    tomorrow = NOW + timedelta(days=1)
    await pool.claim(uow, actor_id=RAY, customer_id=6, policy=one_a_day, now=tomorrow)

    holding = Policy(pool=Pool(max_open_customers=3))  # Ray holds 5, 1 and 6 now
    with pytest.raises(PoolRefused) as refused:
        await pool.claim(uow, actor_id=RAY, customer_id=7, policy=holding, now=tomorrow)
    assert refused.value.reason == "max_open"


async def test_of_two_claims_at_once_the_second_is_told_it_is_gone() -> None:
    uow = await pooled_world()
    await pool.claim(uow, actor_id=RAY, customer_id=1, policy=POLICY, now=NOW)
    with pytest.raises(PoolRefused) as refused:
        await pool.claim(uow, actor_id=SUE, customer_id=1, policy=POLICY, now=NOW)
    assert refused.value.reason == "gone"


async def test_only_reps_and_supervisors_claim() -> None:
    uow = await pooled_world()
    with pytest.raises(NotAllowed):
        await pool.claim(uow, actor_id=SAM, customer_id=1, policy=POLICY, now=NOW)


async def test_a_manager_assigns_within_their_line_only() -> None:
    uow = await pooled_world()
    with pytest.raises(NotFound):  # Ray is Sid's, not Sue's
        await pool.assign(uow, actor_id=SUE, customer_id=1, owner_id=RAY, policy=POLICY, now=NOW)
    assert {p.id for p in await pool.assign_candidates(uow, SID)} == {SID, RAY}
    done = await pool.assign(uow, actor_id=SID, customer_id=1, owner_id=RAY, policy=POLICY, now=NOW)
    assert done.owner_id == RAY
    assert uow.customer_events.of(1)[-1] == (ASSIGNED, SID, None, None)
    (told,) = uow.outbox.sent_to(RAY)[-1:]
    assert told.template == "customer_assigned"
    with pytest.raises(NotAllowed):
        await pool.assign_candidates(uow, ROB)


async def test_a_pooled_customer_is_nobodys_to_work_on_but_sales_may_read_it() -> None:
    uow = await pooled_world()
    with pytest.raises(NotFound):  # the previous owner can no longer log visits or edit it
        await customer_register.visible_customer(uow, ROB, 1)
    assert [c.id for c in await uow.customers.owned_by([ROB])] == [3, 2, 4]
    read = await customer_register.readable_customer(uow, RAY, 1)
    assert read.pooled_at == NOW
    assert (await pool.pooled_customer(uow, ADA, 1)).id == 1


async def test_the_duplicate_check_names_the_pool() -> None:
    uow = await pooled_world()
    (hit,) = await customer_register.find_duplicates(
        uow, actor_id=RAY, name="Idle 30 days", phone=None
    )
    assert (hit.pooled, hit.owner_name, hit.visible) == (True, "", False)


async def test_the_pooled_card_offers_its_last_owner_nothing_to_do() -> None:
    uow = await pooled_world()
    view = await customers.customer_view(uow, ROB, 1)
    assert view["actions"] == customer_register.CardActions(
        visit=False, confirm=False, manage=False, hand_over=False, edit=False, win=False
    )
    assert [e.action for e in view["history"]][:1] == [RETURNED]
