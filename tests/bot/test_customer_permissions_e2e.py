"""Who may see which customer, on every read path through the bot: /customer search and list,
the customer card behind a `cu:<id>` button, a visit started by an `fv:<id>` button, and the
/visit customer list. Zhao Lei (rep) owns A, Sun Li (rep, same supervisor) owns B."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from harness import Sandbox
from test_customer_register_e2e import fill_rest, register_customer

from bot.core.customers import CustomerDraft
from bot.core.usecases.customer_register import register
from botapi_emulator.driver import SandboxUser
from storage.uow import SqlUnitOfWork

ADMIN, MANAGER, SUPERVISOR, REP, OTHER_REP, ACCOUNTANT = 1000, 1003, 1004, 1005, 1006, 1007
A_NAME, A_PHONE = "Golden Dragon Pipes", "138 0013 8000"
B_NAME, B_PHONE = "Golden Phoenix Tiles", "+8613912345678"
B_WORD = "Phoenix"  # in B's name only

NOT_FOUND_EN = "I could not find that. It may have been changed or removed."
NOT_FOUND_ZH = "未找到该内容，可能已被修改或删除。"
ROLE_REFUSED_ZH = "抱歉，您的角色无权执行此操作。"


@dataclass
class Register:
    a: int
    b: int


def everything_seen(user: SandboxUser) -> str:
    """Every text, earlier revision, button and alert this user was ever shown."""
    parts: list[str] = []
    for message in user.messages(include_deleted=True):
        if not message.from_bot:
            continue
        parts += [message.text, *message.button_labels]
        for revision in message.history:
            parts.append(revision.text)
            for row in revision.reply_markup or []:
                parts += [str(button.get("text", "")) for button in row]
    parts += [str(answer.get("text") or "") for answer in user.alerts]
    return "\n".join(parts)


async def forge(demo: Sandbox, user: SandboxUser, data: str) -> None:
    """A tap on a button the bot never sent to this user (a crafted callback)."""
    demo.emulator.tap(user.user_id, user.last().message_id, data)
    await user.settle()
    await demo.outbox_idle()


@pytest.fixture
async def world(demo: Sandbox) -> Register:
    """A registered by Zhao Lei through the bot, B by Sun Li through the use case."""
    assert demo.app is not None
    rep = demo.user(REP)
    await register_customer(rep, A_NAME, A_PHONE)
    await fill_rest(rep)
    assert A_NAME in rep.last_text()
    async with SqlUnitOfWork(demo.app.sessionmaker) as uow:
        sun = await uow.people.by_telegram_id(OTHER_REP)
        zhao = await uow.people.by_telegram_id(REP)
        assert sun is not None
        assert zhao is not None
        b = await register(
            uow,
            actor_id=sun.id,
            draft=CustomerDraft(name=B_NAME, phone=B_PHONE),
            now=demo.clock(),
        )
    async with SqlUnitOfWork(demo.app.sessionmaker) as uow:
        (a,) = await uow.customers.owned_by([zhao.id])
        assert a.name == A_NAME
    demo.app.sender.wake()
    await demo.outbox_idle()
    return Register(a=a.id, b=b.id)


def customer_buttons(user: SandboxUser) -> list[str]:
    return [label for label in user.buttons() if "Golden" in label]


async def test_rep_search_and_list_show_only_his_own_customer(
    demo: Sandbox, world: Register
) -> None:
    rep = demo.user(REP)
    await rep.send("/customer")
    await rep.send("Golden")
    assert "Matches for “Golden”" in rep.last_text()
    assert customer_buttons(rep) == [f"🌱 {A_NAME}"]

    await rep.send("13912345678")  # B's phone digits
    assert "Nothing found" in rep.last_text()
    assert customer_buttons(rep) == []

    await rep.tap("◀ Back")
    await rep.tap("📋 My customers")
    assert customer_buttons(rep) == [f"🌱 {A_NAME}"]
    await rep.tap(f"🌱 {A_NAME}")
    assert rep.last_text().startswith(A_NAME)
    assert B_WORD not in everything_seen(rep)


async def test_forged_card_and_visit_buttons_for_anothers_customer_are_refused(
    demo: Sandbox, world: Register
) -> None:
    rep = demo.user(REP)
    await rep.send("/customer")

    # The forging itself works: his own customer opens.
    await forge(demo, rep, f"cu:{world.a}")
    assert rep.last_text().startswith(A_NAME)
    messages_before = len(rep.bot_messages())

    await forge(demo, rep, f"cu:{world.b}")
    answer = rep.last_callback_answer()
    assert answer is not None
    assert answer.get("show_alert") is True
    assert answer.get("text") == NOT_FOUND_EN
    assert len(rep.bot_messages()) == messages_before, "no card was sent"

    await forge(demo, rep, f"fv:{world.b}")
    answer = rep.last_callback_answer()
    assert answer is not None
    assert answer.get("show_alert") is True
    assert answer.get("text") == NOT_FOUND_EN
    assert len(rep.bot_messages()) == messages_before, "no visit form was started"
    assert "What kind of contact?" not in everything_seen(rep)

    assert B_WORD not in everything_seen(rep)
    assert B_PHONE[-8:] not in everything_seen(rep)
    assert "1234 5678" not in everything_seen(rep)  # as a card would show it


async def test_forged_visit_button_for_his_own_customer_starts_the_visit(
    demo: Sandbox, world: Register
) -> None:
    rep = demo.user(REP)
    await rep.send("/customer")
    await forge(demo, rep, f"fv:{world.a}")
    assert "What kind of contact?" in rep.last_text()
    assert A_NAME in rep.last_text()


async def test_rep_visit_list_shows_only_his_own_customer(demo: Sandbox, world: Register) -> None:
    rep = demo.user(REP)
    await rep.send("/visit")
    assert "Which customer?" in rep.last_text()
    assert customer_buttons(rep) == [A_NAME]
    await rep.send("Phoenix")
    assert "No customers found." in rep.last_text()
    assert customer_buttons(rep) == []
    assert B_NAME not in everything_seen(rep)  # "Phoenix" itself is echoed in "Matches for …"


@pytest.mark.parametrize("viewer", [SUPERVISOR, MANAGER, ADMIN], ids=["supervisor", "sm", "admin"])
async def test_the_line_above_and_the_admin_see_both(
    demo: Sandbox, world: Register, viewer: int
) -> None:
    boss = demo.user(viewer)
    await boss.send("/customer")
    await boss.tap("📋 My customers")
    assert sorted(customer_buttons(boss)) == sorted([f"🌱 {A_NAME}", f"🌱 {B_NAME}"])

    await boss.send("Phoenix")
    assert customer_buttons(boss) == [f"🌱 {B_NAME}"]
    await boss.send("13912345678")
    assert customer_buttons(boss) == [f"🌱 {B_NAME}"]

    for customer_id, name in ((world.a, A_NAME), (world.b, B_NAME)):
        await forge(demo, boss, f"cu:{customer_id}")
        assert boss.last_text().startswith(name), boss.last_text()


async def test_supervisor_visit_list_shows_both(demo: Sandbox, world: Register) -> None:
    boss = demo.user(SUPERVISOR)
    await boss.send("/visit")
    assert sorted(customer_buttons(boss)) == sorted([A_NAME, B_NAME])


async def test_accountant_outside_the_line_sees_neither(demo: Sandbox, world: Register) -> None:
    accountant = demo.user(ACCOUNTANT, language="zh")
    await accountant.send("/customer")
    assert accountant.last_text() == ROLE_REFUSED_ZH
    await accountant.send("/visit")
    assert accountant.last_text() == ROLE_REFUSED_ZH

    for data in (f"cu:{world.a}", f"cu:{world.b}", f"fv:{world.a}"):
        await forge(demo, accountant, data)
        answer = accountant.last_callback_answer()
        assert answer is not None, data
        assert answer.get("show_alert") is True, data
        assert answer.get("text") == NOT_FOUND_ZH, data

    seen = everything_seen(accountant)
    assert "Golden" not in seen
    assert "Dragon" not in seen
    assert B_WORD not in seen
