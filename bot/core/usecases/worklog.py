"""The daily work log: the day's visits, assembled automatically, plus the rep's own note."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.core.customers import Visit
from bot.core.deals import clean_text
from bot.core.plans import LOG_NOTE_MAX
from bot.core.ports import UnitOfWork
from bot.core.usecases.guards import active_person


@dataclass(frozen=True, slots=True)
class WorkLog:
    day: date
    visits: list[tuple[Visit, str]]  # each visit with its customer's name
    note: str | None


async def work_log(uow: UnitOfWork, *, actor_id: int, day: date) -> WorkLog:
    actor = await active_person(uow, actor_id)
    visits = []
    for visit in await uow.visits.by_rep_between(actor.id, day, day):
        customer = await uow.customers.get(visit.customer_id)
        visits.append((visit, customer.name if customer else "—"))
    return WorkLog(day, visits, await uow.work_logs.note(actor.id, day))


async def set_note(uow: UnitOfWork, *, actor_id: int, day: date, note: str, now: datetime) -> None:
    actor = await active_person(uow, actor_id)
    await uow.work_logs.set_note(actor.id, day, clean_text(note, limit=LOG_NOTE_MAX), now)
    await uow.commit()
