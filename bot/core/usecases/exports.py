"""Exports (issue 14): the target-customer table (目标客户基本信息情况统计表), the visit log,
the contract ledger (合同台帐), collections and ageing, and a commission sheet, as rows a
spreadsheet is made of.

Each is read in the reader's sight only, by the rule of the screen it comes from: customers
and visits as /customer shows them (a rep their own, a manager their subtree's), the ledger
as /contract (`ledger.READERS`), collections as the monthly analysis (`collection_report`),
a commission sheet as its screen. Rows are read set-based, a batch at a time by key, never a
query per row, and at most MAX_ROWS of them: a bigger export says it was cut."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Generic, TypeVar

from bot.core.collection_analysis import CollectionFigures, MonthWindow, contract_figures
from bot.core.contracts import Contract, ContractStatus
from bot.core.customers import CustomerLine, Visit
from bot.core.errors import NotAllowed
from bot.core.models import Person
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.roles import SALES_LINE
from bot.core.usecases import collection_report, commission_chain, ledger
from bot.core.usecases.commission_view import SheetView
from bot.core.usecases.customer_register import visible_owner_ids
from bot.core.usecases.guards import active_person

# Policy-free: what one chat document can sensibly hold (a workbook of this size is ~10 MB,
# well under Telegram's 50 MB for a bot's document).
MAX_ROWS = 100_000
BATCH = 1_000
# The sales line keeps the customer register (customer service reads only what it was handed).
CUSTOMER_EXPORTERS = SALES_LINE
LEDGER_STATUSES = frozenset({ContractStatus.in_force, ContractStatus.closed})
T = TypeVar("T")
K = TypeVar("K")


class ExportKind(StrEnum):
    customers = "customers"
    visits = "visits"
    ledger = "ledger"
    collections = "collections"


PERIODIC = frozenset({ExportKind.visits, ExportKind.collections})


@dataclass(frozen=True, slots=True)
class Period:
    first: date
    last: date

    @classmethod
    def of(cls, one: date, other: date) -> Period:
        return cls(min(one, other), max(one, other))


@dataclass(frozen=True, slots=True)
class Export(Generic[T]):
    """The rows, the names of the people and customers they name, and whether MAX_ROWS cut
    them."""

    rows: tuple[T, ...]
    people: dict[int, str]
    customers: dict[int, str]
    truncated: bool


@dataclass(frozen=True, slots=True)
class ContractCollection:
    """One contract's collections over the period and its overdue money by age on `as_of`."""

    contract: Contract
    figures: CollectionFigures


async def export_kinds(uow: UnitOfWork, actor_id: int) -> list[ExportKind]:
    """The tables this person may export, in the order they are offered."""
    actor = await active_person(uow, actor_id)
    allowed = {
        ExportKind.customers: actor.role in CUSTOMER_EXPORTERS,
        ExportKind.visits: actor.role in CUSTOMER_EXPORTERS,
        ExportKind.ledger: actor.role in ledger.READERS,
        ExportKind.collections: collection_report.may_analyse(actor),
    }
    return [kind for kind, ok in allowed.items() if ok]


async def _exporter(uow: UnitOfWork, actor_id: int, kind: ExportKind) -> Person:
    actor = await active_person(uow, actor_id)
    if kind not in await export_kinds(uow, actor.id):
        raise NotAllowed()
    return actor


async def _keyset(
    fetch: Callable[[K | None, int], Awaitable[Sequence[T]]], key: Callable[[T], K]
) -> tuple[list[T], bool]:
    """Batches after the last row's key until one comes short, at most MAX_ROWS rows."""
    found: list[T] = []
    after: K | None = None
    while True:
        batch = await fetch(after, min(BATCH, MAX_ROWS + 1 - len(found)))
        found += batch
        if len(found) > MAX_ROWS:
            return found[:MAX_ROWS], True
        if len(batch) < BATCH or not batch:
            return found, False
        after = key(batch[-1])


async def _names(uow: UnitOfWork) -> dict[int, str]:
    return {p.id: p.full_name for p in await uow.people.all()}


