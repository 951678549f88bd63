"""Away and delegate: while an approver is away, new and open steps go to their delegate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from bot.core.approvals import DeciderChange, Delegation
from bot.core.errors import InvalidChange, NotAllowed, NotFound
from bot.core.models import AuditEntry, Notification, Person
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.routing import approvers_after, may_decide_for, trusted_deputy
from bot.core.usecases.approval_views import card_params, load_view, load_views, with_credit
from bot.core.usecases.approvals import ROUTED_KINDS, step_ref
from bot.core.usecases.guards import active_person


@dataclass(frozen=True, slots=True)
class DelegateChoice:
    delegate: Person
    # The delegate already decides after the person in the chain of the requests the person
    # decides: while the delegation lasts, one person would decide two steps of one request.
    decides_after: bool


def _may_stand_in(candidate: Person, person: Person, policy: Policy) -> bool:
    return (
        candidate.active
        and candidate.manages
        and candidate.id != person.id
        and may_decide_for(candidate.role, person.role, policy, ROUTED_KINDS)
    )


async def delegate_candidates(uow: UnitOfWork, person_id: int, policy: Policy) -> list[Person]:
    """Active people in a managing role, other than the person, whose role may decide every
    approval the person's role decides (`routing.may_decide_for`)."""
    person = await active_person(uow, person_id)
    return [p for p in await uow.people.all() if _may_stand_in(p, person, policy)]


async def choose_delegate(
    uow: UnitOfWork, person_id: int, delegate_id: int, policy: Policy
) -> DelegateChoice:
    """The delegate the person picked, checked as `set_away` will check them, and whether they
    already decide after the person in the chain (the form warns; the person may go on)."""
    person = await active_person(uow, person_id)
    if not person.manages:
        raise NotAllowed(action="delegate")
    people = {p.id: p for p in await uow.people.all()}
    delegate = people.get(delegate_id)
    if delegate is None or not delegate.active or delegate.id == person_id:
        raise NotFound(what="person")
    if not _may_stand_in(delegate, person, policy):
        raise NotAllowed(action="delegate_to")
    after = {p.id for p in approvers_after(person_id, people, policy, ROUTED_KINDS)}
    return DelegateChoice(delegate, delegate_id in after)


async def away_periods(
    uow: UnitOfWork, person_id: int, now: datetime
) -> list[tuple[Delegation, str]]:
    """The person's own away periods not over yet, each with the delegate's name."""
    person = await active_person(uow, person_id)
    names = {p.id: p.full_name for p in await uow.people.all()}
    periods = await uow.delegations.upcoming(person.id, now)
    return [(d, names.get(d.delegate_id, "—")) for d in periods]


async def set_away(
    uow: UnitOfWork,
    *,
    person_id: int,
    delegate_id: int,
    starts_at: datetime,
    ends_at: datetime,
    policy: Policy,
    now: datetime,
) -> Delegation:
    await choose_delegate(uow, person_id, delegate_id, policy)
    if ends_at <= starts_at or ends_at <= now:
        raise InvalidChange("window")
    delegation = await uow.delegations.add(
        person_id=person_id, delegate_id=delegate_id, starts_at=starts_at, ends_at=ends_at, now=now
    )
    if delegation.covers(now):
        await _hand_over(uow, person_id, delegate_id, policy, now)
    await uow.audit.add(
        AuditEntry("delegated", person_id, now, f"person:{person_id}", comment=f"to:{delegate_id}")
    )
    await uow.commit()
    return delegation


async def _hand_over(
    uow: UnitOfWork, person_id: int, delegate_id: int | None, policy: Policy, now: datetime
) -> None:
    """Open steps follow the delegation: the new decider gets the card. A step that moved to
    a stand-in stays with them, and so does a step of a kind that does not trust the delegate
    (`trusted_deputy`)."""
    delegate = await uow.people.get(delegate_id) if delegate_id is not None else None
    for step in await uow.steps.open_of_approver(person_id):
        if step.moved:
            continue
        request = await uow.requests.get(step.request_id)
        kind = request.kind if request is not None else ""
        if delegate is not None and not trusted_deputy(delegate.role, step.role, kind, policy):
            continue
        moved = replace(step, acting_id=delegate_id)
        await uow.steps.save(moved)
        params = card_params(await load_view(uow, step.request_id), moved)
        await uow.outbox.add(
            Notification(moved.decider_id, "approval_card", params, ref=step_ref(step.id)), now
        )


async def cancel_away(
    uow: UnitOfWork, *, person_id: int, delegation_id: int, now: datetime
) -> None:
    current = await uow.delegations.current(person_id, now)
    upcoming = {d.id for d in await uow.delegations.upcoming(person_id, now)}
    if delegation_id not in upcoming:
        raise NotFound(what="delegation")
    await uow.delegations.cancel(delegation_id)
    if current is not None and current.id == delegation_id:
        await _hand_over(uow, person_id, None, Policy(), now)  # back to the approver
    await uow.audit.add(AuditEntry("delegation_cancelled", person_id, now, f"person:{person_id}"))
    await uow.commit()


async def follow_delegations(uow: UnitOfWork, *, policy: Policy, now: datetime) -> int:
    """Open steps follow delegations as their windows start and end: the deciding person is
    always the approver's current delegate, else the approver (unless the step moved to a
    stand-in: then it stays with them, or its kind does not trust the delegate: then it stays
    with the approver); a new decider gets the card.
    Only the steps that disagree are read, and each change is conditional, so two sweeps at
    once move a step (and send its card) once."""
    stale = await uow.steps.stale_deciders(now)
    changes = await _trusted(uow, stale, policy)
    moved = await uow.steps.change_deciders(changes)
    views = await load_views(uow, {c.step.request_id for c in changes if c.step.id in moved})
    views = await with_credit(uow, views, now, policy) if views else views
    cards = []
    for change in changes:
        if change.step.id in moved:
            step = replace(change.step, acting_id=change.acting_id)
            params = card_params(views[step.request_id], step)
            cards.append(
                Notification(step.decider_id, "approval_card", params, ref=step_ref(step.id))
            )
    await uow.outbox.add_many(cards, now)
    return len(cards)


async def _trusted(
    uow: UnitOfWork, stale: Sequence[DeciderChange], policy: Policy
) -> list[DeciderChange]:
    """The changes to make: back to the approver always; to a delegate only where the step's
    kind trusts them (two reads, however many steps)."""
    handed = [c for c in stale if c.acting_id is not None]
    if not handed:
        return list(stale)
    kinds = {r.id: r.kind for r in await uow.requests.by_ids({c.step.request_id for c in handed})}
    deputies = {p.id: p.role for p in await uow.people.by_ids({c.acting_id or 0 for c in handed})}
    return [
        c
        for c in stale
        if c.acting_id is None
        or (
            c.acting_id in deputies
            and trusted_deputy(
                deputies[c.acting_id], c.step.role, kinds.get(c.step.request_id, ""), policy
            )
        )
    ]
