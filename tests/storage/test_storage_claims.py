"""Two workers racing for one invite, or to welcome back one person: the conditional UPDATE
lets exactly one win."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from dbtools import NOW, WEEK, Sessions, add_invite, add_person, count

from bot.core.errors import InviteInvalid
from bot.core.roles import Role
from bot.core.usecases.team import redeem_invite
from storage.tables import OutboxRow, PersonRow
from storage.uow import SqlUnitOfWork

RACERS = 10


async def test_ten_concurrent_claims_of_one_code_have_one_winner(sessionmaker: Sessions) -> None:
    await add_invite(sessionmaker)

    async def claim(telegram_id: int) -> bool:
        async with SqlUnitOfWork(sessionmaker) as uow:
            won = await uow.invites.claim("CODE", telegram_id, NOW)
            await uow.commit()
            return won

    results = await asyncio.gather(*(claim(100 + i) for i in range(RACERS)))

    assert results.count(True) == 1
    async with SqlUnitOfWork(sessionmaker) as uow:
        invite = await uow.invites.get("CODE")
    assert invite is not None
    assert invite.used_by == 100 + results.index(True)


async def test_ten_people_redeeming_one_code_at_once_make_one_member(
    sessionmaker: Sessions,
) -> None:
    boss = await add_person(sessionmaker, 1, role=Role.admin)
    await add_invite(sessionmaker, created_by=boss.id, reports_to=boss.id, expires_at=NOW + WEEK)

    async def redeem(telegram_id: int) -> str:
        async with SqlUnitOfWork(sessionmaker) as uow:
            try:
                await redeem_invite(
                    uow, code="CODE", telegram_id=telegram_id, full_name="N", language=None, now=NOW
                )
            except InviteInvalid as refused:
                return refused.reason
            return "joined"

    results = await asyncio.gather(*(redeem(100 + i) for i in range(RACERS)))

    assert sorted(results) == ["joined"] + ["used"] * (RACERS - 1)
    assert await count(sessionmaker, PersonRow) == 2
    assert await count(sessionmaker, OutboxRow) == 1  # the boss hears about it once


async def test_ten_updates_welcoming_back_one_unreachable_person_have_one_winner(
    sessionmaker: Sessions,
) -> None:
    person = await add_person(sessionmaker, 1)
    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.people.save(replace(person, unreachable=True))
        await uow.commit()

    async def claim() -> bool:
        async with SqlUnitOfWork(sessionmaker) as uow:
            won = await uow.people.claim_reachable(person.id)
            await uow.commit()
            return won

    results = await asyncio.gather(*(claim() for _ in range(RACERS)))

    assert results.count(True) == 1
    async with SqlUnitOfWork(sessionmaker) as uow:
        back = await uow.people.get(person.id)
    assert back is not None
    assert not back.unreachable