async def customer_table(uow: UnitOfWork, actor_id: int) -> Export[CustomerLine]:
    """The target-customer table: every customer in the actor's sight, oldest first."""
    actor = await _exporter(uow, actor_id, ExportKind.customers)
    owners = await visible_owner_ids(uow, actor)

    async def fetch(after: int | None, limit: int) -> Sequence[CustomerLine]:
        return await uow.customers.listing(owners, after_id=after or 0, limit=limit)

    lines, cut = await _keyset(fetch, lambda line: line.customer.id)
    return Export(tuple(lines), await _names(uow), {}, cut)


async def visit_log(uow: UnitOfWork, actor_id: int, period: Period) -> Export[Visit]:
    """The visits logged by the reps in the actor's sight in the period, by day."""
    actor = await _exporter(uow, actor_id, ExportKind.visits)
    reps = await visible_owner_ids(uow, actor)
    customers: dict[int, str] = {}

    async def fetch(after: tuple[date, int] | None, limit: int) -> Sequence[Visit]:
        batch = await uow.visits.logged(reps, period.first, period.last, after=after, limit=limit)
        customers.update(await uow.customers.names({v.customer_id for v in batch}))
        return batch

    visits, cut = await _keyset(fetch, lambda v: (v.visited_on, v.id))
    return Export(tuple(visits), await _names(uow), customers, cut)


async def ledger_export(uow: UnitOfWork, actor_id: int, today: date) -> Export[ledger.LedgerRow]:
    """The contract ledger as /contract lists it (in force and closed, newest first), with
    the same figures: `ledger.with_figures` and `ledger.ledger_rows` per batch."""
    actor = await _exporter(uow, actor_id, ExportKind.ledger)
    owners = await ledger.ledger_scope(uow, actor)

    async def fetch(after: int | None, limit: int) -> Sequence[ledger.LedgerRow]:
        contracts = await uow.contracts.ledger(
            owner_ids=owners, statuses=LEDGER_STATUSES, below_id=after, limit=limit
        )
        return await ledger.ledger_rows(uow, await ledger.with_figures(uow, contracts, today))

    rows, cut = await _keyset(fetch, lambda row: row.contract.id)
    return Export(tuple(rows), {}, {}, cut)


def collection_window(period: Period, today: date) -> MonthWindow:
    """The period read as the monthly analysis reads a month: overdue as of the day after
    its last day, or today while it is still running."""
    return MonthWindow(period.first, period.last, min(period.last + timedelta(days=1), today))


async def collections_export(
    uow: UnitOfWork, actor_id: int, period: Period, today: date, policy: Policy
) -> Export[ContractCollection]:
    """Per contract: due, applied and received in the period, and the overdue money in the
    ageing buckets of `collection_analysis` (the same figures as the monthly analysis);
    contracts with nothing due, received or overdue are left out."""
    actor = await _exporter(uow, actor_id, ExportKind.collections)
    scope = collection_report.scope_of(actor, await uow.people.all())
    window = collection_window(period, today)
    pairs = await collection_report.collectable_money(uow, scope, window, policy)
    figured = [(c, contract_figures(m, window)) for c, m in pairs]
    rows = [ContractCollection(c, f) for c, f in figured if not f.empty]
    shown = rows[:MAX_ROWS]
    customers = await uow.customers.names({r.contract.customer_id for r in shown})
    return Export(tuple(shown), await _names(uow), customers, len(rows) > MAX_ROWS)


async def commission_export(
    uow: UnitOfWork, actor_id: int, sheet_id: int, policy: Policy
) -> SheetView:
    """A filed commission sheet, for whoever may open its screen, with every payment it
    names: the screen's view reads the month's payments not yet on a live sheet, which once
    the sheet is filed leaves out its own; they are read here by their contracts, at once."""
    view = (
        await commission_chain.sheet_screen(
            uow, actor_id=actor_id, sheet_id=sheet_id, policy=policy
        )
    ).view
    named = {i for line in view.sheet.lines for i in line.payment_ids} | set(view.sheet.excluded)
    by_contract = await uow.payments.for_contracts(list(view.contracts))
    found = {p.id: p for paid in by_contract.values() for p in paid if p.id in named}
    return replace(view, payments={**view.payments, **found})
