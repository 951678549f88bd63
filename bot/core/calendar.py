"""Working time in the company's zone: deadlines, quiet hours and the scheduler's next ticks.

Every function takes the moment it reasons about as an argument (rules never read the clock),
accepts aware datetimes in any zone and returns aware datetimes in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot.core.policy import Policy

_WEEK = 7


def local(at: datetime, policy: Policy) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"naive datetime {at.isoformat()}: rules need an aware one")
    return at.astimezone(policy.tz)


def is_working_day(day: date, policy: Policy) -> bool:
    return day.weekday() in policy.working_days


def next_working_day(day: date, policy: Policy) -> date:
    for offset in range(1, _WEEK + 1):
        candidate = day + timedelta(days=offset)
        if is_working_day(candidate, policy):
            return candidate
    raise ValueError("the policy has no working days")


def last_working_day(day: date, policy: Policy) -> date:
    """The last working day of `day`'s month (the monthly reconciliation's prompt): with
    Monday to Saturday working, 2026-05 → 05-30 (the 31st is a Sunday)."""
    last = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    for back in range(_MONTH_DAYS):
        candidate = last - timedelta(days=back)
        if candidate.month != day.month:
            break
        if is_working_day(candidate, policy):
            return candidate
    raise ValueError("the policy has no working day in that month")


_MONTH_DAYS = 31


def at_local(day: date, clock: time, policy: Policy) -> datetime:
    """A wall-clock time in the company's zone. In a DST gap or overlap the earlier reading
    (fold=0) wins, so 02:30 on a spring-forward night is 03:30 summer time."""
    wall = datetime.combine(day, clock, tzinfo=policy.tz).replace(fold=0)
    return wall.astimezone(UTC)


def step_due(opened_at: datetime, policy: Policy) -> datetime:
    """Seed: special terms are decided the same day. A step opened on a working day before
    `same_day_until` is due that day at `due_time` (also when opened before work starts);
    later, or on a day off, it is due the next working day at `next_day_due`, so an approver
    always gets a fair part of a working day."""
    opened = local(opened_at, policy)
    day = opened.date()
    rules = policy.deadlines
    if is_working_day(day, policy) and opened.time() < rules.same_day_until:
        return at_local(day, rules.due_time, policy)
    return at_local(next_working_day(day, policy), rules.next_day_due, policy)


def _quiet_clock(clock: time, policy: Policy) -> bool:
    start, end = policy.quiet_start, policy.quiet_end
    if start == end:
        return False
    if start < end:
        return start <= clock < end
    return clock >= start or clock < end  # wraps midnight, e.g. 21:00 → 08:00


def in_quiet_hours(at: datetime, policy: Policy) -> bool:
    """Nobody is pinged at night or on a day off: quiet hours are local wall-clock hours and
    may wrap midnight."""
    moment = local(at, policy)
    return not is_working_day(moment.date(), policy) or _quiet_clock(moment.time(), policy)


def _resume_clocks(policy: Policy) -> list[time]:
    # Work starts the day's nudges; quiet hours ending later (a lunch break, or a night that
    # runs past work_start) reopen them.
    clocks = {policy.work_start}
    if policy.quiet_end > policy.work_start:
        clocks.add(policy.quiet_end)
    return sorted(clocks)


def next_nudge_time(at: datetime, policy: Policy) -> datetime:
    """A reminder may go out on a working day outside quiet hours. One that falls in quiet
    hours waits for the next start of work (today's if work has not started yet) rather than
    the end of the night, so it arrives when people are at their desks."""
    if not in_quiet_hours(at, policy):
        return at.astimezone(UTC)
    start = local(at, policy).date()
    for offset in range(_WEEK + 1):
        day = start + timedelta(days=offset)
        for clock in _resume_clocks(policy):
            candidate = at_local(day, clock, policy)
            if candidate >= at and not in_quiet_hours(candidate, policy):
                return candidate
    raise ValueError("the policy leaves no time for reminders")


def next_occurrence(
    after: datetime, clock: time, policy: Policy, *, working_days_only: bool = True
) -> datetime:
    """The first moment strictly after `after` at wall-clock `clock`, on a working day unless
    told otherwise: the scheduler's next tick for a daily job such as the digest."""
    start = local(after, policy).date()
    for offset in range(_WEEK + 1):
        day = start + timedelta(days=offset)
        if working_days_only and not is_working_day(day, policy):
            continue
        candidate = at_local(day, clock, policy)
        if candidate > after:
            return candidate
    raise ValueError("the policy has no working days")


def week_start(at: datetime, policy: Policy) -> date:
    day = local(at, policy).date()
    return day - timedelta(days=day.weekday())


def first_working_day(year: int, month: int, policy: Policy) -> date:
    """The month's first working day: the 1st, or the next working day after it (a month
    starting on a Sunday, Mon–Sat working, begins work on the 2nd)."""
    first = date(year, month, 1)
    return first if is_working_day(first, policy) else next_working_day(first, policy)


# A monthly job a worker missed (down on its day) catches up within this many days.
MONTHLY_CATCH_UP_DAYS = 7


def monthly_job_due(today: date, policy: Policy) -> bool:
    """A job of the month's first working day runs from that day to MONTHLY_CATCH_UP_DAYS
    after it (a worker down on the day catches up; its claims keep it once); later it would
    be stale news. Worked example (Mon–Sat): December 2026 starts on a Tuesday, so the
    1st to the 7th: True; the 8th: False."""
    first = first_working_day(today.year, today.month, policy)
    return first <= today < first + timedelta(days=MONTHLY_CATCH_UP_DAYS)


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_end(day: date) -> date:
    """The last day of `day`'s month: 2026-02-10 → 2026-02-28."""
    return next_month(day) - timedelta(days=1)


def last_month(today: date) -> date:
    """The month just ended, as its first day: 2026-03-01 → 2026-02-01."""
    return month_start(month_start(today) - timedelta(days=1))
