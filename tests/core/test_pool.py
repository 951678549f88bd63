"""The customer pool's rules: the idle days, the warning day, the claim limits."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.customers import Customer, CustomerStatus
from bot.core.policy import PolicyError, Pool, parse_policy
from bot.core.pool import (
    ClaimFacts,
    PoolRefused,
    PoolStage,
    announced_day,
    check_claim,
    last_activity,
    pool_stage,
    reclaim_until,
)

TZ = ZoneInfo("Asia/Shanghai")
POOL = Pool()  # 30 idle days, warned 3 days before
VISITED = date(2026, 11, 2)


def customer(**overrides: object) -> Customer:
    values: dict[str, object] = {
        "id": 1,
        "name": "Acme",
        "owner_id": 6,
        "status": CustomerStatus.prospect,
        "created_at": datetime(2026, 10, 1, 2, tzinfo=UTC),
        "last_visit_on": VISITED,
    }
    return Customer(**{**values, **overrides})  # type: ignore[arg-type]


RETURN_DAY = date(2026, 12, 2)  # 30 days after the visit of 11-02


@pytest.mark.parametrize(
    ("today", "unwarned", "warned"),
    [
        (date(2026, 11, 28), PoolStage.kept, PoolStage.kept),  # idle day 26
        (date(2026, 11, 29), PoolStage.warn, PoolStage.kept),  # day 27: 3 days before
        (date(2026, 12, 1), PoolStage.warn, PoolStage.kept),  # day 29: still the owner's
        (RETURN_DAY, PoolStage.warn, PoolStage.returns),  # day 30: back to the pool, if warned
        (date(2026, 12, 7), PoolStage.warn, PoolStage.returns),  # a missed sweep catches up
    ],
)
def test_a_customer_returns_on_its_30th_idle_day_after_a_warning(
    today: date, unwarned: PoolStage, warned: PoolStage
) -> None:
    assert pool_stage(customer(), today, POOL, TZ) is unwarned
    assert pool_stage(customer(pool_warned_for=RETURN_DAY), today, POOL, TZ) is warned


def test_a_late_warning_names_a_later_day_and_the_customer_waits_for_it() -> None:
    late = date(2026, 12, 4)
    assert announced_day(customer(), date(2026, 11, 29), POOL, TZ) == RETURN_DAY
    assert announced_day(customer(), late, POOL, TZ) == date(2026, 12, 7)
    warned_late = customer(pool_warned_for=date(2026, 12, 7))
    assert pool_stage(warned_late, date(2026, 12, 6), POOL, TZ) is PoolStage.kept
    assert pool_stage(warned_late, date(2026, 12, 7), POOL, TZ) is PoolStage.returns


def test_a_warning_of_an_earlier_spell_does_not_count() -> None:
    revisited = customer(last_visit_on=date(2026, 11, 20), pool_warned_for=RETURN_DAY)
    assert pool_stage(revisited, date(2026, 12, 17), POOL, TZ) is PoolStage.warn


def test_taking_a_customer_counts_as_activity_in_the_company_zone() -> None:
    # Claimed 2026-11-20 01:00 Shanghai time (still the 19th in UTC), visited 11-02.
    taken = customer(taken_at=datetime(2026, 11, 19, 17, tzinfo=UTC))
    assert last_activity(taken, TZ) == date(2026, 11, 20)
    assert pool_stage(taken, date(2026, 12, 16), POOL, TZ) is PoolStage.kept
    assert pool_stage(taken, date(2026, 12, 17), POOL, TZ) is PoolStage.warn


def test_a_never_visited_customer_counts_from_its_registration() -> None:
    fresh = customer(last_visit_on=None)
    assert last_activity(fresh, TZ) == date(2026, 10, 1)


@pytest.mark.parametrize(
    "status", [CustomerStatus.won, CustomerStatus.handed_over, CustomerStatus.lost]
)
def test_won_handed_over_and_lost_customers_never_return(status: CustomerStatus) -> None:
    assert pool_stage(customer(status=status), date(2027, 6, 1), POOL, TZ) is PoolStage.kept


def test_the_pool_switched_off_keeps_everyone() -> None:
    off = Pool(enabled=False)
    assert pool_stage(customer(), date(2027, 6, 1), off, TZ) is PoolStage.kept


POOLED = customer(pooled_at=datetime(2026, 12, 2, 1, tzinfo=UTC))
TODAY = date(2026, 12, 3)


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        (ClaimFacts(5, 0, previous_owner=False), "claims_per_day"),
        (ClaimFacts(0, 200, previous_owner=False), "max_open"),
        (ClaimFacts(0, 0, previous_owner=True), "reclaim_block"),
    ],
)
def test_claims_are_refused_over_the_limits(facts: ClaimFacts, reason: str) -> None:
    with pytest.raises(PoolRefused) as refused:
        check_claim(facts, POOLED, TODAY, POOL, TZ)
    assert refused.value.reason == reason


def test_under_the_limits_a_claim_passes() -> None:
    check_claim(ClaimFacts(4, 199, previous_owner=False), POOLED, TODAY, POOL, TZ)


def test_the_previous_owner_may_claim_again_when_the_block_ends() -> None:
    until = reclaim_until(POOLED.pooled_at, POOL, TZ)  # type: ignore[arg-type]
    assert until == date(2027, 1, 1)
    with pytest.raises(PoolRefused) as refused:
        check_claim(ClaimFacts(0, 0, True), POOLED, until - timedelta(days=1), POOL, TZ)
    assert refused.value.until == until
    check_claim(ClaimFacts(0, 0, True), POOLED, until, POOL, TZ)


def test_the_pool_policy_is_read_and_checked() -> None:
    policy = parse_policy({"pool": {"enabled": False, "idle_days": 45, "claims_per_day": 2}})
    assert (policy.pool.enabled, policy.pool.idle_days, policy.pool.claims_per_day) == (
        False,
        45,
        2,
    )
    with pytest.raises(PolicyError, match=r"pool\.enabled"):
        parse_policy({"pool": {"enabled": "yes"}})
    with pytest.raises(PolicyError, match=r"pool\.warn_days_before"):
        parse_policy({"pool": {"idle_days": 5, "warn_days_before": 5}})
