"""The contract ledger (合同台帐): the contracts in force and closed, with what was delivered,
collected and is overdue, and one contract's card (seed, rules 4–5).

Who sees which contracts: a rep the contracts they own; a manager in the sales line
(supervisor, sales manager, marketing VP) their subtree's; finance, the sales desk, the
general manager and the admin every contract, since they keep the ledger or answer for it.
Another person's contract reads as a missing one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from bot.core.contracts import Contract, ContractStatus
from bot.core.deliveries import DeliveryNote
from bot.core.errors import NotAllowed, NotFound
from bot.core.invoices import Invoice, InvoiceStatus, contract_balance
from bot.core.models import Person
from bot.core.orders import Deposit
from bot.core.org import subtree_ids
from bot.core.payments import LedgerFigures, Payment, ScheduleState, ledger_figures, schedule_states
from bot.core.ports import UnitOfWork
from bot.core.roles import Role
from bot.core.usecases.guards import active_person
from bot.core.work_orders import WorkOrder

SEES_ALL = frozenset(
    {
        Role.accountant,
        Role.finance_vp,
        Role.sales_desk,
        Role.general_manager,
        Role.admin,
    }
)
SEES_SUBTREE = frozenset({Role.supervisor, Role.sales_manager, Role.marketing_vp})
READERS = SEES_ALL | SEES_SUBTREE | {Role.rep}
# The people a contract may belong to: those who follow customers.
OWNER_ROLES = frozenset({Role.rep, Role.supervisor, Role.sales_manager})

PAGE_SIZE = 8
# "By customer" filters by the customers whose name matches what was typed, this many at most:
# a fragment that matches more is too vague to be what the person meant.
CUSTOMER_MATCHES = 200
# Overdue is money, not a column: the candidates (in force, an instalment due before today)
# are read newest first in batches and their figures computed, up to this many in all.
OVERDUE_BATCH = 100
OVERDUE_SCAN_MAX = 2000


class LedgerFilter(StrEnum):
    open = "open"  # in force
    overdue = "overdue"  # in force, with money overdue today
    closed = "closed"


STATUSES = {
    LedgerFilter.open: frozenset({ContractStatus.in_force}),
    LedgerFilter.overdue: frozenset({ContractStatus.in_force}),
    LedgerFilter.closed: frozenset({ContractStatus.closed}),
}


@dataclass(frozen=True, slots=True)
class LedgerQuery:
    filter: LedgerFilter = LedgerFilter.open
    customer: str | None = None  # part of a customer's name
    owner_id: int | None = None  # one rep's contracts
    page: int = 0


@dataclass(frozen=True, slots=True)
class LedgerRow:
    contract: Contract
    customer_name: str
    owner_name: str
    figures: LedgerFigures
    invoiced: Decimal = Decimal(0)  # the invoices issued on it

    @property
    def overdue(self) -> bool:
        return self.figures.overdue > 0


@dataclass(frozen=True, slots=True)
class LedgerPage:
    rows: tuple[LedgerRow, ...]
    page: int
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.page > 0


async def ledger_reader(uow: UnitOfWork, actor_id: int) -> Person:
    actor = await active_person(uow, actor_id)
    if actor.role not in READERS:
        raise NotAllowed()
    return actor


async def ledger_scope(uow: UnitOfWork, actor: Person) -> set[int] | None:
    """The owners whose contracts the actor sees; None: everyone's."""
    if actor.role in SEES_ALL:
        return None
    if actor.role in SEES_SUBTREE:
        return subtree_ids(actor.id, await uow.people.all())
    if actor.role is Role.rep:
        return {actor.id}
    raise NotAllowed()


async def ledger_reps(uow: UnitOfWork, actor_id: int) -> list[Person]:
    """Whom "By rep" offers: the people in the actor's sight who follow customers, by name;
    none for a rep, who sees only their own."""
    actor = await ledger_reader(uow, actor_id)
    if actor.role is Role.rep:
        return []
    scope = await ledger_scope(uow, actor)
    return sorted(
        (
            p
            for p in await uow.people.all()
            if p.active and p.role in OWNER_ROLES and (scope is None or p.id in scope)
        ),
        key=lambda p: (p.full_name.casefold(), p.id),
    )


