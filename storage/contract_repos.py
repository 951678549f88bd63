"""Contracts with their lines and instalments (bot/core/contracts.py), and their numbers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.collection_dues import DueItem, DueKey
from bot.core.contract_terms import ContractLine, Instalment, PaymentSchedule
from bot.core.contracts import Contract, ContractDraft, ContractStatus, ProductionStep
from bot.core.customer_rules import customer_search
from bot.core.orders import DealStage
from storage.batches import batches, bulk_insert, id_batches
from storage.customer_repos import contains
from storage.tables import (
    CollectionClaimRow,
    ContractLineRow,
    ContractNumberRow,
    ContractRow,
    CustomerRow,
    DealRow,
    InstalmentRow,
)

# The columns `save` writes: everything a move changes, never the terms or who filed it.
_MOVING = (
    "status",
    "request_id",
    "number",
    "signed_by",
    "signed_at",
    "cosigned_by",
    "cosigned_at",
    "production_signed_by",
    "production_signed_at",
    "goods_ready_at",
    "closed_at",
)

_LINE_COLUMNS = (
    ContractLineRow.contract_id,
    ContractLineRow.product,
    ContractLineRow.quantity,
    ContractLineRow.unit_price,
    ContractLineRow.discount,
)


def _term_rows(
    contract_id: int, lines: Sequence[ContractLine], schedule: PaymentSchedule
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    line_rows = [
        {
            "contract_id": contract_id,
            "position": position,
            "product": line.product,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "discount": line.discount,
        }
        for position, line in enumerate(lines)
    ]
    instalment_rows = [
        {"contract_id": contract_id, "position": position, "due": i.due, "amount": i.amount}
        for position, i in enumerate(schedule.instalments)
    ]
    return line_rows, instalment_rows


class SqlCollectionClaims:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim_many(self, items: Sequence[DueItem], now: datetime) -> set[DueKey]:
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        row = CollectionClaimRow
        claimed: set[DueKey] = set()
        for batch in batches(sorted({item.key for item in items})):
            result = await self._session.execute(
                insert(row)
                .values(
                    [
                        {"contract_id": c, "due": d, "kind": k, "stage": s, "claimed_at": now}
                        for c, d, k, s in batch
                    ]
                )
                .on_conflict_do_nothing()
                .returning(row.contract_id, row.due, row.kind, row.stage)
            )
            claimed |= {(c, d, k, s) for c, d, k, s in result}
        return claimed


class SqlContracts:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def apply(self, draft: ContractDraft, *, filed_by: int, now: datetime) -> Contract:
        row = ContractRow(
            deal_id=draft.deal_id,
            customer_id=draft.customer_id,
            owner_id=draft.owner_id,
            filed_by=filed_by,
            status=ContractStatus.applied.value,
            deposit=draft.schedule.deposit,
            delivery_date=draft.delivery_date,
            created_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        await self._write_terms(row.id, draft.lines, draft.schedule)
        return (await self._whole([row]))[0]

    async def _write_terms(
        self, contract_id: int, lines: Sequence[ContractLine], schedule: PaymentSchedule
    ) -> None:
        line_rows, instalment_rows = _term_rows(contract_id, lines, schedule)
        await self._session.execute(bulk_insert(ContractLineRow), line_rows)
        if instalment_rows:
            await self._session.execute(bulk_insert(InstalmentRow), instalment_rows)

    async def get(self, contract_id: int) -> Contract | None:
        found = await self.by_ids([contract_id])
        return found[0] if found else None

    async def by_ids(self, contract_ids: Collection[int]) -> Sequence[Contract]:
        found: list[Contract] = []
        for batch in id_batches(contract_ids):
            found += await self._read(
                select(ContractRow).where(ContractRow.id.in_(batch)).order_by(ContractRow.id)
            )
        return found

    async def by_request(self, request_id: int) -> Contract | None:
        found = await self._read(select(ContractRow).where(ContractRow.request_id == request_id))
        return found[0] if found else None

    async def by_requests(self, request_ids: Collection[int]) -> Sequence[Contract]:
        if not request_ids:
            return []
        return await self._read(
            select(ContractRow).where(ContractRow.request_id.in_(list(request_ids)))
        )

    async def for_deal(self, deal_id: int) -> Sequence[Contract]:
        return await self._read(
            select(ContractRow).where(ContractRow.deal_id == deal_id).order_by(ContractRow.id)
        )

    async def for_deals(self, deal_ids: Collection[int]) -> Sequence[Contract]:
        if not deal_ids:
            return []
        return await self._read(
            select(ContractRow)
            .where(ContractRow.deal_id.in_(list(deal_ids)))
            .order_by(ContractRow.id)
        )

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
        query = select(ContractRow)
        if below_id is not None:
            query = query.where(ContractRow.id < below_id)
        if customer_ids is not None:
            query = query.where(ContractRow.customer_id.in_(sorted(set(customer_ids))))
        if due_before is not None:
            query = query.where(
                select(InstalmentRow.contract_id)
                .where(InstalmentRow.contract_id == ContractRow.id, InstalmentRow.due < due_before)
                .exists()
            )
        if owner_ids is not None:
            query = query.where(ContractRow.owner_id.in_(sorted(set(owner_ids))))
        if customer_id is not None:
            query = query.where(ContractRow.customer_id == customer_id)
        if statuses is not None:
            query = query.where(ContractRow.status.in_(sorted(s.value for s in statuses)))
        return await self._read(query.order_by(ContractRow.id.desc()).limit(limit).offset(offset))

    async def flag_legal(self, contract_ids: Collection[int], now: datetime) -> set[int]:
        flagged: set[int] = set()
        for batch in id_batches(contract_ids):
            result = await self._session.execute(
                update(ContractRow)
                .where(ContractRow.id.in_(batch), ContractRow.legal_flagged_at.is_(None))
                .values(legal_flagged_at=now)
                .returning(ContractRow.id)
            )
            flagged |= set(result.scalars())
        return flagged

    async def collectable(
        self, *, owner_ids: Collection[int] | None, closed_since: datetime
    ) -> Sequence[Contract]:
        query = select(ContractRow).where(
            or_(
                ContractRow.status == ContractStatus.in_force.value,
                (ContractRow.status == ContractStatus.closed.value)
                & (ContractRow.closed_at >= closed_since),
            )
        )
        if owner_ids is not None:
            query = query.where(ContractRow.owner_id.in_(sorted(set(owner_ids))))
        return await self._read(query.order_by(ContractRow.id))

    async def any_cosigned_before(self, end: datetime) -> bool:
        found = await self._session.scalar(
            select(ContractRow.id).where(ContractRow.cosigned_at < end).limit(1)
        )
        return found is not None

    async def cosigned_between(self, start: datetime, end: datetime) -> Sequence[Contract]:
        statuses = sorted(s.value for s in (ContractStatus.in_force, ContractStatus.closed))
        query = select(ContractRow).where(
            ContractRow.status.in_(statuses),
            ContractRow.cosigned_at >= start,
            ContractRow.cosigned_at < end,
        )
        return await self._read(query.order_by(ContractRow.id))

    async def find(
        self,
        text: str,
        *,
        statuses: Collection[ContractStatus],
        owner_ids: Collection[int] | None = None,
        limit: int = 20,
    ) -> Sequence[Contract]:
        search = customer_search(text)
        typed = contains(search.text)
        matches = [
            func.lower(ContractRow.number).like(typed, escape="\\"),
            func.lower(CustomerRow.name).like(typed, escape="\\"),
        ]
        if search.key:
            matches.append(CustomerRow.name_key.like(contains(search.key), escape="\\"))
        query = (
            select(ContractRow)
            .join(CustomerRow, CustomerRow.id == ContractRow.customer_id)
            .where(ContractRow.status.in_(sorted(s.value for s in statuses)), or_(*matches))
        )
        if owner_ids is not None:
            query = query.where(ContractRow.owner_id.in_(sorted(set(owner_ids))))
        return await self._read(query.order_by(ContractRow.id.desc()).limit(limit))

    async def save(self, contract: Contract, *, expected: ContractStatus) -> bool:
        values = {name: getattr(contract, name) for name in _MOVING}
        values["status"] = contract.status.value
        written = await self._session.scalar(
            update(ContractRow)
            .where(ContractRow.id == contract.id, ContractRow.status == expected.value)
            .values(**values)
            .returning(ContractRow.id)
        )
        return written is not None

    async def revise(
        self,
        contract_id: int,
        *,
        lines: Sequence[ContractLine],
        schedule: PaymentSchedule,
        delivery_date: date,
    ) -> None:
        await self._session.execute(
            update(ContractRow)
            .where(ContractRow.id == contract_id)
            .values(deposit=schedule.deposit, delivery_date=delivery_date)
        )
        for table in (ContractLineRow, InstalmentRow):
            await self._session.execute(delete(table).where(table.contract_id == contract_id))
        await self._write_terms(contract_id, lines, schedule)

    async def hold(self, contract_id: int) -> None:
        # A write to the row: PostgreSQL locks it, SQLite takes its one write lock.
        await self._session.execute(
            update(ContractRow)
            .where(ContractRow.id == contract_id)
            .values(status=ContractRow.status)
        )

    async def in_production(self, step: ProductionStep) -> Sequence[Contract]:
        row = ContractRow
        query = select(row).where(row.status == ContractStatus.in_force.value)
        if step is ProductionStep.to_sign:
            query = query.where(row.goods_ready_at.is_(None), row.production_signed_at.is_(None))
        elif step is ProductionStep.to_make:
            query = query.where(row.goods_ready_at.is_(None), row.production_signed_at.is_not(None))
        else:
            query = query.join(DealRow, DealRow.id == row.deal_id).where(
                row.goods_ready_at.is_not(None), DealRow.stage == DealStage.contracted.value
            )
        return await self._read(query.order_by(row.id))

    async def next_number_seq(self, series: int) -> int:
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(ContractNumberRow).values(series=series, last_seq=1)
        seq = await self._session.scalar(
            statement.on_conflict_do_update(
                index_elements=["series"], set_={"last_seq": ContractNumberRow.last_seq + 1}
            ).returning(ContractNumberRow.last_seq)
        )
        if seq is None:
            raise RuntimeError("the number counter returned no row")
        return int(seq)

    async def _read(self, query: Select[ContractRow]) -> list[Contract]:
        rows = await self._session.scalars(query.execution_options(populate_existing=True))
        return await self._whole(list(rows))

    async def _whole(self, rows: list[ContractRow]) -> list[Contract]:
        """The contracts of these rows, in their order, with their terms: two reads per 500."""
        lines: dict[int, list[ContractLine]] = defaultdict(list)
        instalments: dict[int, list[Instalment]] = defaultdict(list)
        for batch in id_batches([row.id for row in rows]):
            for contract_id, product, quantity, price, discount in await self._session.execute(
                select(*_LINE_COLUMNS)
                .where(ContractLineRow.contract_id.in_(batch))
                .order_by(ContractLineRow.contract_id, ContractLineRow.position)
            ):
                lines[contract_id].append(ContractLine(product, quantity, price, discount))
            for contract_id, due, amount in await self._session.execute(
                select(InstalmentRow.contract_id, InstalmentRow.due, InstalmentRow.amount)
                .where(InstalmentRow.contract_id.in_(batch))
                .order_by(InstalmentRow.contract_id, InstalmentRow.position)
            ):
                instalments[contract_id].append(Instalment(due, amount))
        return [_contract(row, lines[row.id], instalments[row.id]) for row in rows]


def _contract(
    row: ContractRow, lines: list[ContractLine], instalments: list[Instalment]
) -> Contract:
    return Contract(
        id=row.id,
        deal_id=row.deal_id,
        customer_id=row.customer_id,
        owner_id=row.owner_id,
        filed_by=row.filed_by,
        status=ContractStatus(row.status),
        lines=tuple(lines),
        schedule=PaymentSchedule(row.deposit, tuple(instalments)),
        delivery_date=row.delivery_date,
        created_at=row.created_at,
        legal_flagged_at=row.legal_flagged_at,
        **{name: getattr(row, name) for name in _MOVING if name != "status"},
    )
