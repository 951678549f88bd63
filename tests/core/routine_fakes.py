"""In-memory fakes of the register and routine ports (customers in full, customer events,
visits, weekly plans, monthly targets, work logs), composed onto `approval_fakes`'s unit of work,
which stays as it is.

They follow `storage/customer_repos.py` and `storage/plan_repos.py` where a use case can tell:
reads are copies, `save` is an UPDATE of an existing row (of the columns the adapter writes),
upserts keep the row's id, `targets.confirm` succeeds once, orderings and query matching match,
and leaving a unit of work without a commit forgets everything written since the last commit.
Imported as `routine_fakes` (pytest puts this directory on sys.path).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from approval_fakes import MONDAY_10, ApprovalUnitOfWork
from commission_fakes import FakeCommissionSheets, FakeReconciliations
from contract_fakes import (
    FakeCollectionClaims,
    FakeContracts,
    FakeDeliveries,
    FakeInvoices,
    FakePayments,
    FakeWorkOrders,
)
from fakes import GUS, make_org, make_person
from pool_fakes import FakeCustomerPool

from bot.core.approvals import RequestStatus
from bot.core.customer_rules import company_key, customer_search
from bot.core.customers import (
    Customer,
    CustomerDraft,
    CustomerEvent,
    CustomerStatus,
    Visit,
    VisitDraft,
)
from bot.core.orders import Deal, DealStage, Deposit, Reservation
from bot.core.plans import MonthlyTarget, PlanItem, PlanStatus, WeeklyPlan
from bot.core.review import Grade, NewReview, PerformanceReview
from bot.core.roles import Role
from bot.core.targets import Actuals, MonthSpan, Sale, TargetNudgeClaim

# The statuses by their initials, for tables of cases.
P, Q, W, H, L = (
    CustomerStatus.prospect,
    CustomerStatus.qualified,
    CustomerStatus.won,
    CustomerStatus.handed_over,
    CustomerStatus.lost,
)
OPEN_STATUSES = (CustomerStatus.prospect, CustomerStatus.qualified, CustomerStatus.won)
CAT = 11  # customer service, next to the standard organisation of fakes.make_org


class FakeCustomerRepo:
    def __init__(self, customers: Iterable[Customer] = ()) -> None:
        self.rows: dict[int, Customer] = {c.id: replace(c) for c in customers}

    def _copies(self, found: Iterable[Customer]) -> list[Customer]:
        return [replace(c) for c in found]

    async def get(self, customer_id: int) -> Customer | None:
        customer = self.rows.get(customer_id)
        return replace(customer) if customer else None

    async def names(self, customer_ids: Iterable[int]) -> dict[int, str]:
        return {i: self.rows[i].name for i in customer_ids if i in self.rows}

    async def add(
        self,
        *,
        name: str,
        owner_id: int,
        phone: str | None,
        now: datetime,
        draft: CustomerDraft | None = None,
        name_key: str = "",
    ) -> Customer:
        details = asdict(draft) if draft else {"name": name, "phone": phone}
        customer = Customer(
            id=max(self.rows, default=0) + 1,
            owner_id=owner_id,
            status=CustomerStatus.prospect,
            created_at=now,
            taken_at=now,
            name_key=name_key,
            **details,
        )
        self.rows[customer.id] = customer
        return replace(customer)

    async def save(self, customer: Customer) -> None:
        if customer.id in self.rows:  # UPDATE … WHERE id: every column but the id and the pool's
            kept = self.rows[customer.id]
            self.rows[customer.id] = replace(
                customer,
                taken_at=kept.taken_at,
                pooled_at=kept.pooled_at,
                pool_warned_for=kept.pool_warned_for,
            )

    async def owned_by(
        self, owner_ids: Collection[int], query: str | None = None, limit: int = 50
    ) -> Sequence[Customer]:
        owners = set(owner_ids)
        owned = [c for c in self.rows.values() if c.owner_id in owners and c.pooled_at is None]
        return self._listed(owned, query, limit)

    async def handed_to(
        self, service_id: int, query: str | None = None, limit: int = 50
    ) -> Sequence[Customer]:
        found = [c for c in self.rows.values() if c.service_id == service_id]
        return self._listed(found, query, limit)

    def _listed(self, found: list[Customer], query: str | None, limit: int) -> list[Customer]:
        if query:  # the name as typed, the company key, or a phone fragment
            search = customer_search(query)
            found = [
                c
                for c in found
                if search.text in c.name.lower()
                or (search.key and search.key in c.name_key)
                or any(digits in (c.phone or "") for digits in search.digits)
            ]
        # ORDER BY last_visit_on DESC NULLS LAST, created_at DESC (two stable sorts)
        found.sort(key=lambda c: c.created_at, reverse=True)
        found.sort(key=lambda c: c.last_visit_on or date.min, reverse=True)
        return self._copies(found[:limit])

    async def matching(self, *, phone: str | None, name_key: str) -> Sequence[Customer]:
        found = [
            c
            for c in self.rows.values()
            if (name_key and c.name_key == name_key) or (phone and c.phone == phone)
        ]
        return self._copies(sorted(found, key=lambda c: c.id))

    async def unconfirmed(self, owner_ids: Collection[int]) -> Sequence[Customer]:
        found = [
            c
            for c in self.rows.values()
            if c.owner_id in set(owner_ids)
            and c.pooled_at is None
            and c.status is CustomerStatus.prospect
            and c.confirmed_at is None
        ]
        return self._copies(sorted(found, key=lambda c: (c.created_at, c.id)))

    async def follow_ups_due(self, day: date) -> Sequence[Customer]:
        found = [
            c
            for c in self.rows.values()
            if c.next_follow_up is not None
            and c.next_follow_up <= day
            and c.status in OPEN_STATUSES
            and c.pooled_at is None
        ]
        return self._copies(sorted(found, key=lambda c: (c.owner_id, c.next_follow_up, c.id)))

    def __getitem__(self, customer_id: int) -> Customer:
        return self.rows[customer_id]


class FakeDeals:
    def __init__(self) -> None:
        self.rows: list[Deal] = []

    async def open(
        self, *, customer_id: int, owner_id: int, request_id: int | None, now: datetime
    ) -> Deal:
        if request_id is not None and request_id in {d.request_id for d in self.rows}:
            raise AssertionError(f"request {request_id} already has a deal (unique in storage)")
        deal = Deal(
            len(self.rows) + 1, customer_id, owner_id, DealStage.negotiating, now, now, request_id
        )
        self.rows.append(deal)
        return deal

    async def get(self, deal_id: int) -> Deal | None:
        return next((d for d in self.rows if d.id == deal_id), None)

    async def for_customer(self, customer_id: int) -> Sequence[Deal]:
        return [d for d in self.rows if d.customer_id == customer_id]

    async def in_stage(self, stage: DealStage) -> Sequence[Deal]:
        return sorted((d for d in self.rows if d.stage is stage), key=lambda d: d.stage_at)

    async def open_of_owners(self, owner_ids: Collection[int]) -> Sequence[Deal]:
        found = [d for d in self.rows if d.owner_id in owner_ids and not d.over]
        return sorted(found, key=lambda d: (d.opened_at, d.id))

    def _replace(self, deal_id: int, **changes: Any) -> None:
        self.rows = [replace(d, **changes) if d.id == deal_id else d for d in self.rows]

    async def move(self, deal_id: int, seen: DealStage, to: DealStage, now: datetime) -> bool:
        deal = await self.get(deal_id)
        if deal is None or deal.stage is not seen:
            return False
        self._replace(deal_id, stage=to, stage_at=now)
        return True

    async def reserve(self, deal_id: int, reservation: Reservation) -> None:
        self._replace(deal_id, reservation=reservation)

    async def add_deposit(self, deal_id: int, deposit: Deposit) -> None:
        deal = await self.get(deal_id)
        if deal is not None and deal.deposit is not None:
            raise AssertionError(f"deal {deal_id} already has a deposit (unique in storage)")
        self._replace(deal_id, deposit=deposit)

    async def deposits(self, deal_ids: Collection[int]) -> dict[int, Decimal]:
        return {d.id: d.deposit.amount for d in self.rows if d.id in deal_ids and d.deposit}

    async def deposit_receipts(self, deal_ids: Collection[int]) -> dict[int, tuple[date, Decimal]]:
        return {
            d.id: (d.deposit.paid_on, d.deposit.amount)
            for d in self.rows
            if d.id in deal_ids and d.deposit
        }

    async def deposits_between(self, first: date, last: date) -> Sequence[Decimal]:
        return [
            d.deposit.amount for d in self.rows if d.deposit and first <= d.deposit.paid_on <= last
        ]

    async def taken_requests(self, request_ids: Collection[int]) -> set[int]:
        return {
            d.request_id
            for d in self.rows
            if d.request_id is not None and d.request_id in request_ids
        }


class FakeCustomerEvents:
    def __init__(self) -> None:
        self.rows: list[CustomerEvent] = []

    async def add(self, event: CustomerEvent) -> None:
        self.rows.append(replace(event))

    async def add_many(self, events: Sequence[CustomerEvent]) -> None:
        self.rows.extend(replace(event) for event in events)

    async def for_customer(self, customer_id: int) -> Sequence[CustomerEvent]:
        return [replace(e) for e in self.rows if e.customer_id == customer_id]

    async def declared_distinct(self, customer_ids: Collection[int]) -> dict[int, list[int]]:
        clashes: dict[int, list[int]] = {}
        for e in self.rows:
            if e.customer_id in customer_ids and e.action == "declared_distinct":
                clashes.setdefault(e.customer_id, []).append(int((e.comment or "").split(":")[-1]))
        return clashes

    def of(self, customer_id: int) -> list[tuple[str, int | None, str | None, str | None]]:
        """(action, actor, from, to) of a customer's history, oldest first."""
        return [
            (e.action, e.actor_id, e.from_status, e.to_status)
            for e in self.rows
            if e.customer_id == customer_id
        ]


