"""Finding a contract by what people have at hand: its number on a bank slip or a task, or
the customer's name (issue 12, items 8–9)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from bot.core.contracts import Contract, ContractStatus
from bot.core.deals import clean_text
from bot.core.ports import UnitOfWork

SEARCH_MAX = 50
FOUND_MAX = 20


@dataclass(frozen=True, slots=True)
class ContractFile:
    """A contract with the names shown beside it."""

    contract: Contract
    customer_name: str
    owner_name: str


async def contract_files(uow: UnitOfWork, contracts: Sequence[Contract]) -> list[ContractFile]:
    names = await uow.customers.names({c.customer_id for c in contracts})
    owners = {p.id: p.full_name for p in await uow.people.by_ids({c.owner_id for c in contracts})}
    return [
        ContractFile(c, names.get(c.customer_id, "—"), owners.get(c.owner_id, "—"))
        for c in contracts
    ]


async def found_contracts(
    uow: UnitOfWork,
    text: str,
    statuses: Collection[ContractStatus],
    owner_ids: Collection[int] | None = None,
) -> list[ContractFile]:
    """The contracts matching the typed words (at most 50 characters), newest first."""
    words = clean_text(text, limit=SEARCH_MAX)
    found = await uow.contracts.find(words, statuses=statuses, owner_ids=owner_ids, limit=FOUND_MAX)
    return await contract_files(uow, found)
