from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.core.calendar import (
    at_local,
    in_quiet_hours,
    is_working_day,
    local,
    monthly_job_due,
    next_nudge_time,
    next_occurrence,
    next_working_day,
    step_due,
    week_start,
)
from bot.core.policy import Policy

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN_ZONE = ZoneInfo("Europe/Berlin")

DEFAULT = Policy()  # Asia/Shanghai, Monday to Saturday, quiet 21:00 → 08:00, work from 09:00
MON_FRI = Policy(working_days=(0, 1, 2, 3, 4))
BERLIN = Policy(timezone="Europe/Berlin")  # DST: 2026-03-29 and 2026-10-25 are the switch days
LUNCH = Policy(quiet_start=time(12, 0), quiet_end=time(13, 0))
LATE_MORNING = Policy(quiet_end=time(10, 0))  # the night runs past work_start


def sh(day: int, hour: int, minute: int = 0) -> datetime:
    """Shanghai wall clock in the week of Monday 2026-11-23 … Sunday 2026-11-29."""
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def be(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BERLIN_ZONE)


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def test_local_converts_to_the_company_zone() -> None:
    moment = local(utc(11, 23, 2), DEFAULT)

    assert moment == sh(23, 10)
    assert (moment.tzinfo, moment.hour) == (SHANGHAI, 10)


def test_local_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="naive"):
        local(datetime(2026, 11, 23, 10, 0), DEFAULT)


@pytest.mark.parametrize(
    ("policy", "day", "expected"),
    [
        (DEFAULT, date(2026, 11, 28), True),  # Saturday works by default
        (DEFAULT, date(2026, 11, 29), False),
        (MON_FRI, date(2026, 11, 28), False),
        (MON_FRI, date(2026, 11, 27), True),
    ],
)
def test_is_working_day(policy: Policy, day: date, expected: bool) -> None:
    assert is_working_day(day, policy) is expected


@pytest.mark.parametrize(
    ("policy", "day", "expected"),
    [
        (DEFAULT, date(2026, 11, 23), date(2026, 11, 24)),
        (DEFAULT, date(2026, 11, 27), date(2026, 11, 28)),
        (DEFAULT, date(2026, 11, 28), date(2026, 11, 30)),
        (DEFAULT, date(2026, 11, 29), date(2026, 11, 30)),
        (MON_FRI, date(2026, 11, 27), date(2026, 11, 30)),
    ],
)
def test_next_working_day(policy: Policy, day: date, expected: date) -> None:
    assert next_working_day(day, policy) == expected


def test_a_policy_without_working_days_is_an_error() -> None:
    with pytest.raises(ValueError, match="no working days"):
        next_working_day(date(2026, 11, 23), Policy(working_days=()))


@pytest.mark.parametrize(
    ("policy", "day", "clock", "expected"),
    [
        (DEFAULT, date(2026, 11, 23), time(9, 0), utc(11, 23, 1)),
        (BERLIN, date(2026, 3, 28), time(9, 0), utc(3, 28, 8)),  # CET
        (BERLIN, date(2026, 3, 30), time(9, 0), utc(3, 30, 7)),  # CEST
        (BERLIN, date(2026, 3, 29), time(2, 30), utc(3, 29, 1, 30)),  # in the gap: 03:30 CEST
        (BERLIN, date(2026, 10, 25), time(2, 30), utc(10, 25, 0, 30)),  # twice: the first
        (BERLIN, date(2026, 10, 26), time(9, 0), utc(10, 26, 8)),
    ],
)
def test_at_local(policy: Policy, day: date, clock: time, expected: datetime) -> None:
    result = at_local(day, clock, policy)

    assert result == expected
    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    ("policy", "opened", "expected"),
    [
        (DEFAULT, sh(23, 10), sh(23, 18)),
        (DEFAULT, sh(23, 15, 59), sh(23, 18)),
        (DEFAULT, sh(23, 16), sh(24, 12)),
        (DEFAULT, sh(23, 7), sh(23, 18)),  # before work starts: still the same day
        (DEFAULT, sh(28, 10), sh(28, 18)),  # Saturday works
        (DEFAULT, sh(28, 17), sh(30, 12)),  # Saturday evening: Sunday is off
        (DEFAULT, sh(29, 11), sh(30, 12)),  # Sunday
        (MON_FRI, sh(27, 17), sh(30, 12)),
        (MON_FRI, sh(28, 10), sh(30, 12)),
        (DEFAULT, utc(11, 23, 2), sh(23, 18)),  # 10:00 in Shanghai
        (DEFAULT, utc(11, 23, 8), sh(24, 12)),  # 16:00 in Shanghai
        (DEFAULT, utc(11, 22, 23), sh(23, 18)),  # Sunday in UTC, Monday 07:00 in Shanghai
        (BERLIN, be(3, 27, 10), be(3, 27, 18)),
        (BERLIN, be(3, 28, 17), be(3, 30, 12)),  # over the spring-forward Sunday
        (BERLIN, be(3, 29, 11), be(3, 30, 12)),
        (BERLIN, be(10, 24, 17), be(10, 26, 12)),  # over the fall-back Sunday
    ],
)
def test_step_due(policy: Policy, opened: datetime, expected: datetime) -> None:
    result = step_due(opened, policy)

    assert result == expected
    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    ("policy", "at", "expected"),
    [
        (DEFAULT, sh(23, 12), False),
        (DEFAULT, sh(23, 20, 59), False),
        (DEFAULT, sh(23, 21), True),
        (DEFAULT, sh(23, 23, 59), True),
        (DEFAULT, sh(24, 0, 30), True),  # the night wraps midnight
        (DEFAULT, sh(24, 7, 59), True),
        (DEFAULT, sh(24, 8), False),
        (DEFAULT, sh(29, 12), True),  # Sunday is off all day
        (DEFAULT, utc(11, 23, 14), True),  # 22:00 in Shanghai
        (LUNCH, sh(23, 12, 30), True),
        (LUNCH, sh(23, 13), False),
        (LUNCH, sh(23, 23), False),
        (Policy(quiet_start=time(21, 0), quiet_end=time(21, 0)), sh(23, 23), False),
    ],
)
def test_in_quiet_hours(policy: Policy, at: datetime, expected: bool) -> None:
    assert in_quiet_hours(at, policy) is expected


