"""The contract ledger in storage: contracts read back whole and exact, moves written only
from the status read, unique numbers from a counter two approvals can share, the ledger's
lists, batch reads, and notes and payments capped one recording after the other."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from dbtools import NOW, Sessions, statements
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine
from test_storage_approvals import add_customer, add_request, org  # noqa: F401 - org is a fixture

from bot.core.contract_terms import ContractLine, Instalment, PaymentSchedule
from bot.core.contracts import (
    Contract,
    ContractDraft,
    ContractStatus,
    ProductionStep,
    approved,
    cosigned,
)
from bot.core.deliveries import (
    DeliveryStatus,
    OverDelivery,
    check_delivery,
    receive_copy,
    ship_note,
    sign_note,
)
from bot.core.orders import DealStage, Deposit
from bot.core.payments import PaymentDraft, PaymentMethod
from bot.core.work_orders import WorkOrderStatus, sign_work_order
from storage.tables import DeliveryNoteRow
from storage.uow import SqlUnitOfWork

D = Decimal
CS = ContractStatus
DS = DeliveryStatus
LINES = (
    ContractLine("Steel pipes", D("1.234"), D("12345678.90"), D("12.50")),
    ContractLine("Valves", D(3), D("0.01")),
)
# 1.234 × 12,345,678.90 × 0.875 = 13,330,246.79… → 13,330,246.79; + 0.03
AMOUNT = D("13330246.82")
SCHEDULE = PaymentSchedule(
    D("3000000.00"),
    (Instalment(date(2026, 4, 1), D("5000000.00")), Instalment(date(2026, 5, 1), D("5330246.82"))),
)


async def add_contract(
    sessionmaker: Sessions, people: dict[str, int], customer_id: int | None = None
) -> Contract:
    customer = customer_id or await add_customer(sessionmaker, people["rep"])
    async with SqlUnitOfWork(sessionmaker) as uow:
        deal = await uow.deals.open(
            customer_id=customer, owner_id=people["rep"], request_id=None, now=NOW
        )
        draft = ContractDraft(deal.id, customer, people["rep"], LINES, SCHEDULE, date(2026, 4, 15))
        contract = await uow.contracts.apply(draft, filed_by=people["sup"], now=NOW)
        await uow.commit()
    return contract


async def test_an_application_reads_back_whole_and_exact(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    filed = await add_contract(sessionmaker, org)
    assert filed.amount == AMOUNT

    async with SqlUnitOfWork(sessionmaker) as uow:
        read = await uow.contracts.get(filed.id)
        by_deal = await uow.contracts.for_deal(filed.deal_id)
    assert read == filed
    assert by_deal == [filed]
    assert read is not None
    assert (read.status, read.lines, read.schedule, read.created_at) == (
        CS.applied,
        LINES,
        SCHEDULE,
        NOW,
    )
    assert read.amount == AMOUNT


async def test_a_move_is_written_only_from_the_status_it_was_read_in(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    filed = await add_contract(sessionmaker, org)
    request_id = await add_request(sessionmaker, org)
    signed = approved(
        replace(filed, request_id=request_id), number="HT-2026-0001", signed_by=org["mgr"], now=NOW
    )
    later = NOW + timedelta(hours=2)
    in_force = replace(
        cosigned(signed, by=org["sid"], now=later),
        production_signed_by=org["mgr"],
        production_signed_at=later,
        goods_ready_at=later,
    )
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.contracts.save(signed, expected=CS.applied)
        assert not await uow.contracts.save(signed, expected=CS.applied)  # the second tap
        assert await uow.contracts.save(in_force, expected=CS.awaiting_cosign)
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.contracts.get(filed.id) == in_force
        assert await uow.contracts.by_request(request_id) == in_force
        assert await uow.contracts.by_request(request_id + 1) is None


async def test_a_returned_application_is_revised_before_it_is_filed_again(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    filed = await add_contract(sessionmaker, org)
    lines = (ContractLine("Valves", D(5), D("100.00")),)
    schedule = PaymentSchedule(D(0), (Instalment(date(2026, 6, 1), D("500.00")),))
    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.contracts.get(filed.id)  # in the session's memory before the change
        await uow.contracts.revise(
            filed.id, lines=lines, schedule=schedule, delivery_date=date(2026, 7, 1)
        )
        revised = await uow.contracts.get(filed.id)
        await uow.commit()
    assert revised == replace(filed, lines=lines, schedule=schedule, delivery_date=date(2026, 7, 1))


async def test_numbers_and_requests_are_unique(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    first = await add_contract(sessionmaker, org)
    second = await add_contract(sessionmaker, org, customer_id=first.customer_id)
    request_id = await add_request(sessionmaker, org)
    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.contracts.save(
            replace(first, number="HT-1", request_id=request_id), expected=CS.applied
        )
        await uow.commit()
    for taken in ({"number": "HT-1"}, {"request_id": request_id}):
        async with SqlUnitOfWork(sessionmaker) as uow:
            with pytest.raises(IntegrityError):
                await uow.contracts.save(replace(second, **taken), expected=CS.applied)  # type: ignore[arg-type]


async def test_each_series_counts_from_one_and_a_rollback_gives_its_number_back(
    sessionmaker: Sessions,
) -> None:
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert [await uow.contracts.next_number_seq(2026) for _ in range(3)] == [1, 2, 3]
        assert await uow.contracts.next_number_seq(0) == 1
        await uow.commit()
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.contracts.next_number_seq(2026) == 4  # never committed
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.contracts.next_number_seq(2026) == 4
        assert await uow.contracts.next_number_seq(2027) == 1


async def test_approvals_landing_at_once_get_different_numbers(sessionmaker: Sessions) -> None:
    async def allocate() -> int:
        async with SqlUnitOfWork(sessionmaker) as uow:
            seq = await uow.contracts.next_number_seq(2026)
            await uow.commit()
        return seq

    assert sorted(await asyncio.gather(*(allocate() for _ in range(6)))) == [1, 2, 3, 4, 5, 6]


async def test_the_ledger_lists_newest_first_by_owner_customer_and_status(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    a = await add_contract(sessionmaker, org)
    b = await add_contract(sessionmaker, org, customer_id=a.customer_id)
    other = await add_customer(sessionmaker, org["sid"], name="Bolt Works")
    c = await add_contract(sessionmaker, {**org, "rep": org["sid"]}, customer_id=other)
    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.contracts.save(replace(b, status=CS.returned), expected=CS.applied)
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:
        ledger = uow.contracts.ledger

        async def ids(**filters: object) -> list[int]:
            return [x.id for x in await ledger(**filters)]  # type: ignore[arg-type]

        assert await ids() == [c.id, b.id, a.id]
        assert await ids(owner_ids=[org["rep"]]) == [b.id, a.id]
        assert await ids(owner_ids=[]) == []
        assert await ids(customer_id=other) == [c.id]
        assert await ids(statuses={CS.applied}) == [c.id, a.id]
        assert await ids(owner_ids=[org["rep"]], statuses={CS.applied}) == [a.id]
        assert await ids(limit=2) == [c.id, b.id]
        assert await ids(limit=2, offset=2) == [a.id]
        assert [x.lines for x in await ledger()] == [LINES] * 3
        assert [x.id for x in await uow.contracts.by_ids([a.id, c.id, 999])] == [a.id, c.id]


async def test_the_ledgers_batch_reads_take_a_fixed_number_of_statements(
    sessionmaker: Sessions,
    engine: AsyncEngine,
    org: dict[str, int],  # noqa: F811
) -> None:
    contracts = [await add_contract(sessionmaker, org) for _ in range(4)]
    ids = [c.id for c in contracts]
    async with SqlUnitOfWork(sessionmaker) as uow:
        for i, contract in enumerate(contracts[:3]):
            for amount in ("100.00", "0.01"):
                draft = PaymentDraft(
                    contract.id, D(amount), date(2026, 3, i + 1), PaymentMethod.cash
                )
                await uow.payments.add(draft, recorded_by=org["sid"], now=NOW)
            await uow.deliveries.add(
                contract.id, lines=[D("0.5"), D(i)], filed_by=org["sup"], now=NOW
            )
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:
        with statements(engine) as seen:
            listed = await uow.contracts.ledger()
            paid = await uow.payments.for_contracts(ids)
            delivered = await uow.deliveries.delivered(ids)
        assert len(seen) == 3 + 1 + 2  # contracts, lines, instalments; payments; lines, notes
    assert [c.id for c in listed] == ids[::-1]
    assert {k: [p.amount for p in v] for k, v in paid.items()} == {
        ids[0]: [D("100.00"), D("0.01")],
        ids[1]: [D("100.00"), D("0.01")],
        ids[2]: [D("100.00"), D("0.01")],
    }
    assert delivered == {
        ids[0]: (D("0.5"), D(0)),
        ids[1]: (D("0.5"), D(1)),
        ids[2]: (D("0.5"), D(2)),
        ids[3]: (D(0), D(0)),
    }


async def test_a_payment_reads_back_exact_and_in_the_order_it_was_paid(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    contract = await add_contract(sessionmaker, org)
    later = PaymentDraft(
        contract.id, D("5330246.82"), date(2026, 5, 2), PaymentMethod.acceptance_bill, "承兑 No. 7"
    )
    earlier = PaymentDraft(contract.id, D("0.01"), date(2026, 4, 1), PaymentMethod.cheque)
    async with SqlUnitOfWork(sessionmaker) as uow:
        first = await uow.payments.add(later, recorded_by=org["sid"], now=NOW)
        second = await uow.payments.add(
            earlier, recorded_by=org["sid"], now=NOW + timedelta(minutes=1)
        )
        await uow.commit()
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.payments.for_contract(contract.id) == [second, first]
        assert await uow.payments.for_contracts([contract.id + 1]) == {}
    assert (first.method, first.reference, first.amount) == (
        PaymentMethod.acceptance_bill,
        "承兑 No. 7",
        D("5330246.82"),
    )


async def test_delivery_notes_count_within_their_contract_and_move_from_their_status(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    one = await add_contract(sessionmaker, org)
    two = await add_contract(sessionmaker, org, customer_id=one.customer_id)
    async with SqlUnitOfWork(sessionmaker) as uow:
        a = await uow.deliveries.add(one.id, lines=[D("1.234"), D(0)], filed_by=org["sup"], now=NOW)
        b = await uow.deliveries.add(one.id, lines=[D(0), D(3)], filed_by=org["sup"], now=NOW)
        c = await uow.deliveries.add(two.id, lines=[D(1), D(1)], filed_by=org["sup"], now=NOW)
        await uow.commit()
    assert [(n.contract_id, n.seq) for n in (a, b, c)] == [(one.id, 1), (one.id, 2), (two.id, 1)]

    later = NOW + timedelta(hours=3)
    moved = receive_copy(
        ship_note(sign_note(a, by=org["mgr"], now=NOW), later), file_id="AgACAgIAAxkB", now=later
    )
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.deliveries.save(
            replace(moved, status=DeliveryStatus.signed), expected=DeliveryStatus.filed
        )
        assert await uow.deliveries.save(moved, expected=DeliveryStatus.signed)
        assert not await uow.deliveries.save(moved, expected=DeliveryStatus.signed)
        cancelled = replace(b, status=DeliveryStatus.cancelled, cancelled_at=later)
        assert await uow.deliveries.save(cancelled, expected=DeliveryStatus.filed)
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.deliveries.for_contract(one.id) == [moved, cancelled]
        assert await uow.deliveries.get(c.id) == c
        assert await uow.deliveries.get(c.id + 1) is None
        assert await uow.deliveries.delivered([one.id]) == {one.id: (D("1.234"), D(0))}
    async with SqlUnitOfWork(sessionmaker) as uow:  # (contract, seq) is unique
        uow.session.add(
            DeliveryNoteRow(
                contract_id=one.id, seq=2, status="filed", filed_by=org["sup"], filed_at=NOW
            )
        )
        with pytest.raises(IntegrityError):
            await uow.session.flush()


async def test_two_notes_filed_at_once_never_pass_the_ordered_quantity(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    contract = await add_contract(sessionmaker, org)  # 1.234 pipes, 3 valves

    async def file_note() -> bool:
        async with SqlUnitOfWork(sessionmaker) as uow:
            await uow.contracts.hold(contract.id)
            delivered = (await uow.deliveries.delivered([contract.id]))[contract.id]
            try:
                check_delivery(contract.lines, delivered, (D(1), D(2)))
            except OverDelivery:
                return False
            await uow.deliveries.add(contract.id, lines=[D(1), D(2)], filed_by=org["sup"], now=NOW)
            await uow.commit()
            return True

    assert sorted(await asyncio.gather(file_note(), file_note(), file_note())) == [
        False,
        False,
        True,
    ]
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.deliveries.delivered([contract.id]) == {contract.id: (D(1), D(2))}


async def test_a_work_order_reads_back_and_moves_from_its_status(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    contract = await add_contract(sessionmaker, org)
    async with SqlUnitOfWork(sessionmaker) as uow:
        order = await uow.work_orders.add(
            contract.id, task="安装调试 pumps", filed_by=org["sup"], now=NOW
        )
        await uow.commit()
    done = replace(
        sign_work_order(order, by=org["mgr"], now=NOW),
        status=WorkOrderStatus.accepted,
        assignee_id=org["sid"],
        assigned_at=NOW,
        accepted_at=NOW,
        acceptance="验收合格",
    )
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert not await uow.work_orders.save(done, expected=WorkOrderStatus.signed)
        assert await uow.work_orders.save(done, expected=WorkOrderStatus.filed)
        await uow.commit()
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.work_orders.get(order.id) == done
        assert await uow.work_orders.for_contract(contract.id) == [done]
        assert await uow.work_orders.get(order.id + 1) is None


async def test_the_ledger_filters_by_customers_and_by_an_instalment_due_before_a_day(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    first, second = [await add_contract(sessionmaker, org) for _ in range(2)]
    later = PaymentSchedule(D(0), (Instalment(date(2026, 6, 1), AMOUNT),))
    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.contracts.revise(
            second.id, lines=LINES, schedule=later, delivery_date=date(2026, 4, 15)
        )
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:
        by_customer = await uow.contracts.ledger(customer_ids=[second.customer_id])
        due_by_april = await uow.contracts.ledger(due_before=date(2026, 4, 2))
        due_by_june = await uow.contracts.ledger(due_before=date(2026, 6, 2))
        on_the_day = await uow.contracts.ledger(due_before=date(2026, 4, 1))
    assert [c.id for c in by_customer] == [second.id]
    assert [c.id for c in due_by_april] == [first.id]
    assert [c.id for c in due_by_june] == [second.id, first.id]
    assert on_the_day == [], "due on the day is not due before it"


async def test_the_deposits_of_many_deals_in_one_read(
    sessionmaker: Sessions,
    engine: AsyncEngine,
    org: dict[str, int],  # noqa: F811
) -> None:
    paid, unpaid = [await add_contract(sessionmaker, org) for _ in range(2)]
    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.deals.add_deposit(
            paid.deal_id,
            Deposit(
                D("3000.01"), date(2026, 3, 1), PaymentMethod.cash, "SJ-9", None, org["sid"], NOW
            ),
        )
        await uow.commit()
    async with SqlUnitOfWork(sessionmaker) as uow:
        with statements(engine) as seen:
            found = await uow.deals.deposits([paid.deal_id, unpaid.deal_id])
        assert len(seen) == 1
    assert found == {paid.deal_id: D("3000.01")}


async def test_the_production_and_delivery_queues_read_by_step_and_status(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    """A contract in force moves through the production steps; `to_deliver` ends when its
    deal leaves `contracted`. Notes are listed by status, oldest first."""
    filed = await add_contract(sessionmaker, org)
    in_force = cosigned(
        approved(filed, number="HT-2026-0007", signed_by=org["mgr"], now=NOW),
        by=org["sid"],
        now=NOW,
    )
    signed = replace(in_force, production_signed_by=org["mgr"], production_signed_at=NOW)
    ready = replace(signed, goods_ready_at=NOW)

    async def steps() -> list[list[int]]:
        async with SqlUnitOfWork(sessionmaker) as uow:
            return [[c.id for c in await uow.contracts.in_production(s)] for s in ProductionStep]

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.contracts.save(in_force, expected=CS.applied)
        await uow.commit()
    assert await steps() == [[filed.id], [], []]
    for contract in (signed, ready):
        async with SqlUnitOfWork(sessionmaker) as uow:
            assert await uow.contracts.save(contract, expected=CS.in_force)
            await uow.commit()
    assert await steps() == [[], [], []], "the deal is not contracted yet"
    async with SqlUnitOfWork(sessionmaker) as uow:
        for seen, to in zip(list(DealStage)[:3], list(DealStage)[1:4], strict=True):
            assert await uow.deals.move(filed.deal_id, seen, to, NOW)
        a = await uow.deliveries.add(filed.id, lines=[D(1), D(0)], filed_by=org["sup"], now=NOW)
        b = await uow.deliveries.add(filed.id, lines=[D(0), D(1)], filed_by=org["sup"], now=NOW)
        assert await uow.deliveries.save(sign_note(b, by=org["mgr"], now=NOW), expected=DS.filed)
        await uow.commit()
    assert await steps() == [[], [], [filed.id]]
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert [n.id for n in await uow.deliveries.in_status({DS.filed, DS.signed})] == [a.id, b.id]
        assert [n.id for n in await uow.deliveries.in_status({DS.signed})] == [b.id]
        assert await uow.deliveries.in_status({DS.booked}) == []


async def test_the_ledger_pages_by_id_so_a_new_contract_neither_repeats_nor_hides_one(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    first = await add_contract(sessionmaker, org)
    second = await add_contract(sessionmaker, org, customer_id=first.customer_id)
    async with SqlUnitOfWork(sessionmaker) as uow:
        (newest,) = await uow.contracts.ledger(limit=1)
    await add_contract(sessionmaker, org, customer_id=first.customer_id)  # meanwhile
    async with SqlUnitOfWork(sessionmaker) as uow:
        rest = await uow.contracts.ledger(limit=10, below_id=newest.id)
    assert newest.id == second.id
    assert [c.id for c in rest] == [first.id]
