"""The Saturday meeting pack for a manager's team, read set-based (a fixed number of statements
whatever the number of reps), and the manager's training topic for the coming meeting."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from bot.core.calendar import local
from bot.core.collections import days_late
from bot.core.contracts import ContractStatus
from bot.core.customers import Visit
from bot.core.deals import clean_text, net_amount, to_cent
from bot.core.errors import NotAllowed, NotFound
from bot.core.meeting import (
    TOPIC_MAX,
    KeyVisit,
    MeetingPack,
    OpenDeal,
    OverdueMoney,
    PlannedVisit,
    RepPack,
    coming_meeting,
    meeting_at,
)
from bot.core.models import Person
from bot.core.orders import Deal
from bot.core.org import subtree_ids
from bot.core.plans import WeeklyPlan, is_late, plan_versus_actual, planning_week
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.usecases.credit import contracts_with_figures
from bot.core.usecases.guards import active_person
from bot.core.usecases.targets import team_reps

WEEKS_KEPT = 53  # a pack message's button opens its week's pack for a year


@dataclass(frozen=True, slots=True)
class _TeamData:
    """Everything the packs of these reps read, in one go."""

    plans: dict[int, WeeklyPlan]  # next week's
    reported: dict[int, WeeklyPlan]  # this week's, reported on at the meeting
    visits: dict[int, list[Visit]]
    deals: dict[int, list[Deal]]
    deal_amounts: dict[int, Decimal]
    overdue: dict[int, list[OverdueMoney]]
    customers: dict[int, str]


async def _overdue(
    uow: UnitOfWork, rep_ids: Collection[int], today: date
) -> tuple[dict[int, list[tuple[int, str, Decimal, int]]], set[int]]:
    """Per rep: (customer, contract number, overdue amount, days late) of each contract in
    force with money overdue today, most overdue first."""
    found: dict[int, list[tuple[int, str, Decimal, int]]] = defaultdict(list)
    async for batch in contracts_with_figures(
        uow, today, statuses={ContractStatus.in_force}, owner_ids=rep_ids, due_before=today
    ):
        for contract, figures in batch:
            if figures.overdue > 0 and figures.overdue_since is not None:
                late = days_late(figures.overdue_since, today)
                found[contract.owner_id].append(
                    (contract.customer_id, contract.number or "—", figures.overdue, late)
                )
    for lines in found.values():
        lines.sort(key=lambda line: (-line[3], -line[2]))
    return found, {c for lines in found.values() for c, *_rest in lines}


async def _read(uow: UnitOfWork, reps: Sequence[Person], week: date, today: date) -> _TeamData:
    ids = [r.id for r in reps]
    reported_week = week - timedelta(days=7)
    plans = {p.rep_id: p for p in await uow.plans.of_reps(ids, week)}
    reported = {p.rep_id: p for p in await uow.plans.of_reps(ids, reported_week)}
    visits: dict[int, list[Visit]] = defaultdict(list)
    for visit in await uow.visits.of_reps_between(ids, reported_week, week - timedelta(days=1)):
        visits[visit.rep_id].append(visit)
    deals: dict[int, list[Deal]] = defaultdict(list)
    open_deals = await uow.deals.open_of_owners(ids)
    for deal in open_deals:
        deals[deal.owner_id].append(deal)
    amounts = await _deal_amounts(uow, open_deals)
    overdue, owing = await _overdue(uow, ids, today)
    customer_ids = {
        *(i.customer_id for p in (*plans.values(), *reported.values()) for i in p.items),
        *(v.customer_id for found in visits.values() for v in found),
        *(d.customer_id for d in open_deals),
        *owing,
    }
    names = await uow.customers.names(customer_ids) if customer_ids else {}
    return _TeamData(
        plans,
        reported,
        visits,
        deals,
        amounts,
        {
            rep: [
                OverdueMoney(number, names.get(c, "—"), amount, late)
                for c, number, amount, late in lines
            ]
            for rep, lines in overdue.items()
        },
        names,
    )


async def _deal_amounts(uow: UnitOfWork, deals: Sequence[Deal]) -> dict[int, Decimal]:
    """A deal's amount: its signed reservation's, else its approved terms' net amount."""
    amounts = {d.id: d.reservation.amount for d in deals if d.reservation is not None}
    wanted = {d.request_id for d in deals if d.id not in amounts and d.request_id is not None}
    if wanted:
        terms = {r.id: net_amount(r.terms) for r in await uow.requests.by_ids(wanted)}
        for deal in deals:
            if deal.id not in amounts and deal.request_id in terms:
                amounts[deal.id] = terms[deal.request_id]
    return amounts


def _status(plan: WeeklyPlan | None, policy: Policy) -> str:
    if plan is None or not plan.submitted:
        return "missing"
    return "late" if is_late(plan, policy) else "submitted"


def _rep_pack(rep: Person, data: _TeamData, policy: Policy) -> RepPack:
    name = data.customers.get
    reported = data.reported.get(rep.id)
    items = reported.items if reported else []
    result = plan_versus_actual(items, data.visits.get(rep.id, []))
    plan = data.plans.get(rep.id)
    return RepPack(
        rep_id=rep.id,
        name=rep.full_name,
        status=_status(plan, policy),
        planned=[
            PlannedVisit(i, name(i.customer_id, "—"), result.fulfilled_by.get(i.id))
            for i in sorted(items, key=lambda i: (i.day, i.id))
        ],
        unplanned=[(v, name(v.customer_id, "—")) for v in result.unplanned],
        key_visits=[KeyVisit(i, name(i.customer_id, "—")) for i in plan.items]
        if plan is not None and plan.submitted
        else [],
        deals=[
            OpenDeal(name(d.customer_id, "—"), d.stage, data.deal_amounts.get(d.id), d.stage_at)
            for d in data.deals.get(rep.id, [])
        ],
        overdue=data.overdue.get(rep.id, []),
    )