@pytest.mark.parametrize(
    ("policy", "at", "expected"),
    [
        (DEFAULT, sh(23, 10), sh(23, 10)),
        (DEFAULT, sh(24, 8, 30), sh(24, 8, 30)),  # after the night, before work: allowed
        (DEFAULT, sh(23, 23), sh(24, 9)),
        (DEFAULT, sh(24, 7), sh(24, 9)),
        (DEFAULT, sh(28, 22), sh(30, 9)),  # Saturday night: Sunday is off
        (DEFAULT, sh(29, 10), sh(30, 9)),
        (MON_FRI, sh(27, 21, 30), sh(30, 9)),
        (LUNCH, sh(23, 12, 30), sh(23, 13)),  # quiet hours that end during the day
        (LATE_MORNING, sh(24, 7), sh(24, 10)),  # work starts before the night ends
        (BERLIN, be(3, 28, 23), be(3, 30, 9)),
        (BERLIN, be(10, 24, 23), be(10, 26, 9)),
    ],
)
def test_next_nudge_time(policy: Policy, at: datetime, expected: datetime) -> None:
    result = next_nudge_time(at, policy)

    assert result == expected
    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    ("policy", "after", "clock", "working_days_only", "expected"),
    [
        (DEFAULT, sh(23, 8), time(9, 0), True, sh(23, 9)),
        (DEFAULT, sh(23, 9), time(9, 0), True, sh(24, 9)),  # strictly after
        (DEFAULT, sh(28, 10), time(9, 0), True, sh(30, 9)),  # skips Sunday
        (DEFAULT, sh(28, 10), time(9, 0), False, sh(29, 9)),
        (DEFAULT, sh(29, 8), time(9, 0), True, sh(30, 9)),
        (DEFAULT, utc(11, 23, 0, 30), time(9, 0), True, sh(23, 9)),  # 08:30 in Shanghai
        (BERLIN, be(3, 28, 10), time(9, 0), True, be(3, 30, 9)),
        (BERLIN, be(3, 28, 10), time(9, 0), False, utc(3, 29, 7)),  # 09:00 CEST
        (BERLIN, be(3, 28, 10), time(2, 30), False, utc(3, 29, 1, 30)),  # in the gap
        (BERLIN, be(10, 24, 10), time(9, 0), True, utc(10, 26, 8)),  # 09:00 CET
    ],
)
def test_next_occurrence(
    policy: Policy, after: datetime, clock: time, working_days_only: bool, expected: datetime
) -> None:
    result = next_occurrence(after, clock, policy, working_days_only=working_days_only)

    assert result == expected
    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    ("policy", "at", "expected"),
    [
        (DEFAULT, sh(23, 10), date(2026, 11, 23)),
        (DEFAULT, sh(29, 23, 59), date(2026, 11, 23)),
        (DEFAULT, sh(30, 0, 1), date(2026, 11, 30)),
        (DEFAULT, utc(11, 29, 16, 30), date(2026, 11, 30)),  # Monday 00:30 in Shanghai
        (BERLIN, be(3, 29, 23), date(2026, 3, 23)),
    ],
)
def test_week_start(policy: Policy, at: datetime, expected: date) -> None:
    assert week_start(at, policy) == expected


@pytest.mark.parametrize(
    ("day", "due"),
    [
        (date(2026, 11, 30), False),
        (date(2026, 12, 1), True),
        (date(2026, 12, 7), True),
        (date(2026, 12, 8), False),
    ],
)
def test_a_monthly_job_runs_from_the_first_working_day_for_a_week(day: date, due: bool) -> None:
    assert monthly_job_due(day, Policy()) is due
