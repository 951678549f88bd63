"""The general manager's monthly report (issue 14): on the month's first working day, last
month's figures for the company by rep, as text and as a chart, once per general manager."""

from __future__ import annotations

from datetime import datetime

from bot.core.calendar import local, month_start, monthly_job_due
from bot.core.models import Notification
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.reports import Dimension, Figures, PeriodKind, ReportScope, period_of
from bot.core.roles import Role
from bot.core.usecases.report import report, report_snapshot

DIGEST_KIND = "monthly_report"
TEMPLATE = "monthly_report"
CHART_TEMPLATE = "monthly_report_chart"  # the picture, drawn at send time from the snapshot
SHOWN = 15  # reps listed by name; the rest are summed ("… and N more", one chart bar)


async def send_monthly_reports(uow: UnitOfWork, *, policy: Policy, now: datetime) -> int:
    """Seed: the manager runs the department from the month's sales, collections and plan
    completion per rep. On the month's first working day each active general manager gets
    last month's company report by rep, claimed per person and month in the same transaction
    as the messages, so a second run (or a second worker) sends nothing. A worker down that
    day catches up within the month's first MONTHLY_CATCH_UP_DAYS days; later it is stale
    news. The report is read once, whoever many general managers there are; a month with
    nothing recorded is still reported (that is news too), without a chart."""
    today = local(now, policy).date()
    if not monthly_job_due(today, policy):
        return 0
    readers = sorted(
        p.id for p in await uow.people.all() if p.active and p.role is Role.general_manager
    )
    if not readers:
        return 0
    # Read first, claim after: the claim's INSERT takes SQLite's write lock until the commit,
    # and the report's statements should not hold every other writer waiting.
    period = period_of(PeriodKind.last_month, today)
    found = await report(
        uow, readers[0], period, ReportScope.company, Dimension.rep, policy=policy, now=now
    )
    claimed = sorted(await uow.digests.claim_many(readers, DIGEST_KIND, month_start(today)))
    if not claimed:
        return 0
    params = report_snapshot(found, SHOWN)
    templates = (TEMPLATE, CHART_TEMPLATE) if drawable(found.total) else (TEMPLATE,)
    await uow.outbox.add_many(
        [Notification(pid, template, params) for pid in claimed for template in templates], now
    )
    await uow.commit()
    return len(claimed)


def drawable(total: Figures) -> bool:
    """Whether a chart would show anything: contracts, money or visits (a month of targets
    and plans alone is fifteen empty bars)."""
    shown = (total.contract_amount, total.collected, total.delivered, total.visits)
    return any(value for value in shown)
