"""What production and delivery wait for, per person: their sections of /pending."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from bot.core.contracts import ProductionStep
from bot.core.deliveries import DeliveryStatus
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.usecases import production
from bot.core.usecases.delivery import NoteAction, may
from bot.core.usecases.delivery_access import (
    ContractFile,
    NoteFile,
    People,
    contract_files,
    note_file,
    org,
)
from bot.core.usecases.guards import active_person

DS = DeliveryStatus
TO_MAKE, TO_DELIVER = ProductionStep.to_make, ProductionStep.to_deliver


@dataclass(frozen=True, slots=True)
class DeliveryQueue:
    production_to_sign: list[ContractFile] = field(default_factory=list)  # the VP's
    goods_to_mark_ready: list[ContractFile] = field(default_factory=list)  # the desk's
    ready_to_deliver: list[ContractFile] = field(default_factory=list)  # the desk's: file a note
    notes_to_sign: list[NoteFile] = field(default_factory=list)  # the sales manager's
    notes_to_ship: list[NoteFile] = field(default_factory=list)  # the desk's: goods out
    copies_to_receive: list[NoteFile] = field(default_factory=list)  # the desk's or the rep's
    copies_to_book: list[NoteFile] = field(default_factory=list)  # the accountant's

    @property
    def empty(self) -> bool:
        return not any(getattr(self, name) for name in self.__dataclass_fields__)


async def delivery_queue(uow: UnitOfWork, actor_id: int, policy: Policy) -> DeliveryQueue:
    actor = await active_person(uow, actor_id)
    people = await org(uow)
    notes = await _notes(uow, {DS.filed, DS.signed, DS.shipped, DS.copy_received}, people)

    def waiting(status: DeliveryStatus, action: NoteAction) -> list[NoteFile]:
        return [
            n
            for n in notes
            if n.note.status is status and may(action, actor, n.file.contract, people, policy)
        ]

    return DeliveryQueue(
        production_to_sign=await production.signer_queue(uow, actor, people, policy),
        goods_to_mark_ready=await production.filer_queue(uow, actor, people, policy, TO_MAKE),
        ready_to_deliver=await production.filer_queue(uow, actor, people, policy, TO_DELIVER),
        notes_to_sign=waiting(DS.filed, NoteAction.sign),
        notes_to_ship=waiting(DS.signed, NoteAction.ship),
        copies_to_receive=waiting(DS.shipped, NoteAction.copy),
        copies_to_book=waiting(DS.copy_received, NoteAction.book),
    )


async def _notes(
    uow: UnitOfWork, statuses: Collection[DeliveryStatus], people: People
) -> list[NoteFile]:
    """The open notes with their contracts: three reads, whatever their number."""
    notes = await uow.deliveries.in_status(statuses)
    contracts = await uow.contracts.by_ids({n.contract_id for n in notes})
    files = {f.contract.id: f for f in await contract_files(uow, contracts, people)}
    return [note_file(n, files[n.contract_id], people) for n in notes if n.contract_id in files]
