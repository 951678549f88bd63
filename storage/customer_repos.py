from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.customer_rules import CustomerSearch, customer_search
from bot.core.customers import (
    Customer,
    CustomerDraft,
    CustomerEvent,
    CustomerLine,
    CustomerStatus,
    Visit,
    VisitDraft,
)
from storage.batches import bulk_insert, id_batches
from storage.tables import CustomerEventRow, CustomerRow, VisitRow

CUSTOMER_FIELDS = (
    "name",
    "owner_id",
    "phone",
    "created_at",
    "name_key",
    "contact_name",
    "address",
    "latitude",
    "longitude",
    "industry",
    "size",
    "region",
    "source",
    "shop_url",
    "note",
    "confirmed_by",
    "confirmed_at",
    "next_follow_up",
    "last_visit_on",
    "service_id",
)


# Written only by the pool's compare-and-set moves (storage/pool_repos.py), never by `save`:
# an edit or a visit saved from a stale read must not take a customer back out of the pool.
POOL_FIELDS = ("taken_at", "pooled_at", "pool_warned_for")


def customer_of(row: CustomerRow) -> Customer:
    values = {name: getattr(row, name) for name in (*CUSTOMER_FIELDS, *POOL_FIELDS)}
    return Customer(id=row.id, status=CustomerStatus(row.status), **values)


# Owned: not in the pool (a pooled customer keeps its previous owner's id for the reclaim block).
OWNED = CustomerRow.pooled_at.is_(None)


class SqlCustomerRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, customer_id: int) -> Customer | None:
        row = await self._session.get(CustomerRow, customer_id, populate_existing=True)
        return customer_of(row) if row else None

    async def names(self, customer_ids: Collection[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        for batch in id_batches(customer_ids):
            rows = await self._session.execute(
                select(CustomerRow.id, CustomerRow.name).where(CustomerRow.id.in_(batch))
            )
            found.update((customer_id, name) for customer_id, name in rows)
        return found

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
        row = CustomerRow(
            **details,
            owner_id=owner_id,
            status=CustomerStatus.prospect.value,
            created_at=now,
            taken_at=now,
            name_key=name_key,
        )
        self._session.add(row)
        await self._session.flush()
        return customer_of(row)

    async def save(self, customer: Customer) -> None:
        values = {name: getattr(customer, name) for name in CUSTOMER_FIELDS}
        await self._session.execute(
            update(CustomerRow)
            .where(CustomerRow.id == customer.id)
            .values(status=customer.status.value, **values)
        )

    async def owned_by(
        self, owner_ids: Collection[int], query: str | None = None, limit: int = 50
    ) -> Sequence[Customer]:
        owned = CustomerRow.owner_id.in_(list(owner_ids)) & OWNED
        return await self._listed(owned, query, limit)

    async def handed_to(
        self, service_id: int, query: str | None = None, limit: int = 50
    ) -> Sequence[Customer]:
        return await self._listed(CustomerRow.service_id == service_id, query, limit)

    async def _listed(
        self, whose: ColumnElement[bool], query: str | None, limit: int
    ) -> Sequence[Customer]:
        statement = select(CustomerRow).where(whose)
        if query:
            statement = statement.where(search_matches(customer_search(query)))
        rows = await self._session.scalars(
            statement.order_by(
                CustomerRow.last_visit_on.desc().nulls_last(), CustomerRow.created_at.desc()
            ).limit(limit)
        )
        return [customer_of(row) for row in rows]

    async def listing(
        self, owner_ids: Collection[int], *, after_id: int, limit: int
    ) -> Sequence[CustomerLine]:
        mine = VisitRow.customer_id == CustomerRow.id
        visits = select(func.count(VisitRow.id)).where(mine).scalar_subquery()
        latest = (
            select(VisitRow.intent)
            .where(mine)
            .order_by(VisitRow.visited_on.desc(), VisitRow.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        rows = await self._session.execute(
            select(CustomerRow, visits, latest)
            .where(CustomerRow.owner_id.in_(sorted(set(owner_ids))), OWNED)
            .where(CustomerRow.id > after_id)
            .order_by(CustomerRow.id)
            .limit(limit)
        )
        return [CustomerLine(customer_of(row), count or 0, intent) for row, count, intent in rows]

    async def matching(self, *, phone: str | None, name_key: str) -> Sequence[Customer]:
        """Company-wide: customers with this phone or this company key (the duplicate check)."""
        conditions = [CustomerRow.name_key == name_key] if name_key else []
        if phone:
            conditions.append(CustomerRow.phone == phone)
        if not conditions:
            return []
        rows = await self._session.scalars(
            select(CustomerRow).where(or_(*conditions)).order_by(CustomerRow.id)
        )
        return [customer_of(row) for row in rows]

    async def unconfirmed(self, owner_ids: Collection[int]) -> Sequence[Customer]:
        rows = await self._session.scalars(
            select(CustomerRow)
            .where(
                CustomerRow.owner_id.in_(list(owner_ids)),
                OWNED,
                CustomerRow.status == CustomerStatus.prospect.value,
                CustomerRow.confirmed_at.is_(None),
            )
            .order_by(CustomerRow.created_at)
        )
        return [customer_of(row) for row in rows]

    async def follow_ups_due(self, day: date) -> Sequence[Customer]:
        open_statuses = [CustomerStatus.prospect.value, CustomerStatus.qualified.value]
        open_statuses.append(CustomerStatus.won.value)
        rows = await self._session.scalars(
            select(CustomerRow)
            .where(
                CustomerRow.next_follow_up <= day,
                CustomerRow.status.in_(open_statuses),
                OWNED,
            )
            .order_by(CustomerRow.owner_id, CustomerRow.next_follow_up, CustomerRow.id)
        )
        return [customer_of(row) for row in rows]


class SqlCustomerEvents:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, event: CustomerEvent) -> None:
        self._session.add(CustomerEventRow(**asdict(event)))

    async def add_many(self, events: Sequence[CustomerEvent]) -> None:
        if events:  # one executemany, not an INSERT per row
            await self._session.execute(
                bulk_insert(CustomerEventRow), [asdict(event) for event in events]
            )

    async def for_customer(self, customer_id: int) -> Sequence[CustomerEvent]:
        rows = await self._session.scalars(
            select(CustomerEventRow)
            .where(CustomerEventRow.customer_id == customer_id)
            .order_by(CustomerEventRow.id)
        )
        return [
            CustomerEvent(
                customer_id=row.customer_id,
                action=row.action,
                actor_id=row.actor_id,
                at=row.at,
                from_status=row.from_status,
                to_status=row.to_status,
                comment=row.comment,
            )
            for row in rows
        ]

    async def declared_distinct(self, customer_ids: Collection[int]) -> dict[int, list[int]]:
        rows = await self._session.execute(
            select(CustomerEventRow.customer_id, CustomerEventRow.comment)
            .where(
                CustomerEventRow.customer_id.in_(list(customer_ids)),
                CustomerEventRow.action == "declared_distinct",
            )
            .order_by(CustomerEventRow.id)
        )
        clashes: dict[int, list[int]] = {}
        for customer_id, comment in rows:
            clashes.setdefault(customer_id, []).append(int((comment or "").split(":")[-1]))
        return clashes


def _visit(row: VisitRow) -> Visit:
    return Visit(
        id=row.id,
        customer_id=row.customer_id,
        rep_id=row.rep_id,
        kind=row.kind,
        visited_on=row.visited_on,
        logged_at=row.logged_at,
        outcome=row.outcome,
        intent=row.intent,
        next_step=row.next_step,
        next_follow_up=row.next_follow_up,
        latitude=row.latitude,
        longitude=row.longitude,
        distance_m=row.distance_m,
        far=row.far,
        photos=list(row.photos or []),
    )


class SqlVisitRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        draft: VisitDraft,
        *,
        rep_id: int,
        now: datetime,
        distance_m: float | None,
        far: bool,
    ) -> Visit:
        values: dict[str, Any] = asdict(draft)
        values["photos"] = list(draft.photos)
        row = VisitRow(**values, rep_id=rep_id, logged_at=now, distance_m=distance_m, far=far)
        self._session.add(row)
        await self._session.flush()
        return _visit(row)

    async def get(self, visit_id: int) -> Visit | None:
        row = await self._session.get(VisitRow, visit_id)
        return _visit(row) if row else None

    async def for_customer(self, customer_id: int, limit: int = 5) -> Sequence[Visit]:
        rows = await self._session.scalars(
            select(VisitRow)
            .where(VisitRow.customer_id == customer_id)
            .order_by(VisitRow.visited_on.desc(), VisitRow.id.desc())
            .limit(limit)
        )
        return [_visit(row) for row in rows]

    async def by_rep_between(self, rep_id: int, first: date, last: date) -> Sequence[Visit]:
        rows = await self._session.scalars(
            select(VisitRow)
            .where(VisitRow.rep_id == rep_id, VisitRow.visited_on.between(first, last))
            .order_by(VisitRow.visited_on, VisitRow.id)
        )
        return [_visit(row) for row in rows]

    async def logged(
        self,
        rep_ids: Collection[int],
        first: date,
        last: date,
        *,
        after: tuple[date, int] | None,
        limit: int,
    ) -> Sequence[Visit]:
        query = select(VisitRow).where(
            VisitRow.rep_id.in_(sorted(set(rep_ids))), VisitRow.visited_on.between(first, last)
        )
        if after is not None:
            query = query.where(tuple_(VisitRow.visited_on, VisitRow.id) > tuple_(*after))
        rows = await self._session.scalars(
            query.order_by(VisitRow.visited_on, VisitRow.id).limit(limit)
        )
        return [_visit(row) for row in rows]


def contains(text: str) -> str:
    """A LIKE pattern for `text` anywhere, its wildcards taken literally (escape "\\")."""
    literal = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{literal}%"


def search_matches(search: CustomerSearch) -> ColumnElement[bool]:
    """The name as typed (SQL lower()), the company key (folded in Python, so also non-ASCII
    capitals on SQLite, whose lower() knows only ASCII), or a phone fragment."""
    matches = [func.lower(CustomerRow.name).like(contains(search.text), escape="\\")]
    if search.key:
        matches.append(CustomerRow.name_key.like(contains(search.key), escape="\\"))
    matches += [CustomerRow.phone.like(contains(digits)) for digits in search.digits]
    return or_(*matches)
