"""The monthly collection analysis as managers get it: pushed on the month's first working day
for the month just closed, and on demand for last month or this month so far.

Seed rule 5: sales and finance analyse collections monthly. The sales line (supervisor, sales
manager, marketing VP) sees its own subtree's contracts; the general manager and finance
(finance VP, accountant) the company's. The push goes to the managers and the finance VP;
the accountant, who reconciles the ledger each month, reads it on demand."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from bot.core.calendar import (
    at_local,
    last_month,
    local,
    monthly_job_due,
)
from bot.core.collection_analysis import (
    CollectionAnalysis,
    CollectionFigures,
    ContractMoney,
    Figured,
    MonthWindow,
    Ranked,
    analyse,
    figured,
    month_window,
    summed,
)
from bot.core.contracts import Contract
from bot.core.errors import NotAllowed
from bot.core.models import Notification, Person
from bot.core.org import line_above, subtree_ids
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.roles import Role
from bot.core.usecases.guards import active_person

SUBTREE_ANALYSTS = frozenset({Role.supervisor, Role.sales_manager, Role.marketing_vp})
PUSHED_TO = SUBTREE_ANALYSTS | {Role.general_manager, Role.finance_vp}
ANALYSTS = PUSHED_TO | {Role.accountant}
DIGEST_KIND = "collections_month"
TEMPLATE = "collection_analysis"
CHART_TEMPLATE = "collection_chart"  # the picture beside it, drawn at send time from its params


def may_analyse(person: Person) -> bool:
    return person.active and person.role in ANALYSTS


def scope_of(person: Person, people: Iterable[Person]) -> set[int] | None:
    """The owners whose contracts the person analyses; None: everyone's."""
    if person.role in SUBTREE_ANALYSTS:
        return subtree_ids(person.id, people)
    if person.role in ANALYSTS:
        return None
    raise NotAllowed()


def _receipts(
    contract: Contract,
    payments: Mapping[int, Sequence[tuple[date, Decimal]]],
    deposits: Mapping[int, tuple[date, Decimal]],
) -> tuple[tuple[date, Decimal], ...]:
    paid = payments.get(contract.id, [])
    deposit = deposits.get(contract.deal_id)
    return tuple([deposit, *paid] if deposit else paid)


async def contracts_money(
    uow: UnitOfWork, owner_ids: Collection[int] | None, window: MonthWindow, policy: Policy
) -> list[ContractMoney]:
    """The contracts money may be owed or paid on in the month, with their dated receipts:
    three reads (contracts with their terms, payments, deposits) whatever their number."""
    return [money for _c, money in await collectable_money(uow, owner_ids, window, policy)]


async def collectable_money(
    uow: UnitOfWork, owner_ids: Collection[int] | None, window: MonthWindow, policy: Policy
) -> list[tuple[Contract, ContractMoney]]:
    """`contracts_money`, each beside its contract (for what names it: number, customer)."""
    contracts = await uow.contracts.collectable(
        owner_ids=owner_ids, closed_since=at_local(window.first, time(0), policy)
    )
    if not contracts:
        return []
    payments = await uow.payments.receipts([c.id for c in contracts])
    deposits = await uow.deals.deposit_receipts({c.deal_id for c in contracts})
    return [
        (
            c,
            ContractMoney(
                c.id, c.owner_id, c.customer_id, c.schedule, _receipts(c, payments, deposits)
            ),
        )
        for c in contracts
    ]


@dataclass(frozen=True, slots=True)
class CollectionReport:
    analysis: CollectionAnalysis
    people: Mapping[int, str]  # names of the reps
    customers: Mapping[int, str]  # names of the customers shown

    def params(self) -> dict[str, Any]:
        """The report as its template reads it (decimals as strings, days as ISO text)."""
        window = self.analysis.window
        return {
            "month": window.first.isoformat()[:7],
            "as_of": window.as_of.isoformat(),
            "closed": window.as_of > window.last,
            "total": _figures(self.analysis.total),
            "reps": _ranked(self.analysis.reps, self.people),
            "customers": _ranked(self.analysis.customers, self.customers),
        }


