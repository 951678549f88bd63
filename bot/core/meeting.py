"""The Saturday meeting pack (周例会): what each rep reports, read from the plans, visits, deals
and the ledger (seed: at the weekly meeting each rep reports last week's results and next
week's key visits; the manager guides and settles them), and the manager's training topic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from bot.core.calendar import at_local
from bot.core.customers import Visit
from bot.core.orders import DealStage
from bot.core.plans import PlanItem, planning_week
from bot.core.policy import Policy

TOPIC_MAX = 200
OUTCOME_SHORT = 80  # an outcome as the pack quotes it


def meeting_at(week: date, policy: Policy) -> datetime:
    """The meeting where `week`'s plans are reported: the weekday before that week at the policy
    time (default Saturday 09:00). Week of Monday 03-09 → Saturday 03-07 09:00."""
    day = week - timedelta(days=7) + timedelta(days=policy.meeting.weekday)
    return at_local(day, policy.meeting.at, policy)


def coming_meeting(now: datetime, policy: Policy) -> date:
    """The planned week of the next meeting not yet begun: a topic typed on Saturday after the
    09:00 meeting is for next Saturday's, never for the one already held."""
    week = planning_week(now, policy)
    return week if now < meeting_at(week, policy) else week + timedelta(days=7)


def shorten(text: str, limit: int = OUTCOME_SHORT) -> str:
    """One line of at most `limit` characters: line breaks folded, a cut text ends in "…"."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class PlannedVisit:
    """A visit of the week's plan, and the visit that fulfilled it (None: not done)."""

    item: PlanItem
    customer: str
    visit: Visit | None


@dataclass(frozen=True, slots=True)
class OpenDeal:
    customer: str
    stage: DealStage
    amount: Decimal | None  # the reservation's, else the approved terms' net; None: unknown
    since: datetime


@dataclass(frozen=True, slots=True)
class OverdueMoney:
    contract: str
    customer: str
    amount: Decimal
    days: int


@dataclass(frozen=True, slots=True)
class KeyVisit:
    item: PlanItem
    customer: str


@dataclass(frozen=True, slots=True)
class RepPack:
    """One rep's part of the pack. `status`: submitted, late or missing (next week's plan)."""

    rep_id: int
    name: str
    status: str
    planned: list[PlannedVisit]  # this week's plan versus actual
    unplanned: list[tuple[Visit, str]]  # visits logged this week outside the plan
    key_visits: list[KeyVisit]  # next week's plan
    deals: list[OpenDeal]
    overdue: list[OverdueMoney]

    @property
    def done(self) -> int:
        return sum(1 for p in self.planned if p.visit is not None)

    @property
    def completion(self) -> int | None:
        """Per cent of planned visits done, rounded down; None when nothing was planned (no
        plan is not a plan fulfilled: the pack says "—", never 100 %)."""
        return self.done * 100 // len(self.planned) if self.planned else None

    @property
    def deals_amount(self) -> Decimal:
        return sum((d.amount or Decimal(0) for d in self.deals), Decimal(0))

    @property
    def overdue_amount(self) -> Decimal:
        return sum((o.amount for o in self.overdue), Decimal(0))

    @property
    def most_days(self) -> int:
        return max((o.days for o in self.overdue), default=0)


@dataclass(frozen=True, slots=True)
class MeetingPack:
    """The pack for the meeting before `week` (the planned week), for one manager's team;
    `this_week` is the week reported on (the one ending at the meeting)."""

    week: date
    manager: str
    meeting: datetime
    topic: str | None
    reps: list[RepPack]

    @property
    def this_week(self) -> date:
        return self.week - timedelta(days=7)

    def count(self, status: str) -> int:
        return sum(1 for r in self.reps if r.status == status)
