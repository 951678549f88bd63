"""The sandbox's clock: a working morning to start, `:at` and `:wait` run what falls due."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from harness import Sandbox

from bot.core.policy import Policy
from bot.sandbox.app import personas, roster, show_menus
from bot.sandbox.week import TimeMachine, opening_morning, parse_at, parse_wait
from botapi_emulator.terminal import run_terminal_chat

POLICY = Policy()
SHANGHAI = POLICY.tz
REPS = (1005, 1006)  # Zhao Lei reads English, Sun Li Chinese


def shanghai(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


@pytest.mark.parametrize(
    ("wall", "morning"),
    [
        (shanghai(25, 14), shanghai(25, 9, 30)),  # a Wednesday afternoon: that morning
        (shanghai(29, 11), shanghai(28, 9, 30)),  # a Sunday: the Saturday before
        (shanghai(30, 7), shanghai(30, 9, 30)),  # early on a Monday: later that morning
    ],
)
def test_the_sandbox_opens_on_a_working_morning(wall: datetime, morning: datetime) -> None:
    assert opening_morning(POLICY, wall) == morning


@pytest.mark.parametrize(
    ("text", "delta"),
    [
        ("2h", timedelta(hours=2)),
        ("30m", timedelta(minutes=30)),
        ("1d", timedelta(days=1)),
        ("1d2h", timedelta(days=1, hours=2)),
        ("1h 30m", timedelta(hours=1, minutes=30)),
        ("", None),
        ("soon", None),
        ("2 hours", None),
    ],
)
def test_wait_reads_days_hours_and_minutes(text: str, delta: timedelta | None) -> None:
    assert parse_wait(text) == delta


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("fri 15:00", shanghai(27, 15)),
        ("wed 15:00", shanghai(25, 15)),  # later today
        ("wed 9:00", datetime(2026, 12, 2, 9, tzinfo=SHANGHAI).astimezone(UTC)),  # next week
        ("15:00", shanghai(25, 15)),
        ("9:00", shanghai(26, 9)),  # passed today: tomorrow
        ("tomorrow 8:30", shanghai(26, 8, 30)),
        ("fri 25:00", None),
        ("someday 9:00", None),
        ("fri", None),
    ],
)
def test_at_finds_the_next_such_moment(text: str, target: datetime | None) -> None:
    assert parse_at(text, shanghai(25, 10), POLICY) == target


async def test_a_jump_to_friday_afternoon_runs_the_plan_reminder_once_per_rep(
    demo: Sandbox,
) -> None:
    assert demo.app is not None
    demo.clock.now = shanghai(23, 9, 30)  # Monday morning
    machine = TimeMachine(demo.app, demo.clock)
    said = await machine.at("fri 15:00")
    await demo.settle()
    assert said.startswith("It is Fri 2026-11-27 15:00 (Asia/Shanghai)")
    assert "Thu 11-26 19:00 evening prompts: 2" in said
    assert "plan reminders: 2" in said
    for rep in REPS:
        texts = [m.text for m in demo.user(rep).bot_messages()]
        reminders = [text for text in texts if "18:00" in text and "/plan" in text]
        assert len(reminders) == 1, rep
    assert (await machine.wait("1h")).startswith("It is Fri 2026-11-27 16:00")
    assert "usage" in await machine.wait("forever")


async def test_menus_are_set_before_anyone_writes_and_the_roster_follows_roles(
    demo: Sandbox,
) -> None:
    assert demo.app is not None
    await show_menus(demo.app)
    await demo.settle()
    admin_menu = demo.emulator.commands.get(("chat:1000", ""), [])
    assert "invite" in [command["command"] for command in admin_menu]
    before = {p.user_id: p.role for p in await roster(demo.app)}
    assert before == {p.user_id: p.role for p in personas(demo.app)}


async def test_the_terminal_moves_the_clock(demo: Sandbox) -> None:
    assert demo.app is not None
    demo.clock.now = shanghai(23, 9, 30)
    machine = TimeMachine(demo.app, demo.clock)
    stdout = io.StringIO()
    await run_terminal_chat(
        demo.emulator,
        personas(demo.app),
        stdin=io.StringIO(":now\n:wait 2h\n:quit\n"),
        stdout=stdout,
        commands={":wait": machine.wait, ":now": machine.now},
    )
    output = stdout.getvalue()
    assert "It is Mon 2026-11-23 09:30 (Asia/Shanghai) in the sandbox." in output
    assert "It is Mon 2026-11-23 11:30 (Asia/Shanghai) in the sandbox." in output
