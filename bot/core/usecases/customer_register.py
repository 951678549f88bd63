"""The customer register: registering with a duplicate check, the supervisor's confirm queue,
status changes, reassignment and handover, each kept with who and when."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime

from bot.core.approvals import ApprovalRequest, RequestStatus
from bot.core.customer_rules import check_draft, company_key
from bot.core.customers import (
    Customer,
    CustomerDraft,
    CustomerEvent,
    CustomerStatus,
    DuplicateHit,
    next_statuses,
)
from bot.core.errors import InvalidChange, NotAllowed, NotFound
from bot.core.models import AuditEntry, Notification, Person
from bot.core.orders import Deal
from bot.core.org import line_above, subtree_ids
from bot.core.pool import POOL_READERS
from bot.core.ports import UnitOfWork
from bot.core.roles import Role
from bot.core.usecases.guards import active_person


async def visible_owner_ids(uow: UnitOfWork, viewer: Person) -> set[int]:
    """A rep sees their own customers; a manager their subtree's; an admin everyone's."""
    people = list(await uow.people.all())
    if viewer.is_admin:
        return {p.id for p in people}
    return subtree_ids(viewer.id, people)


async def visible_customer(uow: UnitOfWork, actor_id: int, customer_id: int) -> Customer:
    """The customer, if the actor may see it; guessing another's id gives NotFound, not a leak."""
    actor = await active_person(uow, actor_id)
    customer = await uow.customers.get(customer_id)
    if customer is None or not await in_team_sight(uow, actor, customer):
        raise NotFound(what="customer")
    return customer


async def readable_customer(uow: UnitOfWork, actor_id: int, customer_id: int) -> Customer:
    """The customer, if the actor may read its card: everyone who sees it in the chain of
    command (`visible_customer`), the customer service person it was handed to, who
    serves it from then on (seed D2) without entering the sales line's register, and for a
    customer in the pool every sales person who may claim or assign it."""
    actor = await active_person(uow, actor_id)
    customer = await uow.customers.get(customer_id)
    if customer is None or not (
        customer.service_id == actor.id
        or (customer.pooled_at is not None and actor.role in POOL_READERS)
        or await in_team_sight(uow, actor, customer)
    ):
        raise NotFound(what="customer")
    return customer


async def find_duplicates(
    uow: UnitOfWork, *, actor_id: int, name: str, phone: str | None, exclude: int | None = None
) -> list[DuplicateHit]:
    """Same normalised phone or same company key anywhere in the company; the rep learns the
    owner even when the record itself is out of their sight, so two reps never chase one buyer.
    `exclude`: the customer being edited, which is no duplicate of itself."""
    actor = await active_person(uow, actor_id)
    visible = await visible_owner_ids(uow, actor)
    names = {p.id: p.full_name for p in await uow.people.all()}
    hits = []
    for customer in await uow.customers.matching(phone=phone, name_key=company_key(name)):
        if customer.id == exclude:
            continue
        pooled = customer.pooled_at is not None
        hits.append(
            DuplicateHit(
                customer=customer,
                owner_name="" if pooled else names.get(customer.owner_id, "—"),
                by_phone=bool(phone) and customer.phone == phone,
                visible=not pooled and customer.owner_id in visible,
                pooled=pooled,
            )
        )
    return hits


def register_keeper(person: Person, people: list[Person]) -> Person | None:
    """Who keeps the prospect register for this person: the nearest supervisor above, else the
    nearest manager (a small company may have no supervisor level)."""
    above = line_above(person.id, {p.id: p for p in people})
    active = [p for p in above if p.active]
    return next((p for p in active if p.role is Role.supervisor), active[0] if active else None)


async def register(
    uow: UnitOfWork,
    *,
    actor_id: int,
    draft: CustomerDraft,
    distinct_from: tuple[int, ...] = (),
    now: datetime,
) -> Customer:
    actor = await active_person(uow, actor_id)
    draft = check_draft(draft)
    customer = await uow.customers.add(
        name=draft.name,
        owner_id=actor.id,
        phone=draft.phone,
        now=now,
        draft=draft,
        name_key=company_key(draft.name),
    )
    await uow.customer_events.add(
        CustomerEvent(customer.id, "created", actor.id, now, to_status=customer.status.value)
    )
    await _declare_distinct(uow, customer, distinct_from, actor.id, now)
    people = list(await uow.people.all())
    keeper = register_keeper(actor, people)
    if keeper is not None:
        await _prospects_notice(uow, keeper, people, now)
    await uow.audit.add(AuditEntry("customer_registered", actor.id, now, f"customer:{customer.id}"))
    await uow.commit()
    return customer


