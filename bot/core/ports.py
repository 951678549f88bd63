"""What the use cases need from storage. `storage/` implements these; tests use in-memory fakes."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol, Self

from bot.core.approvals import (
    ApprovalRequest,
    ApprovalStep,
    DeciderChange,
    Delegation,
    NudgeClaim,
    StepStatus,
)
from bot.core.collection_dues import DueItem, DueKey
from bot.core.commission import SheetDraft, SheetRecord, SheetStatus
from bot.core.contract_terms import ContractLine, PaymentSchedule
from bot.core.contracts import Contract, ContractDraft, ContractStatus, ProductionStep
from bot.core.customers import (
    Customer,
    CustomerDraft,
    CustomerEvent,
    CustomerLine,
    Visit,
    VisitDraft,
)
from bot.core.deals import DealTerms
from bot.core.deliveries import DeliveryNote, DeliveryStatus
from bot.core.invoices import Invoice, InvoiceStatus
from bot.core.models import AuditEntry, Invite, Notification, OutboxItem, Person, StoredUpdate
from bot.core.orders import Deal, DealStage, Deposit, Reservation
from bot.core.payments import Payment, PaymentDraft
from bot.core.plans import MonthlyTarget, PlanItem, WeeklyPlan
from bot.core.reconciliation import Confirmation, Reconciliation
from bot.core.reports import Grouped, ReportQuery
from bot.core.review import Grade, NewReview, PerformanceReview
from bot.core.roles import Role
from bot.core.targets import Actuals, MonthSpan, TargetNudgeClaim
from bot.core.work_orders import WorkOrder, WorkOrderStatus


class PersonRepo(Protocol):
    async def get(self, person_id: int) -> Person | None: ...

    async def by_ids(self, person_ids: Collection[int]) -> Sequence[Person]: ...

    async def by_telegram_id(self, telegram_id: int) -> Person | None: ...

    async def all(self) -> Sequence[Person]: ...

    async def admin_count(self) -> int: ...

    async def add(
        self,
        *,
        telegram_id: int,
        full_name: str,
        role: Role,
        reports_to: int | None,
        language: str | None,
        joined_at: datetime,
    ) -> Person: ...

    async def save(self, person: Person) -> None: ...

    async def claim_reachable(self, person_id: int) -> bool:
        """Clear the person's unreachable mark only if it is set: of two updates racing to
        welcome them back, one wins."""
        ...


class InviteRepo(Protocol):
    async def add(self, invite: Invite) -> None: ...

    async def get(self, code: str) -> Invite | None: ...

    async def open(self, now: datetime) -> Sequence[Invite]:
        """The invites neither used nor expired at `now`, soonest to expire first."""
        ...

    async def claim(self, code: str, telegram_id: int, now: datetime) -> bool:
        """Mark an unused, unexpired invite used; False if it was not (another claim won)."""
        ...


class Outbox(Protocol):
    async def add(self, notification: Notification, now: datetime) -> None: ...

    async def add_many(self, notifications: Sequence[Notification], now: datetime) -> None:
        """`add` for each, in order, written in one go."""
        ...


class AuditLog(Protocol):
    async def add(self, entry: AuditEntry) -> None: ...

    async def add_many(self, entries: Sequence[AuditEntry]) -> None: ...


class CustomerRepo(Protocol):
    async def get(self, customer_id: int) -> Customer | None: ...

    async def names(self, customer_ids: Collection[int]) -> dict[int, str]: ...

    async def add(
        self,
        *,
        name: str,
        owner_id: int,
        phone: str | None,
        now: datetime,
        draft: CustomerDraft | None = None,
        name_key: str = "",
    ) -> Customer: ...

    async def save(self, customer: Customer) -> None: ...

    async def owned_by(
        self, owner_ids: Collection[int], query: str | None = None, limit: int = 50
    ) -> Sequence[Customer]:
        """Most recently visited first; `query` matches a name or phone fragment."""
        ...

    async def handed_to(
        self, service_id: int, query: str | None = None, limit: int = 50
    ) -> Sequence[Customer]:
        """Handed over to this customer service person; ordered and matched as `owned_by`."""
        ...

    async def matching(self, *, phone: str | None, name_key: str) -> Sequence[Customer]: ...

    async def unconfirmed(self, owner_ids: Collection[int]) -> Sequence[Customer]: ...

    async def follow_ups_due(self, day: date) -> Sequence[Customer]: ...

    async def listing(
        self, owner_ids: Collection[int], *, after_id: int, limit: int
    ) -> Sequence[CustomerLine]:
        """The owners' customers (not those in the pool) with id above `after_id`, by id, each
        with its visits counted and its latest visit's intent, in one statement."""
        ...


