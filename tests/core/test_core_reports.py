"""/report in the core: periods at their boundaries, the refusals, who reads which scope, and
how grouped rows become lines and a total."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from fakes import ACE, ADA, FAY, GUS, MIA, RAY, ROB, SAM, SID, SUE, FakeUnitOfWork, make_org

from bot.core.errors import NotAllowed
from bot.core.policy import Policy
from bot.core.reports import (
    Dimension,
    Family,
    Figures,
    Grouped,
    Period,
    PeriodKind,
    PeriodRefused,
    ReportQuery,
    ReportScope,
    check_range,
    merge,
    period_of,
    report_query,
    scopes_of,
    zero,
)
from bot.core.roles import Role
from bot.core.usecases.report import report

K = PeriodKind
S = ReportScope
D = Decimal
POLICY = Policy()


@pytest.mark.parametrize(
    ("kind", "today", "first", "last"),
    [
        (K.this_week, date(2026, 3, 2), date(2026, 3, 2), date(2026, 3, 8)),  # a Monday
        (K.this_week, date(2026, 3, 8), date(2026, 3, 2), date(2026, 3, 8)),  # its Sunday
        (K.last_week, date(2026, 3, 2), date(2026, 2, 23), date(2026, 3, 1)),
        (K.last_week, date(2026, 1, 4), date(2025, 12, 22), date(2025, 12, 28)),
        (K.this_week, date(2026, 1, 1), date(2025, 12, 29), date(2026, 1, 4)),  # across a year
        (K.this_month, date(2026, 2, 28), date(2026, 2, 1), date(2026, 2, 28)),
        (K.this_month, date(2028, 2, 1), date(2028, 2, 1), date(2028, 2, 29)),  # leap year
        (K.last_month, date(2026, 3, 31), date(2026, 2, 1), date(2026, 2, 28)),
        (K.last_month, date(2026, 1, 1), date(2025, 12, 1), date(2025, 12, 31)),
    ],
)
def test_named_periods(kind: PeriodKind, today: date, first: date, last: date) -> None:
    assert period_of(kind, today) == Period(kind, first, last)


def test_a_range_across_the_year_end() -> None:
    period = check_range(date(2025, 12, 15), date(2026, 1, 14), date(2026, 1, 14))
    assert (period.first, period.last, period.days) == (date(2025, 12, 15), date(2026, 1, 14), 31)


def test_a_leap_year_is_the_longest_range() -> None:
    assert check_range(date(2028, 1, 1), date(2028, 12, 31), date(2029, 1, 1)).days == 366


@pytest.mark.parametrize(
    ("first", "last", "reason"),
    [
        (date(2026, 3, 10), date(2026, 3, 9), "reversed"),
        (date(2026, 3, 1), date(2026, 3, 11), "future"),  # today is 03-10
        (date(2025, 3, 9), date(2026, 3, 10), "too_long"),  # 367 days
    ],
)
def test_range_refusals(first: date, last: date, reason: str) -> None:
    with pytest.raises(PeriodRefused) as refused:
        period_of(K.range, date(2026, 3, 10), first, last)
    assert refused.value.reason == reason


def test_the_reading_day_of_a_closed_and_an_open_period() -> None:
    march = Period(K.this_month, date(2026, 3, 1), date(2026, 3, 31))
    assert march.as_of(date(2026, 4, 10)) == date(2026, 4, 1)
    assert march.as_of(date(2026, 3, 15)) == date(2026, 3, 15)


def test_the_period_is_local_days_as_utc_moments() -> None:
    day = Period(K.range, date(2026, 3, 1), date(2026, 3, 1))
    assert day.moments(POLICY) == (
        datetime(2026, 2, 28, 16, tzinfo=UTC),
        datetime(2026, 3, 1, 16, tzinfo=UTC),
    )


def test_ratios_and_what_has_no_meaning() -> None:
    figures = Figures(
        due=D("3000.00"),
        applied=D("1999.99"),
        planned_visits=3,
        planned_done=1,
        contract_amount=D("4999.99"),
        target_sales=D("10000.00"),
    )
    assert figures.collection_rate == D("66.66")  # rounded down, as the analysis says it
    assert figures.plan_completion == 33
    assert figures.target_completion == 49
    assert Figures(due=D("0.00"), applied=D("0.00")).collection_rate is None
    assert Figures(planned_visits=0, planned_done=0).plan_completion is None
    assert Figures(contract_amount=D(5)).target_completion is None


def test_merge_gives_zeros_for_a_family_a_key_lacks_and_none_for_one_not_computed() -> None:
    families = {Family.visits, Family.contracts}
    rows = [
        (1, Figures(visits=2, first_visits=1, revisits=1, intent_visits=0)),
        (2, Figures(contract_amount=D("10.00"), contract_quantity=D("1.000"))),
        (1, Figures(contract_amount=D("5.00"), contract_quantity=D("0.500"))),
    ]
    merged = merge(families, rows)
    assert merged[1].visits == 2
    assert merged[1].contract_amount == D("5.00")
    assert merged[2].visits == 0
    assert merged[2].collected is None
    assert zero(families) + merged[1] + merged[2] == Figures(
        visits=2,
        first_visits=1,
        revisits=1,
        intent_visits=0,
        contract_amount=D("15.00"),
        contract_quantity=D("1.500"),
    )


@dataclass
class FakeReports:
    rows: list[tuple[int | str | None, Figures]] = field(default_factory=list)
    names: dict[int | str | None, str] = field(default_factory=dict)
    asked: list[ReportQuery] = field(default_factory=list)

    async def figures(self, query: ReportQuery) -> Grouped:
        self.asked.append(query)
        return Grouped(self.rows, self.names)


@dataclass
class ReportUnitOfWork(FakeUnitOfWork):
    reports: FakeReports = field(default_factory=FakeReports)


def world() -> ReportUnitOfWork:
    uow = ReportUnitOfWork()
    uow.people.rows = {p.id: p for p in make_org()}
    return uow


NOW = datetime(2026, 3, 10, 2, tzinfo=UTC)  # Tuesday 10:00 in Shanghai
THIS_MONTH = Period(K.this_month, date(2026, 3, 1), date(2026, 3, 31))


async def ask(
    uow: ReportUnitOfWork,
    actor: int,
    scope: ReportScope,
    dimension: Dimension = Dimension.rep,
    period: Period = THIS_MONTH,
) -> frozenset[int] | None:
    await report(uow, actor, period, scope, dimension, policy=POLICY, now=NOW)
    return uow.reports.asked[-1].owner_ids


async def test_each_role_reads_its_own_scopes() -> None:
    uow = world()
    assert await ask(uow, ROB, S.me) == {ROB}
    assert await ask(uow, SUE, S.team) == {SUE, ROB}
    assert await ask(uow, SAM, S.team) == {SAM, SUE, ROB, SID, RAY}
    assert await ask(uow, MIA, S.company) is None
    assert await ask(uow, GUS, S.company) is None
    assert await ask(uow, FAY, S.company) is None
    assert await ask(uow, ACE, S.company) is None


@pytest.mark.parametrize(
    ("actor", "scope"),
    [
        (ROB, S.team),
        (ROB, S.company),
        (SID, S.company),
        (SAM, S.company),
        (GUS, S.me),
        (ADA, S.company),
        (ACE, S.team),
    ],
)
async def test_a_scope_the_role_may_not_read_is_refused(actor: int, scope: ReportScope) -> None:
    uow = world()
    with pytest.raises(NotAllowed):
        await ask(uow, actor, scope)
    assert uow.reports.asked == []


async def test_a_forged_range_is_checked_again_and_a_named_period_taken_from_today() -> None:
    uow = world()
    with pytest.raises(PeriodRefused):
        await ask(uow, ROB, S.me, period=Period(K.range, date(2026, 3, 1), date(2026, 4, 1)))
    await ask(uow, ROB, S.me, period=Period(K.this_month, date(2020, 1, 1), date(2020, 1, 31)))
    assert uow.reports.asked[-1].period == THIS_MONTH
    assert uow.reports.asked[-1].as_of == date(2026, 3, 10)


async def test_lines_are_named_and_ordered_by_the_most_telling_measure() -> None:
    uow = world()
    uow.reports.rows = [
        (ROB, Figures(visits=5, first_visits=5, revisits=0, intent_visits=0)),
        (RAY, Figures(contract_amount=D("100.00"), contract_quantity=D("1.000"))),
        (SID, Figures(visits=9, first_visits=0, revisits=9, intent_visits=0)),
    ]
    found = await report(uow, SAM, THIS_MONTH, S.team, Dimension.rep, policy=POLICY, now=NOW)
    assert [(line.label, line.figures.visits) for line in found.lines] == [
        ("Ray", 0),
        ("Sid", 9),
        ("Rob", 5),
    ]
    assert found.total.visits == 14
    assert found.total.contract_amount == D("100.00")
    assert found.total.commission == D("0.00")  # computed by rep, nothing found


async def test_region_lines_name_themselves_and_an_unset_one_is_left_to_the_view() -> None:
    uow = world()
    uow.reports.rows = [("华东", Figures(visits=1)), (None, Figures(visits=2))]
    found = await report(uow, GUS, THIS_MONTH, S.company, Dimension.region, policy=POLICY, now=NOW)
    assert {line.key: line.label for line in found.lines} == {"华东": "华东", None: None}
    assert found.total.target_sales is None  # targets are per rep


def test_roles_without_a_scope() -> None:
    assert scopes_of(Role.admin) == ()
    assert scopes_of(Role.customer_service) == ()
    assert scopes_of(Role.rep) == (S.me,)


@pytest.mark.parametrize(
    ("kind", "first", "last", "monthly"),
    [
        (PeriodKind.last_month, None, None, True),
        (PeriodKind.this_month, None, None, True),
        (PeriodKind.last_week, None, None, False),
        (PeriodKind.range, date(2026, 9, 1), date(2026, 10, 31), True),
        (PeriodKind.range, date(2026, 9, 15), date(2026, 10, 14), False),
    ],
)
def test_targets_and_commission_only_for_whole_months(
    kind: PeriodKind, first: date | None, last: date | None, monthly: bool
) -> None:
    """A week is not measured against its month's whole target, nor paid a month's
    commission: those two are "—" unless the period is whole calendar months."""
    period = period_of(kind, date(2026, 11, 25), first, last)
    families = report_query(period, Dimension.rep, None, Policy(), date(2026, 11, 25)).families
    assert ({Family.targets, Family.commission} <= families) is monthly
