"""The pure rules of the weekly rhythm (bot/core/plans.py): which week a rep plans, when plans
are due, late plans, plan versus actual, the change list a manager sees, and the month."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.customers import Visit
from bot.core.plans import (
    PlanItem,
    PlanStatus,
    WeeklyPlan,
    is_late,
    meeting_summary_at,
    month_start,
    plan_changes,
    plan_due,
    plan_reminder_at,
    plan_snapshot,
    plan_versus_actual,
    planning_week,
    week_days,
)
from bot.core.policy import Meeting, Policy, Reminders

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK_ZONE = ZoneInfo("America/New_York")
BERLIN_ZONE = ZoneInfo("Europe/Berlin")

DEFAULT = Policy()  # Asia/Shanghai (UTC+8, no DST); plans due Friday 18:00, meeting Saturday
NEW_YORK = Policy(timezone="America/New_York")  # EST (UTC-5) in late November
BERLIN = Policy(timezone="Europe/Berlin")  # DST ends 2026-10-25, starts 2026-03-29 (Sundays)
SUNDAY_EVENING = Policy(meeting=Meeting(plan_due_weekday=6, plan_due=time(20, 0)))
MONDAY_NOON = Policy(meeting=Meeting(plan_due_weekday=0, plan_due=time(12, 0)))
THURSDAY_NOON = Policy(meeting=Meeting(plan_due_weekday=3, plan_due=time(12, 0)))

THIS_WEEK = date(2026, 11, 23)  # Monday; Sunday is the 29th
NEXT_WEEK = date(2026, 11, 30)
WEEK_AFTER = date(2026, 12, 7)


def sh(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """Shanghai wall clock in November 2026 (the week of Monday the 23rd … Sunday the 29th)."""
    return datetime(2026, 11, day, hour, minute, second, tzinfo=SHANGHAI)


def utc(
    month: int, day: int, hour: int, minute: int = 0, second: int = 0, year: int = 2026
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# --- planning_week --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "now", "expected"),
    [
        (DEFAULT, sh(23, 0, 0), NEXT_WEEK),  # Monday, first second of the week
        (DEFAULT, sh(26, 11), NEXT_WEEK),  # Thursday: the docstring's worked example
        (DEFAULT, sh(27, 17, 59), NEXT_WEEK),  # Friday just before the plans are due
        (DEFAULT, sh(27, 18, 0), NEXT_WEEK),  # Friday at the due time
        (DEFAULT, sh(27, 22), NEXT_WEEK),  # Friday evening, after the due time
        (DEFAULT, sh(28, 8, 30), NEXT_WEEK),  # Saturday, the summary before the meeting
        (DEFAULT, sh(28, 11), NEXT_WEEK),  # Saturday after the meeting: still next week
        (DEFAULT, sh(29, 23, 30), NEXT_WEEK),  # Sunday night
        (DEFAULT, utc(11, 29, 15, 30), NEXT_WEEK),  # = Sunday 23:30 in Shanghai
        (DEFAULT, utc(11, 29, 16, 30), WEEK_AFTER),  # = Monday 00:30 in Shanghai
        (DEFAULT, sh(30, 0, 30), WEEK_AFTER),
        (DEFAULT, utc(11, 29, 15, 59, 59), NEXT_WEEK),  # the last second of Sunday
        (DEFAULT, utc(11, 29, 16, 0), WEEK_AFTER),  # Monday 00:00 in Shanghai
        # Sunday 22:00 in New York is already Monday in UTC (03:00): the local week counts.
        (NEW_YORK, utc(11, 30, 3, 0), NEXT_WEEK),
        (NEW_YORK, datetime(2026, 11, 29, 22, 0, tzinfo=NEW_YORK_ZONE), NEXT_WEEK),
        (NEW_YORK, utc(11, 30, 5, 0), WEEK_AFTER),  # Monday 00:00 in New York
        (DEFAULT, utc(11, 30, 3, 0), WEEK_AFTER),  # the same instant in Shanghai: Monday 11:00
        # Berlin across the end of summer time (Sunday 2026-10-25, 03:00 CEST → 02:00 CET).
        (BERLIN, utc(10, 25, 0, 30), date(2026, 10, 26)),  # 02:30 CEST, the first reading
        (BERLIN, utc(10, 25, 1, 30), date(2026, 10, 26)),  # 02:30 CET, the second reading
        (BERLIN, utc(10, 25, 22, 59, 59), date(2026, 10, 26)),  # Sunday 23:59:59 CET
        (BERLIN, utc(10, 25, 23, 0), date(2026, 11, 2)),  # Monday 00:00 CET
        (BERLIN, utc(10, 25, 22, 0), date(2026, 10, 26)),  # would be Monday if still CEST
        # … and across the start of summer time (Monday 2026-03-30 00:00 CEST = 22:00 UTC).
        (BERLIN, utc(3, 29, 21, 59), date(2026, 3, 30)),
        (BERLIN, utc(3, 29, 22, 0), date(2026, 4, 6)),
        # The year turns inside a week: the week of Monday 2026-12-28 plans 2027-01-04.
        (DEFAULT, datetime(2026, 12, 31, 23, 0, tzinfo=SHANGHAI), date(2027, 1, 4)),
        (DEFAULT, datetime(2027, 1, 3, 23, 59, tzinfo=SHANGHAI), date(2027, 1, 4)),
        (DEFAULT, datetime(2027, 1, 4, 0, 0, tzinfo=SHANGHAI), date(2027, 1, 11)),
    ],
)
def test_planning_week(policy: Policy, now: datetime, expected: date) -> None:
    week = planning_week(now, policy)

    assert week == expected
    assert week.weekday() == 0  # always a Monday


def test_planning_week_is_the_week_whose_plans_are_due_next() -> None:
    """All week long, and after Friday 18:00 too (a late plan is still for that week), the
    week planned is the one due this Friday."""
    for now in (sh(23, 9), sh(27, 17), sh(27, 18, 30), sh(29, 23, 59)):
        week = planning_week(now, DEFAULT)
        assert plan_due(week, DEFAULT) == utc(11, 27, 10)


def test_planning_week_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="naive"):
        planning_week(datetime(2026, 11, 26, 11, 0), DEFAULT)


# --- plan_due -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "week", "expected"),
    [
        (DEFAULT, NEXT_WEEK, utc(11, 27, 10)),  # Friday 18:00 in Shanghai
        (DEFAULT, THIS_WEEK, utc(11, 20, 10)),
        (SUNDAY_EVENING, NEXT_WEEK, utc(11, 29, 12)),  # Sunday 20:00 in Shanghai
        (MONDAY_NOON, NEXT_WEEK, utc(11, 23, 4)),  # Monday of the week before
        # Across a month and a year boundary.
        (DEFAULT, date(2026, 12, 7), utc(12, 4, 10)),
        (DEFAULT, date(2026, 12, 28), utc(12, 25, 10)),
        (DEFAULT, date(2027, 1, 4), utc(1, 1, 10, year=2027)),
        (THURSDAY_NOON, date(2027, 1, 4), utc(12, 31, 4)),
        (SUNDAY_EVENING, date(2027, 1, 4), utc(1, 3, 12, year=2027)),
        (MONDAY_NOON, date(2027, 1, 4), utc(12, 28, 4)),
        # In a DST zone the UTC offset of 18:00 follows the season.
        (BERLIN, date(2026, 10, 26), utc(10, 23, 16)),  # Friday 18:00 CEST (UTC+2)
        (BERLIN, date(2026, 11, 2), utc(10, 30, 17)),  # Friday 18:00 CET (UTC+1)
        (BERLIN, date(2026, 3, 30), utc(3, 27, 17)),  # CET before the spring switch
        (BERLIN, date(2026, 4, 6), utc(4, 3, 16)),  # CEST after it
        (NEW_YORK, NEXT_WEEK, utc(11, 27, 23)),  # Friday 18:00 EST (UTC-5)
    ],
)
def test_plan_due(policy: Policy, week: date, expected: datetime) -> None:
    due = plan_due(week, policy)

    assert due == expected
    assert due.tzinfo is UTC


def test_plan_due_is_the_same_wall_clock_on_both_sides_of_a_dst_switch() -> None:
    before = plan_due(date(2026, 10, 26), BERLIN)
    after = plan_due(date(2026, 11, 2), BERLIN)

    assert before.astimezone(BERLIN_ZONE).time() == after.astimezone(BERLIN_ZONE).time()
    assert before.astimezone(BERLIN_ZONE).time() == time(18, 0)
    assert before.astimezone(BERLIN_ZONE).utcoffset() == timedelta(hours=2)
    assert after.astimezone(BERLIN_ZONE).utcoffset() == timedelta(hours=1)
    assert after - before == timedelta(days=7, hours=1)  # the week held 169 hours


def test_plan_due_on_the_night_clocks_go_back_takes_the_first_reading() -> None:
    policy = Policy(
        timezone="Europe/Berlin", meeting=Meeting(plan_due_weekday=6, plan_due=time(2, 30))
    )

    assert plan_due(date(2026, 10, 26), policy) == utc(10, 25, 0, 30)  # 02:30 CEST


# --- reminder, meeting summary --------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "week", "expected"),
    [
        (DEFAULT, NEXT_WEEK, utc(11, 27, 7)),  # Friday 15:00 in Shanghai
        (DEFAULT, date(2027, 1, 4), utc(1, 1, 7, year=2027)),
        (BERLIN, date(2026, 10, 26), utc(10, 23, 13)),  # 15:00 CEST
        (BERLIN, date(2026, 11, 2), utc(10, 30, 14)),  # 15:00 CET
        (
            Policy(reminders=Reminders(plan_reminder_day=3, plan_reminder=time(10, 0))),
            NEXT_WEEK,
            utc(11, 26, 2),
        ),
    ],
)
def test_plan_reminder_at(policy: Policy, week: date, expected: datetime) -> None:
    assert plan_reminder_at(week, policy) == expected


def test_the_reminder_comes_before_the_due_time() -> None:
    assert plan_reminder_at(NEXT_WEEK, DEFAULT) < plan_due(NEXT_WEEK, DEFAULT)


@pytest.mark.parametrize(
    ("policy", "week", "expected"),
    [
        (DEFAULT, NEXT_WEEK, utc(11, 28, 0, 30)),  # Saturday 08:30 in Shanghai
        (DEFAULT, date(2027, 1, 4), utc(1, 2, 0, 30, year=2027)),
        (BERLIN, date(2026, 10, 26), utc(10, 24, 6, 30)),  # 08:30 CEST, the day before the switch
        (BERLIN, date(2026, 11, 2), utc(10, 31, 7, 30)),  # 08:30 CET
        (NEW_YORK, NEXT_WEEK, utc(11, 28, 13, 30)),
        (
            Policy(meeting=Meeting(weekday=0, summary_at=time(7, 0))),
            NEXT_WEEK,
            utc(11, 22, 23),  # Monday 07:00 of the week before, in Shanghai
        ),
    ],
)
def test_meeting_summary_at(policy: Policy, week: date, expected: datetime) -> None:
    assert meeting_summary_at(week, policy) == expected


def test_the_summary_comes_after_the_due_time_and_before_the_meeting() -> None:
    summary = meeting_summary_at(NEXT_WEEK, DEFAULT)

    assert summary > plan_due(NEXT_WEEK, DEFAULT)
    assert summary.astimezone(SHANGHAI).time() < DEFAULT.meeting.at
    # The summary's run plans the same week it summarises.
    assert planning_week(summary, DEFAULT) == NEXT_WEEK


def test_week_days_are_monday_to_sunday_across_the_year_end() -> None:
    days = week_days(date(2026, 12, 28))

    assert days[0] == date(2026, 12, 28)
    assert days[-1] == date(2027, 1, 3)
    assert len(days) == 7
    assert [d.weekday() for d in days] == list(range(7))


# --- is_late --------------------------------------------------------------------------------

DUE = utc(11, 27, 10)  # of NEXT_WEEK under DEFAULT


def plan(submitted_at: datetime | None, status: PlanStatus = PlanStatus.submitted) -> WeeklyPlan:
    return WeeklyPlan(
        id=1, rep_id=7, week=NEXT_WEEK, status=status, submitted_at=submitted_at, goals="g"
    )


@pytest.mark.parametrize(
    ("weekly_plan", "late"),
    [
        (None, True),  # no plan at all
        (plan(None, PlanStatus.draft), True),  # a draft nobody submitted
        (plan(DUE), False),  # exactly at the due time is on time
        (plan(DUE - timedelta(seconds=1)), False),
        (plan(DUE + timedelta(seconds=1)), True),
        (plan(DUE - timedelta(days=2), PlanStatus.approved), False),
        (plan(DUE.astimezone(SHANGHAI)), False),  # the same instant in another zone
        (plan((DUE + timedelta(seconds=1)).astimezone(SHANGHAI)), True),
        (plan(DUE + timedelta(days=1), PlanStatus.approved), True),  # approved, but late
    ],
)
def test_is_late(weekly_plan: WeeklyPlan | None, late: bool) -> None:
    assert is_late(weekly_plan, DEFAULT) is late


def test_is_late_follows_the_policy_due_time() -> None:
    submitted = plan(utc(11, 27, 12))  # Friday 20:00 in Shanghai

    assert is_late(submitted, DEFAULT)
    assert not is_late(submitted, SUNDAY_EVENING)  # due Sunday 20:00


# --- plan versus actual ---------------------------------------------------------------------

MON, TUE, WED, THU, FRI = (NEXT_WEEK + timedelta(days=n) for n in range(5))
A, B, C = 101, 102, 103  # customer ids


def item(item_id: int, customer_id: int, day: date) -> PlanItem:
    return PlanItem(id=item_id, plan_id=1, customer_id=customer_id, day=day, purpose="p")


def visit(visit_id: int, customer_id: int, day: date) -> Visit:
    return Visit(
        id=visit_id,
        customer_id=customer_id,
        rep_id=7,
        kind="first",
        visited_on=day,
        logged_at=utc(11, 30, 10),
        outcome="talked",
        intent="medium",
    )


@pytest.mark.parametrize(
    ("items", "visits", "done", "missed", "unplanned", "completion"),
    [
        pytest.param([], [], [], [], [], 100, id="nothing planned, nothing done"),
        pytest.param([], [visit(1, A, MON)], [], [], [1], 100, id="nothing planned, one visit"),
        pytest.param([item(1, A, MON)], [visit(1, A, MON)], [1], [], [], 100, id="as planned"),
        pytest.param(
            [item(1, A, TUE)], [visit(1, A, THU)], [1], [], [], 100, id="moved to another day"
        ),
        pytest.param(
            [item(1, A, THU)], [visit(1, A, MON)], [1], [], [], 100, id="done before the day"
        ),
        pytest.param([item(1, A, MON)], [], [], [1], [], 0, id="missed"),
        pytest.param([item(1, A, MON)], [visit(1, B, MON)], [], [1], [1], 0, id="another customer"),
        pytest.param(
            [item(1, A, WED), item(2, A, MON)],
            [visit(1, A, THU)],
            [2],
            [1],
            [],
            50,
            id="twice planned once visited: the earliest day is done",
        ),
        pytest.param(
            [item(1, A, MON), item(2, A, MON)],
            [visit(1, A, MON)],
            [1],
            [2],
            [],
            50,
            id="same day twice: the lower item id is done",
        ),
        pytest.param(
            [item(1, A, MON), item(2, A, WED)],
            [visit(1, A, MON), visit(2, A, WED)],
            [1, 2],
            [],
            [],
            100,
            id="twice planned twice visited",
        ),
        pytest.param(
            [item(1, A, MON)],
            [visit(1, A, MON), visit(2, A, TUE)],
            [1],
            [],
            [2],
            100,
            id="a visit fulfils one item: the second is unplanned",
        ),
        pytest.param(
            [item(1, A, MON), item(2, B, TUE), item(3, C, WED)],
            [visit(1, A, MON), visit(2, B, FRI)],
            [1, 2],
            [3],
            [],
            66,
            id="2 of 3 rounds down to 66",
        ),
        pytest.param(
            [item(1, A, MON), item(2, B, TUE), item(3, C, WED)],
            [visit(1, C, MON), visit(2, 999, TUE), visit(3, 998, WED)],
            [3],
            [1, 2],
            [2, 3],
            33,
            id="1 of 3 rounds down to 33, unplanned do not count",
        ),
    ],
)
def test_plan_versus_actual(
    items: list[PlanItem],
    visits: list[Visit],
    done: list[int],
    missed: list[int],
    unplanned: list[int],
    completion: int,
) -> None:
    result = plan_versus_actual(items, visits)

    assert result.planned == len(items)
    assert [i.id for i in result.done] == done
    assert [i.id for i in result.missed] == missed
    assert [v.id for v in result.unplanned] == unplanned
    assert result.completion == completion


def test_plan_versus_actual_leaves_its_arguments_alone() -> None:
    items = [item(2, A, WED), item(1, A, MON)]
    visits = [visit(1, A, MON)]

    plan_versus_actual(items, visits)

    assert [i.id for i in items] == [2, 1]
    assert [v.id for v in visits] == [1]


def test_completion_never_passes_100_with_extra_visits() -> None:
    result = plan_versus_actual([item(1, A, MON)], [visit(n, A, MON) for n in range(1, 6)])

    assert result.completion == 100
    assert len(result.unplanned) == 4


# --- snapshot and changes -------------------------------------------------------------------


def weekly_plan(goals: str | None, *items: PlanItem) -> WeeklyPlan:
    return WeeklyPlan(
        id=1, rep_id=7, week=NEXT_WEEK, status=PlanStatus.draft, goals=goals, items=list(items)
    )


def test_plan_snapshot_is_plain_json_sorted_by_customer_and_day() -> None:
    snapshot = plan_snapshot(
        weekly_plan("Close Acme", item(2, B, MON), item(1, A, WED), item(3, A, MON))
    )

    assert snapshot == {
        "goals": "Close Acme",
        "items": [
            [A, "2026-11-30", "p"],
            [A, "2026-12-02", "p"],
            [B, "2026-11-30", "p"],
        ],
    }


def test_plan_changes_with_nothing_seen_before_is_empty() -> None:
    assert plan_changes(None, plan_snapshot(weekly_plan("g", item(1, A, MON)))) == {}


@pytest.mark.parametrize(
    ("before", "after", "added", "removed", "goals_changed"),
    [
        pytest.param(
            weekly_plan("g", item(1, A, MON)),
            weekly_plan("g", item(1, A, MON)),
            [],
            [],
            False,
            id="unchanged",
        ),
        pytest.param(
            weekly_plan("g", item(1, A, MON)),
            weekly_plan("g", item(1, A, MON), item(2, B, TUE)),
            [(B, "2026-12-01", "p")],
            [],
            False,
            id="added",
        ),
        pytest.param(
            weekly_plan("g", item(1, A, MON), item(2, B, TUE)),
            weekly_plan("g", item(2, B, TUE)),
            [],
            [(A, "2026-11-30", "p")],
            False,
            id="removed",
        ),
        pytest.param(
            weekly_plan("g", item(1, A, MON)),
            weekly_plan("g", item(9, A, THU)),
            [(A, "2026-12-03", "p")],
            [(A, "2026-11-30", "p")],
            False,
            id="moved to another day",
        ),
        pytest.param(
            weekly_plan("g", item(1, A, MON)),
            weekly_plan("g", item(9, A, MON)),
            [],
            [],
            False,
            id="re-added with a new id: no change",
        ),
        pytest.param(
            weekly_plan("old", item(1, A, MON)),
            weekly_plan("new", item(1, A, MON)),
            [],
            [],
            True,
            id="goals changed",
        ),
        pytest.param(weekly_plan(None), weekly_plan("g"), [], [], True, id="goals written"),
    ],
)
def test_plan_changes(
    before: WeeklyPlan,
    after: WeeklyPlan,
    added: list[tuple[object, ...]],
    removed: list[tuple[object, ...]],
    goals_changed: bool,
) -> None:
    changes = plan_changes(plan_snapshot(before), plan_snapshot(after))

    assert changes == {"added": added, "removed": removed, "goals_changed": goals_changed}


def test_plan_changes_reads_a_snapshot_that_went_through_json() -> None:
    before = json.loads(json.dumps(plan_snapshot(weekly_plan("g", item(1, A, MON)))))
    after = plan_snapshot(weekly_plan("g", item(1, A, MON), item(2, B, TUE)))

    assert plan_changes(before, after) == {
        "added": [(B, "2026-12-01", "p")],
        "removed": [],
        "goals_changed": False,
    }


# --- month_start ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "at", "expected"),
    [
        (DEFAULT, utc(11, 30, 15, 59), date(2026, 11, 1)),  # 23:59 on 30 November in Shanghai
        (DEFAULT, utc(11, 30, 16, 30), date(2026, 12, 1)),  # 00:30 on 1 December in Shanghai
        (DEFAULT, sh(1, 0, 0), date(2026, 11, 1)),
        (DEFAULT, utc(12, 31, 16, 0), date(2027, 1, 1)),  # the year turns in Shanghai first
        (DEFAULT, utc(12, 31, 15, 59), date(2026, 12, 1)),
        (NEW_YORK, utc(12, 1, 3, 0), date(2026, 11, 1)),  # 22:00 on 30 November in New York
        (NEW_YORK, utc(12, 1, 5, 0), date(2026, 12, 1)),
        (BERLIN, utc(10, 31, 23, 0), date(2026, 11, 1)),  # midnight CET
        (BERLIN, utc(10, 31, 22, 59), date(2026, 10, 1)),
    ],
)
def test_month_start(policy: Policy, at: datetime, expected: date) -> None:
    assert month_start(at, policy) == expected


def test_month_start_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="naive"):
        month_start(datetime(2026, 11, 30, 23, 0), DEFAULT)