class CustomerPool(Protocol):
    """The customer pool's reads and compare-and-set moves (bot/core/pool.py)."""

    async def idle(self, last_day: date, taken_before: datetime) -> Sequence[Customer]:
        """Owned poolable customers whose last visit is on or before `last_day` (or none) and
        who were taken before `taken_before`: the sweep's candidates, by owner then id."""
        ...

    async def claim_warnings(self, return_days: Mapping[int, date]) -> set[int]:
        """Marks each customer warned of its return day unless it was already warned of that
        day (or a later one); the ids marked now."""
        ...

    async def to_pool(
        self,
        customer_ids: Collection[int],
        last_day: date,
        taken_before: datetime,
        now: datetime,
        *,
        warned_by: date | None,
    ) -> set[int]:
        """Pools those still idle as `idle` reads them (a visit logged meanwhile wins) and,
        with `warned_by`, warned of a return day on or before it."""
        ...

    async def listed(
        self, query: str | None, offset: int, limit: int
    ) -> tuple[Sequence[Customer], int]:
        """A page of the pool, latest returned first, and how many match in all."""
        ...

    async def take(
        self, customer_id: int, owner_id: int, now: datetime, *, from_pool: bool
    ) -> bool:
        """The customer becomes the owner's from now: out of the pool when `from_pool` (False
        if someone else took it first), else a reassignment of an owned customer."""
        ...

    async def open_count(self, owner_id: int) -> int: ...

    async def claims_since(self, actor_id: int, since: datetime) -> int: ...


class CustomerEventLog(Protocol):
    async def add(self, event: CustomerEvent) -> None: ...

    async def add_many(self, events: Sequence[CustomerEvent]) -> None: ...

    async def for_customer(self, customer_id: int) -> Sequence[CustomerEvent]: ...

    async def declared_distinct(self, customer_ids: Collection[int]) -> dict[int, list[int]]:
        """For each customer, the ones its registrar said it is not (oldest first)."""
        ...


class VisitRepo(Protocol):
    async def add(
        self, draft: VisitDraft, *, rep_id: int, now: datetime, distance_m: float | None, far: bool
    ) -> Visit: ...

    async def get(self, visit_id: int) -> Visit | None: ...

    async def for_customer(self, customer_id: int, limit: int | None = 5) -> Sequence[Visit]:
        """Newest first; `limit` None: all of them."""
        ...

    async def by_rep_between(self, rep_id: int, first: date, last: date) -> Sequence[Visit]: ...

    async def logged(
        self,
        rep_ids: Collection[int],
        first: date,
        last: date,
        *,
        after: tuple[date, int] | None,
        limit: int,
    ) -> Sequence[Visit]:
        """The reps' visits from `first` to `last`, by day then id, after the (day, id) key
        `after` (None: from the start): one batch of the visit log."""
        ...

    async def of_reps_between(
        self, rep_ids: Collection[int], first: date, last: date
    ) -> Sequence[Visit]:
        """The visits these reps logged between the days (both included), by day."""
        ...