async def _declare_distinct(
    uow: UnitOfWork, customer: Customer, others: tuple[int, ...], actor_id: int, now: datetime
) -> None:
    """The records the duplicate check showed and the person said were another company."""
    for other in others:
        await uow.customer_events.add(
            CustomerEvent(
                customer.id, "declared_distinct", actor_id, now, comment=f"customer:{other}"
            )
        )


PROSPECTS_SHOWN = 8  # on the keeper's message; /customer lists them all


def prospects_ref(keeper_id: int) -> str:
    return f"prospects:{keeper_id}"


async def _prospects_notice(
    uow: UnitOfWork,
    keeper: Person,
    people: Sequence[Person],
    now: datetime,
    settled: dict[str, str] | None = None,
    *,
    arrived: bool = True,
) -> None:
    """The keeper has one living message with the prospects waiting for their confirmation.
    A new prospect edits it when it went out within the bundle window (a burst reads "3
    prospects to confirm", not three messages), else it is sent anew at the foot of the chat;
    a confirmation or rejection edits it to say who settled what and what still waits. A
    prospect declared distinct from existing records names them, so the clash is checked."""
    waiting = await unconfirmed_prospects(uow, keeper.id)
    shown = sorted(waiting, key=lambda c: c.id)[:PROSPECTS_SHOWN]
    clashes = await uow.customer_events.declared_distinct([c.id for c in shown])
    clash_names = await uow.customers.names({i for ids in clashes.values() for i in ids})
    names = {p.id: p.full_name for p in people}
    params: dict[str, object] = {
        "count": len(waiting),
        "more": len(waiting) - len(shown),
        "waiting": [
            {
                "customer_id": c.id,
                "name": c.name,
                "owner": names.get(c.owner_id, "—"),
                "distinct_from": [clash_names.get(i, "—") for i in clashes.get(c.id, [])],
            }
            for c in shown
        ],
        "settled": settled,
    }
    notice = Notification(
        keeper.id,
        "prospect_to_confirm",
        params,
        ref=prospects_ref(keeper.id),
        edit=True,
        edit_only=settled is not None or not arrived,
    )
    await uow.outbox.add(notice, now)


async def _keeper_of(uow: UnitOfWork, customer: Customer) -> tuple[Person | None, list[Person]]:
    """Who keeps the register for the customer's owner (`register_keeper`), with everyone
    read once for the message that follows."""
    people = list(await uow.people.all())
    owner = next((p for p in people if p.id == customer.owner_id), None)
    return (register_keeper(owner, people) if owner else None), people


async def _refresh_prospects_notice(uow: UnitOfWork, customer: Customer, now: datetime) -> None:
    keeper, people = await _keeper_of(uow, customer)
    if keeper is not None:
        await _prospects_notice(uow, keeper, people, now, arrived=False)


async def _settle_prospect_notice(
    uow: UnitOfWork, customer: Customer, actor_id: int, outcome: str, now: datetime
) -> None:
    keeper, people = await _keeper_of(uow, customer)
    actor = next(p for p in people if p.id == actor_id)
    if keeper is not None:
        settled = {"name": customer.name, "outcome": outcome, "by": actor.full_name}
        await _prospects_notice(uow, keeper, people, now, settled)


@dataclass(frozen=True)
class CardActions:
    """What a customer's card offers the person reading it."""

    visit: bool
    confirm: bool
    manage: bool
    hand_over: bool
    edit: bool
    win: bool


def may_edit(actor: Person, customer: Customer) -> bool:
    """A customer's file is kept up to date by its owner and the managers above the owner
    (`visible_customer` puts the owner below them) and the admins."""
    return actor.id == customer.owner_id or actor.manages or actor.is_admin


