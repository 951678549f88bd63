"""Customers' money and credit standing, read set-based for any number of customers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection
from datetime import date

from bot.core.collections import receipts_of
from bot.core.contracts import Contract, ContractStatus
from bot.core.credit import ContractMoney, CreditInfo, contract_money, credit_info
from bot.core.payments import LedgerFigures
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.usecases.ledger import (
    STATUSES,
    ContractFile,
    LedgerQuery,
    ledger_reader,
    matching_customers,
    scope_owners,
    with_figures,
)

BATCH = 500
MONEY_STATUSES = frozenset({ContractStatus.in_force, ContractStatus.closed})


async def contracts_with_figures(
    uow: UnitOfWork,
    today: date,
    *,
    statuses: Collection[ContractStatus],
    customer_ids: Collection[int] | None = None,
    owner_ids: Collection[int] | None = None,
    due_before: date | None = None,
) -> AsyncIterator[list[tuple[Contract, LedgerFigures]]]:
    """The matching contracts with their figures, BATCH at a time: four reads a batch."""
    below: int | None = None
    while True:
        batch = await uow.contracts.ledger(
            customer_ids=customer_ids,
            owner_ids=owner_ids,
            statuses=statuses,
            due_before=due_before,
            limit=BATCH,
            below_id=below,
        )
        yield await with_figures(uow, batch, today)
        if len(batch) < BATCH:
            return
        below = batch[-1].id


async def credit_of(
    uow: UnitOfWork, customer_ids: Collection[int], today: date, policy: Policy
) -> dict[int, CreditInfo]:
    """Each customer's totals and standing over its contracts in force and closed (a customer
    without any is good, all zeros), in a fixed number of reads per 500 contracts."""
    ids = set(customer_ids)
    if not ids:
        return {}
    figures: dict[int, list[LedgerFigures]] = {i: [] for i in ids}
    async for batch in contracts_with_figures(
        uow, today, statuses=MONEY_STATUSES, customer_ids=ids
    ):
        for contract, found in batch:
            figures[contract.customer_id].append(found)
    return {i: credit_info(f, today, policy.collections) for i, f in figures.items()}


async def money_of(
    uow: UnitOfWork, file: ContractFile, today: date, policy: Policy
) -> ContractMoney:
    """The contract card's money lines: interest to date, the deduction, the customer's
    credit (one `credit_of` read)."""
    credit = await credit_of(uow, [file.contract.customer_id], today, policy)
    deposit = file.deposit
    receipts = receipts_of(
        (deposit.paid_on, deposit.amount) if deposit is not None else None, file.payments
    )
    return contract_money(
        file.contract,
        file.figures,
        receipts,
        credit[file.contract.customer_id],
        today,
        policy.collections,
    )


async def ledger_totals(
    uow: UnitOfWork, actor_id: int, query: LedgerQuery, today: date, policy: Policy
) -> CreditInfo | None:
    """The ledger filtered by customer, summed over every contract it lists (all pages, in the
    actor's sight) with the standing over them; None when no customer is typed or none
    matches."""
    actor = await ledger_reader(uow, actor_id)
    customers = await matching_customers(uow, query.customer)
    owners = await scope_owners(uow, actor, query.owner_id)
    if not customers or owners == set():
        return None
    figures: list[LedgerFigures] = []
    async for batch in contracts_with_figures(
        uow, today, statuses=STATUSES[query.filter], customer_ids=customers, owner_ids=owners
    ):
        figures += [found for _contract, found in batch]
    return credit_info(figures, today, policy.collections) if figures else None