class RequestRepo(Protocol):
    async def add(
        self, *, kind: str, requester_id: int, terms: DealTerms, now: datetime
    ) -> ApprovalRequest: ...

    async def get(self, request_id: int) -> ApprovalRequest | None: ...

    async def by_ids(self, request_ids: Collection[int]) -> Sequence[ApprovalRequest]: ...

    async def save(self, request: ApprovalRequest) -> None: ...

    async def by_requester(self, person_id: int, limit: int = 50) -> Sequence[ApprovalRequest]: ...

    async def for_customer(
        self, customer_id: int, limit: int = 50
    ) -> Sequence[ApprovalRequest]: ...

    async def add_cc(self, request_id: int, person_ids: Collection[int]) -> None:
        """Whom the requester adds to inform (抄送) of the request."""
        ...

    async def cc_of(self, request_ids: Collection[int]) -> dict[int, tuple[int, ...]]:
        """The people the requester added to inform, by request (requests without: absent)."""
        ...


class StepRepo(Protocol):
    async def add(self, step: ApprovalStep) -> ApprovalStep: ...

    async def get(self, step_id: int) -> ApprovalStep | None: ...

    async def for_request(self, request_id: int) -> Sequence[ApprovalStep]: ...

    async def for_requests(self, request_ids: Collection[int]) -> Sequence[ApprovalStep]:
        """Every step of these requests, by request, round and position."""
        ...

    async def save(self, step: ApprovalStep) -> None: ...

    async def claim_decision(
        self, step_id: int, *, status: StepStatus, actor_id: int, comment: str | None, now: datetime
    ) -> bool:
        """Decide a step only if it is still pending (and, once transferred, only by the person
        it was transferred to): of two concurrent taps, or a tap and a transfer, one wins."""
        ...

    async def claim_transfer(self, step_id: int, *, seen_acting: int | None, to_id: int) -> bool:
        """Hand a pending step to `to_id` only if it is still pending with `seen_acting` acting:
        of a decision and a transfer at the same moment, one happens."""
        ...

    async def claim_add_approver(
        self, step_id: int, *, seen_acting: int | None, hold: bool
    ) -> bool:
        """Reserve a pending step for 加签 only if it is still pending with `seen_acting`
        acting: of a decision, a transfer and an added approver at the same moment, one
        happens. `hold` puts the step back to waiting, with its deadline cleared, while the
        added reviewer goes first."""
        ...

    async def make_room(self, request_id: int, round: int, position: int) -> None:
        """Move the round's steps at `position` and after one place down the chain."""
        ...

    async def claim_urge(self, step_id: int, *, seen: datetime | None, now: datetime) -> bool:
        """Record an urge on a pending step only if its last urge is still `seen`: of two
        concurrent taps, one urges."""
        ...

    async def open_for(self, person_id: int) -> Sequence[ApprovalStep]:
        """Pending steps this person decides (as approver without delegate, or as delegate)."""
        ...

    async def open_of_approver(self, approver_id: int) -> Sequence[ApprovalStep]: ...

    async def waiting_on(self, person_id: int) -> Sequence[ApprovalStep]:
        """Undecided steps (open or waiting their turn) that this person holds: as approver,
        unless the step has moved away from them, or as the stand-in it moved to."""
        ...

    async def open_for_deciders(self, person_ids: Collection[int]) -> Sequence[ApprovalStep]:
        """Pending steps these people decide, each person's earliest deadline first."""
        ...

    async def stale_deciders(self, now: datetime) -> Sequence[DeciderChange]:
        """Open steps whose acting person is not the approver's current delegate (the newest
        delegation covering `now`, if its delegate is active), or who has one when nobody
        should. Found by the steps' and the delegations' indexes, not by reading every step."""
        ...

    async def change_deciders(self, changes: Sequence[DeciderChange]) -> set[int]:
        """Set the acting person of each step still pending with the acting person it was read
        with; the ids of the steps changed (a concurrent sweep's are not)."""
        ...

    async def due_for_nudge(self, now: datetime) -> Sequence[ApprovalStep]: ...

    async def claim_nudges(self, claims: Sequence[NudgeClaim]) -> set[int]:
        """Record each reminder or escalation only if nobody did since its `seen_nudge_at`;
        the ids of the steps claimed."""
        ...

    async def open_deciders(self) -> dict[int, int]:
        """Everyone who decides open steps, with how many, by person id."""
        ...