def card_actions(actor: Person, customer: Customer, *, team: bool) -> CardActions:
    """The card offers what the actions allow: a visit to an open customer; to a manager,
    confirming or rejecting someone else's unconfirmed prospect (`_prospect_of_other`),
    changing the status and reassigning (`_managed_customer`), handing a won customer over;
    editing (`may_edit`); to the owner, recording the deal (`mark_won`). `team`: the actor sees
    the customer in the chain of command; the customer service person it was handed to only
    reads it (`readable_customer`)."""
    unconfirmed = customer.status is CustomerStatus.prospect and customer.confirmed_at is None
    manages = team and actor.manages
    return CardActions(
        visit=team and customer.is_open,
        confirm=manages and customer.owner_id != actor.id and unconfirmed,
        manage=manages,
        hand_over=manages and customer.status is CustomerStatus.won,
        edit=team and may_edit(actor, customer),
        win=team
        and actor.id == customer.owner_id
        and CustomerStatus.won in next_statuses(customer),
    )


async def in_team_sight(uow: UnitOfWork, actor: Person, customer: Customer) -> bool:
    """Owned by someone the actor sees; a pooled customer is nobody's team's until taken."""
    return customer.pooled_at is None and customer.owner_id in await visible_owner_ids(uow, actor)


async def _managed_customer(uow: UnitOfWork, actor_id: int, customer_id: int) -> Customer:
    """A customer of someone below the actor: managers act on their team's register."""
    actor = await active_person(uow, actor_id)
    customer = await visible_customer(uow, actor_id, customer_id)
    if not actor.manages:
        raise NotAllowed(action="manage_customer")
    return customer


async def _prospect_of_other(uow: UnitOfWork, actor_id: int, customer_id: int) -> Customer:
    """Confirming is a second pair of eyes: nobody confirms or rejects their own prospect."""
    customer = await _managed_customer(uow, actor_id, customer_id)
    if customer.owner_id == actor_id:
        raise NotAllowed(action="confirm_own")
    return customer


async def unconfirmed_prospects(uow: UnitOfWork, actor_id: int) -> list[Customer]:
    actor = await active_person(uow, actor_id)
    if not actor.manages:
        return []
    owners = await visible_owner_ids(uow, actor)
    return [c for c in await uow.customers.unconfirmed(owners) if c.owner_id != actor.id]


async def _event(
    uow: UnitOfWork,
    customer: Customer,
    action: str,
    actor_id: int,
    now: datetime,
    **more: str | None,
) -> None:
    await uow.customer_events.add(CustomerEvent(customer.id, action, actor_id, now, **more))
    await uow.audit.add(
        AuditEntry(
            f"customer_{action}",
            actor_id,
            now,
            f"customer:{customer.id}",
            comment=more.get("comment"),
        )
    )


async def confirm(uow: UnitOfWork, *, actor_id: int, customer_id: int, now: datetime) -> Customer:
    customer = await _prospect_of_other(uow, actor_id, customer_id)
    if customer.confirmed_at is not None or customer.status is not CustomerStatus.prospect:
        raise InvalidChange("already_confirmed")
    confirmed = replace(customer, confirmed_by=actor_id, confirmed_at=now)
    await uow.customers.save(confirmed)
    await _event(uow, confirmed, "confirmed", actor_id, now)
    await uow.outbox.add(
        Notification(customer.owner_id, "prospect_confirmed", {"name": customer.name}), now
    )
    await _settle_prospect_notice(uow, confirmed, actor_id, "confirmed", now)
    await uow.commit()
    return confirmed


async def reject(
    uow: UnitOfWork, *, actor_id: int, customer_id: int, reason: str, comment: str, now: datetime
) -> Customer:
    """Rejected as a duplicate or as invalid: the prospect is closed as lost, with the reason."""
    customer = await _prospect_of_other(uow, actor_id, customer_id)
    if customer.status is not CustomerStatus.prospect:
        raise InvalidChange("not_a_prospect")
    closed = replace(customer, status=CustomerStatus.lost)
    await uow.customers.save(closed)
    note = f"{reason}: {comment}"
    await _event(
        uow,
        closed,
        "rejected",
        actor_id,
        now,
        from_status="prospect",
        to_status="lost",
        comment=note,
    )
    params = {"name": customer.name, "reason": reason, "comment": comment}
    await uow.outbox.add(Notification(customer.owner_id, "prospect_rejected", params), now)
    await _settle_prospect_notice(uow, closed, actor_id, "rejected", now)
    await uow.commit()
    return closed


async def change_status(
    uow: UnitOfWork, *, actor_id: int, customer_id: int, status: CustomerStatus, now: datetime
) -> Customer:
    customer = await _managed_customer(uow, actor_id, customer_id)
    if status not in next_statuses(customer):
        raise InvalidChange("status")
    changed = await _set_status(uow, customer, status, actor_id, now)
    await uow.commit()
    return changed


