"""Delivery notes (发货单, seed rule 8): the sales desk files one once the goods are ready, the
sales manager signs it, the warehouse ships against it, the customer's signed copy comes back,
and only then finance books it. When everything ordered is booked, the deal is delivered."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from bot.core.contracts import Contract
from bot.core.deliveries import (
    CANCELLABLE,
    DeliveryNote,
    DeliveryStatus,
    DeliveryStatusOrder,
    book_note,
    cancel_note,
    check_delivery,
    check_filing,
    receive_copy,
    ship_note,
    sign_note,
)
from bot.core.errors import DomainError, NotAllowed, NotFound
from bot.core.models import AuditEntry, Notification, Person
from bot.core.orders import FILE_ID_MAX, DealStage
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.roles import Role
from bot.core.usecases.delivery_access import (
    BOOKS,
    ContractFile,
    NoteFile,
    People,
    contract_files,
    filers,
    files_for,
    ids,
    is_signer,
    note_file,
    org,
    seen_contract,
    signers,
)
from bot.core.usecases.guards import active_person
from bot.core.usecases.production import contract_params, held_contract

DS = DeliveryStatus


class NoteAction(StrEnum):
    sign = "sign"
    ship = "ship"
    copy = "copy"
    book = "book"
    cancel = "cancel"


# The status each action moves a note from (cancel: any of CANCELLABLE).
FROM: dict[NoteAction, frozenset[DeliveryStatus]] = {
    NoteAction.sign: frozenset({DS.filed}),
    NoteAction.ship: frozenset({DS.signed}),
    NoteAction.copy: frozenset({DS.shipped}),
    NoteAction.book: frozenset({DS.copy_received}),
    NoteAction.cancel: CANCELLABLE,
}


def may(
    action: NoteAction, actor: Person, contract: Contract, people: People, policy: Policy
) -> bool:
    """Seed rule 8's roles: the nearest sales manager signs; whoever files the papers ships
    and cancels; they or the rep bring the signed copy back; finance books."""
    owner = contract.owner_id
    if action is NoteAction.sign:
        return is_signer(actor, Role.sales_manager, owner, people)
    if action is NoteAction.book:
        return actor.role in BOOKS
    if action is NoteAction.copy and actor.id == owner:
        return True
    return files_for(actor, owner, people, policy)


def may_file_note(actor: Person, file: ContractFile, people: People, policy: Policy) -> bool:
    contract = file.contract
    return (
        contract.goods_ready_at is not None
        and file.to_deliver
        and files_for(actor, contract.owner_id, people, policy)
    )


@dataclass(frozen=True, slots=True)
class ContractSheet:
    """A contract's delivery screen: its lines, notes, and what the reader may do now."""

    file: ContractFile
    notes: tuple[DeliveryNote, ...]
    may_sign_production: bool
    may_mark_ready: bool
    may_file: bool


@dataclass(frozen=True, slots=True)
class NoteSheet:
    note: NoteFile
    actions: tuple[NoteAction, ...]  # what the reader may do to it now


async def contract_sheet(
    uow: UnitOfWork, actor_id: int, contract_id: int, policy: Policy
) -> ContractSheet:
    actor = await active_person(uow, actor_id)
    people = await org(uow)
    contract = await seen_contract(uow, actor, contract_id, people, policy)
    (file,) = await contract_files(uow, [contract], people)
    in_force = contract.status.value == "in_force"
    signer = is_signer(actor, policy.contracts.production_signer, contract.owner_id, people)
    filer = files_for(actor, contract.owner_id, people, policy)
    signed = contract.production_signed_at is not None
    return ContractSheet(
        file=file,
        notes=tuple(await uow.deliveries.for_contract(contract.id)),
        may_sign_production=in_force and signer and not signed,
        may_mark_ready=in_force and filer and signed and contract.goods_ready_at is None,
        may_file=in_force and may_file_note(actor, file, people, policy),
    )


async def _note_of(
    uow: UnitOfWork, actor: Person, note_id: int, people: People, policy: Policy
) -> tuple[DeliveryNote, Contract]:
    note = await uow.deliveries.get(note_id)
    if note is None:
        raise NotFound(what="delivery_note")
    contract = await seen_contract(uow, actor, note.contract_id, people, policy)
    return note, contract


async def note_sheet(uow: UnitOfWork, actor_id: int, note_id: int, policy: Policy) -> NoteSheet:
    actor = await active_person(uow, actor_id)
    people = await org(uow)
    note, contract = await _note_of(uow, actor, note_id, people, policy)
    (file,) = await contract_files(uow, [contract], people)
    actions = tuple(
        a for a in NoteAction if note.status in FROM[a] and may(a, actor, contract, people, policy)
    )
    return NoteSheet(note_file(note, file, people), actions)