class DelegationRepo(Protocol):
    async def add(
        self,
        *,
        person_id: int,
        delegate_id: int,
        starts_at: datetime,
        ends_at: datetime,
        now: datetime,
    ) -> Delegation: ...

    async def current(self, person_id: int, at: datetime) -> Delegation | None: ...

    async def upcoming(self, person_id: int, now: datetime) -> Sequence[Delegation]: ...

    async def cancel(self, delegation_id: int) -> None: ...


class DigestLog(Protocol):
    async def claim(self, person_id: int, kind: str, day: date) -> bool:
        """True once per person, kind and day: a second sweep sends nothing twice."""
        ...

    async def claim_many(self, person_ids: Collection[int], kind: str, day: date) -> set[int]:
        """`claim` for many people at once: the ones claimed now."""
        ...


class PlanRepo(Protocol):
    async def get(self, plan_id: int) -> WeeklyPlan | None: ...

    async def for_week(self, rep_id: int, week: date) -> WeeklyPlan | None: ...

    async def of_reps(self, rep_ids: Collection[int], week: date) -> Sequence[WeeklyPlan]: ...

    async def add(self, rep_id: int, week: date) -> WeeklyPlan: ...

    async def save(self, plan: WeeklyPlan) -> None: ...

    async def add_item(
        self, plan_id: int, *, customer_id: int, day: date, purpose: str
    ) -> PlanItem: ...

    async def remove_item(self, plan_id: int, item_id: int) -> None: ...


class TargetRepo(Protocol):
    async def get(self, rep_id: int, month: date) -> MonthlyTarget | None: ...

    async def by_id(self, target_id: int) -> MonthlyTarget | None: ...

    async def assign(self, target: MonthlyTarget) -> MonthlyTarget:
        """Store the rep's target for the month (its id is ignored): a new figure replaces
        the old one, keeps the row's id and needs the rep's confirmation again."""
        ...

    async def confirm(self, target_id: int, now: datetime) -> bool:
        """True once: the first confirmation of the target; it also ends its nudges."""
        ...

    async def of_reps(
        self, rep_ids: Collection[int], months: Collection[date]
    ) -> Sequence[MonthlyTarget]: ...

    async def actuals(self, rep_ids: Collection[int], span: MonthSpan) -> Actuals:
        """The reps' visits logged and special terms approved in the month, in one query."""
        ...

    async def due_for_nudge(self, now: datetime) -> Sequence[MonthlyTarget]:
        """Unconfirmed targets whose next nudge is due."""
        ...

    async def claim_nudges(self, claims: Sequence[TargetNudgeClaim]) -> set[int]:
        """Move each target's nudge time on only if it is still the one the sweep read;
        the ids of the targets claimed."""
        ...


class DealRepo(Protocol):
    async def open(
        self, *, customer_id: int, owner_id: int, request_id: int | None, now: datetime
    ) -> Deal:
        """A new deal at its first stage."""
        ...

    async def get(self, deal_id: int) -> Deal | None: ...

    async def for_customer(self, customer_id: int) -> Sequence[Deal]: ...

    async def open_of_owners(self, owner_ids: Collection[int]) -> Sequence[Deal]:
        """The deals these reps follow that are neither closed nor lost, oldest first."""
        ...

    async def in_stage(self, stage: DealStage) -> Sequence[Deal]:
        """The deals at this stage, the longest waiting first."""
        ...

    async def taken_requests(self, request_ids: Collection[int]) -> set[int]:
        """Which of these requests a deal was already won on."""
        ...

    async def move(self, deal_id: int, seen: DealStage, to: DealStage, now: datetime) -> bool:
        """Move the deal to `to` only if it is still at `seen`: False when someone moved it
        first (two taps at once record one move)."""
        ...

    async def reserve(self, deal_id: int, reservation: Reservation) -> None: ...

    async def add_deposit(self, deal_id: int, deposit: Deposit) -> None: ...

    async def deposits(self, deal_ids: Collection[int]) -> dict[int, Decimal]:
        """The deposit received per deal, for many at once; a deal without one has no key."""
        ...

    async def deposit_receipts(self, deal_ids: Collection[int]) -> dict[int, tuple[date, Decimal]]:
        """The day each deal's deposit was paid and its amount; a deal without one has no key."""

    async def deposits_between(self, first: date, last: date) -> Sequence[Decimal]:
        """The deposits received on `first`..`last`, both counted, in one read."""
        ...