def _copy_visit(visit: Visit) -> Visit:
    return replace(visit, photos=list(visit.photos))


class FakeVisits:
    def __init__(self) -> None:
        self.rows: dict[int, Visit] = {}

    async def add(
        self, draft: VisitDraft, *, rep_id: int, now: datetime, distance_m: float | None, far: bool
    ) -> Visit:
        values: dict[str, Any] = asdict(draft)
        values["photos"] = list(draft.photos)
        visit = Visit(
            id=max(self.rows, default=0) + 1,
            rep_id=rep_id,
            logged_at=now,
            distance_m=distance_m,
            far=far,
            **values,
        )
        self.rows[visit.id] = visit
        return _copy_visit(visit)

    async def get(self, visit_id: int) -> Visit | None:
        visit = self.rows.get(visit_id)
        return _copy_visit(visit) if visit else None

    async def for_customer(self, customer_id: int, limit: int | None = 5) -> Sequence[Visit]:
        found = [v for v in self.rows.values() if v.customer_id == customer_id]
        found.sort(key=lambda v: (v.visited_on, v.id), reverse=True)
        return [_copy_visit(v) for v in found[:limit]]

    async def of_reps_between(
        self, rep_ids: Collection[int], first: date, last: date
    ) -> Sequence[Visit]:
        found = [
            v for v in self.rows.values() if v.rep_id in rep_ids and first <= v.visited_on <= last
        ]
        return [_copy_visit(v) for v in sorted(found, key=lambda v: (v.visited_on, v.id))]

    async def by_rep_between(self, rep_id: int, first: date, last: date) -> Sequence[Visit]:
        found = [
            v for v in self.rows.values() if v.rep_id == rep_id and first <= v.visited_on <= last
        ]
        return [_copy_visit(v) for v in sorted(found, key=lambda v: (v.visited_on, v.id))]

    def __getitem__(self, visit_id: int) -> Visit:
        return self.rows[visit_id]


