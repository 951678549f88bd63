"""Deals in storage: opened at the first stage, listed per customer, one per approved request."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from dbtools import NOW, Sessions
from sqlalchemy.exc import IntegrityError
from test_storage_approvals import add_request, org  # noqa: F401 - org is a fixture

from bot.core.orders import DealStage, Deposit, PaymentMethod, Reservation
from storage.uow import SqlUnitOfWork


async def customer_of(sessionmaker: Sessions, request_id: int) -> int:
    async with SqlUnitOfWork(sessionmaker) as uow:
        request = await uow.requests.get(request_id)
        assert request is not None
        return request.terms.customer_id


async def test_a_deal_opens_at_its_first_stage_on_its_request(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    request_id = await add_request(sessionmaker, org)
    customer_id = await customer_of(sessionmaker, request_id)
    async with SqlUnitOfWork(sessionmaker) as uow:
        opened = await uow.deals.open(
            customer_id=customer_id, owner_id=org["rep"], request_id=request_id, now=NOW
        )
        await uow.deals.open(customer_id=customer_id, owner_id=org["rep"], request_id=None, now=NOW)
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:
        deals = await uow.deals.for_customer(customer_id)
        assert [(d.id, d.stage, d.request_id) for d in deals] == [
            (opened.id, DealStage.negotiating, request_id),
            (opened.id + 1, DealStage.negotiating, None),
        ]
        assert deals[0].opened_at == deals[0].stage_at == NOW
        assert await uow.deals.taken_requests([request_id, request_id + 1]) == {request_id}


async def test_a_request_is_won_on_by_one_deal_only(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    request_id = await add_request(sessionmaker, org)
    async with SqlUnitOfWork(sessionmaker) as uow:
        request = await uow.requests.get(request_id)
        assert request is not None
        first = uow.deals.open(
            customer_id=request.terms.customer_id,
            owner_id=org["rep"],
            request_id=request_id,
            now=NOW,
        )
        await first
        again = uow.deals.open(
            customer_id=request.terms.customer_id,
            owner_id=org["rep"],
            request_id=request_id,
            now=NOW,
        )
        with pytest.raises(IntegrityError):
            await again


async def test_the_reservation_and_the_deposit_round_trip_and_a_move_is_taken_once(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    request_id = await add_request(sessionmaker, org)
    customer_id = await customer_of(sessionmaker, request_id)
    later = NOW + timedelta(hours=1)
    reservation = Reservation(Decimal("105600.00"), Decimal("30000.00"), "AgAC-file", True, NOW)
    deposit = Deposit(
        Decimal("30000.00"), NOW.date(), PaymentMethod.cheque, "SJ-0042", None, org["sup"], later
    )
    async with SqlUnitOfWork(sessionmaker) as uow:
        deal = await uow.deals.open(
            customer_id=customer_id, owner_id=org["rep"], request_id=request_id, now=NOW
        )
        assert await uow.deals.move(deal.id, DealStage.negotiating, DealStage.reserved, NOW)
        assert not await uow.deals.move(deal.id, DealStage.negotiating, DealStage.reserved, NOW)
        await uow.deals.reserve(deal.id, reservation)
        assert await uow.deals.move(deal.id, DealStage.reserved, DealStage.deposit_paid, later)
        await uow.deals.add_deposit(deal.id, deposit)
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:
        stored = await uow.deals.get(deal.id)
        assert stored is not None
        assert (stored.stage, stored.stage_at) == (DealStage.deposit_paid, later)
        assert (stored.reservation, stored.deposit) == (reservation, deposit)
        assert [d.id for d in await uow.deals.in_stage(DealStage.deposit_paid)] == [deal.id]
        assert await uow.deals.in_stage(DealStage.reserved) == []
        assert await uow.deals.get(deal.id + 100) is None
        with pytest.raises(IntegrityError):  # one deposit per deal
            await uow.deals.add_deposit(deal.id, deposit)
