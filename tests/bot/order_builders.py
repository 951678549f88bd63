"""A deal taken to a contract in force in the seeded demo database, straight through the
repositories: for the tests of what comes after the contract (ledger, production, delivery,
payments, work orders), which need one without replaying every form before it.

The demo's people by record id: 4 Liu Yang (sales manager), 5 Chen Jing (supervisor), 6 Zhao
Lei (rep), 7 Sun Li (rep), 8 Zhou Min (accountant), 9 Wu Hua (sales desk), 10 Qian Hong
(finance VP), 11 He Ping (customer service), 3 Zhang Wei (marketing VP), 2 Wang Fang (GM)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from feed import Fed

from bot.core.contract_terms import ContractLine, Instalment, PaymentSchedule
from bot.core.contracts import Contract, ContractDraft, ContractStatus, approved, cosigned
from bot.core.orders import DealStage, Deposit, PaymentMethod, Reservation
from bot.core.payments import PaymentDraft

SALES_MANAGER_ID, REP_ID, ACCOUNTANT_ID, DESK_ID = 4, 6, 8, 9
SIGNED = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
LINES = (
    ContractLine("Steel pipes DN50", Decimal(100), Decimal("1000.00"), Decimal(10)),
    ContractLine("Flanges", Decimal(50), Decimal("240.00"), None),
)  # 90,000.00 + 12,000.00 = 102,000.00
SCHEDULE = PaymentSchedule(
    Decimal("20000.00"),
    (
        Instalment(date(2026, 12, 31), Decimal("50000.00")),
        Instalment(date(2027, 1, 31), Decimal("32000.00")),
    ),
)


async def contract_in_force(
    fed: Fed, *, customer_id: int = 1, number: str = "HT-2026-0001"
) -> Contract:
    """Zhao Lei's customer, reserved, its ¥20,000.00 deposit in, and a contract for 100 pipes
    and 50 flanges (¥102,000.00: deposit plus two instalments, Dec 31 and Jan 31) approved,
    signed by the sales manager and co-signed by the accountant."""
    async with fed.uow() as uow:
        deal = await uow.deals.open(
            customer_id=customer_id, owner_id=REP_ID, request_id=None, now=SIGNED
        )
        for seen, to in (
            (DealStage.negotiating, DealStage.reserved),
            (DealStage.reserved, DealStage.deposit_paid),
            (DealStage.deposit_paid, DealStage.contracted),
        ):
            assert await uow.deals.move(deal.id, seen, to, SIGNED)
        await uow.deals.reserve(
            deal.id, Reservation(Decimal(102000), Decimal(20000), "page", True, SIGNED)
        )
        await uow.deals.add_deposit(
            deal.id,
            Deposit(
                Decimal(20000),
                SIGNED.date(),
                PaymentMethod.bank_transfer,
                "SJ-0001",
                None,
                ACCOUNTANT_ID,
                SIGNED,
            ),
        )
        draft = ContractDraft(deal.id, customer_id, REP_ID, LINES, SCHEDULE, date(2026, 12, 20))
        contract = await uow.contracts.apply(draft, filed_by=DESK_ID, now=SIGNED)
        signed = approved(contract, number=number, signed_by=SALES_MANAGER_ID, now=SIGNED)
        assert await uow.contracts.save(signed, expected=ContractStatus.applied)
        in_force = cosigned(signed, by=ACCOUNTANT_ID, now=SIGNED)
        assert await uow.contracts.save(in_force, expected=ContractStatus.awaiting_cosign)
        await uow.commit()
    return in_force


async def record_payment(
    fed: Fed, amount: Decimal, reference: str | None = None, contract_id: int = 1
) -> None:
    """A bank transfer against the contract, recorded by the accountant on the signing day."""
    async with fed.uow() as uow:
        await uow.payments.add(
            PaymentDraft(
                contract_id, amount, SIGNED.date(), PaymentMethod.bank_transfer, reference
            ),
            recorded_by=ACCOUNTANT_ID,
            now=SIGNED,
        )
        await uow.commit()
