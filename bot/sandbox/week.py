"""The sandbox's own clock: it opens on a working morning and moves only when told (`:at`,
`:wait`), running on the way whatever the scheduler would have run — reminders, escalations,
the digest, follow-ups, the customer pool, the collections sweep, the Friday nudge, the
Saturday meeting pack, the evening prompt, and monthly the reconciliation prompt and the
collection analysis."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any, Protocol

from bot.core.calendar import local
from bot.core.policy import WEEKDAYS, Policy
from bot.main import App

# The deadline sweep runs every minute in production; a sandbox jump sweeps this often.
SWEEP_EVERY = timedelta(minutes=10)
SKIPPED_JOBS = {"deadline-sweep", "inbox-housekeeping"}
JOB_NAMES = {
    "approval-digest": "approvals digest",
    "follow-ups": "morning follow-ups",
    "plan-reminders": "plan reminders",
    "missing-plans": "missing plans",
    "meeting-summary": "meeting pack",
    "evening-prompt": "evening prompts",
    "reconciliation-prompt": "ledger reconciliation prompt",
}
_WAIT = re.compile(r"^(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?$")
_DAYS = {name: number for number, name in enumerate(WEEKDAYS)}


class MovableClock(Protocol):
    now: datetime

    def __call__(self) -> datetime: ...


@dataclass
class SandboxClock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


def opening_morning(policy: Policy, wall: datetime) -> datetime:
    """Half an hour into the working day, today or on the last working day before it."""
    day = local(wall, policy).date()
    while day.weekday() not in policy.working_days:
        day -= timedelta(days=1)
    start = datetime.combine(day, policy.work_start, policy.tz) + timedelta(minutes=30)
    return start.astimezone(UTC)


def parse_wait(text: str) -> timedelta | None:
    match = _WAIT.match(text.replace(" ", ""))
    if not text.strip() or match is None or not any(match.groups()):
        return None
    days, hours, minutes = (int(part or 0) for part in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes)


def parse_at(text: str, now: datetime, policy: Policy) -> datetime | None:
    """`fri 15:00`, `15:00` or `tomorrow 9:00`: the next such moment after now, local time."""
    parts = text.lower().split()
    if not 1 <= len(parts) <= 2 or not re.fullmatch(r"\d{1,2}:\d{2}", parts[-1]):
        return None
    hour, minute = (int(x) for x in parts[-1].split(":"))
    if hour > 23 or minute > 59:
        return None
    today = local(now, policy)
    day = today.date()
    if len(parts) == 2:
        word = parts[0][:3]
        if word == "tom":
            day += timedelta(days=1)
        elif word in _DAYS:
            day += timedelta(days=(_DAYS[word] - day.weekday()) % 7)
        elif word != "tod":
            return None
    target = datetime.combine(day, time(hour, minute), policy.tz)
    if target <= today:
        target += timedelta(days=7 if len(parts) == 2 and parts[0][:3] in _DAYS else 1)
    return target.astimezone(UTC)


class TimeMachine:
    def __init__(self, app: App, clock: MovableClock) -> None:
        self._app = app
        self._clock = clock

    def _due(self, until: datetime) -> list[tuple[datetime, str, Any]]:
        """Every scheduled run between now and `until`, in order (sweeps every SWEEP_EVERY)."""
        start = self._clock.now
        runs: list[tuple[datetime, str, Any]] = []
        for job in self._app.scheduler.get_jobs():
            if job.id in SKIPPED_JOBS:
                continue
            at = job.trigger.get_next_fire_time(None, start + timedelta(seconds=1))
            while at is not None and at <= until:
                runs.append((at.astimezone(UTC), job.id, job.func))
                at = job.trigger.get_next_fire_time(at, at + timedelta(seconds=1))
        sweep = start + SWEEP_EVERY
        while sweep <= until:
            runs.append((sweep, "deadline-sweep", self._app.jobs.sweep))
            sweep += SWEEP_EVERY
        runs.append((until, "deadline-sweep", self._app.jobs.sweep))
        return sorted(runs, key=lambda run: run[0])

    async def travel(self, until: datetime) -> list[str]:
        """Move the clock to `until`, running each job at its own time; what ran and sent."""
        ran: list[str] = []
        for at, job_id, job in self._due(until):
            self._clock.now = at
            sent = int(await job() or 0)
            if sent:  # delivered at their own time, before the clock moves on
                self._app.sender.wake()
                await self._app.sender.wait_idle()
            if sent and job_id in JOB_NAMES:
                stamp = local(at, self._app.policy).strftime("%a %m-%d %H:%M")
                ran.append(f"{stamp} {JOB_NAMES[job_id]}: {sent}")
        self._clock.now = until
        self._app.sender.wake()
        return ran

    def describe_now(self) -> str:
        moment = local(self._clock.now, self._app.policy)
        return f"It is {moment:%a %Y-%m-%d %H:%M} ({self._app.policy.tz.key}) in the sandbox."

    async def at(self, text: str) -> str:
        target = parse_at(text, self._clock.now, self._app.policy)
        if target is None:
            return "(usage: :at fri 15:00 · :at 15:00 · :at tomorrow 9:00)"
        return await self._go(target)

    async def wait(self, text: str) -> str:
        delta = parse_wait(text)
        if delta is None or delta > timedelta(days=31):
            return "(usage: :wait 2h · :wait 30m · :wait 1d (at most 31d))"
        return await self._go(self._clock.now + delta)

    async def now(self, _text: str) -> str:
        return self.describe_now()

    async def _go(self, target: datetime) -> str:
        ran = await self.travel(target)
        lines = [self.describe_now()]
        lines += [f"  ran {item}" for item in ran] or ["  nothing was due on the way"]
        return "\n".join(lines)


COMMANDS_HELP = """\
Time (the sandbox has its own clock; it only moves forward):
  :now               the sandbox's date and time
  :at fri 15:00      move to the next Friday 15:00 (or :at 15:00, :at tomorrow 9:00)
  :wait 2h           move on by 2 hours (30m, 1d, 1d2h)
                     on the way it runs what falls due: reminders, escalations, the digest,
                     morning follow-ups, the customer pool, instalments due and overdue,
                     the Friday nudge, the Saturday meeting pack, and at the month's turn
                     the reconciliation prompt and the collection analysis"""
