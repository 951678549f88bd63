"""/report (issue 14): the department's figures for a period, in a scope, by one dimension.

The seed asks for analysis of orders, sales, collections, deliveries, plan completion and
profit by region, customer, rep and sales channel. Storage sums each measure family with one
GROUP BY statement (storage/report_repos.py); this module says what each measure means, who
may read which scope, and merges the grouped rows into lines and a total. Pure: the period is
computed from `today`, and nothing here reads the clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from bot.core.calendar import at_local, last_month, month_end, month_start
from bot.core.collections import collected_percent
from bot.core.errors import DomainError
from bot.core.policy import Policy
from bot.core.roles import Role

ONE_DAY = timedelta(days=1)
RANGE_DAYS_MAX = 366


# --- the period -----------------------------------------------------------------------------


class PeriodKind(StrEnum):
    this_week = "this_week"
    last_week = "last_week"
    this_month = "this_month"
    last_month = "last_month"
    range = "range"


class PeriodRefused(DomainError):
    """A chosen range the report cannot take; `reason` is one of: reversed (ends before it
    starts), future (ends after today), too_long (more than `limit` days)."""

    code = "report_period"

    def __init__(self, reason: str, limit: int = RANGE_DAYS_MAX) -> None:
        super().__init__(reason=reason, limit=limit)
        self.reason = reason
        self.limit = limit


@dataclass(frozen=True, slots=True)
class Period:
    """Local days of the company, both ends counted."""

    kind: PeriodKind
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def whole_months(self) -> bool:
        """From a month's first day to a month's last: 03-01..04-30 is, 03-15..04-14 is not."""
        return self.first == month_start(self.first) and self.last == month_end(self.last)

    def as_of(self, today: date) -> date:
        """The day the ledger is read on (overdue means due before it): the day after a closed
        period, today for one in progress, as the monthly collection analysis reads a month."""
        return min(self.last + ONE_DAY, today)

    def moments(self, policy: Policy) -> tuple[datetime, datetime]:
        """The period as UTC moments: from its first local midnight to the one after its last
        day (exclusive), for what is stamped with a time rather than a day."""
        midnight = time(0)
        return at_local(self.first, midnight, policy), at_local(
            self.last + ONE_DAY, midnight, policy
        )


def period_of(
    kind: PeriodKind, today: date, first: date | None = None, last: date | None = None
) -> Period:
    """Weeks run Monday to Sunday, as weekly plans do (`calendar.week_start`); months are
    calendar months. A chosen range ends today at the latest and spans at most 366 days (a
    leap year), so 2025-12-15..2026-01-14 across the year end is fine."""
    monday = today - timedelta(days=today.weekday())
    match kind:
        case PeriodKind.this_week:
            return Period(kind, monday, monday + timedelta(days=6))
        case PeriodKind.last_week:
            return Period(kind, monday - timedelta(days=7), monday - ONE_DAY)
        case PeriodKind.this_month:
            return Period(kind, month_start(today), month_end(today))
        case PeriodKind.last_month:
            previous = last_month(today)
            return Period(kind, previous, month_end(previous))
    if first is None or last is None:
        raise PeriodRefused("reversed")
    return check_range(first, last, today)


def check_range(first: date, last: date, today: date) -> Period:
    if last < first:
        raise PeriodRefused("reversed")
    if last > today:
        raise PeriodRefused("future")
    period = Period(PeriodKind.range, first, last)
    if period.days > RANGE_DAYS_MAX:
        raise PeriodRefused("too_long")
    return period


# --- who reads what -------------------------------------------------------------------------


class ReportScope(StrEnum):
    me = "me"  # the actor's own customers and work
    team = "team"  # the actor and everyone below them (org.subtree_ids)
    company = "company"  # everyone


S = ReportScope
# A rep reads their own figures; the sales line its own and its subtree's; the general manager
# and the finance VP the company's, and the marketing VP both. The sales desk and the
# accountant keep the company's contract ledger together (seed rule 4) and the accountant
# already reads the company's collection analysis, so both read the company. Customer service
# (after-sales, no sales figures) and the admin (people and policy, not sales) read none.
SCOPES: Mapping[Role, tuple[ReportScope, ...]] = {
    Role.rep: (S.me,),
    Role.supervisor: (S.me, S.team),
    Role.sales_manager: (S.me, S.team),
    Role.marketing_vp: (S.me, S.team, S.company),
    Role.general_manager: (S.company,),
    Role.finance_vp: (S.company,),
    Role.sales_desk: (S.company,),
    Role.accountant: (S.company,),
}


def scopes_of(role: Role) -> tuple[ReportScope, ...]:
    return SCOPES.get(role, ())


# --- dimensions and measure families --------------------------------------------------------


class Dimension(StrEnum):
    rep = "rep"  # the person the figure is attributed to (see Figures)
    region = "region"  # the customer's region (customers.region)
    customer = "customer"
    product = "product"  # the contract line's product
    channel = "channel"  # the customer's source (customers.source)


class Family(StrEnum):
    """The measures one statement sums together."""

    visits = "visits"
    customers = "customers"
    deals = "deals"
    contracts = "contracts"
    deliveries = "deliveries"
    receipts = "receipts"
    collection = "collection"
    plans = "plans"
    targets = "targets"
    commission = "commission"


ALL_FAMILIES = frozenset(Family)
# A measure with no meaning for a dimension is not computed: None, shown as "—", never 0.
# Targets are set per rep; only contract lines and delivery lines carry a product.
FAMILIES: Mapping[Dimension, frozenset[Family]] = {
    Dimension.rep: ALL_FAMILIES,
    Dimension.region: ALL_FAMILIES - {Family.targets},
    Dimension.customer: ALL_FAMILIES - {Family.targets},
    Dimension.channel: ALL_FAMILIES - {Family.targets},
    Dimension.product: frozenset({Family.contracts, Family.deliveries}),
}

Key = int | str | None  # a person's or customer's id, a region, channel or product; None: unset

ZERO = Decimal("0.00")


Number = TypeVar("Number", int, Decimal)


def _plus(a: Number | None, b: Number | None) -> Number | None:
    if a is None:
        return b
    if b is None:
        return a
    return a + b


@dataclass(frozen=True, slots=True)
class Figures:
    """The measures of one line. None: not computed for this dimension ("—").

    Attribution: a visit counts for the rep who made it; a customer, deal, contract, delivery
    or payment for its owner (customers.owner_id, deals.owner_id, contracts.owner_id); a plan
    for the rep who filed it; a commission line for the rep of its sheet. Region, channel and
    customer are those of the customer concerned; product that of the contract line.

    - visits, first_visits, revisits: visits with `visited_on` in the period (all kinds; of
      kind first; of kind revisit).
    - intent_visits: of those, the ones recording purchase intent medium or high (the level
      the bot counts as intent, `Intent.asks_for_registration`).
    - new_customers: customers registered (`created_at`) in the period.
    - prospects_confirmed: customers a supervisor confirmed (`confirmed_at`) in the period.
    - deals_won: deals opened (`opened_at`: the customer agreed) in the period and not lost.
    - contract_amount, contract_quantity: contracts co-signed by finance (`cosigned_at`) in the
      period and in force or closed: the sum of their lines, each line's amount rounded once
      (`ContractLine.amount`), and of their quantities.
    - delivered, delivered_quantity: delivery notes booked by finance (`booked_at`, the signed
      copy back) in the period and not cancelled: each note line's quantity valued at its
      contract line's net price (`ContractLine.amount_of`), and the quantities.
    - collected: money received in the period (`paid_on`): payments on contracts and deposits
      (定金) on deals.
    - due, applied, overdue: the monthly collection analysis over the period
      (`collection_analysis.contract_figures`), for contracts in force or closed since the
      period began: money applied deposit first, then instalments oldest first; due is what
      fell due by the last day and money before the period had not covered; applied what of
      it the period's money paid; overdue what is unpaid of instalments due before `as_of`.
    - planned_visits, planned_done: the visits planned in weekly plans (not drafts) whose week
      starts in the period, and of them the ones done: a visit by the plan's rep to the same
      customer in the same week, each visit fulfilling one planned visit
      (`plans.plan_versus_actual`).
    - target_sales, target_collection: the monthly targets of the months starting in the
      period's first month through its last day.
    - commission: commission (before deductions) on the lines of the live sheets (not
      returned) of those months.
    """

    visits: int | None = None
    first_visits: int | None = None
    revisits: int | None = None
    intent_visits: int | None = None
    new_customers: int | None = None
    prospects_confirmed: int | None = None
    deals_won: int | None = None
    contract_amount: Decimal | None = None
    contract_quantity: Decimal | None = None
    delivered: Decimal | None = None
    delivered_quantity: Decimal | None = None
    collected: Decimal | None = None
    due: Decimal | None = None
    applied: Decimal | None = None
    overdue: Decimal | None = None
    planned_visits: int | None = None
    planned_done: int | None = None
    target_sales: Decimal | None = None
    target_collection: Decimal | None = None
    commission: Decimal | None = None

    def __add__(self, other: Figures) -> Figures:
        # positional, over names listed once: merging tens of thousands of customer lines
        # stays cheap (fields() per addition cost a second on 60,000 lines)
        return Figures(
            *(_plus(getattr(self, name), getattr(other, name)) for name in _FIGURE_NAMES)
        )

    @property
    def collection_rate(self) -> Decimal | None:
        """Applied ÷ due in percent, 2 places rounded down, as the collection analysis says
        it; None when nothing was due (or not computed)."""
        if self.due is None or self.applied is None or self.due <= 0:
            return None
        return collected_percent(self.due, self.applied)

    @property
    def plan_completion(self) -> int | None:
        """Planned visits done, per cent rounded down; None when nothing was planned."""
        if not self.planned_visits or self.planned_done is None:
            return None
        return self.planned_done * 100 // self.planned_visits

    @property
    def target_completion(self) -> int | None:
        """Contract amount ÷ sales target, per cent rounded down; None without a target."""
        return _percent(self.contract_amount, self.target_sales)

    @property
    def collection_target_completion(self) -> int | None:
        """Collected ÷ collection target, per cent rounded down; None without a target."""
        return _percent(self.collected, self.target_collection)


def _percent(done: Decimal | None, target: Decimal | None) -> int | None:
    if done is None or target is None or target <= 0:
        return None
    return int(done * 100 // target)


_ZEROS: Mapping[Family, Figures] = {
    Family.visits: Figures(visits=0, first_visits=0, revisits=0, intent_visits=0),
    Family.customers: Figures(new_customers=0, prospects_confirmed=0),
    Family.deals: Figures(deals_won=0),
    Family.contracts: Figures(contract_amount=ZERO, contract_quantity=Decimal("0.000")),
    Family.deliveries: Figures(delivered=ZERO, delivered_quantity=Decimal("0.000")),
    Family.receipts: Figures(collected=ZERO),
    Family.collection: Figures(due=ZERO, applied=ZERO, overdue=ZERO),
    Family.plans: Figures(planned_visits=0, planned_done=0),
    Family.targets: Figures(target_sales=ZERO, target_collection=ZERO),
    Family.commission: Figures(commission=ZERO),
}


_FIGURE_NAMES = tuple(f.name for f in fields(Figures))


def zero(families: Iterable[Family]) -> Figures:
    """Zeros for the measures computed, None for the rest."""
    return sum((_ZEROS[f] for f in families), Figures())


# --- the query and the report ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportQuery:
    """What storage sums: the period (as days and as moments), the reading day, the dimension,
    and the owners in scope (None: the company). A figure is in scope when the person it is
    attributed to is in it: it stays their work when the customer later changes hands. By
    customer, the customer's current owner must be in it too, so a rep's report never names
    another rep's customer."""

    period: Period
    as_of: date
    starts_at: datetime
    ends_at: datetime
    dimension: Dimension
    owner_ids: frozenset[int] | None

    @property
    def families(self) -> frozenset[Family]:
        """The dimension's families; targets and commission are set and paid by the month,
        so a period that is not whole calendar months has none ("—"): a week measured
        against its month's whole target would read 23 % on a good week."""
        found = FAMILIES[self.dimension]
        if not self.period.whole_months:
            found = found - {Family.targets, Family.commission}
        return found

    @property
    def first_month(self) -> date:
        return month_start(self.period.first)


