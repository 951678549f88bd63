"""APScheduler as a clock only: every job opens its own unit of work and runs one idempotent
use case, so a job run twice (or by two processes) sends nothing twice."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import Clock
from bot.core.policy import WEEKDAYS, Policy
from bot.core.ports import UnitOfWorkFactory
from bot.core.usecases.collection_report import send_collection_analysis
from bot.core.usecases.collection_sweep import sweep_collections
from bot.core.usecases.monthly_report import send_monthly_reports
from bot.core.usecases.pool_sweep import sweep_pool
from bot.core.usecases.reconciliation import prompt_reconciliation
from bot.core.usecases.reminders import send_digests, sweep_deadlines
from bot.core.usecases.review import prepare_reviews
from bot.core.usecases.routine import (
    evening_prompts,
    remind_plans,
    report_missing_plans,
    send_meeting_summaries,
)
from bot.core.usecases.targets import sweep_targets
from bot.core.usecases.visits import send_follow_ups

log = logging.getLogger(__name__)
SWEEP_SECONDS = 60


class Jobs:
    def __init__(self, uow_factory: UnitOfWorkFactory, policy: Policy, clock: Clock) -> None:
        self._uow_factory = uow_factory
        self._policy = policy
        self._clock = clock

    async def sweep(self) -> int:
        """Approval deadlines, then targets' confirmation deadlines, each its own unit of work."""
        return await self._run(sweep_deadlines) + await self._run(sweep_targets)

    async def digest(self) -> int:
        return await self._run(send_digests)

    async def collections(self) -> int:
        return await self._run(sweep_collections)

    async def follow_ups(self) -> int:
        return await self._run(send_follow_ups)

    async def pool(self) -> int:
        return await self._run(sweep_pool)

    async def plan_reminders(self) -> int:
        return await self._run(remind_plans)

    async def missing_plans(self) -> int:
        return await self._run(report_missing_plans)

    async def meeting_summaries(self) -> int:
        return await self._run(send_meeting_summaries)

    async def evening_prompts(self) -> int:
        return await self._run(evening_prompts)

    async def collection_analysis(self) -> int:
        """Daily; the use case acts on the month's first working day only."""
        return await self._run(send_collection_analysis)

    async def monthly_report(self) -> int:
        """Daily; the use case acts on the month's first working day only."""
        return await self._run(send_monthly_reports)

    async def reviews(self) -> int:
        """Daily; the use case acts on the month's first working day (and its catch-up days)."""
        return await self._run(prepare_reviews)

    async def reconciliation_prompt(self) -> int:
        return await self._run(prompt_reconciliation)

    async def _run(self, job: Callable[..., Awaitable[int]]) -> int:
        """One job in a unit of work of its own, with the policy and the clock's now."""
        async with self._uow_factory() as uow:
            return int(await job(uow, policy=self._policy, now=self._clock()))


def make_scheduler(jobs: Jobs, policy: Policy) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(
        timezone=policy.tz,
        # A job late after a stall still runs once: sweeps are idempotent and catch up.
        job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )
    scheduler.add_job(jobs.sweep, IntervalTrigger(seconds=SWEEP_SECONDS), id="deadline-sweep")
    digest = policy.reminders.digest
    days = ",".join(WEEKDAYS[day] for day in policy.working_days)
    scheduler.add_job(
        jobs.digest,
        CronTrigger(
            hour=digest.hour,
            minute=digest.minute,
            day_of_week=days,
            timezone=policy.tz,
        ),
        id="approval-digest",
    )
    scheduler.add_job(
        jobs.collection_analysis,
        CronTrigger(hour=digest.hour, minute=digest.minute, day_of_week=days, timezone=policy.tz),
        id="collection-analysis",
    )
    scheduler.add_job(
        jobs.monthly_report,
        CronTrigger(hour=digest.hour, minute=digest.minute, day_of_week=days, timezone=policy.tz),
        id="monthly-report",  # the general manager's, on the month's first working day
    )
    scheduler.add_job(
        jobs.reviews,
        CronTrigger(hour=digest.hour, minute=digest.minute, day_of_week=days, timezone=policy.tz),
        id="performance-reviews",
    )
    scheduler.add_job(
        jobs.reconciliation_prompt,
        CronTrigger(hour=digest.hour, minute=digest.minute, day_of_week=days, timezone=policy.tz),
        id="reconciliation-prompt",  # acts on the month's last working day only
    )
    follow = policy.reminders.followups
    scheduler.add_job(
        jobs.follow_ups,
        CronTrigger(hour=follow.hour, minute=follow.minute, day_of_week=days, timezone=policy.tz),
        id="follow-ups",
    )
    due = policy.collections.sweep_at
    scheduler.add_job(
        jobs.collections,
        CronTrigger(hour=due.hour, minute=due.minute, day_of_week=days, timezone=policy.tz),
        id="collections-sweep",
    )
    # The pool sweep just before the follow-ups: an owner warned in the morning still has the
    # day to call; one that lost a customer finds the follow-up list already without it.
    pool_at = max(0, follow.hour * 60 + follow.minute - 5)
    scheduler.add_job(
        jobs.pool,
        CronTrigger(hour=pool_at // 60, minute=pool_at % 60, day_of_week=days, timezone=policy.tz),
        id="customer-pool",
    )
    weekly = (
        (
            jobs.plan_reminders,
            policy.reminders.plan_reminder_day,
            policy.reminders.plan_reminder,
            "plan-reminders",
        ),
        (
            jobs.missing_plans,
            policy.meeting.plan_due_weekday,
            policy.meeting.plan_due,
            "missing-plans",
        ),
        (
            jobs.meeting_summaries,
            policy.meeting.weekday,
            policy.meeting.summary_at,
            "meeting-summary",
        ),
    )
    for job, weekday, at, job_id in weekly:
        trigger = CronTrigger(
            day_of_week=WEEKDAYS[weekday], hour=at.hour, minute=at.minute, timezone=policy.tz
        )
        scheduler.add_job(job, trigger, id=job_id)
    evening = policy.reminders.evening_prompt
    if evening is not None:
        trigger = CronTrigger(
            hour=evening.hour, minute=evening.minute, day_of_week=days, timezone=policy.tz
        )
        scheduler.add_job(jobs.evening_prompts, trigger, id="evening-prompt")
    return scheduler