async def rep_packs(
    uow: UnitOfWork, reps: Sequence[Person], week: date, policy: Policy, now: datetime
) -> dict[int, RepPack]:
    """Each rep's part of the pack for the meeting before `week`: about ten statements for the
    whole company (plans, items, visits, deals, terms, contracts and their figures, names)."""
    if not reps:
        return {}
    data = await _read(uow, reps, week, local(now, policy).date())
    return {rep.id: _rep_pack(rep, data, policy) for rep in reps}


def assemble(
    manager: Person,
    team: Sequence[Person],
    packs: dict[int, RepPack],
    week: date,
    topic: str | None,
    policy: Policy,
) -> MeetingPack:
    reps = sorted((packs[r.id] for r in team), key=lambda p: (p.name, p.rep_id))
    return MeetingPack(week, manager.full_name, meeting_at(week, policy), topic, reps)


async def _manager(uow: UnitOfWork, actor_id: int) -> tuple[Person, list[Person]]:
    """The actor and the reps of their team; a person who manages no rep may not read a pack."""
    actor = await active_person(uow, actor_id)
    if not actor.manages:
        raise NotAllowed(action="meeting_pack")
    return actor, await team_reps(uow, actor_id)


async def meeting_pack(
    uow: UnitOfWork, *, actor_id: int, policy: Policy, now: datetime, week: date | None = None
) -> MeetingPack:
    """The pack of the actor's team on demand (default: the week being planned now, as on
    Saturday's message); `week` from a pack message's button: a Monday of the last year, never
    later than now's, else NotFound."""
    actor, team = await _manager(uow, actor_id)
    current = planning_week(now, policy)
    if week is None:
        week = current
    elif week.weekday() or not current - timedelta(weeks=WEEKS_KEPT) <= week <= current:
        raise NotFound(what="meeting_pack")
    packs = await rep_packs(uow, team, week, policy, now)
    people = {p.id: p for p in await uow.people.all()}
    topic = topic_for(actor.id, await uow.meeting_topics.of_week(week), people)
    return assemble(actor, team, packs, week, topic, policy)


def topic_for(recipient_id: int, topics: dict[int, str], people: dict[int, Person]) -> str | None:
    """The meeting's training topic: the recipient's own; else one a manager below them set
    for their part of the team (a supervisor's), named, so a topic set below is not lost."""
    if recipient_id in topics:
        return topics[recipient_id]
    below = subtree_ids(recipient_id, people.values()) - {recipient_id}
    named = sorted((people[m].full_name, topic) for m, topic in topics.items() if m in below)
    return f"{named[0][0]}: {named[0][1]}" if named else None


@dataclass(frozen=True, slots=True)
class TopicView:
    week: date
    meeting: datetime
    topic: str | None


async def topic_view(uow: UnitOfWork, *, actor_id: int, policy: Policy, now: datetime) -> TopicView:
    actor, _team = await _manager(uow, actor_id)
    week = coming_meeting(now, policy)
    return TopicView(week, meeting_at(week, policy), await uow.meeting_topics.get(actor.id, week))


async def set_topic(
    uow: UnitOfWork, *, actor_id: int, topic: str | None, policy: Policy, now: datetime
) -> TopicView:
    """The manager's training topic for the coming meeting (capped, trimmed; None clears it).
    It can change until the meeting begins; after that it belongs to next week's."""
    actor, _team = await _manager(uow, actor_id)
    text = None if topic is None else clean_text(topic, limit=TOPIC_MAX)
    week = coming_meeting(now, policy)
    await uow.meeting_topics.set(actor.id, week, text, now)
    await uow.commit()
    return TopicView(week, meeting_at(week, policy), text)


def _cents(amount: Decimal) -> str:
    return str(to_cent(amount))


def summary_params(pack: MeetingPack) -> dict[str, Any]:
    """The short message's parameters (JSON for the outbox): the team's headline, one line
    per rep, the topic. Everything else is in the PDF."""
    reps = pack.reps
    return {
        "week": pack.week.isoformat(),
        "meeting": pack.meeting.isoformat(),
        "topic": pack.topic,
        "counts": {s: pack.count(s) for s in ("submitted", "late", "missing")},
        "done": sum(r.done for r in reps),
        "planned": sum(len(r.planned) for r in reps),
        "deals": sum(len(r.deals) for r in reps),
        "deals_amount": _cents(sum((r.deals_amount for r in reps), Decimal(0))),
        "overdue": _cents(sum((r.overdue_amount for r in reps), Decimal(0))),
        "reps": [
            {
                "name": r.name,
                "status": r.status,
                "next": len(r.key_visits),
                "done": r.done,
                "planned": len(r.planned),
                "completion": r.completion,
                "unplanned": len(r.unplanned),
                "deals": len(r.deals),
                "deals_amount": _cents(r.deals_amount),
                "overdue": _cents(r.overdue_amount),
                "days": r.most_days,
            }
            for r in reps
        ],
    }
