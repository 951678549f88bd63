"""A contract in force in the fake world, for the tests of payments and work orders: Rob's
customer Acme Trading, its deposit of 3,000.00 received, a contract of 10,000.00 (deposit
3,000, then 4,000 due 2026-12-01 and 3,000 due 2027-01-01). Besides the standard organisation
and Cat (customer service): Dee at the sales desk (under Sam) and Dan, customer service too."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from fakes import ACE, ROB, SAM, make_person
from routine_fakes import RoutineUnitOfWork, make_customer, routine_world

from bot.core.contract_terms import ContractLine, Instalment, PaymentSchedule
from bot.core.contracts import ContractDraft, ContractStatus, approved, cosigned
from bot.core.orders import DealStage, Deposit, PaymentMethod
from bot.core.roles import Role

DEE, DAN = 12, 13
NOW = datetime(2026, 11, 23, 2, tzinfo=UTC)
TODAY = date(2026, 11, 23)
SCHEDULE = PaymentSchedule(
    Decimal(3000),
    (Instalment(date(2026, 12, 1), Decimal(4000)), Instalment(date(2027, 1, 1), Decimal(3000))),
)


async def contract_world(
    *, deposit: Decimal | None = Decimal(3000), stage: DealStage = DealStage.contracted
) -> tuple[RoutineUnitOfWork, int]:
    """The world and the contract's id, everything committed and the outbox empty."""
    uow = routine_world(make_customer(1, ROB, "Acme Trading"))
    for person in (
        make_person(id=DEE, full_name="Dee", role=Role.sales_desk, reports_to=SAM),
        make_person(id=DAN, full_name="Dan", role=Role.customer_service, reports_to=SAM),
    ):
        uow.people.rows[person.id] = person
    deal = await uow.deals.open(customer_id=1, owner_id=ROB, request_id=None, now=NOW)
    uow.deals.rows = [replace(deal, stage=stage)]
    if deposit is not None:
        await uow.deals.add_deposit(
            deal.id,
            Deposit(deposit, TODAY, PaymentMethod.cash, "SJ-1", None, ACE, NOW),
        )
    line = ContractLine("Pump P-100", Decimal(10), Decimal("1000.00"))
    draft = ContractDraft(deal.id, 1, ROB, (line,), SCHEDULE, date(2026, 12, 15))
    contract = await uow.contracts.apply(draft, filed_by=DEE, now=NOW)
    signed = approved(contract, number="HT-2026-0007", signed_by=SAM, now=NOW)
    await uow.contracts.save(signed, expected=ContractStatus.applied)
    await uow.contracts.save(cosigned(signed, by=ACE, now=NOW), expected=signed.status)
    uow.baseline()
    return uow, contract.id
