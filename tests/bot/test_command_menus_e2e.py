"""The "/" menu: strangers see only what everyone may use; each member's chat gets the commands
of their role in their language, and it follows a join, a language change, a new role and a
deactivation."""

from __future__ import annotations

from harness import ADMIN, Sandbox

REP_EN, REP_ZH, ACCOUNTANT_ZH, NEWCOMER = 1005, 1006, 1007, 1100
EVERYONE = ["help", "team", "settings", "cancel"]


def menu(demo: Sandbox, chat_id: int | None = None, language: str = "") -> list[str]:
    scope = "default" if chat_id is None else f"chat:{chat_id}"
    return [c["command"] for c in demo.emulator.commands.get((scope, language), [])]


def descriptions(demo: Sandbox, chat_id: int) -> dict[str, str]:
    return {c["command"]: c["description"] for c in demo.emulator.commands[(f"chat:{chat_id}", "")]}


async def test_the_default_menu_holds_only_what_everyone_may_use(demo: Sandbox) -> None:
    assert menu(demo) == EVERYONE
    assert menu(demo, language="en") == EVERYONE
    assert menu(demo, language="zh") == EVERYONE


async def test_each_member_gets_the_menu_of_their_role_in_their_language(demo: Sandbox) -> None:
    rep, accountant = demo.user(REP_ZH, language="zh"), demo.user(ACCOUNTANT_ZH, language="zh")
    await rep.send("/help")
    await accountant.send("/help")
    assert menu(demo, REP_ZH) == [
        "customer", "pool", "visit", "plan", "deal", "my", "contract", "report", "help", "team",
        "settings", "cancel",
    ]  # fmt: skip
    assert descriptions(demo, REP_ZH)["visit"] == "记录拜访或通话"
    assert descriptions(demo, REP_ZH)["pool"] == "公海：可领取的闲置客户"
    assert (
        descriptions(demo, REP_ZH)["contract"] == "合同台帐：合同、发货、回款、逾期欠款与客户信用"
    )
    assert menu(demo, ACCOUNTANT_ZH) == [
        "pending", "contract", "report", "help", "team", "settings", "cancel"
    ]  # fmt: skip


async def test_the_menu_follows_a_language_change(demo: Sandbox) -> None:
    rep = demo.user(REP_EN)
    await rep.send("/settings")
    assert descriptions(demo, REP_EN)["visit"] == "Log a visit or a call"
    await rep.tap("简体中文")
    assert descriptions(demo, REP_EN)["visit"] == "记录拜访或通话"


async def test_a_newcomer_gets_a_menu_on_joining(demo: Sandbox) -> None:
    newcomer = demo.user(NEWCOMER)
    await newcomer.send("/start demo-newcomer")
    assert "Welcome to the team" in newcomer.last_text()
    assert "visit" in menu(demo, NEWCOMER)


async def test_the_menu_follows_a_new_role_and_a_deactivation(demo: Sandbox) -> None:
    admin, rep = demo.user(ADMIN), demo.user(REP_EN)
    await rep.send("/help")
    assert "pending" not in menu(demo, REP_EN)

    await admin.send("/team")
    await admin.tap("Zhao Lei · Sales rep")
    await admin.tap("Change role")
    await admin.tap("Sales supervisor")
    assert admin.last_text() == "Change Zhao Lei from Sales rep to Sales supervisor?"
    await admin.tap("Yes, change the role")
    await rep.send("/help")
    assert "pending" in menu(demo, REP_EN)
    assert "invite" in menu(demo, REP_EN)

    await admin.send("/team")
    await admin.tap("Zhao Lei · Sales supervisor")
    await admin.tap("Deactivate")
    await admin.tap("Yes, deactivate")
    await rep.send("/help")
    assert rep.last_text().startswith("Your access has been switched off.")
    assert (f"chat:{REP_EN}", "") not in demo.emulator.commands
