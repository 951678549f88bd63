"""The customer pool (公海): when an idle customer returns to the pool, and who may claim it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.core.customers import Customer, CustomerStatus
from bot.core.errors import DomainError
from bot.core.policy import Pool
from bot.core.roles import Role

# Won customers are the company's (the deal and its money follow them), handed-over ones are
# customer service's, lost ones are closed: only a customer still being worked on is pooled.
POOLABLE = (CustomerStatus.prospect, CustomerStatus.qualified)

# Who follows customers and so may claim them; who assigns from the pool (the sales line's
# managers); who may look at the pool at all.
CLAIMERS = frozenset({Role.rep, Role.supervisor})
ASSIGNERS = frozenset(
    {Role.supervisor, Role.sales_manager, Role.marketing_vp, Role.general_manager, Role.admin}
)
POOL_READERS = CLAIMERS | ASSIGNERS

# History actions of the pool's moves (customer_events.action).
RETURNED = "pool_returned"
CLAIMED = "pool_claimed"
ASSIGNED = "pool_assigned"
POOL_MOVES = (RETURNED, CLAIMED, ASSIGNED)


class PoolStage(StrEnum):
    kept = "kept"
    warn = "warn"
    returns = "returns"


class PoolRefused(DomainError):
    """A claim the pool's limits refuse. `reason`: claims_per_day, max_open, reclaim_block
    (`until`: the first day the previous owner may claim it again), pool_off."""

    code = "pool_refused"

    def __init__(self, reason: str, *, limit: int = 0, until: date | None = None) -> None:
        super().__init__(reason=reason, limit=limit, until=until)
        self.reason = reason
        self.limit = limit
        self.until = until


def last_activity(customer: Customer, tz: ZoneInfo) -> date:
    """The owner's last activity on a customer: the newest of the last visit or call logged
    (its day) and the day the owner took the customer (registered, claimed or assigned it),
    in the company's time zone. A visit logged today for last Monday counts as last Monday:
    the pool measures how long the customer went without contact, not how long the paperwork."""
    taken = (customer.taken_at or customer.created_at).astimezone(tz).date()
    return max(customer.last_visit_on or taken, taken)


def return_day(active_on: date, pool: Pool) -> date:
    """The day an idle customer returns to the pool: `idle_days` after the last activity.
    Last visit Monday 2026-11-02, 30 idle days: back in the pool on Wednesday 2026-12-02
    (its 30th idle day); on 12-01 (day 29) it is still the owner's."""
    return active_on + timedelta(days=pool.idle_days)


def warning_day(active_on: date, pool: Pool) -> date:
    """The owner is warned `warn_days_before` the return: 2026-11-29 in `return_day`'s example."""
    return return_day(active_on, pool) - timedelta(days=pool.warn_days_before)


def pool_stage(customer: Customer, today: date, pool: Pool, tz: ZoneInfo) -> PoolStage:
    """Where an owned customer stands today. The sweep runs on working days only, so a
    return day on a Sunday is acted on Monday: the stage is "on or after", never "exactly".
    No customer returns unwarned: one whose warning was never sent (the bot was down, or
    the policy shortened `idle_days`) is warned now and returns on the day announced
    (`announced_day`)."""
    if not pool.enabled or customer.pooled_at is not None or customer.status not in POOLABLE:
        return PoolStage.kept
    active_on = last_activity(customer, tz)
    due = return_day(active_on, pool)
    warned = pool.warn_days_before == 0 or (
        customer.pool_warned_for is not None and customer.pool_warned_for >= due
    )
    if warned and today >= max(due, customer.pool_warned_for or due):
        return PoolStage.returns
    if not warned and today >= warning_day(active_on, pool):
        return PoolStage.warn
    return PoolStage.kept


def announced_day(customer: Customer, today: date, pool: Pool, tz: ZoneInfo) -> date:
    """The return day the warning names: `return_day`, or `warn_days_before` from today when
    the warning comes late. Last visit 11-02, warned on time (11-29): 12-02; warned only on
    12-04: 12-07."""
    due = return_day(last_activity(customer, tz), pool)
    return max(due, today + timedelta(days=pool.warn_days_before))


def idle_since(today: date, days: int) -> date:
    """The latest last-activity day that is `days` idle today (the sweep's indexed bound)."""
    return today - timedelta(days=days)


def reclaim_until(pooled_at: datetime, pool: Pool, tz: ZoneInfo) -> date:
    """The first day the previous owner may claim the customer back: `reclaim_block_days`
    after it returned to the pool, so nobody "parks" a customer by letting it lapse and
    claiming it fresh. Pooled 2026-12-02, 30 days: the previous owner may claim from 2027-01-01."""
    return pooled_at.astimezone(tz).date() + timedelta(days=pool.reclaim_block_days)


@dataclass(frozen=True, slots=True)
class ClaimFacts:
    """What the claim limits read about the rep, all counted before this claim."""

    claims_today: int
    open_customers: int
    previous_owner: bool


def check_claim(
    facts: ClaimFacts, customer: Customer, today: date, pool: Pool, tz: ZoneInfo
) -> None:
    """A rep claims at most `claims_per_day` a day (so the pool is shared, not emptied by the
    first one up), holds at most `max_open_customers` open customers, and the previous owner
    waits out the reclaim block. Raises PoolRefused naming the first limit hit."""
    if not pool.enabled:
        raise PoolRefused("pool_off")
    if facts.claims_today >= pool.claims_per_day:
        raise PoolRefused("claims_per_day", limit=pool.claims_per_day)
    if facts.open_customers >= pool.max_open_customers:
        raise PoolRefused("max_open", limit=pool.max_open_customers)
    if facts.previous_owner and customer.pooled_at is not None:
        until = reclaim_until(customer.pooled_at, pool, tz)
        if today < until:
            raise PoolRefused("reclaim_block", until=until)
