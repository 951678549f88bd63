"""An open dialog survives a restart: its stack lives in the SQL FSM storage."""

from __future__ import annotations

import re

from harness import ADMIN, Sandbox


async def test_dialog_continues_from_the_old_keyboard_after_restart(sandbox: Sandbox) -> None:
    admin = sandbox.user(ADMIN, "Ada Admin")
    await admin.send("/invite")
    await admin.send("Li Wei")
    await admin.tap("Sales rep")
    keyboard = admin.last()
    assert "Who will the newcomer report to?" in keyboard.text

    await sandbox.restart()

    await admin.tap(re.compile(r"Ada Admin · .*"), message=keyboard)
    assert "Role: Sales rep" in admin.last_text()
    assert "Reports to: Ada Admin" in admin.last_text()
    await admin.tap("✅ Create invite")
    assert "Invite ready" in admin.last_text()