def note_params(note: DeliveryNote, file: ContractFile) -> dict[str, object]:
    lines = [
        {"product": line.product, "quantity": str(quantity)}
        for line, quantity in zip(file.contract.lines, note.lines, strict=True)
        if quantity
    ]
    return {
        **contract_params(file),
        "note_id": note.id,
        "seq": note.seq,
        "status": note.status.value,
        "note_lines": lines,
    }


def sign_ref(note_id: int) -> str:
    return f"note_sign:{note_id}"


def book_ref(note_id: int) -> str:
    return f"note_book:{note_id}"


async def file_note(
    uow: UnitOfWork,
    *,
    actor_id: int,
    contract_id: int,
    quantities: Sequence[Decimal],
    policy: Policy,
    now: datetime,
) -> DeliveryNote:
    """Seed rule 8: the note is filed for goods that are ready, never for more than is left
    of a line (the contract is held while the notes so far are added up); the sales manager
    gets it to sign."""
    actor = await active_person(uow, actor_id)
    people = await org(uow)
    contract = await held_contract(uow, actor, contract_id, people, policy)
    if not files_for(actor, contract.owner_id, people, policy):
        raise NotAllowed(action="file_delivery")
    check_filing(contract)
    delivered = (await uow.deliveries.delivered([contract.id])).get(contract.id)
    check_delivery(contract.lines, delivered or [Decimal(0)] * len(contract.lines), quantities)
    note = await uow.deliveries.add(contract.id, lines=quantities, filed_by=actor.id, now=now)
    (file,) = await contract_files(uow, [contract], people)
    params = {**note_params(note, file), "by": actor.full_name}
    await uow.outbox.add_many(
        [
            Notification(p.id, "delivery_note_to_sign", params, ref=sign_ref(note.id))
            for p in signers(Role.sales_manager, contract.owner_id, people)
        ],
        now,
    )
    await uow.audit.add(AuditEntry("delivery_filed", actor.id, now, f"delivery:{note.id}"))
    await uow.commit()
    return note


@dataclass(frozen=True, slots=True)
class _Step:
    """One move of a note, as the use case below takes it."""

    action: NoteAction
    move: Callable[[DeliveryNote, Person, datetime], DeliveryNote]


async def _moved(
    uow: UnitOfWork, step: _Step, actor_id: int, note_id: int, policy: Policy, now: datetime
) -> tuple[DeliveryNote, Contract, People, Person]:
    """Checks who acts, moves the note with a compare-and-set (of two taps, one moves it;
    the other is told it has moved on) and audits it."""
    actor = await active_person(uow, actor_id)
    people = await org(uow)
    note, contract = await _note_of(uow, actor, note_id, people, policy)
    await uow.contracts.hold(contract.id)
    note, contract = await _note_of(uow, actor, note_id, people, policy)
    if not may(step.action, actor, contract, people, policy):
        raise NotAllowed(action=f"delivery_{step.action.value}")
    moved = step.move(note, actor, now)
    if not await uow.deliveries.save(moved, expected=note.status):
        raise DeliveryStatusOrder(note.status, moved.status, None, False)
    subject = f"delivery:{note.id}"
    await uow.audit.add(AuditEntry(f"delivery_{step.action.value}", actor.id, now, subject))
    return moved, contract, people, actor


async def _tell(
    uow: UnitOfWork,
    note: DeliveryNote,
    contract: Contract,
    people: People,
    actor: Person,
    policy: Policy,
    now: datetime,
    **extra: object,
) -> dict[str, object]:
    """The rep and whoever files the papers hear of the note's move (not the one who made it)."""
    (file,) = await contract_files(uow, [contract], people)
    params = {**note_params(note, file), "by": actor.full_name, **extra}
    rep = people.get(contract.owner_id)
    told = [*filers(contract.owner_id, people, policy), *([rep] if rep and rep.active else [])]
    await uow.outbox.add_many(
        [Notification(pid, "delivery_note_moved", params) for pid in ids(told, but=actor.id)],
        now,
    )
    return params


def _card_done(
    template: str, ref: str, to: Sequence[Person], params: dict[str, object]
) -> list[Notification]:
    return [Notification(p.id, template, params, ref, edit=True, edit_only=True) for p in to]


