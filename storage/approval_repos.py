from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Integer,
    Result,
    and_,
    cast,
    exists,
    func,
    insert,
    null,
    or_,
    select,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

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
from bot.core.deals import DealTerms
from bot.core.roles import Role
from storage.batches import batches, id_batches
from storage.tables import (
    Base,
    DelegationRow,
    DigestRow,
    PersonRow,
    RequestCcRow,
    RequestRow,
    StepRow,
)

# The sweep's and the digest's reads go through Core (and their claims skip the session's
# bookkeeping): no ORM identity map to fill for thousands of rows, a few times faster per row.
# Nothing holds a changed step in the session: `save` and the claims are UPDATE statements.
STEPS = StepRow.__table__
REQUESTS = RequestRow.__table__

STEP_FIELDS = (
    "round",
    "position",
    "role",
    "approver_id",
    "acting_id",
    "moved",
    "reason",
    "status",
    "opened_at",
    "due_at",
    "next_nudge_at",
    "reminders_sent",
    "escalated_at",
    "decided_at",
    "decided_by",
    "comment",
)


# `urged_at` is read, never written back by `save`: only `claim_urge` sets it.
STEP_COLUMNS = ("id", "request_id", *STEP_FIELDS, "urged_at")
TERMS_FIELDS = (
    "customer_id",
    "product",
    "quantity",
    "amount",
    "discount",
    "payment_terms",
    "deposit",
    "note",
)
REQUEST_COLUMNS = (
    "id",
    "kind",
    "requester_id",
    "status",
    "created_at",
    "round",
    "closed_at",
    "previous_terms",
    *TERMS_FIELDS,
)


def _request(row: RequestRow | Mapping[str, Any]) -> ApprovalRequest:
    values = _values(row, REQUEST_COLUMNS)
    terms = DealTerms(**{name: values[name] for name in TERMS_FIELDS})
    return ApprovalRequest(
        id=values["id"],
        kind=values["kind"],
        requester_id=values["requester_id"],
        terms=terms,
        status=RequestStatus(values["status"]),
        created_at=values["created_at"],
        round=values["round"],
        closed_at=values["closed_at"],
        previous_terms=_terms_from_json(values["previous_terms"]),
    )


_DECIMAL_TERMS = ("quantity", "amount", "discount", "deposit")


def _terms_to_json(terms: DealTerms | None) -> dict[str, Any] | None:
    if terms is None:
        return None
    values = _terms_values(terms)
    return {k: str(v) if k in _DECIMAL_TERMS and v is not None else v for k, v in values.items()}


def _terms_from_json(values: Mapping[str, Any] | None) -> DealTerms | None:
    if values is None:
        return None
    decoded: dict[str, Any] = {
        k: Decimal(v) if k in _DECIMAL_TERMS and v is not None else v for k, v in values.items()
    }
    return DealTerms(**decoded)


def _terms_values(terms: DealTerms) -> dict[str, Any]:
    return {
        "customer_id": terms.customer_id,
        "product": terms.product,
        "quantity": terms.quantity,
        "amount": terms.amount,
        "discount": terms.discount,
        "payment_terms": terms.payment_terms,
        "deposit": terms.deposit,
        "note": terms.note,
    }


def _step(row: StepRow | Mapping[str, Any]) -> ApprovalStep:
    values = _values(row, STEP_COLUMNS)
    values.update(
        role=Role(values["role"]),
        status=StepStatus(values["status"]),
        reason=dict(values["reason"]),
        moved=Moved(values["moved"]) if values["moved"] else None,
    )
    return ApprovalStep(**values)


def _values(row: Base | Mapping[str, Any], columns: Sequence[str]) -> dict[str, Any]:
    """The columns of an ORM row, or of a Core row read by `_dicts`."""
    if isinstance(row, Mapping):
        return {name: row[name] for name in columns}
    return {name: getattr(row, name) for name in columns}


def _dicts(result: Result[Any]) -> Iterator[dict[str, Any]]:
    """Core rows as dicts, the column names read once (`Row._asdict` reads them per row)."""
    keys = list(result.keys())
    return (dict(zip(keys, row, strict=True)) for row in result)