class ContractRepo(Protocol):
    """Contracts with their lines and schedule, always read whole."""

    async def apply(self, draft: ContractDraft, *, filed_by: int, now: datetime) -> Contract:
        """A new application, status `applied`."""
        ...

    async def get(self, contract_id: int) -> Contract | None: ...

    async def by_ids(self, contract_ids: Collection[int]) -> Sequence[Contract]: ...

    async def by_request(self, request_id: int) -> Contract | None: ...

    async def by_requests(self, request_ids: Collection[int]) -> Sequence[Contract]:
        """The contracts these applications' requests carry, in one read."""
        ...

    async def for_deal(self, deal_id: int) -> Sequence[Contract]: ...

    async def for_deals(self, deal_ids: Collection[int]) -> Sequence[Contract]:
        """Every contract of these deals, in one read (a queue of deals, not one per row)."""
        ...

    async def save(self, contract: Contract, *, expected: ContractStatus) -> bool:
        """Write the status, request, number, signatures and dates (not the terms), only if
        the contract is still in `expected`: of two concurrent moves, one wins."""
        ...

    async def revise(
        self,
        contract_id: int,
        *,
        lines: Sequence[ContractLine],
        schedule: PaymentSchedule,
        delivery_date: date,
    ) -> None:
        """Replace the terms of a returned application before it is filed again."""
        ...

    async def hold(self, contract_id: int) -> None:
        """Hold the contract's row to the end of the transaction. Call it before reading what
        a new payment or delivery note is checked against: two recordings for one contract
        then check one after the other, so together they cannot pass its amount or quantity."""
        ...

    async def in_production(self, step: ProductionStep) -> Sequence[Contract]:
        """The contracts in force at this step, oldest first (the queues of production and
        delivery): `to_sign` without a signed production notice, `to_make` signed and the goods
        not ready, `to_deliver` the goods ready while the deal is still `contracted`."""
        ...

    async def next_number_seq(self, series: int) -> int:
        """The next `seq` of a number series (contract_numbers.number_series), 1 first; two
        approvals at once get two numbers, and a rolled-back one gives its number back."""
        ...

    async def ledger(
        self,
        *,
        owner_ids: Collection[int] | None = None,
        customer_id: int | None = None,
        statuses: Collection[ContractStatus] | None = None,
        limit: int = 20,
        offset: int = 0,
        customer_ids: Collection[int] | None = None,
        due_before: date | None = None,
        below_id: int | None = None,
    ) -> Sequence[Contract]:
        """Newest first; a filter left None does not filter (owner_ids None: everyone's).
        `due_before`: only contracts with an instalment due before that day (the ones that
        can be overdue on it). `below_id`: the next batch after the one ending at that id,
        so a contract coming into force meanwhile neither repeats nor hides a row."""
        ...

    async def flag_legal(self, contract_ids: Collection[int], now: datetime) -> set[int]:
        """Sets legal_flagged_at where it is not set yet; returns the ids flagged now."""

    async def collectable(
        self, *, owner_ids: Collection[int] | None, closed_since: datetime
    ) -> Sequence[Contract]:
        """The contracts money may be owed or paid on: in force, or closed at `closed_since`
        or later (a month's analysis still counts the payment that closed one). Oldest first;
        owner_ids None: everyone's."""

    async def cosigned_between(self, start: datetime, end: datetime) -> Sequence[Contract]:
        """The contracts in force or closed co-signed (so in force) from `start` to before
        `end`, in one read: a month's new contracts."""
        ...

    async def any_cosigned_before(self, end: datetime) -> bool:
        """Whether any contract was co-signed before `end` (one LIMIT 1 read)."""
        ...

    async def find(
        self,
        text: str,
        *,
        statuses: Collection[ContractStatus],
        owner_ids: Collection[int] | None = None,
        limit: int = 20,
    ) -> Sequence[Contract]:
        """Contracts whose number or customer's name contains `text` (case aside), newest
        first: how finance and the desk find the contract a slip or a task is about."""
        ...