async def sign_delivery(
    uow: UnitOfWork, *, actor_id: int, note_id: int, policy: Policy, now: datetime
) -> DeliveryNote:
    step = _Step(NoteAction.sign, lambda n, a, t: sign_note(n, by=a.id, now=t))
    note, contract, people, actor = await _moved(uow, step, actor_id, note_id, policy, now)
    params = await _tell(uow, note, contract, people, actor, policy, now)
    managers = signers(Role.sales_manager, contract.owner_id, people)
    done = _card_done("delivery_note_to_sign_done", sign_ref(note.id), managers, params)
    await uow.outbox.add_many(done, now)
    await uow.commit()
    return note


async def ship_delivery(
    uow: UnitOfWork, *, actor_id: int, note_id: int, policy: Policy, now: datetime
) -> DeliveryNote:
    step = _Step(NoteAction.ship, lambda n, _a, t: ship_note(n, t))
    note, contract, people, actor = await _moved(uow, step, actor_id, note_id, policy, now)
    await _tell(uow, note, contract, people, actor, policy, now)
    await uow.commit()
    return note


def signed_copy(file_id: str) -> str:
    if not file_id or len(file_id) > FILE_ID_MAX:
        raise NotFound(what="file")
    return file_id


async def receive_signed_copy(
    uow: UnitOfWork,
    *,
    actor_id: int,
    note_id: int,
    file_id: str,
    policy: Policy,
    now: datetime,
) -> DeliveryNote:
    """The customer's signed copy is back (a photo or a file): finance may now book it."""
    copy = signed_copy(file_id)
    step = _Step(NoteAction.copy, lambda n, _a, t: receive_copy(n, file_id=copy, now=t))
    note, contract, people, actor = await _moved(uow, step, actor_id, note_id, policy, now)
    params = await _tell(uow, note, contract, people, actor, policy, now)
    await uow.outbox.add_many(
        [
            Notification(p.id, "delivery_copy_to_book", params, ref=book_ref(note.id))
            for p in await _bookers(people)
        ],
        now,
    )
    await uow.commit()
    return note


async def _bookers(people: People) -> list[Person]:
    return [p for p in people.values() if p.active and p.role in BOOKS]


async def book_delivery(
    uow: UnitOfWork, *, actor_id: int, note_id: int, policy: Policy, now: datetime
) -> DeliveryNote:
    """Finance books the note against the customer's signed copy (without it: refused). When
    every line's ordered quantity is booked, a deal still at `contracted` becomes delivered."""
    step = _Step(NoteAction.book, lambda n, a, t: book_note(n, by=a.id, now=t))
    note, contract, people, actor = await _moved(uow, step, actor_id, note_id, policy, now)
    delivered = await _all_booked(uow, contract)
    if delivered:
        await uow.deals.move(contract.deal_id, DealStage.contracted, DealStage.delivered, now)
    params = await _tell(uow, note, contract, people, actor, policy, now, all_delivered=delivered)
    done = _card_done(
        "delivery_copy_to_book_done", book_ref(note.id), await _bookers(people), params
    )
    await uow.outbox.add_many(done, now)
    await uow.commit()
    return note


async def _all_booked(uow: UnitOfWork, contract: Contract) -> bool:
    booked = [Decimal(0)] * len(contract.lines)
    for note in await uow.deliveries.for_contract(contract.id):
        if note.status is DS.booked:
            booked = [b + q for b, q in zip(booked, note.lines, strict=True)]
    return all(b >= line.quantity for b, line in zip(booked, contract.lines, strict=True))


async def cancel_delivery(
    uow: UnitOfWork, *, actor_id: int, note_id: int, policy: Policy, now: datetime
) -> DeliveryNote:
    """Until the goods leave, a note may be cancelled; its quantities count no more."""
    step = _Step(NoteAction.cancel, lambda n, _a, t: cancel_note(n, t))
    note, contract, people, actor = await _moved(uow, step, actor_id, note_id, policy, now)
    params = await _tell(uow, note, contract, people, actor, policy, now)
    managers = signers(Role.sales_manager, contract.owner_id, people)
    done = _card_done("delivery_note_to_sign_done", sign_ref(note.id), managers, params)
    await uow.outbox.add_many(done, now)
    await uow.commit()
    return note


class AllFiled(DomainError):
    """Every line's ordered quantity is already on a delivery note (not cancelled)."""

    code = "all_filed"


async def filing_file(
    uow: UnitOfWork, actor_id: int, contract_id: int, policy: Policy
) -> ContractFile:
    """What the delivery note form starts from; refused unless the actor may file one now."""
    actor = await active_person(uow, actor_id)
    people = await org(uow)
    contract = await seen_contract(uow, actor, contract_id, people, policy)
    if not files_for(actor, contract.owner_id, people, policy):
        raise NotAllowed(action="file_delivery")
    check_filing(contract)
    (file,) = await contract_files(uow, [contract], people)
    if not file.to_deliver:
        raise AllFiled()
    return file
