"""Logging visits, and each rep's morning list of follow-ups."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime, timedelta

from bot.core.calendar import local
from bot.core.customer_rules import (
    Intent,
    VisitKind,
    check_coordinates,
    check_follow_up,
    check_visit_date,
    distance_m,
)
from bot.core.customers import Customer, CustomerStatus, Visit, VisitDraft
from bot.core.deals import InputProblem
from bot.core.models import AuditEntry, Notification, Person
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.usecases.customer_register import register_keeper, visible_customer
from bot.core.usecases.guards import active_person

ON_SITE = (VisitKind.first, VisitKind.revisit)


def _distance(customer: Customer, draft: VisitDraft) -> float | None:
    if None in (customer.latitude, customer.longitude, draft.latitude, draft.longitude):
        return None
    return distance_m(customer.latitude, customer.longitude, draft.latitude, draft.longitude)  # type: ignore[arg-type]


async def distance_from_customer(
    uow: UnitOfWork,
    *,
    actor_id: int,
    customer_id: int,
    latitude: float,
    longitude: float,
    policy: Policy,
) -> tuple[float | None, bool]:
    """How far a shared location is from the customer's known one, and whether that is far
    enough to be marked: told to the rep before saving, so a wrong pin can be fixed first."""
    customer = await visible_customer(uow, actor_id, customer_id)
    check_coordinates(latitude, longitude)
    if customer.latitude is None or customer.longitude is None:
        return None, False
    distance = distance_m(customer.latitude, customer.longitude, latitude, longitude)
    return distance, distance > policy.visits.radius_m


async def log_visit(
    uow: UnitOfWork, *, actor_id: int, draft: VisitDraft, policy: Policy, now: datetime
) -> Visit:
    """A visit far from the customer's known location is flagged, never refused: the rep may
    have met the buyer elsewhere. Medium or high intent on a prospect sends the customer file to
    the supervisor for registration (seed E4)."""
    actor = await active_person(uow, actor_id)
    customer = await visible_customer(uow, actor_id, draft.customer_id)
    _check_codes(draft)
    check_visit_date(draft.visited_on, local(now, policy).date(), policy.visits.backdate_days)
    if draft.next_follow_up is not None:
        check_follow_up(draft.next_follow_up, draft.visited_on)
    if draft.latitude is not None and draft.longitude is not None:
        check_coordinates(draft.latitude, draft.longitude)
    distance = _distance(customer, draft)
    far = distance is not None and distance > policy.visits.radius_m
    visit = await uow.visits.add(draft, rep_id=actor.id, now=now, distance_m=distance, far=far)
    await uow.customers.save(_after_visit(customer, draft))
    if Intent(draft.intent).asks_for_registration and customer.status is CustomerStatus.prospect:
        keeper = await _register_keeper_of(uow, customer, actor)
        if keeper is not None and keeper.id != actor.id:
            params = _file(customer, draft, actor.full_name)
            await uow.outbox.add(Notification(keeper.id, "customer_file", params), now)
    await uow.audit.add(AuditEntry("visit_logged", actor.id, now, f"customer:{customer.id}"))
    await uow.commit()
    return visit


async def _register_keeper_of(uow: UnitOfWork, customer: Customer, actor: Person) -> Person | None:
    """The file goes to whoever keeps the register for the customer's owner (the visitor may be
    the owner's supervisor, or a colleague standing in); nobody is sent their own visit."""
    people = list(await uow.people.all())
    owner = next((p for p in people if p.id == customer.owner_id), actor)
    return register_keeper(owner, people)


def _check_codes(draft: VisitDraft) -> None:
    """Kind and intent come from buttons; a forged value is refused here, not stored."""
    if draft.kind not in VisitKind.__members__ or draft.intent not in Intent.__members__:
        raise InputProblem("bad_choice")


def _after_visit(customer: Customer, draft: VisitDraft) -> Customer:
    """The latest visit sets the next follow-up; the first on-site location becomes the
    customer's location when none was known."""
    latest = customer.last_visit_on is None or draft.visited_on >= customer.last_visit_on
    updated = replace(
        customer,
        last_visit_on=draft.visited_on if latest else customer.last_visit_on,
        next_follow_up=draft.next_follow_up if latest else customer.next_follow_up,
    )
    if (
        customer.latitude is None
        and draft.latitude is not None
        and VisitKind(draft.kind) in ON_SITE
    ):
        updated = replace(updated, latitude=draft.latitude, longitude=draft.longitude)
    return updated


def _file(customer: Customer, draft: VisitDraft, rep: str) -> dict[str, object]:
    return {
        "customer_id": customer.id,
        "name": customer.name,
        "contact": customer.contact_name,
        "phone": customer.phone,
        "industry": customer.industry,
        "region": customer.region,
        "rep": rep,
        "intent": draft.intent,
        "outcome": draft.outcome,
        "next_step": draft.next_step,
    }


async def _planned_today(
    uow: UnitOfWork, rep_ids: list[int], today: date
) -> dict[int, list[Customer]]:
    """Visits the reps put in this week's plan for today."""
    planned: dict[int, list[Customer]] = defaultdict(list)
    monday = today - timedelta(days=today.weekday())
    for plan in await uow.plans.of_reps(rep_ids, monday):
        for item in plan.items:
            customer = await uow.customers.get(item.customer_id) if item.day == today else None
            if customer is not None and customer.is_open:
                planned[plan.rep_id].append(customer)
    return planned


def _entry(customer: Customer, today: date, *, planned: bool) -> dict[str, object]:
    due = customer.next_follow_up
    return {
        "customer_id": customer.id,
        "name": customer.name,
        "due": due.isoformat() if due else None,
        "overdue": bool(due and due < today),
        "planned": planned,
    }


async def send_follow_ups(uow: UnitOfWork, *, policy: Policy, now: datetime) -> int:
    """One morning message per rep: follow-ups due today and overdue, and the visits planned
    for today in the weekly plan; never one message per customer."""
    today = local(now, policy).date()
    due: dict[int, list[Customer]] = defaultdict(list)
    for customer in await uow.customers.follow_ups_due(today):
        due[customer.owner_id].append(customer)
    reps = [p.id for p in await uow.people.all() if p.active]
    planned = await _planned_today(uow, reps, today)
    sent = 0
    for owner_id in sorted(set(due) | set(planned)):
        owner = await uow.people.get(owner_id)
        if owner is None or not owner.active:
            continue
        planned_ids = {c.id for c in planned[owner_id]}
        items = [_entry(c, today, planned=c.id in planned_ids) for c in due[owner_id]]
        seen = {c.id for c in due[owner_id]}
        items += [_entry(c, today, planned=True) for c in planned[owner_id] if c.id not in seen]
        if not await uow.digests.claim(owner_id, "followups", today):
            continue
        await uow.outbox.add(Notification(owner_id, "followups_digest", {"items": items}), now)
        sent += 1
    await uow.commit()
    return sent