class CollectionClaims(Protocol):
    async def claim_many(self, items: Sequence[DueItem], now: datetime) -> set[DueKey]:
        """Claims each telling (contract, due, kind, stage) not claimed before, with a unique
        row; returns the keys claimed now."""
        ...


class PaymentRepo(Protocol):
    async def add(self, draft: PaymentDraft, *, recorded_by: int, now: datetime) -> Payment: ...

    async def for_contract(self, contract_id: int) -> Sequence[Payment]:
        """Oldest first (paid on, then recorded)."""
        ...

    async def for_contracts(self, contract_ids: Collection[int]) -> dict[int, list[Payment]]:
        """`for_contract` for many at once; a contract without payments has no key."""
        ...

    async def receipts(
        self, contract_ids: Collection[int]
    ) -> dict[int, list[tuple[date, Decimal]]]:
        """Only the day and amount of each payment, for many contracts at once (what the
        collection analysis reads, without building whole payments); no payments, no key."""

    async def paid_between(
        self, first: date, last: date, *, owner_ids: Collection[int] | None = None
    ) -> Sequence[Payment]:
        """The payments paid on `first`..`last` (both counted) against contracts these reps
        own (None: anyone's), oldest first, in one read: a month's commission."""
        ...


class DeliveryRepo(Protocol):
    async def add(
        self, contract_id: int, *, lines: Sequence[Decimal], filed_by: int, now: datetime
    ) -> DeliveryNote:
        """A new note, `filed`, numbered next within its contract (hold the contract first)."""
        ...

    async def get(self, note_id: int) -> DeliveryNote | None: ...

    async def for_contract(self, contract_id: int) -> Sequence[DeliveryNote]:
        """By number within the contract."""
        ...

    async def save(self, note: DeliveryNote, *, expected: DeliveryStatus) -> bool:
        """Write the status and who did what when, only if the note is still in `expected`."""
        ...

    async def delivered(self, contract_ids: Collection[int]) -> dict[int, tuple[Decimal, ...]]:
        """Per contract, the quantity per line of its notes not cancelled (zeros included)."""
        ...

    async def in_status(self, statuses: Collection[DeliveryStatus]) -> Sequence[DeliveryNote]:
        """The notes in these statuses, oldest first (the delivery queues)."""
        ...

    async def booked_between(self, start: datetime, end: datetime) -> Sequence[DeliveryNote]:
        """The notes finance booked from `start` to before `end`, not cancelled, in one read:
        a month's deliveries for the reconciliation."""
        ...


class WorkOrderRepo(Protocol):
    async def add(
        self, contract_id: int, *, task: str, filed_by: int, now: datetime
    ) -> WorkOrder: ...

    async def get(self, order_id: int) -> WorkOrder | None: ...

    async def for_contract(self, contract_id: int) -> Sequence[WorkOrder]: ...

    async def save(self, order: WorkOrder, *, expected: WorkOrderStatus) -> bool:
        """Write the status, people and report, only if the order is still in `expected`."""
        ...

    async def in_status(self, statuses: Collection[WorkOrderStatus]) -> Sequence[WorkOrder]:
        """The orders in these statuses, oldest first (the follow-on queues)."""
        ...


class InvoiceRepo(Protocol):
    async def add(
        self,
        contract_id: int,
        *,
        amount: Decimal,
        collected: Decimal,
        asked_by: int,
        now: datetime,
    ) -> Invoice: ...

    async def get(self, invoice_id: int) -> Invoice | None: ...

    async def by_request(self, request_id: int) -> Invoice | None: ...

    async def by_number(self, number: str) -> Invoice | None: ...

    async def by_requests(self, request_ids: Collection[int]) -> Sequence[Invoice]: ...

    async def for_contract(self, contract_id: int) -> Sequence[Invoice]: ...

    async def for_contracts(self, contract_ids: Collection[int]) -> Sequence[Invoice]: ...

    async def save(self, invoice: Invoice, *, expected: InvoiceStatus) -> bool:
        """Write the status, request and issue, only if the invoice is still in `expected`."""
        ...

    async def in_status(self, status: InvoiceStatus) -> Sequence[Invoice]:
        """The invoices in this status, oldest first (the accountant's queue)."""
        ...