def _step_values(step: ApprovalStep) -> dict[str, Any]:
    values = {name: getattr(step, name) for name in STEP_FIELDS}
    values.update(role=step.role.value, status=step.status.value)
    values.update(moved=step.moved.value if step.moved else None)
    return values


class SqlRequestRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self, *, kind: str, requester_id: int, terms: DealTerms, now: datetime
    ) -> ApprovalRequest:
        row = RequestRow(
            kind=kind,
            requester_id=requester_id,
            status=RequestStatus.pending.value,
            round=1,
            created_at=now,
            **_terms_values(terms),
        )
        self._session.add(row)
        await self._session.flush()
        return _request(row)

    async def get(self, request_id: int) -> ApprovalRequest | None:
        row = await self._session.get(RequestRow, request_id, populate_existing=True)
        return _request(row) if row else None

    async def by_ids(self, request_ids: Collection[int]) -> Sequence[ApprovalRequest]:
        found = []
        for batch in id_batches(request_ids):
            rows = await self._session.execute(
                select(REQUESTS).where(REQUESTS.c.id.in_(batch)).order_by(REQUESTS.c.id)
            )
            found += [_request(values) for values in _dicts(rows)]
        return found

    async def save(self, request: ApprovalRequest) -> None:
        await self._session.execute(
            update(RequestRow)
            .where(RequestRow.id == request.id)
            .values(
                status=request.status.value,
                round=request.round,
                closed_at=request.closed_at,
                previous_terms=_terms_to_json(request.previous_terms),
                **_terms_values(request.terms),
            )
        )

    async def by_requester(self, person_id: int, limit: int = 50) -> Sequence[ApprovalRequest]:
        rows = await self._session.scalars(
            select(RequestRow)
            .where(RequestRow.requester_id == person_id)
            .order_by(RequestRow.id.desc())
            .limit(limit)
        )
        return [_request(row) for row in rows]

    async def for_customer(self, customer_id: int, limit: int = 50) -> Sequence[ApprovalRequest]:
        rows = await self._session.scalars(
            select(RequestRow)
            .where(RequestRow.customer_id == customer_id)
            .order_by(RequestRow.id.desc())
            .limit(limit)
        )
        return [_request(row) for row in rows]

    async def add_cc(self, request_id: int, person_ids: Collection[int]) -> None:
        if person_ids:
            await self._session.execute(
                insert(RequestCcRow),
                [{"request_id": request_id, "person_id": i} for i in sorted(set(person_ids))],
            )

    async def cc_of(self, request_ids: Collection[int]) -> dict[int, tuple[int, ...]]:
        found: dict[int, list[int]] = {}
        for batch in id_batches(request_ids):
            rows = await self._session.execute(
                select(RequestCcRow.request_id, RequestCcRow.person_id)
                .where(RequestCcRow.request_id.in_(batch))
                .order_by(RequestCcRow.request_id, RequestCcRow.person_id)
            )
            for request_id, person_id in rows:
                found.setdefault(request_id, []).append(person_id)
        return {request_id: tuple(ids) for request_id, ids in found.items()}


class SqlStepRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, step: ApprovalStep) -> ApprovalStep:
        row = StepRow(request_id=step.request_id, **_step_values(step))
        self._session.add(row)
        await self._session.flush()
        return _step(row)

    async def get(self, step_id: int) -> ApprovalStep | None:
        row = await self._session.get(StepRow, step_id, populate_existing=True)
        return _step(row) if row else None

    async def for_request(self, request_id: int) -> Sequence[ApprovalStep]:
        rows = await self._session.scalars(
            select(StepRow)
            .where(StepRow.request_id == request_id)
            .order_by(StepRow.round, StepRow.position)
            .execution_options(populate_existing=True)
        )
        return [_step(row) for row in rows]

    async def for_requests(self, request_ids: Collection[int]) -> Sequence[ApprovalStep]:
        found = []
        for batch in id_batches(request_ids):
            rows = await self._session.execute(
                select(STEPS)
                .where(STEPS.c.request_id.in_(batch))
                .order_by(STEPS.c.request_id, STEPS.c.round, STEPS.c.position)
            )
            found += [_step(values) for values in _dicts(rows)]
        return found

    async def save(self, step: ApprovalStep) -> None:
        await self._session.execute(
            update(StepRow).where(StepRow.id == step.id).values(**_step_values(step))
        )

    async def claim_decision(
        self, step_id: int, *, status: StepStatus, actor_id: int, comment: str | None, now: datetime
    ) -> bool:
        # A step transferred meanwhile is its new decider's alone (see `claim_transfer`).
        theirs = or_(
            StepRow.moved.is_(None),
            StepRow.moved != Moved.transferred.value,
            StepRow.acting_id == actor_id,
        )
        result = await self._session.execute(
            update(StepRow)
            .where(StepRow.id == step_id, StepRow.status == StepStatus.pending.value, theirs)
            .values(status=status.value, decided_by=actor_id, decided_at=now, comment=comment)
            .returning(StepRow.id)
        )
        return result.scalar_one_or_none() is not None

    async def claim_transfer(self, step_id: int, *, seen_acting: int | None, to_id: int) -> bool:
        seen = (
            StepRow.acting_id.is_(None) if seen_acting is None else StepRow.acting_id == seen_acting
        )
        result = await self._session.execute(
            update(StepRow)
            .where(StepRow.id == step_id, StepRow.status == StepStatus.pending.value, seen)
            .values(acting_id=to_id, moved=Moved.transferred.value)
            .returning(StepRow.id)
        )
        return result.scalar_one_or_none() is not None

    async def claim_add_approver(
        self, step_id: int, *, seen_acting: int | None, hold: bool
    ) -> bool:
        seen = (
            StepRow.acting_id.is_(None) if seen_acting is None else StepRow.acting_id == seen_acting
        )
        held = {
            "status": StepStatus.waiting.value,
            "opened_at": None,
            "due_at": None,
            "next_nudge_at": None,
            "reminders_sent": 0,
            "escalated_at": None,
            "urged_at": None,
        }
        result = await self._session.execute(
            update(StepRow)
            .where(StepRow.id == step_id, StepRow.status == StepStatus.pending.value, seen)
            # Not holding, the no-op write still locks the row against a decision meanwhile.
            .values(**held if hold else {"acting_id": StepRow.acting_id})
            .returning(StepRow.id)
        )
        return result.scalar_one_or_none() is not None

    async def make_room(self, request_id: int, round: int, position: int) -> None:
        await self._session.execute(
            update(StepRow)
            .where(
                StepRow.request_id == request_id,
                StepRow.round == round,
                StepRow.position >= position,
            )
            .values(position=StepRow.position + 1)
        )

    async def claim_urge(self, step_id: int, *, seen: datetime | None, now: datetime) -> bool:
        last = StepRow.urged_at.is_(None) if seen is None else StepRow.urged_at == seen
        result = await self._session.execute(
            update(StepRow)
            .where(StepRow.id == step_id, StepRow.status == StepStatus.pending.value, last)
            .values(urged_at=now)
            .returning(StepRow.id)
        )
        return result.scalar_one_or_none() is not None

    async def open_for(self, person_id: int) -> Sequence[ApprovalStep]:
        rows = await self._session.scalars(
            select(StepRow)
            .where(
                StepRow.status == StepStatus.pending.value,
                or_(
                    StepRow.acting_id == person_id,
                    (StepRow.approver_id == person_id) & StepRow.acting_id.is_(None),
                ),
            )
            .order_by(StepRow.due_at, StepRow.id)
        )
        return [_step(row) for row in rows]

    async def open_of_approver(self, approver_id: int) -> Sequence[ApprovalStep]:
        rows = await self._session.scalars(
            select(StepRow).where(
                StepRow.status == StepStatus.pending.value, StepRow.approver_id == approver_id
            )
        )
        return [_step(row) for row in rows]

    async def waiting_on(self, person_id: int) -> Sequence[ApprovalStep]:
        unsettled = (StepStatus.pending.value, StepStatus.waiting.value)
        rows = await self._session.scalars(
            select(StepRow)
            .where(
                StepRow.status.in_(unsettled),
                or_(
                    (StepRow.approver_id == person_id) & StepRow.moved.is_(None),
                    (StepRow.acting_id == person_id) & StepRow.moved.is_not(None),
                ),
            )
            .order_by(StepRow.id)
        )
        return [_step(row) for row in rows]

    async def open_for_deciders(self, person_ids: Collection[int]) -> Sequence[ApprovalStep]:
        pending = STEPS.c.status == StepStatus.pending.value
        found = []
        for batch in id_batches(person_ids):
            acting = select(STEPS).where(pending, STEPS.c.acting_id.in_(batch))
            deciding = select(STEPS).where(
                pending, STEPS.c.acting_id.is_(None), STEPS.c.approver_id.in_(batch)
            )
            both = union_all(acting, deciding).subquery()
            rows = await self._session.execute(select(both).order_by(both.c.due_at, both.c.id))
            found += [_step(values) for values in _dicts(rows)]
        return found

    async def stale_deciders(self, now: datetime) -> Sequence[DeciderChange]:
        """Two indexed branches in one statement: steps someone acts on (few) although their
        approver is not away, and the steps of the approvers away now (few) that their
        delegate does not act on."""
        away = _away(now)
        pending = STEPS.c.status == StepStatus.pending.value
        approvers_away = select(away.c.approver_id)
        back = select(STEPS, cast(null(), Integer).label("wanted")).where(
            pending,
            STEPS.c.moved.is_(None),
            STEPS.c.acting_id.is_not(None),
            STEPS.c.approver_id.not_in(approvers_away),
        )
        handed = (
            select(STEPS, away.c.delegate_id.label("wanted"))
            .join(away, away.c.approver_id == STEPS.c.approver_id)
            .where(pending, STEPS.c.moved.is_(None), STEPS.c.approver_id.in_(approvers_away))
            .where(STEPS.c.acting_id.is_distinct_from(away.c.delegate_id))
        )
        both = union_all(back, handed).subquery()
        rows = await self._session.execute(select(both).order_by(both.c.id))
        return [DeciderChange(_step(values), values["wanted"]) for values in _dicts(rows)]

    async def change_deciders(self, changes: Sequence[DeciderChange]) -> set[int]:
        """One UPDATE per (acting person read, acting person wanted): a delegation that starts
        or ends moves all its approver's steps in one statement."""
        moves: dict[tuple[int | None, int | None], list[int]] = {}
        for change in changes:
            moves.setdefault((change.step.acting_id, change.acting_id), []).append(change.step.id)
        changed: set[int] = set()
        for (seen, wanted), step_ids in moves.items():
            for batch in batches(step_ids):
                result = await self._session.execute(
                    update(StepRow)
                    .where(
                        StepRow.id.in_(batch),
                        StepRow.status == StepStatus.pending.value,
                        StepRow.moved.is_(None),  # a step moved to a stand-in stays with them
                        StepRow.acting_id.is_not_distinct_from(seen),
                    )
                    .values(acting_id=wanted)
                    .returning(StepRow.id)
                    .execution_options(synchronize_session=False)
                )
                changed |= set(result.scalars())
        return changed

    async def due_for_nudge(self, now: datetime) -> Sequence[ApprovalStep]:
        rows = await self._session.execute(
            select(STEPS)
            .where(STEPS.c.status == StepStatus.pending.value, STEPS.c.next_nudge_at <= now)
            .order_by(STEPS.c.next_nudge_at)
        )
        return [_step(values) for values in _dicts(rows)]

    async def claim_nudges(self, claims: Sequence[NudgeClaim]) -> set[int]:
        """One UPDATE per outcome (next nudge, reminded, escalated): a sweep's claims share a
        few (its own moment, and the deadlines of the steps reminded before them). Each step
        is claimed only where its nudge time is still the one the sweep read."""
        outcomes: dict[tuple[datetime | None, bool, datetime | None], list[NudgeClaim]] = {}
        for claim in claims:
            key = (claim.next_nudge_at, claim.reminded, claim.escalated_at)
            outcomes.setdefault(key, []).append(claim)
        claimed: set[int] = set()
        pending = StepStatus.pending.value
        for (next_at, reminded, escalated_at), group in outcomes.items():
            values: dict[str, Any] = {
                "next_nudge_at": next_at,
                "reminders_sent": StepRow.reminders_sent + int(reminded),
            }
            if escalated_at is not None:
                values["escalated_at"] = escalated_at
            for batch in batches(group):
                # (id, status, nudge time) as one row value: with a bare `status = 'pending'`
                # SQLite (no statistics) reads every open step by the status index instead
                # of these few by id
                seen = [(c.step_id, pending, c.seen_nudge_at) for c in batch]
                result = await self._session.execute(
                    update(StepRow)
                    .where(
                        StepRow.id.in_([c.step_id for c in batch]),
                        tuple_(StepRow.id, StepRow.status, StepRow.next_nudge_at).in_(seen),
                    )
                    .values(values)
                    .returning(StepRow.id)
                    .execution_options(synchronize_session=False)
                )
                claimed |= set(result.scalars())
        return claimed

    async def open_deciders(self) -> dict[int, int]:
        decider = func.coalesce(STEPS.c.acting_id, STEPS.c.approver_id)
        rows = await self._session.execute(
            select(decider, func.count())
            .where(STEPS.c.status == StepStatus.pending.value)
            .group_by(decider)
            .order_by(decider)
        )
        return dict(rows.all())


