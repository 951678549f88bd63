"""A small company for the /report tests, written straight into the tables, every figure of
March 2026 worked out by hand in tests/storage/test_storage_reports.py.

    general manager G
      sales manager M
        supervisor S1: reps A, B          supervisor S2: rep C

Customers: Alpha (A, 华东, expo), Beta (A, no region, web), Gamma (B, 华东, expo),
Delta (C, 华北, no source). B once visited A's customer Alpha: B's work in B's own report by
rep, but never a line naming Alpha in B's report by customer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.tables import (
    Base,
    CommissionLineRow,
    CommissionSheetRow,
    ContractLineRow,
    ContractRow,
    CustomerRow,
    DealRow,
    DeliveryLineRow,
    DeliveryNoteRow,
    DepositRow,
    InstalmentRow,
    PaymentRow,
    PersonRow,
    PlanItemRow,
    PlanRow,
    TargetRow,
    VisitRow,
)

TODAY = date(2026, 4, 10)
NOW = datetime(2026, 4, 10, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


def at(day: str) -> datetime:
    """10:00 Shanghai time on an ISO day."""
    return datetime.fromisoformat(f"{day}T02:00:00+00:00")


def d(day: str) -> date:
    return date.fromisoformat(day)


@dataclass(frozen=True)
class World:
    g: int
    m: int
    s1: int
    s2: int
    a: int
    b: int
    c: int
    alpha: int
    beta: int
    gamma: int
    delta: int


PEOPLE = [  # id, name, role, reports_to
    (1, "Gao", "general_manager", None),
    (2, "Ma", "sales_manager", 1),
    (3, "Sun", "supervisor", 2),
    (4, "Shi", "supervisor", 2),
    (5, "An", "rep", 3),
    (6, "Bai", "rep", 3),
    (7, "Cao", "rep", 4),
]
WORLD = World(1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 14)


def _people() -> list[Base]:
    return [
        PersonRow(id=i, telegram_id=1000 + i, full_name=n, role=r, reports_to=up, active=True)
        for i, n, r, up in PEOPLE
    ]


def _customer(
    cid: int, name: str, owner: int, region: str | None, source: str | None, **kw: Any
) -> CustomerRow:
    created = kw.pop("created")
    return CustomerRow(
        id=cid,
        name=name,
        name_key=name.casefold(),
        owner_id=owner,
        status="qualified",
        region=region,
        source=source,
        created_at=at(created),
        taken_at=at(created),
        **kw,
    )


def _customers() -> list[Base]:
    w = WORLD
    return [
        _customer(
            w.alpha,
            "Alpha",
            w.a,
            "华东",
            "expo",
            created="2026-03-05",
            confirmed_at=at("2026-03-10"),
        ),
        _customer(w.beta, "Beta", w.a, None, "web", created="2026-02-10"),
        _customer(
            w.gamma,
            "Gamma",
            w.b,
            "华东",
            "expo",
            created="2026-03-20",
            confirmed_at=at("2026-04-02"),
        ),
        _customer(w.delta, "Delta", w.c, "华北", None, created="2026-01-01"),
    ]


def _visits() -> list[Base]:
    w = WORLD
    rows = [  # rep, customer, kind, day, intent
        (w.a, w.alpha, "first", "2026-03-05", "high"),
        (w.a, w.alpha, "revisit", "2026-03-12", "low"),
        (w.a, w.beta, "call", "2026-03-20", "medium"),
        (w.a, w.beta, "first", "2026-02-27", "high"),  # February
        (w.b, w.gamma, "first", "2026-03-21", "none"),
        (w.b, w.alpha, "revisit", "2026-03-15", "medium"),  # B at A's customer
        (w.c, w.delta, "revisit", "2026-03-31", "high"),
        (w.c, w.delta, "first", "2026-04-01", "high"),  # April
    ]
    return [
        VisitRow(
            customer_id=cid,
            rep_id=rep,
            kind=kind,
            visited_on=d(day),
            logged_at=at(day),
            outcome="ok",
            intent=intent,
        )
        for rep, cid, kind, day, intent in rows
    ]


def _deals() -> list[Base]:
    w = WORLD
    deals = [  # id, customer, owner, stage, opened
        (21, w.alpha, w.a, "contracted", "2026-03-06"),
        (22, w.gamma, w.b, "lost", "2026-03-22"),
        (23, w.delta, w.c, "contracted", "2026-02-15"),
        (24, w.beta, w.a, "reserved", "2026-03-25"),
    ]
    rows: list[Base] = [
        DealRow(id=i, customer_id=c, owner_id=o, stage=s, opened_at=at(day), stage_at=at(day))
        for i, c, o, s, day in deals
    ]
    for deal, amount, day in (
        (21, "3000.00", "2026-03-07"),
        (23, "1000.00", "2026-02-16"),
        (24, "500.00", "2026-03-26"),
    ):
        rows.append(
            DepositRow(
                deal_id=deal,
                amount=Decimal(amount),
                paid_on=d(day),
                method="cash",
                receipt_no=f"R{deal}",
                recorded_by=WORLD.g,
                recorded_at=at(day),
            )
        )
    return rows


def _contract(
    cid: int, deal: int, customer: int, owner: int, deposit: str, cosigned: str
) -> ContractRow:
    return ContractRow(
        id=cid,
        deal_id=deal,
        customer_id=customer,
        owner_id=owner,
        filed_by=owner,
        status="in_force",
        deposit=Decimal(deposit),
        delivery_date=d("2026-05-01"),
        created_at=at(cosigned),
        cosigned_at=at(cosigned),
    )


def _line(
    contract: int, position: int, product: str, qty: str, price: str, discount: str | None
) -> ContractLineRow:
    return ContractLineRow(
        contract_id=contract,
        position=position,
        product=product,
        quantity=Decimal(qty),
        unit_price=Decimal(price),
        discount=None if discount is None else Decimal(discount),
    )


def _contracts() -> list[Base]:
    w = WORLD
    return [
        # K1: 3 × 1,999.99 at 12.5 % = 5,249.97 and 2.5 × 1,000.00 = 2,500.00: 7,749.97
        _contract(31, 21, w.alpha, w.a, "3000.00", "2026-03-10"),
        _line(31, 0, "Widget", "3", "1999.99", "12.5"),
        _line(31, 1, "Gadget", "2.5", "1000.00", None),
        InstalmentRow(contract_id=31, position=0, due=d("2026-03-15"), amount=Decimal("2000.00")),
        InstalmentRow(contract_id=31, position=1, due=d("2026-04-15"), amount=Decimal("2749.97")),
        # K2 (co-signed in February): 10 × 200.00 at 5 % = 1,900.00
        _contract(32, 23, w.delta, w.c, "1000.00", "2026-02-20"),
        _line(32, 0, "Widget", "10", "200.00", "5"),
        InstalmentRow(contract_id=32, position=0, due=d("2026-02-28"), amount=Decimal("500.00")),
        InstalmentRow(contract_id=32, position=1, due=d("2026-03-20"), amount=Decimal("400.00")),
    ]


def _money() -> list[Base]:
    payments = [
        (31, "1500.00", "2026-03-20"),
        (32, "200.00", "2026-02-27"),
        (32, "100.00", "2026-03-25"),
    ]
    rows: list[Base] = [
        PaymentRow(
            contract_id=c,
            amount=Decimal(a),
            paid_on=d(day),
            method="bank_transfer",
            recorded_by=WORLD.g,
            recorded_at=at(day),
        )
        for c, a, day in payments
    ]
    notes = [  # id, contract, seq, status, booked, quantities per line
        (41, 31, 1, "booked", "2026-03-25", ["1", "0"]),
        (42, 31, 2, "cancelled", "2026-03-26", ["2", "0"]),
        (43, 32, 1, "booked", "2026-03-05", ["4"]),
    ]
    for nid, contract, seq, status, day, quantities in notes:
        rows.append(
            DeliveryNoteRow(
                id=nid,
                contract_id=contract,
                seq=seq,
                status=status,
                filed_by=WORLD.g,
                filed_at=at(day),
                booked_at=at(day),
            )
        )
        rows += [
            DeliveryLineRow(note_id=nid, position=p, quantity=Decimal(q))
            for p, q in enumerate(quantities)
        ]
    return rows


def _plans() -> list[Base]:
    w = WORLD
    plans = [  # id, rep, week, status, item customers and days
        (
            51,
            w.a,
            "2026-03-09",
            "submitted",
            [(w.alpha, "2026-03-10"), (w.alpha, "2026-03-11"), (w.beta, "2026-03-12")],
        ),
        (52, w.c, "2026-03-30", "submitted", [(w.delta, "2026-03-31")]),
        (53, w.b, "2026-03-16", "draft", [(w.gamma, "2026-03-17")]),
        (54, w.a, "2026-02-23", "approved", [(w.beta, "2026-02-27")]),
    ]
    rows: list[Base] = []
    for pid, rep, week, status, items in plans:
        rows.append(PlanRow(id=pid, rep_id=rep, week=d(week), status=status))
        rows += [
            PlanItemRow(plan_id=pid, customer_id=c, day=d(day), purpose="visit") for c, day in items
        ]
    return rows


def _extras() -> list[Base]:
    w = WORLD
    targets = [
        (w.a, "2026-03-01", "10000.00", "4000.00"),
        (w.c, "2026-03-01", "5000.00", "1000.00"),
        (w.b, "2026-04-01", "9000.00", "9000.00"),
    ]
    rows: list[Base] = [
        TargetRow(
            rep_id=r, month=d(m), sales=Decimal(s), collection=Decimal(c), set_by=w.m, set_at=at(m)
        )
        for r, m, s, c in targets
    ]
    sheets = [  # id, rep, month, status, contract, commission
        (61, w.a, "2026-03-01", "filed", 31, "45.00"),
        (62, w.c, "2026-03-01", "returned", 32, "9.00"),
        (63, w.c, "2026-02-01", "paid", 32, "3.00"),
    ]
    for sid, rep, month, status, contract, amount in sheets:
        money = Decimal(amount)
        rows.append(
            CommissionSheetRow(
                id=sid,
                rep_id=rep,
                month=d(month),
                status=status,
                step=0,
                commission=money,
                deduction=Decimal(0),
                payable=money,
                unrecovered=Decimal(0),
                excluded=[],
                checks=[],
                filed_by=w.m,
                filed_at=at(month),
            )
        )
        rows.append(
            CommissionLineRow(
                sheet_id=sid,
                contract_id=contract,
                payment_ids=[],
                collected=Decimal(0),
                rate=Decimal("0.01"),
                commission=money,
                deduction=Decimal(0),
            )
        )
    return rows


async def build_world(sessionmaker: async_sessionmaker[AsyncSession]) -> World:
    """The rows, a table at a time in foreign-key order (the tables have no relationships for
    the ORM to order them by)."""
    parts = (_people, _customers, _visits, _deals, _contracts, _money, _plans, _extras)
    rows = [row for part in parts for row in part()]
    async with sessionmaker() as session:
        for table in Base.metadata.sorted_tables:
            session.add_all([row for row in rows if row.__table__ is table])
            await session.flush()
        await session.commit()
    return WORLD
