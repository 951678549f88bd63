"""A small demo organisation for the sandbox: one of every role along the approval chain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from bot.core.calendar import local
from bot.core.customers import CustomerDraft, VisitDraft
from bot.core.deals import DealTerms
from bot.core.models import Invite
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.roles import Role
from bot.core.usecases import approvals, customer_register, visits


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
    DemoPerson(1008, "Wu Hua", Role.sales_desk, 1003, "en"),
    DemoPerson(1009, "Qian Hong", Role.finance_vp, 1001, "zh"),
    DemoPerson(1010, "He Ping", Role.customer_service, 1003, "en"),
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
            name=NEWCOMER.name,
        )
    )
    await uow.commit()
    return True


@dataclass(frozen=True, slots=True)
class DemoCustomer:
    owner: int  # telegram id
    draft: CustomerDraft


DEMO_CUSTOMERS = (
    DemoCustomer(
        1005,
        CustomerDraft(
            "Minghua Trading Co., Ltd.",
            phone="+8613800138000",
            contact_name="Mr Li",
            industry="retail",
            region="east",
        ),
    ),
    DemoCustomer(1005, CustomerDraft("Golden Dragon Pipes", phone="+862168888888", region="east")),
    DemoCustomer(1006, CustomerDraft("华东五金有限公司", contact_name="王经理", region="east")),
)


async def seed_demo_work(uow: UnitOfWork, policy: Policy, now: datetime) -> None:
    """A morning's work already under way, done through the real use cases (so the outbox
    carries the same notifications as in real use): customers registered, one confirmed,
    a visit yesterday with a follow-up due today, and a 12 % deal request on the supervisor's
    desk."""
    people = {p.telegram_id: p.id for p in await uow.people.all()}
    customers = [
        await customer_register.register(uow, actor_id=people[c.owner], draft=c.draft, now=now)
        for c in DEMO_CUSTOMERS
    ]
    minghua, dragon = customers[0], customers[1]
    await customer_register.confirm(uow, actor_id=people[1004], customer_id=minghua.id, now=now)
    today = local(now, policy).date()
    await visits.log_visit(
        uow,
        actor_id=people[1005],
        draft=VisitDraft(
            customer_id=dragon.id,
            kind="first",
            visited_on=today - timedelta(days=1),
            outcome="Met the buyer; they compare three suppliers.",
            intent="low",
            next_step="Send the catalogue",
            next_follow_up=today,
        ),
        policy=policy,
        now=now,
    )
    await approvals.submit(
        uow,
        requester_id=people[1005],
        terms=DealTerms(
            customer_id=minghua.id,
            product="Steel pipes DN50",
            quantity=Decimal("200"),
            amount=Decimal("120000.00"),
            discount=Decimal("12"),
            deposit=Decimal("30000.00"),
            note="Competitor offers 10 %.",
        ),
        policy=policy,
        now=now,
    )