class FakePlans:
    def __init__(self) -> None:
        self.rows: dict[int, WeeklyPlan] = {}  # stored without items
        self.items: dict[int, PlanItem] = {}

    def _read(self, plan: WeeklyPlan) -> WeeklyPlan:
        items = sorted(
            (i for i in self.items.values() if i.plan_id == plan.id), key=lambda i: (i.day, i.id)
        )
        return replace(
            plan,
            last_submitted=copy.deepcopy(plan.last_submitted),
            items=[replace(i) for i in items],
        )

    async def get(self, plan_id: int) -> WeeklyPlan | None:
        plan = self.rows.get(plan_id)
        return self._read(plan) if plan else None

    async def for_week(self, rep_id: int, week: date) -> WeeklyPlan | None:
        found = next((p for p in self.rows.values() if (p.rep_id, p.week) == (rep_id, week)), None)
        return self._read(found) if found else None

    async def of_reps(self, rep_ids: Collection[int], week: date) -> Sequence[WeeklyPlan]:
        found = [p for p in self.rows.values() if p.rep_id in set(rep_ids) and p.week == week]
        return [self._read(p) for p in sorted(found, key=lambda p: p.id)]

    async def add(self, rep_id: int, week: date) -> WeeklyPlan:
        if await self.for_week(rep_id, week) is not None:
            raise AssertionError(f"(rep_id, week) = ({rep_id}, {week}) is unique in the database")
        plan = WeeklyPlan(
            id=max(self.rows, default=0) + 1, rep_id=rep_id, week=week, status=PlanStatus.draft
        )
        self.rows[plan.id] = plan
        return self._read(plan)

    async def save(self, plan: WeeklyPlan) -> None:
        old = self.rows.get(plan.id)
        if old is not None:  # UPDATE … WHERE id: rep and week never change; items are rows apart
            self.rows[plan.id] = replace(
                plan,
                rep_id=old.rep_id,
                week=old.week,
                last_submitted=copy.deepcopy(plan.last_submitted),
                items=[],
            )

    async def add_item(
        self, plan_id: int, *, customer_id: int, day: date, purpose: str
    ) -> PlanItem:
        if plan_id not in self.rows:
            raise AssertionError(f"plan {plan_id} must exist (foreign key)")
        item = PlanItem(
            id=max(self.items, default=0) + 1,
            plan_id=plan_id,
            customer_id=customer_id,
            day=day,
            purpose=purpose,
        )
        self.items[item.id] = item
        return replace(item)

    async def remove_item(self, plan_id: int, item_id: int) -> None:
        item = self.items.get(item_id)
        if item is not None and item.plan_id == plan_id:
            del self.items[item_id]

    def __getitem__(self, plan_id: int) -> WeeklyPlan:
        """The stored plan with its items (a copy: change it through the repository)."""
        return self._read(self.rows[plan_id])


