"""In-memory fakes of the approval ports (customers, requests, steps, delegations, digests),
composed onto the unit of work of `fakes.py`, which stays as it is.

They follow the SQL adapters in `storage/approval_repos.py` where a use case can tell: reads
are copies, `save` is an UPDATE of an existing row, claims are conditional, orderings match, and
leaving a unit of work without a commit forgets everything written since the last commit.
Imported as `approval_fakes` (pytest puts this directory on sys.path).
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, Self

from contract_fakes import FakeContracts
from fakes import ROB, FakeInvites, FakePeople, FakeUnitOfWork, make_org

from bot.core.approvals import (
    ApprovalRequest,
    ApprovalStep,
    DeciderChange,
    Delegation,
    Moved,
    NudgeClaim,
    RequestStatus,
    StepStatus,
)
from bot.core.customers import Customer, CustomerStatus
from bot.core.deals import DealTerms
from bot.core.models import Invite, Notification, Person

# Monday 2 March 2026, 10:00 in Asia/Shanghai (the default policy's zone) = 02:00 UTC.
MONDAY_10 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)


def local_utc(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    """A wall-clock time in Shanghai (UTC+8, no DST) on a day of 2026, as aware UTC."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


def make_terms(customer_id: int = 1, **overrides: Any) -> DealTerms:
    defaults: dict[str, Any] = {
        "customer_id": customer_id,
        "product": "Steel pipes",
        "quantity": Decimal("100"),
        "amount": Decimal("120000.00"),
        "discount": Decimal("12.00"),
    }
    return DealTerms(**{**defaults, **overrides})


class FakeCustomers:
    """Only what the approval use cases use of the customer register: get, add, owned_by."""

    def __init__(self, customers: Iterable[Customer] = ()) -> None:
        self.rows: dict[int, Customer] = {c.id: replace(c) for c in customers}

    async def get(self, customer_id: int) -> Customer | None:
        customer = self.rows.get(customer_id)
        return replace(customer) if customer else None

    async def names(self, customer_ids: Iterable[int]) -> dict[int, str]:
        return {i: self.rows[i].name for i in customer_ids if i in self.rows}

    async def add(self, *, name: str, owner_id: int, phone: str | None, now: datetime) -> Customer:
        customer = Customer(
            id=max(self.rows, default=0) + 1,
            name=name,
            owner_id=owner_id,
            status=CustomerStatus.prospect,
            created_at=now,
            phone=phone,
        )
        self.rows[customer.id] = customer
        return replace(customer)

    async def owned_by(
        self, owner_ids: Collection[int], query: str | None = None, limit: int = 50
    ) -> Sequence[Customer]:
        found = [c for c in self.rows.values() if c.owner_id in set(owner_ids)]
        if query:
            needle = query.casefold()
            found = [c for c in found if needle in c.name.lower() or needle in (c.phone or "")]
        found.sort(key=lambda c: c.created_at, reverse=True)
        return [replace(c) for c in found[:limit]]