async def mark_won(uow: UnitOfWork, *, actor_id: int, customer_id: int, now: datetime) -> Customer:
    """Seed E7: the rep records that the customer agreed (成交); a manager above the owner may
    too. A prospect must be confirmed first (`next_statuses`). The keeper of the register is
    told, as the one who hands the won customer over to customer service (seed D2)."""
    actor = await active_person(uow, actor_id)
    customer = await visible_customer(uow, actor_id, customer_id)
    if customer.owner_id != actor.id and not actor.manages:
        raise NotAllowed(action="mark_won")
    won = await _win(uow, customer, actor, now)
    await _open_deal(uow, won, now)
    await uow.commit()
    return won


async def _win(uow: UnitOfWork, customer: Customer, actor: Person, now: datetime) -> Customer:
    """The customer marked won by the status rules (a prospect must be confirmed first), and
    the keeper of the register told, who hands it over to customer service (seed D2)."""
    if CustomerStatus.won not in next_statuses(customer):
        unconfirmed = customer.status is CustomerStatus.prospect
        raise InvalidChange("not_confirmed" if unconfirmed else "status")
    won = await _set_status(uow, customer, CustomerStatus.won, actor.id, now)
    keeper, _people = await _keeper_of(uow, won)
    if keeper is not None and keeper.id != actor.id:
        params = {"customer_id": customer.id, "name": customer.name, "by": actor.full_name}
        await uow.outbox.add(Notification(keeper.id, "customer_won", params), now)
    return won


async def may_win_on(uow: UnitOfWork, actor_id: int, request: ApprovalRequest) -> bool:
    """Whether /my offers to record the deal on this request (`win_on_request` checks again)."""
    return (
        request.status is RequestStatus.approved
        and request.requester_id == actor_id
        and not await uow.deals.taken_requests([request.id])
    )


async def win_on_request(uow: UnitOfWork, *, actor_id: int, request_id: int, now: datetime) -> Deal:
    """成交 from an approved special-terms request (seed E7 after E6): its requester records
    that the customer agreed to those terms. The customer is marked won as `mark_won` would
    (a customer already won — repeat business — stays won), and the deal opens on exactly
    these terms; a request a deal was already won on is refused."""
    actor = await active_person(uow, actor_id)
    request = await uow.requests.get(request_id)
    if request is None or request.requester_id != actor.id:
        raise NotFound(what="request")
    if request.status is not RequestStatus.approved:
        raise InvalidChange("not_approved")
    if await uow.deals.taken_requests([request.id]):
        raise InvalidChange("deal_recorded")
    customer = await visible_customer(uow, actor.id, request.terms.customer_id)
    if customer.status is not CustomerStatus.won:  # repeat business: a won customer stays won
        customer = await _win(uow, customer, actor, now)
    deal = await uow.deals.open(
        customer_id=customer.id, owner_id=customer.owner_id, request_id=request.id, now=now
    )
    await uow.commit()
    return deal


async def _open_deal(uow: UnitOfWork, customer: Customer, now: datetime) -> None:
    """成交 opens the deal that the reservation, the deposit and the contract follow. It is won
    on the customer's latest approved special terms that no deal has taken yet, so the terms
    are carried over, never retyped; a deal without special terms goes straight on."""
    approved = [
        r
        for r in await uow.requests.for_customer(customer.id)
        if r.status is RequestStatus.approved
    ]
    taken = await uow.deals.taken_requests([r.id for r in approved])
    terms = next((r for r in approved if r.id not in taken), None)  # newest first
    await uow.deals.open(
        customer_id=customer.id,
        owner_id=customer.owner_id,
        request_id=terms.id if terms else None,
        now=now,
    )


async def _set_status(
    uow: UnitOfWork, customer: Customer, status: CustomerStatus, actor_id: int, now: datetime
) -> Customer:
    changed = replace(customer, status=status)
    await uow.customers.save(changed)
    await _event(
        uow,
        changed,
        "status",
        actor_id,
        now,
        from_status=customer.status.value,
        to_status=status.value,
    )
    return changed


DRAFT_FIELDS = tuple(f.name for f in fields(CustomerDraft))


async def editable_customer(uow: UnitOfWork, actor_id: int, customer_id: int) -> Customer:
    customer = await visible_customer(uow, actor_id, customer_id)
    if not may_edit(await active_person(uow, actor_id), customer):
        raise NotAllowed(action="edit_customer")
    return customer