class FakeTargets:
    def __init__(self) -> None:
        self.rows: dict[int, MonthlyTarget] = {}
        # the unit of work's visits and requests, for `actuals` (a function: kept by deepcopy)
        self.sources: Callable[[], tuple[FakeVisits, Any]] = lambda: (FakeVisits(), None)

    async def get(self, rep_id: int, month: date) -> MonthlyTarget | None:
        found = next(
            (t for t in self.rows.values() if (t.rep_id, t.month) == (rep_id, month)), None
        )
        return replace(found) if found else None

    async def by_id(self, target_id: int) -> MonthlyTarget | None:
        target = self.rows.get(target_id)
        return replace(target) if target else None

    async def assign(self, target: MonthlyTarget) -> MonthlyTarget:
        """A new figure replaces the old one (same row) and needs confirming again."""
        existing = await self.get(target.rep_id, target.month)
        target_id = existing.id if existing else max(self.rows, default=0) + 1
        stored = replace(target, id=target_id, confirmed_at=None)
        self.rows[target_id] = stored
        return replace(stored)

    async def confirm(self, target_id: int, now: datetime) -> bool:
        target = self.rows.get(target_id)
        if target is None or target.confirmed_at is not None:
            return False
        target.confirmed_at, target.next_nudge_at = now, None
        return True

    async def of_reps(
        self, rep_ids: Collection[int], months: Collection[date]
    ) -> Sequence[MonthlyTarget]:
        return [replace(t) for t in self.rows.values() if t.rep_id in rep_ids and t.month in months]

    async def actuals(self, rep_ids: Collection[int], span: MonthSpan) -> Actuals:
        visits, requests = self.sources()
        counts: dict[int, int] = {}
        for visit in visits.rows.values():
            if visit.rep_id in rep_ids and span.first_day <= visit.visited_on <= span.last_day:
                counts[visit.rep_id] = counts.get(visit.rep_id, 0) + 1
        sales = [
            Sale(r.requester_id, r.terms.quantity, r.terms.amount, r.terms.discount)
            for r in requests.rows.values()
            if r.requester_id in rep_ids
            and r.kind == "special_terms"
            and r.status is RequestStatus.approved
            and r.closed_at is not None
            and span.starts_at <= r.closed_at < span.ends_at
        ]
        return Actuals(counts, sales)

    async def due_for_nudge(self, now: datetime) -> Sequence[MonthlyTarget]:
        due = [
            t
            for t in self.rows.values()
            if t.confirmed_at is None and t.next_nudge_at is not None and t.next_nudge_at <= now
        ]
        return [replace(t) for t in sorted(due, key=lambda t: (t.next_nudge_at, t.id))]

    async def claim_nudges(self, claims: Sequence[TargetNudgeClaim]) -> set[int]:
        claimed: set[int] = set()
        for claim in claims:
            target = self.rows.get(claim.target_id)
            if (
                target is not None
                and target.confirmed_at is None
                and target.next_nudge_at == claim.seen_nudge_at
            ):
                target.next_nudge_at = claim.next_nudge_at
                claimed.add(target.id)
        return claimed

    def __getitem__(self, target_id: int) -> MonthlyTarget:
        return self.rows[target_id]