class FakeRequests:
    def __init__(self) -> None:
        self.rows: dict[int, ApprovalRequest] = {}
        self.cc: dict[int, set[int]] = {}

    async def add(
        self, *, kind: str, requester_id: int, terms: DealTerms, now: datetime
    ) -> ApprovalRequest:
        request = ApprovalRequest(
            id=max(self.rows, default=0) + 1,
            kind=kind,
            requester_id=requester_id,
            terms=terms,
            status=RequestStatus.pending,
            created_at=now,
        )
        self.rows[request.id] = request
        return replace(request)

    async def get(self, request_id: int) -> ApprovalRequest | None:
        request = self.rows.get(request_id)
        return replace(request) if request else None

    async def by_ids(self, request_ids: Iterable[int]) -> Sequence[ApprovalRequest]:
        return [replace(self.rows[i]) for i in sorted(set(request_ids)) if i in self.rows]

    async def save(self, request: ApprovalRequest) -> None:
        old = self.rows.get(request.id)
        if old is not None:  # UPDATE … WHERE id: kind, requester and created_at never change
            self.rows[request.id] = replace(
                request, kind=old.kind, requester_id=old.requester_id, created_at=old.created_at
            )

    async def by_requester(self, person_id: int, limit: int = 50) -> Sequence[ApprovalRequest]:
        mine = [r for r in self.rows.values() if r.requester_id == person_id]
        return [replace(r) for r in sorted(mine, key=lambda r: -r.id)[:limit]]

    async def for_customer(self, customer_id: int, limit: int = 50) -> Sequence[ApprovalRequest]:
        theirs = [r for r in self.rows.values() if r.terms.customer_id == customer_id]
        return [replace(r) for r in sorted(theirs, key=lambda r: -r.id)[:limit]]

    async def add_cc(self, request_id: int, person_ids: Iterable[int]) -> None:
        self.cc.setdefault(request_id, set()).update(person_ids)

    async def cc_of(self, request_ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
        wanted = set(request_ids)
        return {r: tuple(sorted(ids)) for r, ids in self.cc.items() if r in wanted and ids}

    def __getitem__(self, request_id: int) -> ApprovalRequest:
        return self.rows[request_id]


def _copy_step(step: ApprovalStep) -> ApprovalStep:
    return replace(step, reason=dict(step.reason))


class FakeSteps:
    """`stale_deciders` reads the delegations and people of the unit of work it is linked to,
    as the SQL query joins them."""

    def __init__(self) -> None:
        self.rows: dict[int, ApprovalStep] = {}
        self.delegations = FakeDelegations()
        self.people = FakePeople()
        # Steps another worker decides between this worker's `get` and its `claim_decision`
        # (a lost race): step id -> (who, when). The claim then applies theirs and fails.
        self.decided_elsewhere: dict[int, tuple[int, datetime]] = {}
        # Steps another sweep nudges between this sweep's `due_for_nudge` and its `claim_nudges`:
        # step id -> the next_nudge_at the other sweep wrote. The claim then fails.
        self.nudged_elsewhere: dict[int, datetime | None] = {}
        # Steps another sweep hands on between `stale_deciders` and `change_deciders`:
        # step id -> the acting person the other sweep wrote. The change then fails.
        self.moved_elsewhere: dict[int, int | None] = {}
        # Steps another tap urges between this tap's `get` and its `claim_urge`: step id -> when.
        self.urged_elsewhere: dict[int, datetime] = {}

    async def add(self, step: ApprovalStep) -> ApprovalStep:
        stored = replace(_copy_step(step), id=max(self.rows, default=0) + 1)
        self.rows[stored.id] = stored
        return _copy_step(stored)

    async def get(self, step_id: int) -> ApprovalStep | None:
        step = self.rows.get(step_id)
        return _copy_step(step) if step else None

    async def for_request(self, request_id: int) -> Sequence[ApprovalStep]:
        steps = [s for s in self.rows.values() if s.request_id == request_id]
        return [_copy_step(s) for s in sorted(steps, key=lambda s: (s.round, s.position))]

    async def for_requests(self, request_ids: Iterable[int]) -> Sequence[ApprovalStep]:
        wanted = set(request_ids)
        steps = [s for s in self.rows.values() if s.request_id in wanted]
        order = sorted(steps, key=lambda s: (s.request_id, s.round, s.position))
        return [_copy_step(s) for s in order]

    async def save(self, step: ApprovalStep) -> None:
        old = self.rows.get(step.id)
        if old is not None:
            # UPDATE … WHERE id writes neither the request nor the last urge (`claim_urge`)
            self.rows[step.id] = replace(
                _copy_step(step), request_id=old.request_id, urged_at=old.urged_at
            )

    async def claim_transfer(self, step_id: int, *, seen_acting: int | None, to_id: int) -> bool:
        step = self.rows.get(step_id)
        if step_id in self.decided_elsewhere and step is not None:
            by, at = self.decided_elsewhere.pop(step_id)
            step.status, step.decided_by, step.decided_at = StepStatus.approved, by, at
        if step is None or step.status is not StepStatus.pending or step.acting_id != seen_acting:
            return False
        step.acting_id, step.moved = to_id, Moved.transferred
        return True

    async def claim_add_approver(
        self, step_id: int, *, seen_acting: int | None, hold: bool
    ) -> bool:
        step = self.rows.get(step_id)
        if step_id in self.decided_elsewhere and step is not None:
            by, at = self.decided_elsewhere.pop(step_id)
            step.status, step.decided_by, step.decided_at = StepStatus.approved, by, at
        if step is None or step.status is not StepStatus.pending or step.acting_id != seen_acting:
            return False
        if hold:
            step.status, step.opened_at, step.due_at, step.next_nudge_at = (
                StepStatus.waiting,
                None,
                None,
                None,
            )
            step.reminders_sent, step.escalated_at, step.urged_at = 0, None, None
        return True

    async def make_room(self, request_id: int, round: int, position: int) -> None:
        for step in self.rows.values():
            if (step.request_id, step.round) == (request_id, round) and step.position >= position:
                step.position += 1

    async def claim_urge(self, step_id: int, *, seen: datetime | None, now: datetime) -> bool:
        step = self.rows.get(step_id)
        if step_id in self.urged_elsewhere and step is not None:
            step.urged_at = self.urged_elsewhere.pop(step_id)
        if step is None or step.status is not StepStatus.pending or step.urged_at != seen:
            return False
        step.urged_at = now
        return True

    async def claim_decision(
        self, step_id: int, *, status: StepStatus, actor_id: int, comment: str | None, now: datetime
    ) -> bool:
        step = self.rows.get(step_id)
        if step is None or step.status is not StepStatus.pending:
            return False
        if step.moved is Moved.transferred and step.acting_id != actor_id:
            return False
        if step_id in self.decided_elsewhere:
            by, at = self.decided_elsewhere.pop(step_id)
            step.status, step.decided_by, step.decided_at = StepStatus.approved, by, at
            return False
        step.status, step.decided_by, step.decided_at, step.comment = (
            status,
            actor_id,
            now,
            comment,
        )
        return True

    def _pending(self) -> list[ApprovalStep]:
        return [s for s in self.rows.values() if s.status is StepStatus.pending]

    async def open_for(self, person_id: int) -> Sequence[ApprovalStep]:
        mine = [s for s in self._pending() if s.decider_id == person_id]
        far = datetime.max.replace(tzinfo=UTC)
        return [_copy_step(s) for s in sorted(mine, key=lambda s: (s.due_at or far, s.id))]

    async def open_of_approver(self, approver_id: int) -> Sequence[ApprovalStep]:
        return [_copy_step(s) for s in self._pending() if s.approver_id == approver_id]

    async def waiting_on(self, person_id: int) -> Sequence[ApprovalStep]:
        unsettled = [
            s for s in self.rows.values() if s.status in (StepStatus.pending, StepStatus.waiting)
        ]
        held = [
            s
            for s in unsettled
            if (s.approver_id == person_id and s.moved is None)
            or (s.acting_id == person_id and s.moved is not None)
        ]
        return [_copy_step(s) for s in sorted(held, key=lambda s: s.id)]

    async def open_for_deciders(self, person_ids: Iterable[int]) -> Sequence[ApprovalStep]:
        wanted = set(person_ids)
        theirs = [s for s in self._pending() if s.decider_id in wanted]
        far = datetime.max.replace(tzinfo=UTC)
        return [_copy_step(s) for s in sorted(theirs, key=lambda s: (s.due_at or far, s.id))]

    async def stale_deciders(self, now: datetime) -> Sequence[DeciderChange]:
        changes = []
        for step in sorted(self._pending(), key=lambda s: s.id):
            if step.moved is not None:  # a step moved to a stand-in stays with them
                continue
            delegation = await self.delegations.current(step.approver_id, now)
            delegate = self.people.rows.get(delegation.delegate_id) if delegation else None
            wanted = delegate.id if delegate is not None and delegate.active else None
            if wanted != step.acting_id:
                changes.append(DeciderChange(_copy_step(step), wanted))
        return changes

    async def change_deciders(self, changes: Sequence[DeciderChange]) -> set[int]:
        changed = set()
        for change in changes:
            step = self.rows.get(change.step.id)
            if step is None or step.status is not StepStatus.pending or step.moved is not None:
                continue
            if step.id in self.moved_elsewhere:
                step.acting_id = self.moved_elsewhere.pop(step.id)
            if step.acting_id == change.step.acting_id:
                step.acting_id = change.acting_id
                changed.add(step.id)
        return changed

    async def due_for_nudge(self, now: datetime) -> Sequence[ApprovalStep]:
        due = [s for s in self._pending() if s.next_nudge_at is not None and s.next_nudge_at <= now]
        return [_copy_step(s) for s in sorted(due, key=lambda s: (s.next_nudge_at, s.id))]

    async def claim_nudges(self, claims: Sequence[NudgeClaim]) -> set[int]:
        claimed = set()
        for claim in claims:
            step = self.rows.get(claim.step_id)
            if step is None or step.status is not StepStatus.pending:
                continue
            if step.id in self.nudged_elsewhere:
                step.next_nudge_at = self.nudged_elsewhere.pop(step.id)
            if step.next_nudge_at != claim.seen_nudge_at:
                continue
            step.next_nudge_at = claim.next_nudge_at
            step.reminders_sent += int(claim.reminded)
            step.escalated_at = claim.escalated_at or step.escalated_at
            claimed.add(step.id)
        return claimed

    async def open_deciders(self) -> dict[int, int]:
        deciders = sorted(s.decider_id for s in self._pending())
        return {person_id: deciders.count(person_id) for person_id in deciders}

    def __getitem__(self, step_id: int) -> ApprovalStep:
        return self.rows[step_id]

    def of_request(self, request_id: int, round: int | None = None) -> list[ApprovalStep]:
        """The stored steps (live objects, for asserting) in chain order."""
        steps = [
            s
            for s in self.rows.values()
            if s.request_id == request_id and (round is None or s.round == round)
        ]
        return sorted(steps, key=lambda s: (s.round, s.position))


class FakeDelegations:
    def __init__(self) -> None:
        self.rows: dict[int, Delegation] = {}

    async def add(
        self,
        *,
        person_id: int,
        delegate_id: int,
        starts_at: datetime,
        ends_at: datetime,
        now: datetime,
    ) -> Delegation:
        delegation = Delegation(
            id=max(self.rows, default=0) + 1,
            person_id=person_id,
            delegate_id=delegate_id,
            starts_at=starts_at,
            ends_at=ends_at,
            created_at=now,
        )
        self.rows[delegation.id] = delegation
        return replace(delegation)

    async def current(self, person_id: int, at: datetime) -> Delegation | None:
        covering = [d for d in self.rows.values() if d.person_id == person_id and d.covers(at)]
        return replace(max(covering, key=lambda d: d.id)) if covering else None

    async def upcoming(self, person_id: int, now: datetime) -> Sequence[Delegation]:
        ahead = [
            d
            for d in self.rows.values()
            if d.person_id == person_id and not d.cancelled and d.ends_at > now
        ]
        return [replace(d) for d in sorted(ahead, key=lambda d: d.starts_at)]

    async def cancel(self, delegation_id: int) -> None:
        if delegation_id in self.rows:
            self.rows[delegation_id].cancelled = True

    def __getitem__(self, delegation_id: int) -> Delegation:
        return self.rows[delegation_id]


class FakeDigests:
    def __init__(self) -> None:
        self.claimed: set[tuple[int, str, date]] = set()

    async def claim(self, person_id: int, kind: str, day: date) -> bool:
        key = (person_id, kind, day)
        if key in self.claimed:
            return False
        self.claimed.add(key)
        return True

    async def claim_many(self, person_ids: Iterable[int], kind: str, day: date) -> set[int]:
        return {p for p in sorted(set(person_ids)) if await self.claim(p, kind, day)}


@dataclass
class ApprovalUnitOfWork(FakeUnitOfWork):
    """`FakeUnitOfWork` plus the approval repositories; commit and rollback cover them all."""

    customers: FakeCustomers = field(default_factory=FakeCustomers)
    requests: FakeRequests = field(default_factory=FakeRequests)
    steps: FakeSteps = field(default_factory=FakeSteps)
    delegations: FakeDelegations = field(default_factory=FakeDelegations)
    digests: FakeDigests = field(default_factory=FakeDigests)
    # no contracts here: an approval card reads its customer's credit (all good) from them
    contracts: FakeContracts = field(default_factory=FakeContracts)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.steps.delegations, self.steps.people = self.delegations, self.people

    @classmethod
    def of(cls, people: Iterable[Person] = (), invites: Iterable[Invite] = ()) -> Self:
        return cls(people=FakePeople(people), invites=FakeInvites(invites))

    def snapshot(self) -> dict[str, Any]:
        return {
            **super().snapshot(),
            **copy.deepcopy(
                {
                    "customers": self.customers.rows,
                    "requests": self.requests.rows,
                    "steps": self.steps.rows,
                    "delegations": self.delegations.rows,
                    "digests": self.digests.claimed,
                }
            ),
        }

    async def rollback(self) -> None:
        await super().rollback()
        saved = copy.deepcopy(self._saved)
        self.customers.rows = saved["customers"]
        self.requests.rows = saved["requests"]
        self.steps.rows = saved["steps"]
        self.delegations.rows = saved["delegations"]
        self.digests.claimed = saved["digests"]

    # ---- asserting helpers ------------------------------------------------------------------

    def templates_to(self, person_id: int) -> list[str]:
        return [n.template for n in self.outbox.sent_to(person_id)]

    def queued(self) -> list[tuple[int, str]]:
        """(recipient, template) of everything queued so far, in order."""
        return [(q.notification.recipient_id, q.notification.template) for q in self.outbox.queued]

    def clear_outbox(self) -> None:
        """Forget what earlier steps of a test queued (as if the sender had delivered it)."""
        self.outbox.queued.clear()
        self.audit.entries.clear()

    def last_to(self, person_id: int, template: str) -> Notification:
        found = [n for n in self.outbox.sent_to(person_id) if n.template == template]
        assert found, f"nothing {template!r} queued for {person_id}: {self.queued()}"
        return found[-1]


def approval_world(owner_id: int = ROB, customer_name: str = "Acme Trading") -> ApprovalUnitOfWork:
    """The standard organisation (fakes.make_org) with one customer (id 1) owned by `owner_id`,
    all committed."""
    uow = ApprovalUnitOfWork.of(make_org())
    uow.customers.rows[1] = Customer(
        id=1,
        name=customer_name,
        owner_id=owner_id,
        status=CustomerStatus.prospect,
        created_at=MONDAY_10 - timedelta(days=3),
    )
    uow.baseline()
    return uow


async def one_request_world() -> ApprovalUnitOfWork:
    """`approval_world` with Rob's special terms request #1 filed on Monday 10:00 (Sue decides
    its open step), what that queued forgotten and taken as committed."""
    from bot.core.policy import Policy
    from bot.core.usecases.approvals import submit

    uow = approval_world()
    await submit(uow, requester_id=ROB, terms=make_terms(), policy=Policy(), now=MONDAY_10)
    uow.clear_outbox()
    uow.baseline()
    return uow