class CommissionSheetRepo(Protocol):
    async def add(self, draft: SheetDraft, *, filed_by: int, now: datetime) -> SheetRecord:
        """A new sheet, `filed`, with its lines. One live sheet per rep and month."""
        ...

    async def get(self, sheet_id: int) -> SheetRecord | None: ...

    async def save(self, sheet: SheetRecord, *, expected: SheetStatus, step: int) -> bool:
        """Write the status, step, checks, payment and return, only if the sheet is still in
        `expected` at `step`: of two taps, one wins."""
        ...

    async def live(self, month: date) -> Sequence[SheetRecord]:
        """The month's sheets not returned, by id."""
        ...

    async def live_of(self, rep_id: int) -> Sequence[SheetRecord]:
        """The rep's sheets not returned, every month, by id: the payments already counted."""
        ...

    async def in_status(self, statuses: Collection[SheetStatus]) -> Sequence[SheetRecord]:
        """The sheets in these statuses, oldest first (the commission queues)."""
        ...


class ReconciliationRepo(Protocol):
    async def get(self, month: date) -> Reconciliation | None: ...

    async def confirm(self, month: date, confirmation: Confirmation) -> bool:
        """Record one side's confirmation, once per month and role: False if already in."""
        ...

    async def accrue(self, month: date, accrual: Decimal, total: Decimal) -> bool:
        """Record the department's accrual once, when the month is reconciled."""
        ...

    async def accrued_before(self, month: date) -> Decimal:
        """What earlier months of the same year accrued."""
        ...


class WorkLogRepo(Protocol):
    async def note(self, rep_id: int, day: date) -> str | None: ...

    async def set_note(self, rep_id: int, day: date, note: str, now: datetime) -> None: ...

    async def notes_between(
        self, rep_ids: Collection[int], first: date, last: date
    ) -> Sequence[tuple[int, date, str]]:
        """The reps' notes between the days (both included): rep, day, note; one read."""
        ...


class ReviewRepo(Protocol):
    async def add_many(self, reviews: Sequence[NewReview], now: datetime) -> Sequence[int]:
        """Insert the reviews not there yet (one per rep and month); the reps inserted now."""
        ...

    async def of_month(self, rep_ids: Collection[int], month: date) -> Sequence[PerformanceReview]:
        """The reps' reviews of the month, in one read."""
        ...

    async def get(self, review_id: int) -> PerformanceReview | None: ...

    async def of_rep(self, rep_id: int, limit: int) -> Sequence[PerformanceReview]:
        """The rep's latest reviews, newest month first."""
        ...

    async def latest_month(self, rep_ids: Collection[int]) -> date | None: ...

    async def claim_comment(
        self, review_id: int, *, rep_id: int, comment: str, now: datetime
    ) -> bool:
        """Set the rep's comment while the review is not graded yet."""
        ...

    async def claim_grade(
        self, review_id: int, *, grade: Grade, by: int, reason: str | None, now: datetime
    ) -> bool:
        """Grade it (the rep told now) if nobody graded it meanwhile."""
        ...


class MeetingTopicRepo(Protocol):
    async def get(self, manager_id: int, week: date) -> str | None: ...

    async def of_week(self, week: date) -> dict[int, str]:
        """Every manager's topic for the meeting before `week`, by manager."""
        ...

    async def set(self, manager_id: int, week: date, topic: str | None, now: datetime) -> None:
        """The manager's training topic for the meeting before `week`; None clears it."""
        ...


class ReportRepo(Protocol):
    async def figures(self, query: ReportQuery) -> Grouped:
        """The query's measure families summed per key of its dimension, in its period and
        scope: one grouped statement per family, however many rows they read."""
        ...