async def ledger_page(
    uow: UnitOfWork, actor_id: int, query: LedgerQuery, today: date
) -> LedgerPage:
    """One page of the ledger, newest first: one ledger read (a few for Overdue), then the
    payments, deposits, deliveries, invoices, customers and people of the whole page at once."""
    actor = await ledger_reader(uow, actor_id)
    owners = await scope_owners(uow, actor, query.owner_id)
    customers = await matching_customers(uow, query.customer)
    if owners == set() or customers == set():
        return LedgerPage((), 0, False)
    page = max(query.page, 0)
    if query.filter is LedgerFilter.overdue:
        found = await _overdue(uow, owners, customers, today, (page + 1) * PAGE_SIZE + 1)
        found = found[page * PAGE_SIZE :]
    else:
        contracts = await uow.contracts.ledger(
            owner_ids=owners,
            customer_ids=customers,
            statuses=STATUSES[query.filter],
            limit=PAGE_SIZE + 1,  # one more tells whether a next page exists
            offset=page * PAGE_SIZE,
        )
        found = await with_figures(uow, contracts, today)
    return await _page(uow, found[:PAGE_SIZE], page, len(found) > PAGE_SIZE)


async def scope_owners(uow: UnitOfWork, actor: Person, owner_id: int | None) -> set[int] | None:
    scope = await ledger_scope(uow, actor)
    if owner_id is None:
        return scope
    return {owner_id} if scope is None or owner_id in scope else set()


async def matching_customers(uow: UnitOfWork, text: str | None) -> set[int] | None:
    if not text or not text.strip():
        return None
    everyone = [p.id for p in await uow.people.all()]
    found = await uow.customers.owned_by(everyone, text.strip(), limit=CUSTOMER_MATCHES)
    return {c.id for c in found}


async def _overdue(
    uow: UnitOfWork,
    owners: set[int] | None,
    customers: set[int] | None,
    today: date,
    wanted: int,
) -> list[tuple[Contract, LedgerFigures]]:
    found: list[tuple[Contract, LedgerFigures]] = []
    for offset in range(0, OVERDUE_SCAN_MAX, OVERDUE_BATCH):
        batch = await uow.contracts.ledger(
            owner_ids=owners,
            customer_ids=customers,
            statuses=STATUSES[LedgerFilter.overdue],
            due_before=today,
            limit=OVERDUE_BATCH,
            offset=offset,
        )
        found += [(c, f) for c, f in await with_figures(uow, batch, today) if f.overdue > 0]
        if len(found) >= wanted or len(batch) < OVERDUE_BATCH:
            break
    return found


async def with_figures(
    uow: UnitOfWork, contracts: Sequence[Contract], today: date
) -> list[tuple[Contract, LedgerFigures]]:
    """The contracts' ledger figures in three batch reads, whatever their number."""
    ids = [c.id for c in contracts]
    if not ids:
        return []
    payments = await uow.payments.for_contracts(ids)
    delivered = await uow.deliveries.delivered(ids)
    deposits = await uow.deals.deposits({c.deal_id for c in contracts})
    return [(c, _figures(c, payments.get(c.id, []), deposits, delivered, today)) for c in contracts]


def _figures(
    contract: Contract,
    payments: Sequence[Payment],
    deposits: dict[int, Decimal],
    delivered: dict[int, tuple[Decimal, ...]],
    today: date,
) -> LedgerFigures:
    quantities = delivered.get(contract.id) or tuple(Decimal(0) for _ in contract.lines)
    return ledger_figures(
        contract, payments, deposits.get(contract.deal_id, Decimal(0)), quantities, today
    )


async def _page(
    uow: UnitOfWork, found: Sequence[tuple[Contract, LedgerFigures]], page: int, has_next: bool
) -> LedgerPage:
    return LedgerPage(await ledger_rows(uow, found), page, has_next)


