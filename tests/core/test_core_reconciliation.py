"""The monthly reconciliation's pure rules (issue 13, item 6): the differences between the
ledger and someone's own figures, the department's accrual on cumulative completion, and the
last working day of a month (the reconciliation's prompt)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.core.calendar import last_working_day
from bot.core.policy import Policy
from bot.core.reconciliation import (
    Difference,
    LedgerTotals,
    completion,
    department_accrual,
    differences,
)

D = Decimal
LEDGER = LedgerTotals(
    D(3), D("300000.00"), D("90000.00"), D("60000.00"), D("125000.00"), D(0), D(0)
)


def test_only_the_lines_that_differ_are_listed_in_the_ledger_s_order() -> None:
    theirs = {"collected": D("124000.00"), "contracts_signed": D(3), "deposits": D(0)}
    found = differences(LEDGER, theirs)
    assert found == [
        Difference("deposits", D("60000.00"), D(0)),
        Difference("collected", D("125000.00"), D("124000.00")),
    ]
    assert found[1].gap == D("-1000.00")


def test_the_department_accrues_on_cumulative_completion() -> None:
    # the docstring's example: 0.5 % × 900,000 × 75 % = 3,375.00, less 1,800.00 accrued
    assert department_accrual(D(900000), D(1200000), D("0.005"), D(1800)) == D("1575.00")
    assert completion(D(1300000), D(1200000)) == 1, "completion stops at 100 %"
    assert completion(D(5), D(0)) == 1, "no target, no scaling"
    assert department_accrual(D(900000), D(1800000), D("0.005"), D(3375)) == D("-1125.00")


@pytest.mark.parametrize(
    ("month", "last"),
    [
        (date(2026, 1, 5), date(2026, 1, 31)),  # a Saturday, a working day by default
        (date(2026, 3, 9), date(2026, 3, 31)),  # a Tuesday
        (date(2026, 5, 20), date(2026, 5, 30)),  # the 31st is a Sunday
    ],
)
def test_the_last_working_day_of_the_month(month: date, last: date) -> None:
    assert last_working_day(month, Policy()) == last


def test_with_a_five_day_week_the_last_friday_or_earlier() -> None:
    five_days = Policy(working_days=(0, 1, 2, 3, 4))
    assert last_working_day(date(2026, 1, 5), five_days) == date(2026, 1, 30)