async def edit(
    uow: UnitOfWork,
    *,
    actor_id: int,
    customer_id: int,
    draft: CustomerDraft,
    distinct_from: tuple[int, ...] = (),
    now: datetime,
) -> Customer:
    """Customer files are kept up to date (agency rules, art. 9): the registration's checks
    (`check_draft`) apply, and the change is kept with who, when and which fields."""
    customer = await editable_customer(uow, actor_id, customer_id)
    clean = check_draft(draft)
    changed = [name for name in DRAFT_FIELDS if getattr(clean, name) != getattr(customer, name)]
    if not changed:
        return customer
    edited = replace(customer, **asdict(clean), name_key=company_key(clean.name))
    await uow.customers.save(edited)
    await _event(uow, edited, "edited", actor_id, now, comment=", ".join(changed))
    await _declare_distinct(uow, edited, distinct_from, actor_id, now)
    if edited.status is CustomerStatus.prospect and edited.confirmed_at is None:
        await _refresh_prospects_notice(uow, edited, now)  # the keeper's list shows it as it is
    await uow.commit()
    return edited


def _may_own(person: Person, owners: set[int]) -> bool:
    """A customer goes only to an active person whose register the manager sees."""
    return person.active and person.id in owners


async def reassign_candidates(
    uow: UnitOfWork, actor_id: int, customer_id: int
) -> tuple[Customer, list[Person]]:
    """The customer a manager reassigns, and the people it may go to (`_may_own`) other than
    its owner now."""
    customer = await _managed_customer(uow, actor_id, customer_id)
    owners = await visible_owner_ids(uow, await active_person(uow, actor_id))
    people = [
        p for p in await uow.people.all() if _may_own(p, owners) and p.id != customer.owner_id
    ]
    return customer, people


async def reassign(
    uow: UnitOfWork, *, actor_id: int, customer_id: int, owner_id: int, now: datetime
) -> Customer:
    customer = await _managed_customer(uow, actor_id, customer_id)
    actor = await active_person(uow, actor_id)
    new_owner = await uow.people.get(owner_id)
    if new_owner is None or not _may_own(new_owner, await visible_owner_ids(uow, actor)):
        raise NotFound(what="person")
    moved = replace(customer, owner_id=owner_id)
    await uow.customers.save(moved)
    await uow.pool.take(customer.id, owner_id, now, from_pool=False)  # idle counts from now
    await _event(
        uow, moved, "reassigned", actor_id, now, comment=f"from:{customer.owner_id} to:{owner_id}"
    )
    params = {"name": customer.name, "owner": new_owner.full_name, "by": actor.full_name}
    await uow.outbox.add(Notification(owner_id, "customer_assigned", params), now)
    if customer.owner_id not in (owner_id, actor_id):
        # The rep who loses the customer hears it from the bot, not from an empty list.
        await uow.outbox.add(Notification(customer.owner_id, "customer_taken_over", params), now)
    await uow.commit()
    return moved


async def service_people(uow: UnitOfWork) -> list[Person]:
    return [p for p in await uow.people.all() if p.active and p.role is Role.customer_service]


async def hand_over(
    uow: UnitOfWork, *, actor_id: int, customer_id: int, recipient_id: int, now: datetime
) -> Customer:
    """Seed D2: once the deal is won the supervisor hands the customer file to customer service."""
    customer = await _managed_customer(uow, actor_id, customer_id)
    if customer.status is not CustomerStatus.won:
        raise InvalidChange("not_won")
    if recipient_id not in {p.id for p in await service_people(uow)}:
        raise NotFound(what="person")
    done = replace(customer, status=CustomerStatus.handed_over, service_id=recipient_id)
    await uow.customers.save(done)
    await _event(
        uow, done, "handed_over", actor_id, now, from_status="won", to_status="handed_over"
    )
    names = {p.id: p.full_name for p in await uow.people.all()}
    visits = await uow.visits.for_customer(customer.id, limit=3)
    params = {
        "customer_id": customer.id,
        "name": customer.name,
        "contact": customer.contact_name,
        "phone": customer.phone,
        "address": customer.address,
        "owner": names.get(customer.owner_id, "—"),
        "by": names.get(actor_id, "—"),
        "visits": [{"on": v.visited_on.isoformat(), "outcome": v.outcome} for v in visits],
    }
    await uow.outbox.add(Notification(recipient_id, "customer_handover", params), now)
    await uow.commit()
    return done