class FakeWorkLogs:
    def __init__(self) -> None:
        self.rows: dict[tuple[int, date], tuple[str, datetime]] = {}

    async def note(self, rep_id: int, day: date) -> str | None:
        found = self.rows.get((rep_id, day))
        return found[0] if found else None

    async def set_note(self, rep_id: int, day: date, note: str, now: datetime) -> None:
        self.rows[(rep_id, day)] = (note, now)

    async def notes_between(
        self, rep_ids: Collection[int], first: date, last: date
    ) -> list[tuple[int, date, str]]:
        return sorted(
            (rep, day, note)
            for (rep, day), (note, _at) in self.rows.items()
            if rep in rep_ids and first <= day <= last
        )


class FakeReviews:
    def __init__(self) -> None:
        self.rows: dict[int, PerformanceReview] = {}

    async def add_many(self, reviews: Sequence[NewReview], now: datetime) -> list[int]:
        taken = {(r.rep_id, r.month) for r in self.rows.values()}
        added = []
        for new in reviews:
            if (new.rep_id, new.month) in taken:
                continue
            review_id = len(self.rows) + 1
            self.rows[review_id] = PerformanceReview(
                review_id, new.rep_id, new.month, new.manager_id, new.figures, new.suggested, now
            )
            added.append(new.rep_id)
        return added

    async def of_month(self, rep_ids: Collection[int], month: date) -> list[PerformanceReview]:
        return [r for r in self.rows.values() if r.rep_id in rep_ids and r.month == month]

    async def get(self, review_id: int) -> PerformanceReview | None:
        return self.rows.get(review_id)

    async def of_rep(self, rep_id: int, limit: int) -> list[PerformanceReview]:
        mine = [r for r in self.rows.values() if r.rep_id == rep_id]
        return sorted(mine, key=lambda r: r.month, reverse=True)[:limit]

    async def latest_month(self, rep_ids: Collection[int]) -> date | None:
        return max((r.month for r in self.rows.values() if r.rep_id in rep_ids), default=None)

    async def claim_comment(
        self, review_id: int, *, rep_id: int, comment: str, now: datetime
    ) -> bool:
        review = self.rows.get(review_id)
        if review is None or review.rep_id != rep_id or review.grade is not None:
            return False
        self.rows[review_id] = replace(review, comment=comment, commented_at=now)
        return True

    async def claim_grade(
        self, review_id: int, *, grade: Grade, by: int, reason: str | None, now: datetime
    ) -> bool:
        review = self.rows.get(review_id)
        if review is None or review.grade is not None:
            return False
        self.rows[review_id] = replace(
            review, grade=grade, graded_by=by, graded_at=now, reason=reason, told_at=now
        )
        return True


