"""The daily collections sweep (issue 13, points 1–2): instalments due soon and overdue are told
to the rep and their manager, and a contract overdue too long is flagged for legal follow-up.

Idempotent like the deadline sweep: each telling is claimed with a unique row, and the legal
flag set with a compare-and-set, in the same transaction as the messages they cause; a second
run sends nothing. In quiet hours or on a day off it neither sends nor claims anything, so the
next run catches up."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from bot.core.calendar import in_quiet_hours, local
from bot.core.collection_dues import DueItem, DueKind, due_items, legal_due
from bot.core.collections import days_late
from bot.core.contracts import Contract, ContractStatus
from bot.core.deals import to_cent
from bot.core.models import AuditEntry, Notification, Person
from bot.core.org import holding, line_above
from bot.core.payments import LedgerFigures
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.roles import Role
from bot.core.usecases.credit import contracts_with_figures

# A message lists this many items; the rest are counted, so it fits 4,096 characters.
LISTED = 10
IN_FORCE = frozenset({ContractStatus.in_force})


async def sweep_collections(uow: UnitOfWork, *, policy: Policy, now: datetime) -> int:
    """Tell what is due and overdue, flag what goes to legal; returns the messages queued."""
    if in_quiet_hours(now, policy):
        return 0
    today = local(now, policy).date()
    rules = policy.collections
    horizon = today + timedelta(days=rules.due_soon_days + 1)
    contracts: dict[int, Contract] = {}
    items: list[DueItem] = []
    legal: dict[int, dict[str, Any]] = {}
    async for batch in contracts_with_figures(uow, today, statuses=IN_FORCE, due_before=horizon):
        for contract, figures in batch:
            found = due_items(contract, figures.collected, today, rules)
            flag = contract.legal_flagged_at is None and _legal(figures, today, policy)
            if found or flag:
                contracts[contract.id] = contract
            items += found
            if flag:
                legal[contract.id] = _late_params(figures, today)
    claimed = await uow.collection_claims.claim_many(items, now)
    told = [item for item in items if item.key in claimed]
    flagged = sorted(await uow.contracts.flag_legal(legal, now))
    messages = await _messages(uow, told, {i: legal[i] for i in flagged}, contracts, now)
    await uow.outbox.add_many(messages, now)
    await uow.audit.add_many(
        [AuditEntry("legal_flagged", None, now, f"contract:{i}") for i in flagged]
    )
    await uow.commit()
    return len(messages)


def _legal(figures: LedgerFigures, today: date, policy: Policy) -> bool:
    return legal_due(figures.overdue_since, today, policy.collections)


def _late_params(figures: LedgerFigures, today: date) -> dict[str, Any]:
    since = figures.overdue_since
    return {
        "overdue": str(to_cent(figures.overdue)),
        "days": days_late(since, today) if since else 0,
    }


async def _messages(
    uow: UnitOfWork,
    told: Sequence[DueItem],
    flagged: Mapping[int, dict[str, Any]],
    contracts: Mapping[int, Contract],
    now: datetime,
) -> list[Notification]:
    if not told and not flagged:
        return []
    people = {p.id: p for p in await uow.people.all()}
    names = await uow.customers.names({contracts[i].customer_id for i in contracts})

    def line(contract_id: int, extra: Mapping[str, Any]) -> dict[str, Any]:
        contract = contracts[contract_id]
        owner = people.get(contract.owner_id)
        return {
            "contract_id": contract_id,
            "number": contract.number or f"#{contract_id}",
            "customer": names.get(contract.customer_id, "—"),
            "owner_id": contract.owner_id,
            "owner": owner.full_name if owner else "—",
            **extra,
        }

    dues: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for item in told:
        for person_id in _rep_and_manager(contracts[item.contract_id].owner_id, people):
            dues[person_id].append(line(item.contract_id, _due_params(item)))
    cases: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for contract_id, late in flagged.items():
        for person_id in _legal_managers(contracts[contract_id].owner_id, people):
            cases[person_id].append(line(contract_id, late))
    return [_bundle(pid, "collections_due", lines, now) for pid, lines in sorted(dues.items())] + [
        _bundle(pid, "collections_legal", lines, now) for pid, lines in sorted(cases.items())
    ]


def _due_params(item: DueItem) -> dict[str, Any]:
    return {
        "kind": item.kind.value,
        "due": item.due.isoformat(),
        "unpaid": str(to_cent(item.unpaid)),
        "days": item.days,
        "again": item.kind is DueKind.overdue and item.stage > 0,
    }


def _bundle(
    person_id: int, template: str, lines: list[dict[str, Any]], now: datetime
) -> Notification:
    """One message per person and sweep: the most overdue first, LISTED of them shown."""
    ordered = sorted(lines, key=lambda p: (p.get("kind") != "overdue", -p.get("days", 0)))
    return Notification(
        person_id,
        template,
        {
            "items": ordered[:LISTED],
            "more": max(len(ordered) - LISTED, 0),
            "count": len(ordered),
            "recipient": person_id,
        },
        ref=f"{template}:{now.date().isoformat()}",
    )


def _rep_and_manager(owner_id: int, people: Mapping[int, Person]) -> list[int]:
    """The contract's owner and whom they report to, those still active."""
    owner = people.get(owner_id)
    told = [owner_id, owner.reports_to if owner else None]
    return [i for i in dict.fromkeys(told) if i is not None and (p := people.get(i)) and p.active]


def _legal_managers(owner_id: int, people: Mapping[int, Person]) -> list[int]:
    """The active sales managers above the owner; none in the line: every active one; a
    company without one: its general manager, so a case for court never goes unheard."""
    above = [
        p.id for p in line_above(owner_id, people) if p.role is Role.sales_manager and p.active
    ]
    return above or _ids(people, Role.sales_manager) or _ids(people, Role.general_manager)


def _ids(people: Mapping[int, Person], role: Role) -> list[int]:
    return sorted(p.id for p in holding(people.values(), role))
