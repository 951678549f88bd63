"""Who acts on a contract's production and delivery (seed rules 6 and 8): the signers found up
the rep's line, who files the papers, who may look; and a contract with what is shown beside it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from bot.core.contracts import Contract
from bot.core.deliveries import DeliveryNote
from bot.core.errors import NotFound
from bot.core.models import Person
from bot.core.orders import may_file
from bot.core.org import holding, line_above
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.roles import Role

People = Mapping[int, Person]
# Roles that keep the ledger or answer for the company: they see every contract.
OFFICE = frozenset(
    {Role.sales_desk, Role.accountant, Role.finance_vp, Role.general_manager, Role.admin}
)
# Who books a delivery: finance (会计), against the customer's signed copy.
BOOKS = frozenset({Role.accountant})


async def org(uow: UnitOfWork) -> dict[int, Person]:
    return {p.id: p for p in await uow.people.all()}


def signers(role: Role, owner_id: int, people: People) -> list[Person]:
    """The nearest active holder of `role` up the rep's reports_to line; when the line has
    none (a small company, a rep placed elsewhere), every active holder of the role: the paper
    waits for someone who can sign it, never for nobody."""
    for person in line_above(owner_id, people):
        if person.active and person.role is role:
            return [person]
    return holding(people.values(), role)


def is_signer(actor: Person, role: Role, owner_id: int, people: People) -> bool:
    return actor.id in {p.id for p in signers(role, owner_id, people)}


def filers(owner_id: int, people: People, policy: Policy) -> list[Person]:
    """Who files a contract's order papers (`orders.may_file`): the sales desk, and the rep
    when the policy, or a desk nobody holds, says so."""
    return [p for p in people.values() if p.active and files_for(p, owner_id, people, policy)]


def files_for(actor: Person, owner_id: int, people: People, policy: Policy) -> bool:
    staffed = any(p.active and p.role is Role.sales_desk for p in people.values())
    return may_file(actor, owner_id, policy.orders.filed_by, staffed)


def may_see(actor: Person, contract: Contract, people: People, policy: Policy) -> bool:
    """The rep, anyone above them, the office, and the contract's signers."""
    if actor.id == contract.owner_id or actor.role in OFFICE:
        return True
    if actor.id in {p.id for p in line_above(contract.owner_id, people)}:
        return True
    roles = (policy.contracts.production_signer, Role.sales_manager)
    return any(is_signer(actor, role, contract.owner_id, people) for role in roles)


def ids(people: Iterable[Person], *, but: int | None = None) -> list[int]:
    return list(dict.fromkeys(p.id for p in people if p.id != but))


@dataclass(frozen=True, slots=True)
class ContractFile:
    """A contract with its customer's and rep's names and, per line, what its notes (not
    cancelled) deliver."""

    contract: Contract
    customer_name: str
    owner_name: str
    delivered: tuple[Decimal, ...]

    @property
    def remaining(self) -> tuple[Decimal, ...]:
        return tuple(
            line.quantity - done
            for line, done in zip(self.contract.lines, self.delivered, strict=True)
        )

    @property
    def to_deliver(self) -> bool:
        return any(left > 0 for left in self.remaining)


async def contract_files(
    uow: UnitOfWork, contracts: Sequence[Contract], people: People
) -> list[ContractFile]:
    names = await uow.customers.names({c.customer_id for c in contracts})
    delivered = await uow.deliveries.delivered([c.id for c in contracts])
    return [
        ContractFile(
            contract=c,
            customer_name=names.get(c.customer_id, "—"),
            owner_name=people[c.owner_id].full_name if c.owner_id in people else "—",
            delivered=delivered.get(c.id, tuple(Decimal(0) for _ in c.lines)),
        )
        for c in contracts
    ]


async def seen_contract(
    uow: UnitOfWork, actor: Person, contract_id: int, people: People, policy: Policy
) -> Contract:
    """The contract, if the actor may look at it; anyone else's id names nothing."""
    contract = await uow.contracts.get(contract_id)
    if contract is None or not may_see(actor, contract, people, policy):
        raise NotFound(what="contract")
    return contract


@dataclass(frozen=True, slots=True)
class NoteFile:
    """A delivery note with its contract and the names printed on it."""

    note: DeliveryNote
    file: ContractFile
    filed_by: str
    signed_by: str | None
    booked_by: str | None


def note_file(note: DeliveryNote, file: ContractFile, people: People) -> NoteFile:
    def name(person_id: int | None) -> str | None:
        person = people.get(person_id) if person_id is not None else None
        return person.full_name if person else None

    return NoteFile(
        note, file, name(note.filed_by) or "—", name(note.signed_by), name(note.booked_by)
    )
