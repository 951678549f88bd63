"""A small demo organisation for the sandbox: one of every role along the approval chain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.models import Invite
from bot.core.ports import UnitOfWork
from bot.core.roles import Role


@dataclass(frozen=True, slots=True)
class DemoPerson:
    telegram_id: int
    name: str
    role: Role
    manager: int | None  # the manager's telegram id
    language: str


DEMO_PEOPLE = (
    DemoPerson(1000, "Ada Admin", Role.admin, None, "en"),
    DemoPerson(1001, "Wang Fang", Role.general_manager, None, "zh"),
    DemoPerson(1002, "Zhang Wei", Role.marketing_vp, 1001, "zh"),
    DemoPerson(1003, "Liu Yang", Role.sales_manager, 1002, "en"),
    DemoPerson(1004, "Chen Jing", Role.supervisor, 1003, "en"),
    DemoPerson(1005, "Zhao Lei", Role.rep, 1004, "en"),
    DemoPerson(1006, "Sun Li", Role.rep, 1004, "zh"),
    DemoPerson(1007, "Zhou Min", Role.accountant, 1001, "zh"),
)
NEWCOMER = DemoPerson(1100, "Nina Newcomer", Role.rep, 1004, "en")
STRANGER = DemoPerson(1200, "Sam Stranger", Role.rep, None, "en")
NEWCOMER_CODE = "demo-newcomer"


async def seed_demo(uow: UnitOfWork, now: datetime) -> bool:
    """Create the demo organisation and one open invite; False if people exist already."""
    if await uow.people.all():
        return False
    ids: dict[int, int] = {}
    for demo in DEMO_PEOPLE:
        person = await uow.people.add(
            telegram_id=demo.telegram_id,
            full_name=demo.name,
            role=demo.role,
            reports_to=ids.get(demo.manager) if demo.manager else None,
            language=demo.language,
            joined_at=now,
        )
        ids[demo.telegram_id] = person.id
    await uow.invites.add(
        Invite(
            code=NEWCOMER_CODE,
            role=NEWCOMER.role,
            reports_to=ids[NEWCOMER.manager or 0],
            created_by=ids[1000],
            created_at=now,
            expires_at=now + timedelta(days=365),
        )
    )
    await uow.commit()
    return True
