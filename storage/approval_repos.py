from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.approvals import (
    ApprovalRequest,
    ApprovalStep,
    Delegation,
    Moved,
    RequestStatus,
    StepStatus,
)
from bot.core.deals import DealTerms
from bot.core.roles import Role
from storage.tables import DelegationRow, DigestRow, RequestRow, StepRow

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


def _request(row: RequestRow) -> ApprovalRequest:
    terms = DealTerms(
        customer_id=row.customer_id,
        product=row.product,
        quantity=row.quantity,
        amount=row.amount,
        discount=row.discount,
        payment_terms=row.payment_terms,
        deposit=row.deposit,
        note=row.note,
    )
    return ApprovalRequest(
        id=row.id,
        kind=row.kind,
        requester_id=row.requester_id,
        terms=terms,
        status=RequestStatus(row.status),
        created_at=row.created_at,
        round=row.round,
        closed_at=row.closed_at,
    )


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


def _step(row: StepRow) -> ApprovalStep:
    values = {name: getattr(row, name) for name in STEP_FIELDS}
    values.update(role=Role(row.role), status=StepStatus(row.status), reason=dict(row.reason))
    values.update(moved=Moved(row.moved) if row.moved else None)
    return ApprovalStep(id=row.id, request_id=row.request_id, **values)


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

    async def save(self, request: ApprovalRequest) -> None:
        await self._session.execute(
            update(RequestRow)
            .where(RequestRow.id == request.id)
            .values(
                status=request.status.value,
                round=request.round,
                closed_at=request.closed_at,
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

    async def save(self, step: ApprovalStep) -> None:
        await self._session.execute(
            update(StepRow).where(StepRow.id == step.id).values(**_step_values(step))
        )

    async def claim_decision(
        self, step_id: int, *, status: StepStatus, actor_id: int, comment: str | None, now: datetime
    ) -> bool:
        result = await self._session.execute(
            update(StepRow)
            .where(StepRow.id == step_id, StepRow.status == StepStatus.pending.value)
            .values(status=status.value, decided_by=actor_id, decided_at=now, comment=comment)
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

    async def open_steps(self) -> Sequence[ApprovalStep]:
        rows = await self._session.scalars(
            select(StepRow).where(StepRow.status == StepStatus.pending.value).order_by(StepRow.id)
        )
        return [_step(row) for row in rows]

    async def due_for_nudge(self, now: datetime) -> Sequence[ApprovalStep]:
        rows = await self._session.scalars(
            select(StepRow)
            .where(StepRow.status == StepStatus.pending.value, StepRow.next_nudge_at <= now)
            .order_by(StepRow.next_nudge_at)
        )
        return [_step(row) for row in rows]

    async def claim_nudge(
        self,
        step_id: int,
        *,
        seen_nudge_at: datetime,
        next_nudge_at: datetime | None,
        reminded: bool,
        escalated_at: datetime | None,
    ) -> bool:
        values: dict[str, Any] = {"next_nudge_at": next_nudge_at}
        if reminded:
            values["reminders_sent"] = StepRow.reminders_sent + 1
        if escalated_at is not None:
            values["escalated_at"] = escalated_at
        result = await self._session.execute(
            update(StepRow)
            .where(
                StepRow.id == step_id,
                StepRow.status == StepStatus.pending.value,
                StepRow.next_nudge_at == seen_nudge_at,
            )
            .values(**values)
            .returning(StepRow.id)
        )
        return result.scalar_one_or_none() is not None

    async def open_deciders(self) -> Sequence[int]:
        decider = func.coalesce(StepRow.acting_id, StepRow.approver_id)
        rows = await self._session.scalars(
            select(decider).where(StepRow.status == StepStatus.pending.value).distinct()
        )
        return sorted(rows)


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
