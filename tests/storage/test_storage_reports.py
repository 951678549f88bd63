"""/report against a hand-built world (report_world.py), on SQLite and PostgreSQL: every figure
of March 2026 below is worked out by hand from the world's docstrings and comments."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from dbtools import statements
from report_world import NOW, TODAY, at, build_world, d
from sqlalchemy import literal, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.collection_analysis import analyse, month_window
from bot.core.contract_terms import ContractLine
from bot.core.errors import NotAllowed
from bot.core.policy import Policy
from bot.core.reports import Dimension, Figures, Period, PeriodKind, Report, ReportScope
from bot.core.usecases.collection_report import contracts_money
from bot.core.usecases.report import report
from storage.report_repos import line_cents
from storage.tables import CustomerRow, VisitRow
from storage.types import DecimalType
from storage.uow import SqlUnitOfWork

POLICY = Policy()
MARCH = Period(PeriodKind.last_month, date(2026, 3, 1), date(2026, 3, 31))
Sessions = async_sessionmaker[AsyncSession]
D = Decimal


def money(*values: str) -> tuple[Decimal, ...]:
    return tuple(D(v) for v in values)


def figures(
    visits: tuple[int, int, int, int] = (0, 0, 0, 0),
    customers: tuple[int, int] = (0, 0),
    deals: int = 0,
    contracts: tuple[str, str] = ("0.00", "0.000"),
    delivered: tuple[str, str] = ("0.00", "0.000"),
    collected: str = "0.00",
    collection: tuple[str, str, str] = ("0.00", "0.00", "0.00"),
    plans: tuple[int, int] = (0, 0),
    targets: tuple[str, str] | None = ("0.00", "0.00"),
    commission: str = "0.00",
) -> Figures:
    due, applied, overdue = money(*collection)
    return Figures(
        visits=visits[0],
        first_visits=visits[1],
        revisits=visits[2],
        intent_visits=visits[3],
        new_customers=customers[0],
        prospects_confirmed=customers[1],
        deals_won=deals,
        contract_amount=D(contracts[0]),
        contract_quantity=D(contracts[1]),
        delivered=D(delivered[0]),
        delivered_quantity=D(delivered[1]),
        collected=D(collected),
        due=due,
        applied=applied,
        overdue=overdue,
        planned_visits=plans[0],
        planned_done=plans[1],
        target_sales=None if targets is None else D(targets[0]),
        target_collection=None if targets is None else D(targets[1]),
        commission=D(commission),
    )


# March by rep, company-wide (see report_world.py)
AN = figures(
    visits=(3, 1, 1, 2),  # Alpha first (high), Alpha revisit (low), Beta call (medium)
    customers=(1, 1),  # Alpha registered and confirmed in March
    deals=2,  # deals 21 and 24
    contracts=("7749.97", "5.500"),  # K1: 5,249.97 + 2,500.00
    delivered=("1749.99", "1.000"),  # note 41: 1 × 1,999.99 at 12.5 % (note 42 cancelled)
    collected="5000.00",  # deposits 3,000 + 500, payment 1,500
    # K1: due 2,000 (the 03-15 instalment), paid 1,500 of it, 500 overdue on 04-01
    collection=("2000.00", "1500.00", "500.00"),
    plans=(3, 1),  # plan 51: Alpha twice (one revisit that week), Beta once (not that week)
    targets=("10000.00", "4000.00"),
    commission="45.00",
)
BAI = figures(visits=(2, 1, 1, 1), customers=(1, 0))  # Gamma first; Alpha revisit (medium)
CAO = figures(
    visits=(1, 0, 1, 1),
    delivered=("760.00", "4.000"),  # note 43: 4 × 200.00 at 5 %
    collected="100.00",
    # K2: 1,200 came before March (deposit 1,000 + 200): 700 due, 100 paid, 600 overdue
    collection=("700.00", "100.00", "600.00"),
    plans=(1, 1),
    targets=("5000.00", "1000.00"),
)
# by region: 华东 is Alpha and Gamma, no region is Beta, 华北 is Delta
EAST = figures(
    visits=(4, 2, 2, 2),
    customers=(2, 1),
    deals=1,
    contracts=("7749.97", "5.500"),
    delivered=("1749.99", "1.000"),
    collected="4500.00",
    collection=("2000.00", "1500.00", "500.00"),
    plans=(2, 1),
    targets=None,
    commission="45.00",
)
NO_REGION = figures(visits=(1, 0, 0, 1), deals=1, collected="500.00", plans=(1, 0), targets=None)
NORTH = figures(
    visits=(1, 0, 1, 1),
    delivered=("760.00", "4.000"),
    collected="100.00",
    collection=("700.00", "100.00", "600.00"),
    plans=(1, 1),
    targets=None,
)
TOTAL = figures(
    visits=(6, 2, 3, 4),
    customers=(2, 1),
    deals=2,
    contracts=("7749.97", "5.500"),
    delivered=("2509.99", "5.000"),
    collected="5100.00",
    collection=("2700.00", "1600.00", "1100.00"),
    plans=(4, 2),
    targets=("15000.00", "5000.00"),
    commission="45.00",
)


async def run(
    sessionmaker: Sessions,
    actor: int,
    dimension: Dimension,
    scope: ReportScope = ReportScope.company,
    period: Period = MARCH,
) -> Report:
    async with SqlUnitOfWork(sessionmaker) as uow:
        return await report(uow, actor, period, scope, dimension, policy=POLICY, now=NOW)


def lines(found: Report) -> dict[object, Figures]:
    return {line.key: line.figures for line in found.lines}


async def test_march_by_rep(sessionmaker: Sessions) -> None:
    w = await build_world(sessionmaker)
    found = await run(sessionmaker, w.g, Dimension.rep)
    assert lines(found) == {w.a: AN, w.b: BAI, w.c: CAO}
    assert found.total == TOTAL
    assert [line.label for line in found.lines] == ["An", "Cao", "Bai"]  # by contract amount
    assert found.as_of == date(2026, 4, 1)
    assert AN.collection_rate == D("75.00")
    assert AN.plan_completion == 33
    assert AN.target_completion == 77  # 7,749.97 of 10,000.00
    assert AN.collection_target_completion == 125  # 5,000.00 of 4,000.00


async def test_march_by_region_and_channel(sessionmaker: Sessions) -> None:
    w = await build_world(sessionmaker)
    by_region = await run(sessionmaker, w.g, Dimension.region)
    assert lines(by_region) == {"华东": EAST, None: NO_REGION, "华北": NORTH}
    assert {line.key: line.label for line in by_region.lines} == {
        "华东": "华东",
        None: None,
        "华北": "华北",
    }
    assert by_region.total == replace(TOTAL, target_sales=None, target_collection=None)
    by_channel = await run(sessionmaker, w.g, Dimension.channel)
    assert lines(by_channel) == {"expo": EAST, "web": NO_REGION, None: NORTH}


async def test_march_by_customer(sessionmaker: Sessions) -> None:
    w = await build_world(sessionmaker)
    found = await run(sessionmaker, w.g, Dimension.customer)
    alpha = replace(EAST, visits=3, first_visits=1, new_customers=1)  # Gamma aside
    gamma = figures(visits=(1, 1, 0, 0), customers=(1, 0), targets=None)
    assert lines(found) == {w.alpha: alpha, w.beta: NO_REGION, w.gamma: gamma, w.delta: NORTH}
    assert {line.key: line.label for line in found.lines} == {
        w.alpha: "Alpha",
        w.beta: "Beta",
        w.gamma: "Gamma",
        w.delta: "Delta",
    }


async def test_march_by_product_computes_only_contract_lines(sessionmaker: Sessions) -> None:
    w = await build_world(sessionmaker)
    found = await run(sessionmaker, w.g, Dimension.product)
    assert lines(found) == {
        "Widget": Figures(
            contract_amount=D("5249.97"),
            contract_quantity=D("3.000"),
            delivered=D("2509.99"),  # 1,749.99 + 760.00
            delivered_quantity=D("5.000"),
        ),
        "Gadget": Figures(
            contract_amount=D("2500.00"),
            contract_quantity=D("2.500"),
            delivered=D("0.00"),
            delivered_quantity=D("0.000"),
        ),
    }
    assert found.total.visits is None
    assert found.total.collection_rate is None
    assert found.total.contract_amount == D("7749.97")


async def test_collection_agrees_with_the_monthly_analysis(sessionmaker: Sessions) -> None:
    w = await build_world(sessionmaker)
    found = await run(sessionmaker, w.g, Dimension.rep)
    window = month_window(date(2026, 3, 1), TODAY)
    async with SqlUnitOfWork(sessionmaker) as uow:
        analysis = analyse(await contracts_money(uow, None, window, POLICY), window)
    assert (found.total.due, found.total.applied, found.total.overdue) == (
        analysis.total.due,
        analysis.total.applied,
        analysis.total.overdue,
    )
    assert found.total.collection_rate == analysis.total.rate


async def test_a_reps_report_never_holds_another_reps_customer(sessionmaker: Sessions) -> None:
    w = await build_world(sessionmaker)
    mine = await run(sessionmaker, w.b, Dimension.customer, ReportScope.me)
    assert set(lines(mine)) == {w.gamma}  # not Alpha, which B visited but A owns
    by_rep = await run(sessionmaker, w.b, Dimension.rep, ReportScope.me)
    assert lines(by_rep) == {w.b: BAI}, "B's own work, Alpha's visit too: as the company sees B"
    an = await run(sessionmaker, w.a, Dimension.rep, ReportScope.me)
    assert lines(an) == {w.a: AN}
    with pytest.raises(NotAllowed):
        await run(sessionmaker, w.a, Dimension.rep, ReportScope.team)


async def test_a_supervisors_team_excludes_the_sibling_team(sessionmaker: Sessions) -> None:
    w = await build_world(sessionmaker)
    first = await run(sessionmaker, w.s1, Dimension.rep, ReportScope.team)
    assert lines(first) == {w.a: AN, w.b: BAI}  # B's visit to A's Alpha is in the team
    second = await run(sessionmaker, w.s2, Dimension.customer, ReportScope.team)
    assert set(lines(second)) == {w.delta}
    with pytest.raises(NotAllowed):
        await run(sessionmaker, w.s1, Dimension.rep, ReportScope.company)
    manager = await run(sessionmaker, w.m, Dimension.rep, ReportScope.team)
    assert manager.total == TOTAL


async def test_statements_stay_fixed_as_data_grows(
    sessionmaker: Sessions, engine: AsyncEngine
) -> None:
    w = await build_world(sessionmaker)
    with statements(engine) as small:
        await run(sessionmaker, w.g, Dimension.customer)
    async with sessionmaker() as session:
        for n in range(100, 160):
            session.add(
                CustomerRow(
                    id=n,
                    name=f"C{n}",
                    name_key=f"c{n}",
                    owner_id=w.c,
                    status="prospect",
                    region=f"R{n % 7}",
                    created_at=at("2026-03-03"),
                    taken_at=at("2026-03-03"),
                )
            )
            await session.flush()
            session.add(
                VisitRow(
                    customer_id=n,
                    rep_id=w.c,
                    kind="first",
                    visited_on=d("2026-03-04"),
                    logged_at=at("2026-03-04"),
                    outcome="ok",
                    intent="none",
                )
            )
        await session.commit()
    with statements(engine) as large:
        found = await run(sessionmaker, w.g, Dimension.customer)
    assert len(found.lines) == 64
    reads = [s for s in large if s.lstrip().upper().startswith("SELECT")]
    assert len(large) == len(small)
    assert len(reads) == 11  # the actor, the people, and nine families (no targets by customer)


LINES = [  # quantity, unit price, discount: half-cent ties, large figures, no discount
    ("3", "1999.99", "12.5"),
    ("1", "0.05", "50"),  # 0.025 → 0.03, half up
    ("1", "0.01", "50"),  # 0.005 → 0.01
    ("0.001", "0.01", None),  # 0.00001 → 0.00
    ("12345.678", "98765.43", "33.33"),
    ("99999.999", "9999999.99", "0.01"),  # near a 64-bit overflow if multiplied plainly
    ("7", "14.29", "99.99"),
]


@pytest.mark.parametrize(("quantity", "price", "discount"), LINES)
async def test_line_amounts_in_sql_round_as_the_ledger_does(
    sessionmaker: Sessions, quantity: str, price: str, discount: str | None
) -> None:
    line = ContractLine("P", D(quantity), D(price), None if discount is None else D(discount))
    expression = line_cents(
        literal(line.quantity, DecimalType(3)),
        literal(line.unit_price, DecimalType(2)),
        literal(line.discount, DecimalType(2)),
    )
    async with sessionmaker() as session:
        cents = await session.scalar(select(expression))
    assert D(int(cents)).scaleb(-2) == line.amount


async def test_a_reassigned_customer_keeps_the_reps_past_work(sessionmaker: Sessions) -> None:
    """Alpha moves from A to C (the pool, a reassignment): A's March stays A's, in A's own
    report as in the company's; only the customer breakdown follows the new owner."""
    w = await build_world(sessionmaker)
    async with sessionmaker() as session:
        await session.execute(
            update(CustomerRow).where(CustomerRow.name == "Alpha").values(owner_id=w.c)
        )
        await session.commit()
    company = lines(await run(sessionmaker, w.g, Dimension.rep))[w.a]
    mine = await run(sessionmaker, w.a, Dimension.rep, ReportScope.me)
    assert mine.total == company
    by_customer = await run(sessionmaker, w.a, Dimension.customer, ReportScope.me)
    assert w.alpha not in lines(by_customer), "no longer A's customer: not named in A's report"