class FakeMeetingTopics:
    def __init__(self) -> None:
        self.rows: dict[tuple[int, date], tuple[str, datetime]] = {}

    async def get(self, manager_id: int, week: date) -> str | None:
        found = self.rows.get((manager_id, week))
        return found[0] if found else None

    async def of_week(self, week: date) -> dict[int, str]:
        return {m: topic for (m, w), (topic, _at) in self.rows.items() if w == week}

    async def set(self, manager_id: int, week: date, topic: str | None, now: datetime) -> None:
        if topic is None:
            self.rows.pop((manager_id, week), None)
        else:
            self.rows[(manager_id, week)] = (topic, now)


_TABLES = (
    "meeting_topics",
    "customer_events",
    "visits",
    "plans",
    "targets",
    "work_logs",
    "reviews",
    "deals",
    "contracts",
    "payments",
    "deliveries",
    "work_orders",
    "collection_claims",
    "invoices",
    "commission_sheets",
    "reconciliations",
)


@dataclass
class RoutineUnitOfWork(ApprovalUnitOfWork):
    """`ApprovalUnitOfWork` with the full customer register and the routine repositories;
    commit and rollback cover them all."""

    customers: FakeCustomerRepo = field(default_factory=FakeCustomerRepo)
    customer_events: FakeCustomerEvents = field(default_factory=FakeCustomerEvents)
    visits: FakeVisits = field(default_factory=FakeVisits)
    plans: FakePlans = field(default_factory=FakePlans)
    targets: FakeTargets = field(default_factory=FakeTargets)
    work_logs: FakeWorkLogs = field(default_factory=FakeWorkLogs)
    meeting_topics: FakeMeetingTopics = field(default_factory=FakeMeetingTopics)
    reviews: FakeReviews = field(default_factory=FakeReviews)
    deals: FakeDeals = field(default_factory=FakeDeals)
    contracts: FakeContracts = field(default_factory=FakeContracts)
    payments: FakePayments = field(default_factory=FakePayments)
    deliveries: FakeDeliveries = field(default_factory=FakeDeliveries)
    work_orders: FakeWorkOrders = field(default_factory=FakeWorkOrders)
    collection_claims: FakeCollectionClaims = field(default_factory=FakeCollectionClaims)
    invoices: FakeInvoices = field(default_factory=FakeInvoices)
    commission_sheets: FakeCommissionSheets = field(default_factory=FakeCommissionSheets)
    reconciliations: FakeReconciliations = field(default_factory=FakeReconciliations)
    pool: FakeCustomerPool = field(default_factory=FakeCustomerPool)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.pool.customers = lambda: self.customers.rows
        self.pool.events = lambda: self.customer_events.rows
        self.targets.sources = lambda: (self.visits, self.requests)
        self.deliveries.contracts = lambda: self.contracts
        self.payments.contracts = lambda: self.contracts
        self.contracts.customer_names = lambda: self._customer_name
        self.contracts.deals = lambda: self.deals.rows

    def _customer_name(self, customer_id: int) -> str:
        customer = self.customers.rows.get(customer_id)
        return customer.name.casefold() if customer else ""

    def snapshot(self) -> dict[str, Any]:
        return {
            **super().snapshot(),
            **copy.deepcopy({name: vars(getattr(self, name)) for name in _TABLES}),
        }

    async def rollback(self) -> None:
        await super().rollback()
        saved = copy.deepcopy(self._saved)
        for name in _TABLES:
            vars(getattr(self, name)).update(saved[name])


def make_customer(customer_id: int, owner_id: int, name: str, **overrides: Any) -> Customer:
    defaults: dict[str, Any] = {
        "status": CustomerStatus.prospect,
        "created_at": MONDAY_10 - timedelta(days=30) + timedelta(minutes=customer_id),
        "name_key": company_key(name),
    }
    return Customer(id=customer_id, name=name, owner_id=owner_id, **{**defaults, **overrides})


def routine_world(*customers: Customer) -> RoutineUnitOfWork:
    """The standard organisation (fakes.make_org) plus Cat (customer service, under Gus), with
    these customers, all committed."""
    people = [
        *make_org(),
        make_person(id=CAT, full_name="Cat", role=Role.customer_service, reports_to=GUS),
    ]
    uow = RoutineUnitOfWork.of(people)
    uow.customers.rows = {c.id: replace(c) for c in customers}
    uow.baseline()
    return uow
