"""What the payment and work order forms read from storage: contracts found by number or
customer name, and the open work orders by status for the /pending queues."""

from __future__ import annotations

from dataclasses import replace

from dbtools import NOW, Sessions
from test_storage_approvals import add_customer, org  # noqa: F401 - org is a fixture
from test_storage_contracts import add_contract

from bot.core.contracts import ContractStatus
from bot.core.work_orders import WorkOrderStatus, sign_work_order
from storage.uow import SqlUnitOfWork

CS = ContractStatus
WS = WorkOrderStatus


async def test_contracts_are_found_by_number_or_customer_name(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    a = await add_contract(sessionmaker, org)
    other = await add_customer(sessionmaker, org["sid"], name="Bolt_Works 100%")
    b = await add_contract(sessionmaker, {**org, "rep": org["sid"]}, customer_id=other)
    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.contracts.save(replace(a, number="HT-2026-0042"), expected=CS.applied)
        await uow.contracts.save(replace(b, number="HT-2026-0043"), expected=CS.applied)
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:

        async def ids(text: str, **filters: object) -> list[int]:
            found = await uow.contracts.find(text, statuses={CS.applied}, **filters)  # type: ignore[arg-type]
            return [c.id for c in found]

        assert await ids("ht-2026-004") == [b.id, a.id]
        assert await ids("0042") == [a.id]
        assert await ids("acme") == [a.id]
        assert await ids("_works 100%") == [b.id], "wildcards are taken as typed"
        assert await ids("1%") == []
        assert await ids("HT", owner_ids=[org["rep"]]) == [a.id]
        assert await ids("HT", limit=1) == [b.id]
        assert await uow.contracts.find("HT", statuses={CS.in_force}) == []


async def test_open_work_orders_are_read_by_status_oldest_first(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    contract = await add_contract(sessionmaker, org)
    async with SqlUnitOfWork(sessionmaker) as uow:
        first, second, third = [
            await uow.work_orders.add(contract.id, task=t, filed_by=org["sup"], now=NOW)
            for t in ("a", "b", "c")
        ]
        await uow.work_orders.save(
            sign_work_order(second, by=org["mgr"], now=NOW), expected=WS.filed
        )
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:
        filed = await uow.work_orders.in_status({WS.filed})
        both = await uow.work_orders.in_status({WS.filed, WS.signed})
        none = await uow.work_orders.in_status({WS.accepted})
    assert [o.id for o in filed] == [first.id, third.id]
    assert [(o.id, o.status) for o in both] == [
        (first.id, WS.filed),
        (second.id, WS.signed),
        (third.id, WS.filed),
    ]
    assert none == []
