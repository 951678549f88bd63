"""What an approver sees beyond the terms: the net amount after the discount, the unit price,
and, on a resubmitted request, what the requester changed since the round before."""

from __future__ import annotations

from decimal import Decimal

import pytest
from approval_fakes import HOUR, MONDAY_10, ApprovalUnitOfWork, approval_world, make_terms
from fakes import ROB, SAM, SUE

from bot.core.approvals import Decision
from bot.core.deals import DealTerms, changed_terms, net_amount, unit_price
from bot.core.policy import Policy
from bot.core.usecases.approvals import decide, resubmit, submit

POLICY = Policy()


@pytest.mark.parametrize(
    ("amount", "discount", "net"),
    [
        ("120000.00", "12.00", "105600.00"),
        ("120000.00", None, "120000.00"),
        ("99.99", "33.33", "66.66"),
        ("100.00", "100.00", "0.00"),
        ("0.01", "50.00", "0.01"),  # 0.005: half up, to the cent
    ],
)
def test_the_net_amount_takes_the_discount_off(amount: str, discount: str | None, net: str) -> None:
    terms = make_terms(
        amount=Decimal(amount), discount=None if discount is None else Decimal(discount)
    )
    assert net_amount(terms) == Decimal(net)


def test_the_unit_price_is_the_amount_over_the_quantity_to_the_cent() -> None:
    assert unit_price(Decimal("105600.00"), Decimal("100")) == Decimal("1056.00")
    assert unit_price(Decimal("100.00"), Decimal("3")) == Decimal("33.33")
    assert unit_price(Decimal("10.00"), Decimal("0.125")) == Decimal("80.00")


def test_changed_terms_names_the_fields_that_differ_in_form_order() -> None:
    before = make_terms()
    after = DealTerms(**{**vars_of(before), "amount": Decimal("110000.00"), "note": "Bigger order"})
    assert changed_terms(before, after) == ("amount", "note")
    assert changed_terms(before, before) == ()


def vars_of(terms: DealTerms) -> dict[str, object]:
    return {name: getattr(terms, name) for name in DealTerms.__slots__}


async def _returned(uow: ApprovalUnitOfWork) -> None:
    await submit(uow, requester_id=ROB, terms=make_terms(), policy=POLICY, now=MONDAY_10)
    for actor, decision, comment in (
        (SUE, Decision.approve, None),
        (SAM, Decision.return_for_changes, "Lower the discount"),
    ):
        step = next(
            s for s in uow.steps.of_request(1, uow.requests[1].round) if s.status.value == "pending"
        )
        await decide(
            uow,
            step_id=step.id,
            actor_id=actor,
            decision=decision,
            comment=comment,
            policy=POLICY,
            now=MONDAY_10 + HOUR,
        )


async def test_a_resubmitted_card_shows_what_changed_since_the_round_before() -> None:
    uow = approval_world()
    await _returned(uow)
    uow.clear_outbox()
    terms = make_terms(discount=Decimal("8.50"), payment_terms="30 days")

    await resubmit(
        uow, request_id=1, actor_id=ROB, terms=terms, policy=POLICY, now=MONDAY_10 + 2 * HOUR
    )

    assert uow.requests[1].previous_terms == make_terms()
    card = uow.last_to(SUE, "approval_card").params
    assert card["changes"] == [
        {"field": "discount", "before": "12.00", "after": "8.50"},
        {"field": "payment_terms", "before": None, "after": "30 days"},
    ]
    assert (card["net_amount"], card["unit_price"]) == ("109800.00", "1098.00")


async def test_a_first_round_card_lists_no_changes() -> None:
    uow = approval_world()
    await submit(uow, requester_id=ROB, terms=make_terms(), policy=POLICY, now=MONDAY_10)
    card = uow.last_to(SUE, "approval_card").params
    assert card["changes"] == []
    assert (card["net_amount"], card["unit_price"]) == ("105600.00", "1056.00")
