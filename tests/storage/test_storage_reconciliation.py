"""The monthly reconciliation in storage: one confirmation per month and role (a second is
refused by the insert), its figures read back exact, one accrual per month, the year's earlier
accruals summed; and the month's new contracts and deposits, each in one read."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from dbtools import NOW, Sessions
from test_storage_approvals import add_customer, org  # noqa: F401 - org is a fixture
from test_storage_contracts import add_contract

from bot.core.contracts import ContractStatus
from bot.core.deliveries import DeliveryStatus
from bot.core.orders import Deposit, PaymentMethod
from bot.core.reconciliation import Confirmation
from bot.core.roles import Role
from storage.uow import SqlUnitOfWork

D = Decimal
MAY, JUNE = date(2026, 5, 1), date(2026, 6, 1)


async def test_one_confirmation_per_role_and_one_accrual_per_month(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    desk = Confirmation(Role.sales_desk, org["sup"], NOW, {"collected": D("12345.67")})
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.reconciliations.confirm(MAY, desk)
        assert not await uow.reconciliations.confirm(MAY, replace(desk, figures={}))
        assert await uow.reconciliations.confirm(MAY, replace(desk, role=Role.accountant))
        assert await uow.reconciliations.accrue(MAY, D("10.50"), D("10.50"))
        assert not await uow.reconciliations.accrue(MAY, D(1), D(1))
        assert await uow.reconciliations.confirm(JUNE, desk)
        assert await uow.reconciliations.accrue(JUNE, D("-2.25"), D("8.25"))
        await uow.commit()
    async with SqlUnitOfWork(sessionmaker) as uow:
        may = await uow.reconciliations.get(MAY)
        assert await uow.reconciliations.accrued_before(JUNE) == D("10.50")
        assert await uow.reconciliations.accrued_before(date(2026, 7, 1)) == D("8.25")
        assert await uow.reconciliations.get(date(2026, 4, 1)) is None
    assert may is not None
    assert may.reconciled
    assert may.confirmations[Role.sales_desk].figures == {"collected": D("12345.67")}
    assert may.accrual == D("10.50")


async def test_the_month_s_new_contracts_and_deposits(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    inside = await add_contract(sessionmaker, org)
    outside = await add_contract(sessionmaker, org)
    async with SqlUnitOfWork(sessionmaker) as uow:
        for contract, at in ((inside, datetime(2026, 5, 31, 15, tzinfo=UTC)), (outside, NOW)):
            moved = replace(contract, status=ContractStatus.in_force, cosigned_at=at)
            assert await uow.contracts.save(moved, expected=ContractStatus.applied)
        deposit = Deposit(
            D(500), date(2026, 5, 3), PaymentMethod.cash, "S-1", None, org["sup"], NOW
        )
        await uow.deals.add_deposit(inside.deal_id, deposit)
        await uow.commit()
    async with SqlUnitOfWork(sessionmaker) as uow:
        start = datetime(2026, 4, 30, 16, tzinfo=UTC)  # May 1st in Shanghai
        signed = await uow.contracts.cosigned_between(start, datetime(2026, 5, 31, 16, tzinfo=UTC))
        deposits = await uow.deals.deposits_between(MAY, date(2026, 5, 31))
        ledger_before = await uow.contracts.any_cosigned_before(NOW)  # `outside`: at NOW
        ledger_by_may = await uow.contracts.any_cosigned_before(start)
    assert (ledger_before, ledger_by_may) == (False, True)
    assert [c.id for c in signed] == [inside.id]
    assert deposits == [D(500)]


async def test_the_month_s_booked_deliveries_in_one_read(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    """Booked in May (Shanghai), booked the first hour of June, and booked in May but then
    cancelled: only the first is May's."""
    contract = await add_contract(sessionmaker, org)
    booked = {
        datetime(2026, 5, 31, 15, tzinfo=UTC): DeliveryStatus.booked,  # 23:00 on 05-31
        datetime(2026, 5, 31, 16, tzinfo=UTC): DeliveryStatus.booked,  # 00:00 on 06-01
        datetime(2026, 5, 10, 2, tzinfo=UTC): DeliveryStatus.cancelled,
    }
    async with SqlUnitOfWork(sessionmaker) as uow:
        for at, status in booked.items():
            note = await uow.deliveries.add(
                contract.id, lines=[D(1), D(0)], filed_by=org["sup"], now=NOW
            )
            moved = replace(note, status=status, booked_by=org["sup"], booked_at=at)
            assert await uow.deliveries.save(moved, expected=DeliveryStatus.filed)
        await uow.commit()
    async with SqlUnitOfWork(sessionmaker) as uow:
        start = datetime(2026, 4, 30, 16, tzinfo=UTC)  # May 1st in Shanghai
        found = await uow.deliveries.booked_between(start, datetime(2026, 5, 31, 16, tzinfo=UTC))
    assert [(n.seq, n.lines) for n in found] == [(1, (D(1), D(0)))]