def report_query(
    period: Period,
    dimension: Dimension,
    owner_ids: Iterable[int] | None,
    policy: Policy,
    today: date,
) -> ReportQuery:
    starts_at, ends_at = period.moments(policy)
    owners = None if owner_ids is None else frozenset(owner_ids)
    return ReportQuery(period, period.as_of(today), starts_at, ends_at, dimension, owners)


@dataclass(frozen=True, slots=True)
class Grouped:
    """What storage sums for a query: partial figures per key (one family's measures each,
    several rows per key), and the names of the customers among the keys."""

    rows: Sequence[tuple[Key, Figures]]
    names: Mapping[Key, str]


@dataclass(frozen=True, slots=True)
class ReportLine:
    key: Key
    label: str | None  # a person's or customer's name, the value itself; None: "(no region)"
    figures: Figures


@dataclass(frozen=True, slots=True)
class Report:
    period: Period
    as_of: date
    scope: ReportScope
    dimension: Dimension
    lines: tuple[ReportLine, ...]  # the most telling first (`telling`)
    total: Figures


def merge(families: Iterable[Family], rows: Iterable[tuple[Key, Figures]]) -> dict[Key, Figures]:
    """The grouped rows of every family summed by key; a key missing from a family shows its
    zeros, not None."""
    base = zero(families)
    merged: dict[Key, Figures] = {}
    for key, figures in rows:
        merged[key] = merged.get(key, base) + figures
    return merged


def telling(line: ReportLine) -> tuple[Decimal, Decimal, int, int, str]:
    """Lines order: the largest contract amount first, then money collected, visits, planned
    visits, then by label (a rep without contracts still ranks by work done)."""
    f = line.figures
    return (
        -(f.contract_amount or ZERO),
        -(f.collected or ZERO),
        -(f.visits or 0),
        -(f.planned_visits or 0),
        (line.label or "").casefold(),
    )


def build(
    query: ReportQuery,
    scope: ReportScope,
    rows: Iterable[tuple[Key, Figures]],
    labels: Mapping[Key, str | None],
) -> Report:
    merged = merge(query.families, rows)
    lines = sorted(
        (ReportLine(key, labels.get(key), figures) for key, figures in merged.items()),
        key=telling,
    )
    total = sum((line.figures for line in lines), zero(query.families))
    return Report(query.period, query.as_of, scope, query.dimension, tuple(lines), total)
