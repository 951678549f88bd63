"""Exports on a real database (SQLite and PostgreSQL): each export holds what its reader may
see and nothing else, reads in keyset batches without repeating or losing a row, says when
MAX_ROWS cut it, carries the same figures as the ledger and the monthly analysis, and takes a
number of statements that does not grow with its rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from dbtools import NOW, Sessions, add_person, statements
from sqlalchemy.ext.asyncio import AsyncEngine
from test_storage_approvals import add_customer, org  # noqa: F401 - org is a fixture
from test_storage_collections import in_force

from bot.core.collection_analysis import analyse, month_window
from bot.core.customers import VisitDraft
from bot.core.errors import NotAllowed
from bot.core.payments import PaymentDraft, PaymentMethod
from bot.core.policy import Policy
from bot.core.roles import Role
from bot.core.usecases import exports
from bot.core.usecases.collection_report import contracts_money
from bot.core.usecases.exports import ExportKind, Period
from bot.core.usecases.ledger import LedgerFilter, LedgerQuery, ledger_page
from storage.uow import SqlUnitOfWork

POLICY = Policy()
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))


@pytest.fixture
async def rival(sessionmaker: Sessions, org: dict[str, int]) -> int:  # noqa: F811
    """Another rep, under the other supervisor: outside the first rep's and supervisor's sight."""
    return (await add_person(sessionmaker, 5, role=Role.rep, reports_to=org["sid"])).id


async def visit(
    sessionmaker: Sessions, rep_id: int, customer_id: int, day: date, intent: str = "low"
) -> None:
    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.visits.add(
            VisitDraft(customer_id, "first", day, "Met the buyer", intent),
            rep_id=rep_id,
            now=NOW,
            distance_m=None,
            far=False,
        )
        await uow.commit()


async def test_the_customer_table_holds_the_readers_customers_with_their_visits(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
    rival: int,
) -> None:
    mine = await add_customer(sessionmaker, org["rep"], "Acme Trading", phone="+8613800138000")
    theirs = await add_customer(sessionmaker, rival, "华东五金有限公司")
    await visit(sessionmaker, org["rep"], mine, date(2026, 11, 20), "low")
    await visit(sessionmaker, org["rep"], mine, date(2026, 11, 10), "high")  # logged later
    async with SqlUnitOfWork(sessionmaker) as uow:
        by_rep = await exports.customer_table(uow, org["rep"])
        by_sup = await exports.customer_table(uow, org["sup"])
        by_sid = await exports.customer_table(uow, org["sid"])
        by_mgr = await exports.customer_table(uow, org["mgr"])
    [line] = by_rep.rows
    assert (line.customer.id, line.customer.phone) == (mine, "+8613800138000")
    assert (line.visits, line.latest_intent) == (2, "low"), "the latest visit by its day"
    assert by_rep.people[org["rep"]] == "Person 1"
    assert [x.customer.id for x in by_sup.rows] == [mine]
    assert [x.customer.id for x in by_sid.rows] == [theirs]
    assert [x.customer.id for x in by_mgr.rows] == [mine, theirs]
    assert not by_mgr.truncated


async def test_the_visit_log_keeps_to_the_period_and_the_readers_reps(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
    rival: int,
) -> None:
    mine = await add_customer(sessionmaker, org["rep"], "Acme Trading")
    theirs = await add_customer(sessionmaker, rival, "Beta Foods")
    for day in (date(2026, 10, 31), date(2026, 11, 30), date(2026, 11, 1), date(2026, 12, 1)):
        await visit(sessionmaker, org["rep"], mine, day)
    await visit(sessionmaker, rival, theirs, date(2026, 11, 5))
    async with SqlUnitOfWork(sessionmaker) as uow:
        log = await exports.visit_log(uow, org["rep"], NOVEMBER)
        company = await exports.visit_log(uow, org["mgr"], NOVEMBER)
    assert [v.visited_on.day for v in log.rows] == [1, 30]
    assert log.customers == {mine: "Acme Trading"}
    assert [v.visited_on.day for v in company.rows] == [1, 5, 30]


async def test_keyset_batches_repeat_no_row_and_a_cut_is_said(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    customer = await add_customer(sessionmaker, org["rep"])
    for n in range(7):
        await visit(sessionmaker, org["rep"], customer, date(2026, 11, 1 + n % 3))
    monkeypatch.setattr(exports, "BATCH", 2)
    async with SqlUnitOfWork(sessionmaker) as uow:
        whole = await exports.visit_log(uow, org["rep"], NOVEMBER)
        monkeypatch.setattr(exports, "MAX_ROWS", 5)
        cut = await exports.visit_log(uow, org["rep"], NOVEMBER)
    keys = [(v.visited_on, v.id) for v in whole.rows]
    assert len(keys) == 7
    assert keys == sorted(set(keys))
    assert not whole.truncated
    assert [(v.visited_on, v.id) for v in cut.rows] == keys[:5]
    assert cut.truncated


async def test_the_ledger_export_has_the_ledgers_figures_in_the_readers_sight(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
    rival: int,
) -> None:
    contracts = [await in_force(sessionmaker, org, n) for n in range(3)]
    accountant = (await add_person(sessionmaker, 8, role=Role.accountant)).id
    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.payments.add(
            PaymentDraft(contracts[0].id, Decimal("100.01"), NOW.date(), PaymentMethod.cash, None),
            recorded_by=accountant,
            now=NOW,
        )
        await uow.commit()
    today = date(2026, 4, 20)
    async with SqlUnitOfWork(sessionmaker) as uow:
        exported = await exports.ledger_export(uow, accountant, today)
        screen = await ledger_page(uow, org["rep"], LedgerQuery(LedgerFilter.open), today)
        rivals = await exports.ledger_export(uow, rival, today)
    assert [r.contract.id for r in exported.rows] == [c.id for c in reversed(contracts)]
    assert exported.rows == screen.rows[: len(exported.rows)], "the very rows /contract shows"
    first = exported.rows[-1]
    assert first.figures.collected == Decimal("100.01")
    assert first.figures.overdue > 0
    assert rivals.rows == ()


async def test_collections_per_contract_sum_to_the_monthly_analysis(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    for n in range(2):
        await in_force(sessionmaker, org, n)
    april, today = Period(date(2026, 4, 1), date(2026, 4, 30)), date(2026, 7, 1)
    async with SqlUnitOfWork(sessionmaker) as uow:
        exported = await exports.collections_export(uow, org["sup"], april, today, POLICY)
        window = month_window(april.first, today)
        total = analyse(await contracts_money(uow, None, window, POLICY), window).total
    assert len(exported.rows) == 2
    assert sum((r.figures.due for r in exported.rows), Decimal(0)) == total.due
    summed = [
        sum(bucket) for bucket in zip(*(r.figures.ageing for r in exported.rows), strict=True)
    ]
    assert summed == list(total.ageing)
    assert total.ageing[0] > 0, "read on 05-01, the 04-01 instalment is 30 days late"
    assert exported.customers
    assert exported.people


async def test_each_export_refuses_who_may_not_read_it(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    service = (await add_person(sessionmaker, 9, role=Role.customer_service)).id
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await exports.export_kinds(uow, org["rep"]) == [
            ExportKind.customers,
            ExportKind.visits,
            ExportKind.ledger,
        ]
        assert await exports.export_kinds(uow, service) == []
        with pytest.raises(NotAllowed):
            await exports.collections_export(uow, org["rep"], NOVEMBER, NOVEMBER.last, POLICY)
        with pytest.raises(NotAllowed):
            await exports.customer_table(uow, service)
        with pytest.raises(NotAllowed):
            await exports.ledger_export(uow, service, NOVEMBER.last)


async def test_statements_do_not_grow_with_rows(
    sessionmaker: Sessions,
    engine: AsyncEngine,
    org: dict[str, int],  # noqa: F811
) -> None:
    seen: dict[int, tuple[int, int, int, int]] = {}
    for total in (2, 6):
        while (made := await _customers(sessionmaker, org["rep"])) < total:
            contract = await in_force(sessionmaker, org, made)  # with a customer of its own
            await visit(sessionmaker, org["rep"], contract.customer_id, date(2026, 11, 2))
        async with SqlUnitOfWork(sessionmaker) as uow:
            with statements(engine) as customers:
                await exports.customer_table(uow, org["sup"])
            with statements(engine) as visits:
                await exports.visit_log(uow, org["sup"], NOVEMBER)
            with statements(engine) as ledger:
                found = await exports.ledger_export(uow, org["sup"], NOVEMBER.last)
            with statements(engine) as money:
                owed = await exports.collections_export(
                    uow, org["sup"], NOVEMBER, NOVEMBER.last, POLICY
                )
        assert len(found.rows) == len(owed.rows) == total
        seen[total] = (len(customers), len(visits), len(ledger), len(money))
    assert seen[2] == seen[6]


async def _customers(sessionmaker: Sessions, owner_id: int) -> int:
    async with SqlUnitOfWork(sessionmaker) as uow:
        return len(await uow.customers.listing([owner_id], after_id=0, limit=1000))