def _away(now: datetime) -> CTE:
    """(approver_id, delegate_id) of every approver away at `now` whose delegate is active:
    of overlapping delegations the newest wins, as in `SqlDelegationRepo.current`. Read by
    the delegations' window (those ending after now are few)."""
    newer = aliased(DelegationRow)
    overlapped = exists().where(
        newer.person_id == DelegationRow.person_id,
        newer.id > DelegationRow.id,
        _covers(newer, now),
    )
    return (
        select(DelegationRow.person_id.label("approver_id"), DelegationRow.delegate_id)
        .join(PersonRow, PersonRow.id == DelegationRow.delegate_id)
        .where(_covers(DelegationRow, now), PersonRow.active.is_(True), ~overlapped)
        .cte("away")
    )


def _covers(delegation: type[DelegationRow], now: datetime) -> ColumnElement[bool]:
    return and_(
        delegation.cancelled.is_(False), delegation.starts_at <= now, delegation.ends_at > now
    )


def _delegation(row: DelegationRow) -> Delegation:
    return Delegation(
        id=row.id,
        person_id=row.person_id,
        delegate_id=row.delegate_id,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        created_at=row.created_at,
        cancelled=row.cancelled,
    )


class SqlDelegationRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        person_id: int,
        delegate_id: int,
        starts_at: datetime,
        ends_at: datetime,
        now: datetime,
    ) -> Delegation:
        row = DelegationRow(
            person_id=person_id,
            delegate_id=delegate_id,
            starts_at=starts_at,
            ends_at=ends_at,
            created_at=now,
            cancelled=False,
        )
        self._session.add(row)
        await self._session.flush()
        return _delegation(row)

    async def current(self, person_id: int, at: datetime) -> Delegation | None:
        row = await self._session.scalar(
            select(DelegationRow)
            .where(
                DelegationRow.person_id == person_id,
                DelegationRow.cancelled.is_(False),
                DelegationRow.starts_at <= at,
                DelegationRow.ends_at > at,
            )
            .order_by(DelegationRow.id.desc())
            .limit(1)
        )
        return _delegation(row) if row else None

    async def upcoming(self, person_id: int, now: datetime) -> Sequence[Delegation]:
        rows = await self._session.scalars(
            select(DelegationRow)
            .where(
                DelegationRow.person_id == person_id,
                DelegationRow.cancelled.is_(False),
                DelegationRow.ends_at > now,
            )
            .order_by(DelegationRow.starts_at)
        )
        return [_delegation(row) for row in rows]

    async def cancel(self, delegation_id: int) -> None:
        await self._session.execute(
            update(DelegationRow).where(DelegationRow.id == delegation_id).values(cancelled=True)
        )


class SqlDigestLog:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, person_id: int, kind: str, day: date) -> bool:
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        result = await self._session.execute(
            insert(DigestRow)
            .values(person_id=person_id, kind=kind, day=day)
            .on_conflict_do_nothing()
            .returning(DigestRow.person_id)
        )
        return result.scalar_one_or_none() is not None

    async def claim_many(self, person_ids: Collection[int], kind: str, day: date) -> set[int]:
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        claimed: set[int] = set()
        for batch in id_batches(person_ids):
            result = await self._session.execute(
                insert(DigestRow)
                .values([{"person_id": p, "kind": kind, "day": day} for p in batch])
                .on_conflict_do_nothing()
                .returning(DigestRow.person_id)
            )
            claimed |= set(result.scalars())
        return claimed