def _figures(figures: CollectionFigures) -> dict[str, Any]:
    rate = figures.rate
    return {
        "due": str(figures.due),
        "applied": str(figures.applied),
        "received": str(figures.received),
        "rate": None if rate is None else str(rate),
        "overdue": str(figures.overdue),
        "late": figures.overdue > 0,
        "ageing": [str(amount) for amount in figures.ageing],
    }


def _ranked(ranked: Ranked, names: Mapping[int, str]) -> dict[str, Any]:
    return {
        "top": [{"name": names.get(key, "—"), **_figures(f)} for key, f in ranked.top],
        "rest": _figures(ranked.rest) if ranked.rest_count else None,
        "rest_count": ranked.rest_count,
    }


async def _named(
    uow: UnitOfWork, analyses: Sequence[CollectionAnalysis], people: Mapping[int, str]
) -> list[CollectionReport]:
    shown = {key for a in analyses for key, _f in a.customers.top}
    customers = await uow.customers.names(shown) if shown else {}
    return [CollectionReport(a, people, customers) for a in analyses]


async def collection_report(
    uow: UnitOfWork, actor_id: int, *, this_month: bool, policy: Policy, now: datetime
) -> CollectionReport:
    """The analysis on demand: last month, closed, or this month so far, in the actor's scope."""
    actor = await active_person(uow, actor_id)
    people = list(await uow.people.all())
    scope = scope_of(actor, people)
    today = local(now, policy).date()
    window = month_window(today if this_month else last_month(today), today)
    money = await contracts_money(uow, scope, window, policy)
    names = {p.id: p.full_name for p in people}
    return (await _named(uow, [analyse(money, window)], names))[0]


def _readers_above(owner_ids: Iterable[int], people: Mapping[int, Person]) -> dict[int, set[int]]:
    """Per owner, the sales-line analysts whose subtree holds them (themselves included)."""
    return {
        owner: {
            p.id for p in [people[owner], *line_above(owner, people)] if p.role in SUBTREE_ANALYSTS
        }
        for owner in owner_ids
        if owner in people
    }


def _by_reader(
    recipients: Sequence[Person], figures: Sequence[Figured], people: Mapping[int, Person]
) -> dict[int, list[Figured]]:
    """Each recipient's contracts: the company's for the general manager and finance, their
    subtree's for the sales line; a contract is looked at once per manager above its owner,
    never once per manager and contract."""
    above = _readers_above({m.owner_id for m, _f in figures}, people)
    found: dict[int, list[Figured]] = {p.id: [] for p in recipients}
    for pair in figures:
        for reader in above.get(pair[0].owner_id, set()) & found.keys():
            found[reader].append(pair)
    return {p.id: found[p.id] if p.role in SUBTREE_ANALYSTS else list(figures) for p in recipients}


async def send_collection_analysis(uow: UnitOfWork, *, policy: Policy, now: datetime) -> int:
    """On the month's first working day each manager and the finance VP get last month's
    analysis for their scope, once (claimed per person and month in the same transaction as
    the message), its text and then its chart. One read of the company's contracts serves every recipient; a recipient
    whose scope had nothing due, received or overdue gets nothing. A worker down that day
    catches up within the month's first MONTHLY_CATCH_UP_DAYS days (the claims keep it once); later
    the analysis would be stale news, and the job would read the company every day for it."""
    today = local(now, policy).date()
    if not monthly_job_due(today, policy):
        return 0
    window = month_window(last_month(today), today)
    people = {p.id: p for p in await uow.people.all()}
    recipients = [p for p in people.values() if p.active and p.role in PUSHED_TO]
    if not recipients:
        return 0
    figures = figured(await contracts_money(uow, None, window, policy), window)
    analyses = {
        pid: summed(mine, window) for pid, mine in _by_reader(recipients, figures, people).items()
    }
    wanted = [pid for pid, a in analyses.items() if not a.total.empty]
    claimed = await uow.digests.claim_many(wanted, DIGEST_KIND, window.first)
    sent = [pid for pid in wanted if pid in claimed]
    names = {p.id: p.full_name for p in people.values()}
    reports = await _named(uow, [analyses[pid] for pid in sent], names)
    await uow.outbox.add_many(
        [
            Notification(pid, template, report.params())
            for pid, report in zip(sent, reports, strict=True)
            for template in (TEMPLATE, CHART_TEMPLATE)
        ],
        now,
    )
    await uow.commit()
    return len(sent)
