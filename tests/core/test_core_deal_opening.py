"""成交 opens the deal the reservation, the deposit and the contract follow (issue 12, item 1):
won on the customer's latest approved special terms no deal has taken yet, carried over."""

from __future__ import annotations

from decimal import Decimal

import pytest
from approval_fakes import MONDAY_10
from fakes import ROB, SUE
from refusals import assert_refused
from routine_fakes import Q, RoutineUnitOfWork, make_customer, routine_world

from bot.core.approvals import ApprovalRequest, RequestStatus
from bot.core.customers import CustomerStatus
from bot.core.deals import DealTerms
from bot.core.errors import InvalidChange, NotFound
from bot.core.orders import DealStage
from bot.core.usecases.customer_register import change_status, mark_won, win_on_request


def world(*requests: tuple[int, RequestStatus]) -> RoutineUnitOfWork:
    uow = routine_world(make_customer(1, ROB, "Acme Trading", status=Q))
    for request_id, status in requests:
        terms = DealTerms(1, "Steel pipes", Decimal(100), Decimal("120000.00"), Decimal(12))
        uow.requests.rows[request_id] = ApprovalRequest(
            request_id, "special_terms", ROB, terms, status, MONDAY_10
        )
    return uow


async def test_won_opens_a_deal_on_the_latest_approved_terms() -> None:
    uow = world(
        (1, RequestStatus.approved), (2, RequestStatus.approved), (3, RequestStatus.rejected)
    )

    await mark_won(uow, actor_id=ROB, customer_id=1, now=MONDAY_10)

    [deal] = await uow.deals.for_customer(1)
    assert (deal.stage, deal.owner_id, deal.request_id) == (DealStage.negotiating, ROB, 2)
    assert deal.opened_at == deal.stage_at == MONDAY_10


async def test_without_approved_terms_the_deal_goes_on_without_them() -> None:
    uow = world((1, RequestStatus.pending))

    await mark_won(uow, actor_id=ROB, customer_id=1, now=MONDAY_10)

    [deal] = await uow.deals.for_customer(1)
    assert deal.request_id is None


async def test_a_second_deal_takes_terms_no_deal_has_taken() -> None:
    uow = world((1, RequestStatus.approved), (2, RequestStatus.approved))
    await mark_won(uow, actor_id=ROB, customer_id=1, now=MONDAY_10)
    await change_status(uow, actor_id=SUE, customer_id=1, status=CustomerStatus.lost, now=MONDAY_10)
    await change_status(
        uow, actor_id=SUE, customer_id=1, status=CustomerStatus.prospect, now=MONDAY_10
    )
    await change_status(
        uow, actor_id=SUE, customer_id=1, status=CustomerStatus.qualified, now=MONDAY_10
    )

    await mark_won(uow, actor_id=ROB, customer_id=1, now=MONDAY_10)

    assert [d.request_id for d in await uow.deals.for_customer(1)] == [2, 1]


async def test_a_refused_won_opens_no_deal() -> None:
    uow = routine_world(make_customer(1, ROB, "Acme Trading"))  # an unconfirmed prospect
    uow.baseline()
    await assert_refused(
        uow, mark_won(uow, actor_id=ROB, customer_id=1, now=MONDAY_10), InvalidChange
    )
    assert await uow.deals.for_customer(1) == []


async def test_the_requester_wins_on_the_approved_request_itself() -> None:
    uow = world((1, RequestStatus.approved), (2, RequestStatus.approved))
    uow.baseline()

    deal = await win_on_request(uow, actor_id=ROB, request_id=1, now=MONDAY_10)

    assert (deal.request_id, deal.stage, deal.customer_id) == (1, DealStage.negotiating, 1)
    assert uow.customers[1].status is CustomerStatus.won
    assert uow.queued() == [(SUE, "customer_won")]
    await assert_refused(
        uow, win_on_request(uow, actor_id=ROB, request_id=1, now=MONDAY_10), InvalidChange
    )


async def test_repeat_business_keeps_the_customer_won_and_opens_another_deal() -> None:
    uow = world((1, RequestStatus.approved), (2, RequestStatus.approved))
    await win_on_request(uow, actor_id=ROB, request_id=1, now=MONDAY_10)

    await win_on_request(uow, actor_id=ROB, request_id=2, now=MONDAY_10)

    assert [d.request_id for d in await uow.deals.for_customer(1)] == [1, 2]
    assert uow.customers[1].status is CustomerStatus.won


@pytest.mark.parametrize(
    ("actor", "status", "error"),
    [
        (ROB, RequestStatus.pending, InvalidChange),  # not approved (yet)
        (ROB, RequestStatus.rejected, InvalidChange),
        (SUE, RequestStatus.approved, NotFound),  # not her request
    ],
)
async def test_only_the_requester_wins_and_only_on_approved_terms(
    actor: int, status: RequestStatus, error: type[Exception]
) -> None:
    uow = world((1, status))
    uow.baseline()
    await assert_refused(
        uow, win_on_request(uow, actor_id=actor, request_id=1, now=MONDAY_10), error
    )