class UnitOfWork(Protocol):
    """The repositories of one transaction. Read-only properties, so an implementation may
    hold its own concrete repository types (a property is covariant, an attribute is not)."""

    @property
    def people(self) -> PersonRepo: ...

    @property
    def invites(self) -> InviteRepo: ...

    @property
    def outbox(self) -> Outbox: ...

    @property
    def audit(self) -> AuditLog: ...

    @property
    def customers(self) -> CustomerRepo: ...

    @property
    def requests(self) -> RequestRepo: ...

    @property
    def steps(self) -> StepRepo: ...

    @property
    def delegations(self) -> DelegationRepo: ...

    @property
    def digests(self) -> DigestLog: ...

    @property
    def customer_events(self) -> CustomerEventLog: ...

    @property
    def pool(self) -> CustomerPool: ...

    @property
    def visits(self) -> VisitRepo: ...

    @property
    def plans(self) -> PlanRepo: ...

    @property
    def targets(self) -> TargetRepo: ...

    @property
    def work_logs(self) -> WorkLogRepo: ...

    @property
    def deals(self) -> DealRepo: ...

    @property
    def meeting_topics(self) -> MeetingTopicRepo: ...

    @property
    def reviews(self) -> ReviewRepo: ...

    @property
    def contracts(self) -> ContractRepo: ...

    @property
    def payments(self) -> PaymentRepo: ...

    @property
    def deliveries(self) -> DeliveryRepo: ...

    @property
    def work_orders(self) -> WorkOrderRepo: ...

    @property
    def collection_claims(self) -> CollectionClaims: ...
    @property
    def invoices(self) -> InvoiceRepo: ...
    @property
    def commission_sheets(self) -> CommissionSheetRepo: ...

    @property
    def reconciliations(self) -> ReconciliationRepo: ...

    @property
    def reports(self) -> ReportRepo: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(self, *exc: object) -> None: ...

    @property
    def committed(self) -> bool:
        """Whether a commit has happened in this unit of work."""
        ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]


class OutboxQueue(Protocol):
    """The sender's side of the outbox. Each call is its own short transaction.

    `attempts` counts real delivery failures only: a claim, a re-claim after a lease ran out
    and a postponement cost none, so waiting never spends a message's budget."""

    async def claim_due(self, now: datetime, limit: int, lease_until: datetime) -> list[OutboxItem]:
        """Atomically take pending rows that are due (and rows whose lease ran out)."""
        ...

    async def last_sent(self, ref: str, chat_id: int, since: datetime | None = None) -> int | None:
        """The message id last delivered under `ref` to that chat (no earlier than `since`),
        for editing it in place."""
        ...

    async def mark_sent(self, sent: Mapping[int, int], now: datetime) -> None:
        """Delivered by `now`: item id -> Telegram message id, in one transaction."""
        ...

    async def postpone(self, item_ids: Sequence[int], until: datetime, reason: str) -> None:
        """Back to pending until `until`, costing no attempt (a 429, a chat's earlier message)."""
        ...

    async def retry_after_failure(self, item_id: int, at: datetime, error: str) -> None:
        """A send failed for a reason that may pass (5xx, network): one attempt spent."""
        ...

    async def fail(self, item_id: int, error: str, *, unreachable: bool, now: datetime) -> None:
        """Settled as failed for good; the failure counts as an attempt."""
        ...


class Inbox(Protocol):
    """Received updates, stored before they are confirmed and marked once handled."""

    def now(self) -> datetime: ...

    async def store(self, updates: Sequence[StoredUpdate]) -> set[int]:
        """Insert what is new; the ids that were new."""
        ...

    async def unhandled(self, *, received_before: datetime | None = None) -> list[StoredUpdate]: ...

    async def prune(self, handled_before: datetime) -> int: ...

    def handling(self, update_id: int | None) -> AbstractAsyncContextManager[object]:
        """The update's one database session, from its first read to the mark that it was
        handled (committed with its first change)."""
        ...
