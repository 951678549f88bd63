"""Issue 2, end to end over HTTP: admin bootstrap → invites → joins → /team → a stranger refused."""

from __future__ import annotations

import re

from harness import ADMIN, Sandbox

from botapi_emulator.driver import SandboxUser

LINK = re.compile(r"https://t\.me/\w+\?start=([\w-]+)")


async def make_invite(inviter: SandboxUser, name: str, role: str, manager: str) -> str:
    await inviter.send("/invite")
    await inviter.send(name)
    await inviter.tap(role)
    await inviter.tap(re.compile(re.escape(manager) + r" · .*"))
    await inviter.tap("✅ Create invite")
    match = LINK.search(inviter.last_text())
    assert match, inviter.last_text()
    return match.group(1)


async def test_admin_builds_a_team_by_invite(sandbox: Sandbox) -> None:
    admin = sandbox.user(ADMIN, "Ada Admin")
    await admin.send("/start")
    # her first contact makes her the admin (ADMIN_IDS): a welcome, not a "welcome back"
    assert admin.last_text().startswith(
        "Welcome to the team, Ada Admin! You joined as Administrator."
    )
    sandbox.clock.advance(minutes=1)
    await admin.send("/start")
    assert admin.last_text().startswith("Welcome back, Ada Admin!")

    code = await make_invite(admin, "Chen Jing", "Sales supervisor", "Ada Admin")
    assert "It works once and expires on Mon 11-30" in admin.last_text()

    supervisor = sandbox.user(2000, "CJ 🐼")  # joins under the name the admin typed
    await supervisor.send(f"/start {code}")
    assert (
        "Welcome to the team, Chen Jing! You joined as Sales supervisor." in supervisor.last_text()
    )
    assert "/invite" in supervisor.last_text()
    await sandbox.settle()
    assert "Chen Jing joined the team as Sales supervisor." in admin.last_text()

    await supervisor.send("/invite")
    await supervisor.send("Zhao Lei")
    assert supervisor.buttons() == [
        "Sales rep",
        "Sales desk",
        "Accountant",
        "Customer service",
        "◀ Back",
        "✖ Cancel",
    ]
    await supervisor.tap("✖ Cancel")
    rep_code = await make_invite(supervisor, "Zhao Lei", "Sales rep", "Chen Jing")

    rep = sandbox.user(3000, "Zhao Lei")
    await rep.send(f"/start {rep_code}")
    assert "You joined as Sales rep" in rep.last_text()
    assert "/invite" not in rep.last_text()
    await sandbox.settle()
    joined = [m for m in supervisor.bot_messages() if "Zhao Lei joined" in m.text]
    assert len(joined) == 1  # creator and manager are one person: told once

    await admin.send("/team")
    tree = admin.last_text()
    assert tree.index("Ada Admin") < tree.index("Chen Jing") < tree.index("Zhao Lei")
    assert "    └ Chen Jing · Sales supervisor" in tree
    assert "        └ Zhao Lei · Sales rep" in tree

    await supervisor.send("/team")
    assert "Ada Admin" not in supervisor.last_text()
    assert "Zhao Lei" in supervisor.last_text()

    stranger = sandbox.user(9000, "Sam Stranger")
    await stranger.send("hello")
    assert "only works for its members" in stranger.last_text()
    await stranger.send("/team")
    assert "only works for its members" in stranger.last_text()
    await stranger.send(f"/start {code}")
    assert "already been used" in stranger.last_text()
    await stranger.send("/start no-such-code")
    assert "not valid" in stranger.last_text()
    await stranger.send("/help")
    assert "only works for its members" in stranger.last_text()


async def test_expired_invite_is_refused(sandbox: Sandbox) -> None:
    admin = sandbox.user(ADMIN, "Ada Admin")
    code = await make_invite(admin, "Larry Lu", "Sales rep", "Ada Admin")
    sandbox.clock.advance(days=7, seconds=1)
    late = sandbox.user(4000, "Late Larry")
    await late.send(f"/start {code}")
    assert "expired" in late.last_text()
    await late.send("/help")
    assert "only works for its members" in late.last_text()
