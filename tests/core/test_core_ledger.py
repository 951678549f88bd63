"""The contract ledger (合同台帐) as each role sees it: whose contracts, the filters, paging,
and the card with its figures; another person's contract reads as a missing one."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from fakes import ACE, ADA, FAY, GUS, MIA, ROB, SAM, SID, SUE, make_person
from routine_fakes import CAT, RoutineUnitOfWork, make_customer, routine_world
from test_core_contracts import NOW, make_contract

from bot.core.contracts import ContractStatus
from bot.core.errors import NotAllowed, NotFound
from bot.core.orders import Deposit, PaymentMethod
from bot.core.payments import Mark, PaymentDraft
from bot.core.roles import Role
from bot.core.usecases.ledger import (
    PAGE_SIZE,
    LedgerFilter,
    LedgerQuery,
    contract_file,
    ledger_page,
    ledger_reps,
)

D = Decimal
RAY = 8  # Sid's rep (fakes.make_org)
DESK, STRANGER = 12, 99
TODAY = date(2026, 12, 15)  # the first instalment (4,000 due 12-01) is past due
ACME, BLUE = 1, 2


async def world() -> RoutineUnitOfWork:
    """Rob's contract 1 with Acme (deposit 3,000 in, nothing paid: 4,000 overdue since 12-01),
    Ray's contract 2 with Blue Valve (deposit and first instalment paid), Rob's closed 3."""
    uow = routine_world(
        make_customer(ACME, ROB, "Acme Pumps"), make_customer(BLUE, RAY, "Blue Valve Works")
    )
    uow.people.rows[DESK] = make_person(id=DESK, full_name="Dee", role=Role.sales_desk)
    for deal_id, customer, owner in ((1, ACME, ROB), (2, BLUE, RAY), (3, ACME, ROB)):
        await uow.deals.open(customer_id=customer, owner_id=owner, request_id=None, now=NOW)
        await uow.deals.add_deposit(deal_id, deposit())
    for number, (customer, owner, status) in enumerate(
        ((ACME, ROB, ContractStatus.in_force), (BLUE, RAY, ContractStatus.in_force)), 1
    ):
        add(uow, number, customer, owner, status)
    add(uow, 3, ACME, ROB, ContractStatus.closed)
    await uow.payments.add(
        PaymentDraft(2, D(4000), date(2026, 11, 30), PaymentMethod.bank_transfer, "B-1"),
        recorded_by=ACE,
        now=NOW,
    )
    uow.baseline()
    return uow


def deposit() -> Deposit:
    return Deposit(D(3000), NOW.date(), PaymentMethod.cash, "SJ-1", None, ACE, NOW)


def add(uow: RoutineUnitOfWork, contract_id: int, customer: int, owner: int, status: Any) -> None:
    uow.contracts.rows[contract_id] = make_contract(
        id=contract_id,
        deal_id=min(contract_id, 3),
        customer_id=customer,
        owner_id=owner,
        status=status,
        number=f"HT-2026-{contract_id:04d}",
        signed_by=SAM,
        signed_at=NOW,
        cosigned_by=ACE,
        cosigned_at=NOW,
    )


async def listed(uow: RoutineUnitOfWork, who: int, **query: Any) -> list[int]:
    page = await ledger_page(uow, who, LedgerQuery(**query), TODAY)
    return [row.contract.id for row in page.rows]


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        pytest.param(ROB, [1], id="the rep: their own"),
        pytest.param(RAY, [2], id="another rep: theirs"),
        pytest.param(SUE, [1], id="the rep's supervisor"),
        pytest.param(SID, [2], id="another supervisor"),
        pytest.param(SAM, [2, 1], id="the sales manager"),
        pytest.param(MIA, [2, 1], id="the marketing VP"),
        pytest.param(DESK, [2, 1], id="the sales desk"),
        pytest.param(ACE, [2, 1], id="the accountant"),
        pytest.param(FAY, [2, 1], id="the finance VP"),
        pytest.param(GUS, [2, 1], id="the general manager"),
        pytest.param(ADA, [2, 1], id="the admin"),
    ],
)
async def test_each_role_sees_the_contracts_in_its_sight(who: int, sees: list[int]) -> None:
    uow = await world()
    assert await listed(uow, who) == sees
    for contract_id in (1, 2):
        if contract_id in sees:
            assert (await contract_file(uow, who, contract_id, TODAY)).contract.id == contract_id
        else:
            with pytest.raises(NotFound) as refused:
                await contract_file(uow, who, contract_id, TODAY)
            with pytest.raises(NotFound) as missing:
                await contract_file(uow, who, 999, TODAY)
            assert refused.value.code == missing.value.code
            assert refused.value.details == missing.value.details


async def test_customer_service_has_no_ledger_and_a_stranger_is_unknown() -> None:
    uow = await world()
    with pytest.raises(NotAllowed):
        await ledger_page(uow, CAT, LedgerQuery(), TODAY)
    with pytest.raises(NotAllowed):
        await contract_file(uow, CAT, 1, TODAY)
    with pytest.raises(NotFound):
        await ledger_page(uow, STRANGER, LedgerQuery(), TODAY)
    assert uow.committed == 0


@pytest.mark.parametrize(
    ("query", "sees"),
    [
        pytest.param({}, [2, 1], id="open by default"),
        pytest.param({"filter": LedgerFilter.overdue}, [1], id="overdue"),
        pytest.param({"filter": LedgerFilter.closed}, [3], id="closed"),
        pytest.param({"customer": "acme"}, [1], id="by customer, part of the name"),
        pytest.param({"customer": "nobody"}, [], id="no customer matches"),
        pytest.param({"owner_id": RAY}, [2], id="by rep"),
        pytest.param({"owner_id": RAY, "filter": LedgerFilter.overdue}, [], id="both"),
    ],
)
async def test_the_filters(query: dict[str, Any], sees: list[int]) -> None:
    assert await listed(await world(), ACE, **query) == sees


async def test_by_rep_stays_within_the_managers_sight() -> None:
    uow = await world()
    assert await listed(uow, SUE, owner_id=RAY) == []
    assert [p.id for p in await ledger_reps(uow, SUE)] == [ROB, SUE]
    assert {ROB, RAY, SUE, SID, SAM} == {p.id for p in await ledger_reps(uow, ACE)}
    assert await ledger_reps(uow, ROB) == []


async def test_the_overdue_flag_and_figures_on_the_rows() -> None:
    page = await ledger_page(await world(), GUS, LedgerQuery(), TODAY)
    by_id = {row.contract.id: row for row in page.rows}
    assert (by_id[1].overdue, by_id[2].overdue) == (True, False)
    assert by_id[1].figures.overdue == D(4000)
    assert by_id[2].figures.collected == D(7000)
    assert (by_id[1].customer_name, by_id[1].owner_name) == ("Acme Pumps", "Rob")


async def test_the_ledger_pages_newest_first_eight_at_a_time() -> None:
    uow = await world()
    for contract_id in range(10, 30):  # 20 more of Rob's, in force
        add(uow, contract_id, ACME, ROB, ContractStatus.in_force)
    first = await ledger_page(uow, ROB, LedgerQuery(), TODAY)
    third = await ledger_page(uow, ROB, LedgerQuery(page=2), TODAY)
    assert [r.contract.id for r in first.rows] == list(range(29, 29 - PAGE_SIZE, -1))
    assert (first.has_prev, first.has_next) == (False, True)
    assert [r.contract.id for r in third.rows] == [13, 12, 11, 10, 1]
    assert (third.has_prev, third.has_next) == (True, False)


async def test_overdue_pages_over_the_figures() -> None:
    uow = await world()
    for contract_id in range(10, 30):  # every other one paid on time
        add(uow, contract_id, ACME, ROB, ContractStatus.in_force)
        if contract_id % 2:
            await uow.payments.add(
                PaymentDraft(contract_id, D(4000), TODAY, PaymentMethod.cash),
                recorded_by=ACE,
                now=NOW,
            )
    first = await ledger_page(uow, ROB, LedgerQuery(LedgerFilter.overdue), TODAY)
    second = await ledger_page(uow, ROB, LedgerQuery(LedgerFilter.overdue, page=1), TODAY)
    assert [r.contract.id for r in first.rows] == [28, 26, 24, 22, 20, 18, 16, 14]
    assert first.has_next
    assert [r.contract.id for r in second.rows] == [12, 10, 1]
    assert not second.has_next


async def test_the_ledger_reads_each_kind_of_record_once_whatever_the_rows() -> None:
    uow = await world()
    for contract_id in range(10, 30):
        add(uow, contract_id, ACME, ROB, ContractStatus.in_force)
    calls: list[str] = []

    def counted(name: str, read: Any) -> Any:
        async def call(*args: Any, **kw: Any) -> Any:
            calls.append(name)
            return await read(*args, **kw)

        return call

    async def per_row(*_args: Any, **_kw: Any) -> Any:
        raise AssertionError("a read per row")

    uow.payments.for_contract = per_row  # type: ignore[method-assign]
    uow.deals.get = per_row  # type: ignore[method-assign]
    for repo, name in (
        (uow.contracts, "ledger"),
        (uow.payments, "for_contracts"),
        (uow.deliveries, "delivered"),
        (uow.deals, "deposits"),
        (uow.customers, "names"),
        (uow.people, "by_ids"),
    ):
        setattr(repo, name, counted(name, getattr(repo, name)))
    uow.invoices.for_contracts = counted("invoices", uow.invoices.for_contracts)  # type: ignore[method-assign]
    page = await ledger_page(uow, GUS, LedgerQuery(), TODAY)
    assert len(page.rows) == PAGE_SIZE
    assert sorted(calls) == [
        "by_ids",
        "delivered",
        "deposits",
        "for_contracts",
        "invoices",
        "ledger",
        "names",
    ]


async def test_the_card_marks_the_schedule_and_names_the_people() -> None:
    uow = await world()
    card = await contract_file(uow, SUE, 1, TODAY)
    assert [s.mark for s in card.schedule] == [Mark.paid, Mark.overdue, Mark.open]
    assert (card.figures.overdue, card.figures.overdue_since) == (D(4000), date(2026, 12, 1))
    assert (card.figures.collected, card.figures.outstanding) == (D(3000), D(7000))
    assert card.deposit is not None
    assert card.deposit.receipt_no == "SJ-1"
    assert (card.name(card.contract.signed_by), card.name(card.contract.cosigned_by)) == (
        "Sam",
        "Ace",
    )
    assert card.customer_name == "Acme Pumps"

    paid = await contract_file(uow, RAY, 2, TODAY)
    assert [s.mark for s in paid.schedule] == [Mark.paid, Mark.paid, Mark.open]
    part = await contract_file(uow, RAY, 2, TODAY + timedelta(days=30))
    assert part.schedule[2].mark is Mark.overdue


async def test_a_part_paid_instalment_not_yet_due() -> None:
    uow = await world()
    await uow.payments.add(
        PaymentDraft(1, D(1500), TODAY, PaymentMethod.cash), recorded_by=ACE, now=NOW
    )
    card = await contract_file(uow, ROB, 1, date(2026, 11, 30))
    assert [s.mark for s in card.schedule] == [Mark.paid, Mark.part_paid, Mark.open]
    assert card.schedule[1].covered == D(1500)
