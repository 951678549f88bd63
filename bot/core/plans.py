"""Weekly plans, plan versus actual, and monthly targets (the department's routine in the seed:
plans are reported at the Saturday-morning meeting; tasks are assigned in writing and confirmed)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from bot.core.calendar import at_local, local, week_start
from bot.core.customers import Visit
from bot.core.policy import Policy

GOALS_MAX = 1000
PURPOSE_MAX = 200
LOG_NOTE_MAX = 1000
MAX_PLAN_ITEMS = 60


class PlanStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    approved = "approved"
    returned = "returned"


@dataclass(slots=True)
class PlanItem:
    id: int
    plan_id: int
    customer_id: int
    day: date
    purpose: str


@dataclass(slots=True)
class WeeklyPlan:
    id: int
    rep_id: int
    week: date  # the Monday of the planned week
    status: PlanStatus
    goals: str | None = None
    submitted_at: datetime | None = None
    reviewed_by: int | None = None
    reviewed_at: datetime | None = None
    comment: str | None = None
    last_submitted: dict[str, Any] | None = None  # what the manager saw last time
    items: list[PlanItem] = field(default_factory=list)

    @property
    def submitted(self) -> bool:
        return self.status in (PlanStatus.submitted, PlanStatus.approved)


@dataclass(slots=True)
class MonthlyTarget:
    id: int
    rep_id: int
    month: date  # the first day of the month
    sales: Decimal
    collection: Decimal
    set_by: int
    set_at: datetime
    confirmed_at: datetime | None = None
    quantity: Decimal = Decimal(0)  # units; 0 when the manager set none
    confirm_by: datetime | None = None  # the rep's deadline to confirm it
    next_nudge_at: datetime | None = None  # the reminder, then the deadline; None when done


def planning_week(now: datetime, policy: Policy) -> date:
    """The week a rep plans now: always the next Monday-to-Sunday week in the company's zone.
    Worked example: on Thursday, and still on Saturday after Friday's due time (then late),
    the plan is for next Monday's week; from Monday 00:00 local it is the week after."""
    this_week = week_start(now, policy)
    return this_week + timedelta(days=7)


def plan_due(week: date, policy: Policy) -> datetime:
    """Plans are due the weekday before the week at the policy time (default Friday 18:00)."""
    previous_week = week - timedelta(days=7)
    return at_local(
        previous_week + timedelta(days=policy.meeting.plan_due_weekday),
        policy.meeting.plan_due,
        policy,
    )


def plan_reminder_at(week: date, policy: Policy) -> datetime:
    previous_week = week - timedelta(days=7)
    day = previous_week + timedelta(days=policy.reminders.plan_reminder_day)
    return at_local(day, policy.reminders.plan_reminder, policy)


def meeting_summary_at(week: date, policy: Policy) -> datetime:
    previous_week = week - timedelta(days=7)
    day = previous_week + timedelta(days=policy.meeting.weekday)
    return at_local(day, policy.meeting.summary_at, policy)


def week_days(week: date) -> list[date]:
    return [week + timedelta(days=offset) for offset in range(7)]


@dataclass(frozen=True, slots=True)
class PlanVersusActual:
    planned: int
    done: list[PlanItem]
    missed: list[PlanItem]
    unplanned: list[Visit]
    fulfilled_by: dict[int, Visit] = field(default_factory=dict)  # plan item id → its visit

    @property
    def completion(self) -> int:
        """Per cent of planned visits done, rounded down; 100 when nothing was planned."""
        return 100 if not self.planned else len(self.done) * 100 // self.planned


def plan_versus_actual(items: Sequence[PlanItem], visits: Sequence[Visit]) -> PlanVersusActual:
    """A planned visit counts as done when a visit to the same customer was logged in the same
    week (any day: a visit moved from Tuesday to Thursday still counts). Each logged visit
    fulfils at most one planned visit; visits left over are unplanned."""
    remaining = list(visits)
    done: list[PlanItem] = []
    missed: list[PlanItem] = []
    fulfilled_by: dict[int, Visit] = {}
    for item in sorted(items, key=lambda i: (i.day, i.id)):
        match = next((v for v in remaining if v.customer_id == item.customer_id), None)
        if match is None:
            missed.append(item)
            continue
        remaining.remove(match)
        done.append(item)
        fulfilled_by[item.id] = match
    return PlanVersusActual(len(items), done, missed, remaining, fulfilled_by)


def plan_snapshot(plan: WeeklyPlan) -> dict[str, Any]:
    """The plan as the manager saw it: kept at each submission to show what changed next time."""
    return {
        "goals": plan.goals,
        "items": sorted([i.customer_id, i.day.isoformat(), i.purpose] for i in plan.items),
    }


def plan_changes(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, Any]:
    """What changed since the manager last saw the plan: items added and removed, goals."""
    if before is None:
        return {}
    old_items = {tuple(i) for i in before.get("items", [])}
    new_items = {tuple(i) for i in after.get("items", [])}
    return {
        "added": sorted(new_items - old_items),
        "removed": sorted(old_items - new_items),
        "goals_changed": before.get("goals") != after.get("goals"),
    }


def is_late(plan: WeeklyPlan | None, policy: Policy) -> bool:
    """Submitted after the due time (or not yet submitted)."""
    if plan is None or plan.submitted_at is None:
        return True
    return plan.submitted_at > plan_due(plan.week, policy)


def month_start(at: datetime, policy: Policy) -> date:
    return local(at, policy).date().replace(day=1)


def target_months(now: datetime, policy: Policy) -> tuple[date, date]:
    """Targets are set for this month or, near its end, for the next one."""
    this = month_start(now, policy)
    return this, (this + timedelta(days=32)).replace(day=1)