async def ledger_rows(
    uow: UnitOfWork, found: Sequence[tuple[Contract, LedgerFigures]]
) -> tuple[LedgerRow, ...]:
    """The contracts as the ledger lists them: with their customers', owners' names and what
    was invoiced, in three batch reads."""
    names = await uow.customers.names({c.customer_id for c, _f in found})
    people = await _names(uow, {c.owner_id for c, _f in found})
    invoiced = await _invoiced(uow, [c.id for c, _f in found])
    return tuple(
        LedgerRow(
            c,
            names.get(c.customer_id, "—"),
            people.get(c.owner_id, "—"),
            f,
            invoiced.get(c.id, Decimal(0)),
        )
        for c, f in found
    )


async def _invoiced(uow: UnitOfWork, contract_ids: list[int]) -> dict[int, Decimal]:
    if not contract_ids:
        return {}
    issued: dict[int, Decimal] = {}
    for i in await uow.invoices.for_contracts(contract_ids):
        if i.status is InvoiceStatus.issued:
            issued[i.contract_id] = issued.get(i.contract_id, Decimal(0)) + i.amount
    return issued


async def _names(uow: UnitOfWork, person_ids: set[int]) -> dict[int, str]:
    if not person_ids:
        return {}
    return {p.id: p.full_name for p in await uow.people.by_ids(person_ids)}


@dataclass(frozen=True, slots=True)
class ContractFile:
    """A contract's card: the contract with everything recorded against it."""

    contract: Contract
    customer_name: str
    names: dict[int, str]  # the people it names, by id
    figures: LedgerFigures
    schedule: tuple[ScheduleState, ...]
    deposit: Deposit | None  # the deposit as received, with its receipt
    payments: tuple[Payment, ...]
    notes: tuple[DeliveryNote, ...]
    work_orders: tuple[WorkOrder, ...]
    invoices: tuple[Invoice, ...] = ()  # issued (发票), oldest first

    @property
    def balance(self) -> Decimal | None:
        """The balance (合同余款) followed once invoiced, until paid."""
        return contract_balance(self.contract.amount, self.figures.collected, self.invoices)

    def name(self, person_id: int | None) -> str:
        return "—" if person_id is None else self.names.get(person_id, "—")


async def visible_contract(uow: UnitOfWork, actor_id: int, contract_id: int) -> Contract:
    """The contract, if it is in the actor's ledger; someone else's reads as missing."""
    actor = await ledger_reader(uow, actor_id)
    contract = await uow.contracts.get(contract_id)
    scope = await ledger_scope(uow, actor)
    if contract is None or (scope is not None and contract.owner_id not in scope):
        raise NotFound(what="contract")
    return contract


async def contract_file(
    uow: UnitOfWork, actor_id: int, contract_id: int, today: date
) -> ContractFile:
    contract = await visible_contract(uow, actor_id, contract_id)
    payments = tuple(await uow.payments.for_contract(contract.id))
    deal = await uow.deals.get(contract.deal_id)
    deposit = deal.deposit if deal is not None else None
    received = deposit.amount if deposit is not None else Decimal(0)
    delivered = await uow.deliveries.delivered([contract.id])
    figures = _figures(contract, payments, {contract.deal_id: received}, delivered, today)
    named = {
        contract.owner_id,
        contract.filed_by,
        contract.signed_by,
        contract.cosigned_by,
        contract.production_signed_by,
    }
    return ContractFile(
        contract=contract,
        customer_name=(await uow.customers.names([contract.customer_id])).get(
            contract.customer_id, "—"
        ),
        names=await _names(uow, {i for i in named if i is not None}),
        figures=figures,
        schedule=tuple(schedule_states(contract.schedule, figures.collected, today)),
        deposit=deposit,
        payments=payments,
        notes=tuple(await uow.deliveries.for_contract(contract.id)),
        work_orders=tuple(await uow.work_orders.for_contract(contract.id)),
        invoices=tuple(
            i
            for i in await uow.invoices.for_contract(contract.id)
            if i.status is InvoiceStatus.issued
        ),
    )
