"""Checks every use case makes before it acts for someone."""

from __future__ import annotations

from bot.core.errors import Deactivated, NotFound
from bot.core.models import Person
from bot.core.ports import UnitOfWork


async def active_person(uow: UnitOfWork, person_id: int) -> Person:
    """The person acting: known, and not switched off (a deactivated person's old buttons and
    forms must do nothing)."""
    person = await uow.people.get(person_id)
    if person is None:
        raise NotFound(what="person")
    if not person.active:
        raise Deactivated()
    return person
