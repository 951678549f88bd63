"""The monthly collection analysis: due, applied, the rate, ageing buckets, top and rest."""

from datetime import date
from decimal import Decimal

import pytest

from bot.core.calendar import first_working_day
from bot.core.collection_analysis import (
    ContractMoney,
    MonthWindow,
    analyse,
    bucket_of,
    contract_figures,
    month_window,
)
from bot.core.contract_terms import Instalment, PaymentSchedule
from bot.core.policy import Policy

D = Decimal
APRIL = MonthWindow(date(2026, 4, 1), date(2026, 4, 30), date(2026, 5, 1))


def money(
    receipts: tuple[tuple[date, Decimal], ...],
    *instalments: tuple[date, str],
    deposit: str = "30000",
    owner: int = 1,
    customer: int = 1,
    contract_id: int = 1,
) -> ContractMoney:
    schedule = PaymentSchedule(D(deposit), tuple(Instalment(d, D(a)) for d, a in instalments))
    return ContractMoney(contract_id, owner, customer, schedule, receipts)


WORKED = money(
    (
        (date(2026, 1, 10), D(30000)),
        (date(2026, 3, 20), D(10000)),
        (date(2026, 4, 10), D(35000)),
    ),
    (date(2026, 3, 1), "40000"),
    (date(2026, 4, 1), "30000"),
    (date(2026, 5, 20), "30000"),
)


def test_the_docstring_worked_example() -> None:
    figures = contract_figures(WORKED, APRIL)
    assert figures.due == D(60000)
    assert figures.applied == D(35000)
    assert figures.received == D(35000)
    assert figures.rate == D("58.33")
    assert figures.ageing == (D(25000), D(0), D(0), D(0))


@pytest.mark.parametrize(
    ("days", "bucket"),
    [(1, 0), (30, 0), (31, 1), (60, 1), (61, 2), (90, 2), (91, 3), (400, 3)],
)
def test_ageing_buckets_at_their_boundaries(days: int, bucket: int) -> None:
    assert bucket_of(days) == bucket


@pytest.mark.parametrize(
    ("due", "bucket"),
    [
        (date(2026, 4, 1), 0),  # 30 days late on 05-01
        (date(2026, 3, 31), 1),  # 31
        (date(2026, 3, 2), 1),  # 60
        (date(2026, 3, 1), 2),  # 61
        (date(2026, 1, 31), 2),  # 90
        (date(2026, 1, 30), 3),  # 91
    ],
)
def test_an_unpaid_instalment_ages_from_its_due_date(due: date, bucket: int) -> None:
    unpaid = money(((date(2026, 1, 5), D(100)),), (due, "500"), deposit="100")
    ageing = contract_figures(unpaid, APRIL).ageing
    assert ageing[bucket] == D(500)
    assert sum(ageing) == D(500)


def test_nothing_due_has_no_rate_and_an_advance_is_received_not_applied() -> None:
    ahead = money(
        ((date(2026, 1, 5), D(30000)), (date(2026, 4, 3), D(5000))),
        (date(2026, 6, 1), "70000"),
    )
    figures = contract_figures(ahead, APRIL)
    assert (figures.due, figures.applied, figures.received) == (D(0), D(0), D(5000))
    assert figures.rate is None


def test_paid_in_full_is_a_rate_of_100_and_nothing_overdue() -> None:
    paid = money(
        ((date(2026, 1, 5), D(30000)), (date(2026, 4, 30), D(70000))),
        (date(2026, 4, 15), "70000"),
    )
    figures = contract_figures(paid, APRIL)
    assert figures.rate == D("100.00")
    assert figures.overdue == 0


def test_an_instalment_due_on_the_last_day_is_due_and_one_day_late_at_the_close() -> None:
    late = money(((date(2026, 1, 5), D(30000)),), (date(2026, 4, 30), "70000"))
    figures = contract_figures(late, APRIL)
    assert figures.due == D(70000)
    assert figures.rate == D("0.00")
    assert figures.ageing[0] == D(70000)


def test_the_month_in_progress_is_read_today() -> None:
    window = month_window(date(2026, 4, 1), today=date(2026, 4, 10))
    assert window == MonthWindow(date(2026, 4, 1), date(2026, 4, 30), date(2026, 4, 10))
    late = money(
        ((date(2026, 1, 5), D(30000)),), (date(2026, 4, 9), "100"), (date(2026, 4, 20), "200")
    )
    figures = contract_figures(late, window)
    assert figures.due == D(300)  # all that falls due in the month
    assert figures.overdue == D(100)  # only what is late today


def test_a_closed_month_is_read_on_the_first_of_the_next() -> None:
    assert month_window(date(2026, 12, 1), date(2027, 1, 4)).as_of == date(2027, 1, 1)


def test_by_rep_and_customer_the_largest_first_and_the_rest_summed() -> None:
    contracts = [
        money(
            ((date(2026, 1, 5), D(100)),),
            (date(2026, 3, 1), str(1000 * n)),
            deposit="100",
            owner=n,
            customer=100 + n,
            contract_id=n,
        )
        for n in range(1, 6)
    ]
    result = analyse(contracts, APRIL, top_reps=2, top_customers=3)
    assert [rep for rep, _f in result.reps.top] == [5, 4]
    assert result.reps.rest_count == 3
    assert result.reps.rest.due == D(6000)
    assert [c for c, _f in result.customers.top] == [105, 104, 103]
    assert result.customers.rest.overdue == D(3000)
    assert result.total.due == D(15000)


def test_a_contract_with_nothing_in_the_month_is_left_out_of_the_groups() -> None:
    done = money(((date(2026, 1, 5), D(30000)),), deposit="30000")
    result = analyse([done], APRIL)
    assert result.reps.top == ()
    assert result.total.rate is None


@pytest.mark.parametrize(
    ("year", "month", "first"),
    [(2026, 4, date(2026, 4, 1)), (2026, 3, date(2026, 3, 2)), (2026, 8, date(2026, 8, 1))],
)
def test_the_first_working_day_skips_a_sunday(year: int, month: int, first: date) -> None:
    assert first_working_day(year, month, Policy()) == first
