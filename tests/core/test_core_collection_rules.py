"""The money rules after the contract (bot.core.collections): the invoice gate at 60 %,
interest on overdue money, the customer's credit standing and the rep's commission sheet,
each with its worked example and its boundaries; and the policy's `collections` section."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from test_core_contracts import NOW, make_contract

from bot.core.collections import (
    Commission,
    CreditStanding,
    InvoiceTooEarly,
    OverdueFacts,
    SheetLine,
    accrued_interest,
    check_invoice,
    collected_percent,
    commission_line,
    commission_sheet,
    credit_standing,
    days_late,
    interest_deduction,
    overdue_interest,
    receipts_of,
)
from bot.core.contract_terms import Instalment, PaymentSchedule
from bot.core.contracts import ContractStatus
from bot.core.payments import Payment, PaymentMethod, ledger_figures
from bot.core.policy import Collections, Policy, PolicyError, parse_policy

D = Decimal
SIXTY = D("0.60")
HUNDRED_K = D("100000.00")


# ---- the invoice gate ----------------------------------------------------------------------


def refusal(amount: Decimal, collected: Decimal) -> InvoiceTooEarly:
    with pytest.raises(InvoiceTooEarly) as caught:
        check_invoice(amount, collected, SIXTY)
    return caught.value


def test_the_docstring_example_of_the_invoice_gate() -> None:
    refused = refusal(HUNDRED_K, D("45000.00"))

    assert (refused.percent, refused.needed) == (D("45.00"), D("15000.00"))
    assert (refused.amount, refused.collected, refused.code) == (
        HUNDRED_K,
        D("45000.00"),
        "invoice_too_early",
    )
    assert refused.details["percent"] == D("45.00")


def test_one_cent_short_of_sixty_percent_is_refused_and_never_shows_sixty() -> None:
    refused = refusal(HUNDRED_K, D("59999.99"))

    assert (str(refused.percent), refused.needed) == ("59.99", D("0.01"))


def test_exactly_sixty_percent_and_more_are_allowed() -> None:
    check_invoice(HUNDRED_K, D("60000.00"), SIXTY)
    check_invoice(HUNDRED_K, D("60000.01"), SIXTY)
    check_invoice(HUNDRED_K, HUNDRED_K, SIXTY)


def test_several_partial_payments_open_the_gate_only_once_they_reach_the_threshold() -> None:
    amount = D("102000.00")  # sixty percent is 61,200.00
    collected = D(0)
    needed = []
    for part in ("20000.00", "30000.00", "11199.99"):
        collected += D(part)
        needed.append(refusal(amount, collected).needed)
    check_invoice(amount, collected + D("0.01"), SIXTY)

    assert needed == [D("41200.00"), D("11200.00"), D("0.01")]


def test_the_money_needed_is_rounded_half_up_and_is_at_least_a_cent() -> None:
    # 0.6 × 100,000.01 = 60,000.006: 60,000.00 collected is short by 0.006 → 0.01
    assert refusal(D("100000.01"), D("60000.00")).needed == D("0.01")
    # 0.6 × 100.05 = 60.03 exactly: nothing to round
    assert refusal(D("100.05"), D(0)).needed == D("60.03")
    with pytest.raises(InvoiceTooEarly) as caught:
        check_invoice(D("100.01"), D(0), D("0.605"))  # 60.506050… → 60.51
    assert caught.value.needed == D("60.51")


@pytest.mark.parametrize(
    ("collected", "percent"),
    [("0", "0.00"), ("59999.99", "59.99"), ("33333.33", "33.33"), ("66666.67", "66.66")],
)
def test_the_collected_percent_is_rounded_down(collected: str, percent: str) -> None:
    assert str(collected_percent(HUNDRED_K, D(collected))) == percent


# ---- interest on overdue money -------------------------------------------------------------

SCHEDULE = PaymentSchedule(
    D(30000), (Instalment(date(2026, 3, 1), D(40000)), Instalment(date(2026, 4, 1), D(30000)))
)
RATE = D("0.06")


def test_the_day_count_starts_the_day_after_the_due_date() -> None:
    due = date(2026, 3, 1)
    assert [days_late(due, due + timedelta(days=n)) for n in (-1, 0, 1, 45)] == [0, 0, 1, 45]


def test_the_docstring_example_of_overdue_interest() -> None:
    # 20,000 × 0.06 × 45 / 365 + 30,000 × 0.06 × 14 / 365 = 147.945… + 69.041… = 216.986…
    assert overdue_interest(SCHEDULE, D(50000), date(2026, 4, 15), RATE) == D("216.99")


def test_the_interest_is_rounded_once_not_per_instalment() -> None:
    # each part alone: 1,000 × 0.06 × 1 / 365 = 0.16438… → 0.16; two of them: 0.32876… → 0.33
    schedule = PaymentSchedule(
        D(0), (Instalment(date(2026, 3, 1), D(1000)), Instalment(date(2026, 3, 1), D(1000)))
    )
    one = PaymentSchedule(D(0), schedule.instalments[:1])
    today = date(2026, 3, 2)

    assert overdue_interest(one, D(0), today, RATE) == D("0.16")
    assert overdue_interest(schedule, D(0), today, RATE) == D("0.33")


def test_no_interest_on_the_due_day_when_paid_up_or_at_a_zero_rate() -> None:
    assert overdue_interest(SCHEDULE, D(50000), date(2026, 3, 1), RATE) == D("0.00")
    assert overdue_interest(SCHEDULE, D(100000), date(2026, 12, 31), RATE) == D("0.00")
    assert overdue_interest(SCHEDULE, D(0), date(2026, 12, 31), D(0)) == D("0.00")


def test_money_collected_pays_the_deposit_first_so_a_short_deposit_shows_as_interest() -> None:
    # 20,000 collected pays the deposit short: the whole first instalment is unpaid
    # 40,000 × 0.06 × 10 / 365 = 65.753… → 65.75
    assert overdue_interest(SCHEDULE, D(20000), date(2026, 3, 11), RATE) == D("65.75")


LATE = PaymentSchedule(D(30000), (Instalment(date(2026, 12, 31), D(20000)),))
EARLY = [(date.min, D(30000))]  # the deposit, received before anything fell due


def test_money_paid_late_still_costs_the_days_it_was_late() -> None:
    # 20,000 × 0.06 × 10 / 365 = 32.876… for 01-01..01-10; nothing once paid
    paid = [*EARLY, (date(2027, 1, 10), D(20000))]
    assert accrued_interest(LATE, paid, date(2027, 2, 28), RATE) == D("32.88")
    assert accrued_interest(LATE, paid, date(2027, 1, 5), RATE) == D("16.44")  # 5 days so far


def test_the_interest_of_a_month_counts_only_its_own_days() -> None:
    paid = [*EARLY, (date(2027, 1, 10), D(20000))]
    december = accrued_interest(LATE, paid, date(2026, 12, 31), RATE, since=date(2026, 12, 1))
    january = accrued_interest(LATE, paid, date(2027, 1, 31), RATE, since=date(2027, 1, 1))
    assert (december, january) == (D("0.00"), D("32.88"))


def test_a_part_payment_lowers_the_interest_from_the_day_after_it_arrived() -> None:
    # 20,000 for 01-01..01-05 (5 days), then 5,000 for 01-06..01-31 (26 days):
    # (100,000 + 130,000) × 0.06 / 365 = 37.808… → 37.81
    paid = [*EARLY, (date(2027, 1, 5), D(15000))]
    assert accrued_interest(LATE, paid, date(2027, 1, 31), RATE) == D("37.81")


def test_paid_on_or_before_the_due_day_costs_nothing_and_a_day_late_costs_one_day() -> None:
    on_time = [*EARLY, (date(2026, 12, 31), D(20000))]
    a_day_late = [*EARLY, (date(2027, 1, 1), D(20000))]
    assert accrued_interest(LATE, on_time, date(2027, 3, 1), RATE) == D("0.00")
    # 20,000 × 0.06 / 365 = 3.287… → 3.29
    assert accrued_interest(LATE, a_day_late, date(2027, 3, 1), RATE) == D("3.29")


def test_no_interest_before_anything_falls_due_or_without_instalments() -> None:
    assert accrued_interest(LATE, EARLY, date(2026, 12, 31), RATE) == D("0.00")
    assert accrued_interest(LATE, EARLY, date(2027, 1, 9), RATE, since=date(2027, 2, 1)) == D(
        "0.00"
    )
    deposit_only = PaymentSchedule(D(30000), ())
    assert accrued_interest(deposit_only, [], date(2027, 1, 9), RATE) == D("0.00")


def test_a_deposit_received_after_the_first_due_date_costs_its_late_days() -> None:
    # the 30,000 deposit came on 01-05: until then nothing covered the 20,000 due 12-31
    # (money pays the deposit first): 20,000 × 0.06 × 5 ÷ 365 = 16.44
    late = [(date(2027, 1, 5), D(30000)), (date(2026, 12, 1), D(20000))]
    assert accrued_interest(LATE, late, date(2027, 1, 31), RATE) == D("16.44")


def test_the_receipts_of_a_contract_put_the_deposit_first() -> None:
    payment = Payment(7, 3, D(20000), date(2027, 1, 10), PaymentMethod.bank_transfer, None, 1, NOW)
    assert receipts_of((date(2026, 11, 23), D(30000)), [payment]) == [
        (date(2026, 11, 23), D(30000)),
        (date(2027, 1, 10), D(20000)),
    ]


def test_the_interest_deduction_takes_the_policy_share_half_up() -> None:
    assert interest_deduction(D("216.99"), D("0.5")) == D("108.50")
    assert interest_deduction(D("216.99"), D(1)) == D("216.99")
    assert interest_deduction(D("216.99"), D(0)) == D("0.00")


# ---- credit standing -----------------------------------------------------------------------

TODAY = date(2026, 6, 30)
POLICY = Collections()


def facts(overdue: str, days: int, outstanding: str = "100000") -> OverdueFacts:
    return OverdueFacts(D(outstanding), D(overdue), TODAY - timedelta(days=days))


@pytest.mark.parametrize(
    ("contracts", "standing"),
    [
        ([], CreditStanding.good),
        ([OverdueFacts(D(50000), D(0), None)], CreditStanding.good),
        ([facts("20000", 30)], CreditStanding.good),  # exactly at watch: not past it
        ([facts("20000", 31)], CreditStanding.watch),
        ([facts("20000", 90)], CreditStanding.watch),  # exactly at hold: not past it
        ([facts("20000", 91)], CreditStanding.hold),
        ([facts("29999.99", 5)], CreditStanding.good),  # just under 30 % of what is owed
        ([facts("30000", 5)], CreditStanding.hold),  # exactly 30 %
        ([facts("20000", 40)], CreditStanding.watch),  # the docstring's examples
        ([facts("30000", 40)], CreditStanding.hold),
    ],
)
def test_the_credit_thresholds(contracts: list[OverdueFacts], standing: CreditStanding) -> None:
    assert credit_standing(contracts, TODAY, POLICY) is standing


def test_the_overdue_share_is_of_everything_the_customer_owes() -> None:
    late = facts("20000", 5, outstanding="50000")  # 40 % of this contract alone
    current = OverdueFacts(D(50000), D(0), None)  # 20 % of both

    assert credit_standing([late], TODAY, POLICY) is CreditStanding.hold
    assert credit_standing([late, current], TODAY, POLICY) is CreditStanding.good
    assert credit_standing(iter([late, current]), TODAY, POLICY) is CreditStanding.good


def test_the_longest_overdue_contract_decides() -> None:
    contracts = [facts("100", 2), facts("100", 31, outstanding="1000000")]

    assert credit_standing(contracts, TODAY, POLICY) is CreditStanding.watch


def test_the_thresholds_come_from_the_policy() -> None:
    strict = Collections(watch_overdue_days=0, hold_overdue_days=10, hold_overdue_share=D(1))

    assert credit_standing([facts("20000", 1)], TODAY, strict) is CreditStanding.watch
    assert credit_standing([facts("20000", 11)], TODAY, strict) is CreditStanding.hold


def test_the_facts_come_from_a_ledger_row() -> None:
    contract = make_contract()  # 10,000: deposit 3,000, 4,000 due 12-01, 3,000 due 2027-01-01
    figures = ledger_figures(contract, [], D(3000), [D(0)], date(2027, 1, 2))

    assert OverdueFacts.of(figures) == OverdueFacts(D(7000), D(7000), date(2026, 12, 1))
    assert credit_standing([OverdueFacts.of(figures)], date(2027, 1, 2), POLICY) is (
        CreditStanding.hold  # 100 % of the outstanding is overdue
    )


# ---- commission ----------------------------------------------------------------------------

REP = 3
MAY = date(2026, 5, 1)
TWO = D("0.02")


def paid(payment_id: int, contract_id: int, amount: str, day: int = 10) -> Payment:
    return Payment(
        payment_id,
        contract_id,
        D(amount),
        date(2026, 5, day),
        PaymentMethod.bank_transfer,
        None,
        9,
        NOW,
    )


CONTRACTS = {
    3: make_contract(id=3),
    4: make_contract(id=4, status=ContractStatus.awaiting_cosign),
    5: make_contract(id=5, status=ContractStatus.closed),
    6: make_contract(id=6, owner_id=99),
}


@pytest.mark.parametrize(
    ("collected", "deduction", "expected"),
    [
        ("45000.00", "0", Commission(D("900.00"), D(0), D("900.00"), D(0))),
        ("45000.00", "108.50", Commission(D("900.00"), D("108.50"), D("791.50"), D(0))),
        ("10000.00", "250.00", Commission(D("200.00"), D("250.00"), D(0), D("50.00"))),
        ("10000.00", "200.00", Commission(D("200.00"), D("200.00"), D(0), D(0))),
        ("0.25", "0", Commission(D("0.01"), D(0), D("0.01"), D(0))),  # 0.005 → 0.01 half up
    ],
)
def test_the_docstring_examples_of_a_commission_line(
    collected: str, deduction: str, expected: Commission
) -> None:
    assert commission_line(D(collected), TWO, D(deduction)) == expected


def test_a_deduction_larger_than_the_commission_floors_at_zero_and_says_so() -> None:
    line = commission_line(D("10000.00"), TWO, D("250.00"))

    assert (line.payable, line.floored, line.unrecovered) == (D(0), True, D("50.00"))
    assert commission_line(D("10000.00"), TWO, D("200.00")).floored is False


def test_the_docstring_example_of_a_commission_sheet() -> None:
    payments = [paid(7, 3, "30000.00"), paid(8, 4, "5000.00"), paid(9, 3, "15000.00")]

    sheet = commission_sheet(REP, MAY, payments, CONTRACTS, TWO, deductions={3: D("108.50")})

    assert sheet.lines == (SheetLine(3, (7, 9), D("45000.00"), TWO, D("900.00"), D("108.50")),)
    assert sheet.total == Commission(D("900.00"), D("108.50"), D("791.50"), D(0))
    assert sheet.excluded == (8,)


def test_no_contract_no_commission() -> None:
    payments = [
        paid(1, 4, "5000.00"),  # awaiting co-signature
        paid(2, 404, "5000.00"),  # no such contract
        paid(3, 6, "5000.00"),  # another rep's contract
    ]

    sheet = commission_sheet(REP, MAY, payments, CONTRACTS, TWO)

    assert (sheet.lines, sheet.excluded) == ((), (1, 2, 3))
    assert sheet.total == Commission(D(0), D(0), D(0), D(0))


def test_a_month_without_payments_is_an_empty_sheet() -> None:
    sheet = commission_sheet(REP, MAY, [], CONTRACTS, TWO)

    assert (sheet.lines, sheet.excluded, sheet.total.payable) == ((), (), D(0))


def test_the_month_and_uncounted_earlier_payments_count_never_a_later_one() -> None:
    """Payment 3 (04-30) was on no earlier sheet (recorded late): May's sheet pays it; a
    payment of June waits for June's. A closed contract counts."""
    payments = [
        paid(1, 5, "1000.00", day=1),
        paid(2, 5, "1000.00", day=31),
        replace(paid(3, 5, "1000.00"), paid_on=date(2026, 4, 30)),
        replace(paid(4, 5, "1000.00"), paid_on=date(2026, 6, 1)),
    ]

    sheet = commission_sheet(REP, MAY, payments, CONTRACTS, TWO)

    lines = [(line.payment_ids, line.commission) for line in sheet.lines]
    assert lines == [((1, 2, 3), D("60.00"))]
    assert sheet.excluded == (4,)


def test_a_contract_may_have_its_own_rate_and_each_line_is_rounded_once() -> None:
    payments = [paid(1, 3, "0.25"), paid(2, 3, "0.25"), paid(3, 5, "1000.00")]

    sheet = commission_sheet(REP, MAY, payments, CONTRACTS, TWO, rates={5: D("0.035")})

    # contract 3: 0.50 × 2 % = 0.01 (not 0.01 + 0.01 per payment); contract 5: 35.00
    assert [(line.contract_id, line.rate, line.commission) for line in sheet.lines] == [
        (3, TWO, D("0.01")),
        (5, D("0.035"), D("35.00")),
    ]
    assert sheet.total.payable == D("35.01")


def test_a_deduction_on_a_contract_without_payments_still_comes_off_the_sheet() -> None:
    sheet = commission_sheet(
        REP, MAY, [paid(1, 3, "10000.00")], CONTRACTS, TWO, deductions={5: D("150.00")}
    )

    assert [(line.contract_id, line.payment_ids, line.deduction) for line in sheet.lines] == [
        (3, (1,), D(0)),
        (5, (), D("150.00")),
    ]
    assert sheet.total == Commission(D("200.00"), D("150.00"), D("50.00"), D(0))


def test_the_sheet_total_never_goes_negative() -> None:
    sheet = commission_sheet(
        REP, MAY, [paid(1, 3, "10000.00")], CONTRACTS, TWO, deductions={3: D("500.00")}
    )

    assert (sheet.total.payable, sheet.total.floored, sheet.total.unrecovered) == (
        D(0),
        True,
        D("300.00"),
    )


# ---- the policy's collections section ------------------------------------------------------


def test_the_collections_defaults() -> None:
    section = Policy().collections

    assert (section.interest_rate, section.commission_deduction, section.commission_rate) == (
        D("0.06"),
        D(1),
        D("0.02"),
    )
    assert (section.legal_after_days, section.due_soon_days) == (90, 7)
    assert (
        section.watch_overdue_days,
        section.hold_overdue_days,
        section.hold_overdue_share,
    ) == (30, 90, D("0.30"))
    assert parse_policy({}).collections == section


def test_collections_overrides_leave_the_rest_alone() -> None:
    section = parse_policy(
        {"collections": {"interest_rate": "0.085", "watch_overdue_days": 15, "due_soon_days": 0}}
    ).collections

    assert section == Collections(interest_rate=D("0.085"), watch_overdue_days=15, due_soon_days=0)


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"interest_rate": -0.01}, "collections.interest_rate"),
        ({"interest_rate": 1.5}, "collections.interest_rate"),
        ({"interest_rate": "6%"}, "collections.interest_rate"),
        ({"commission_deduction": 1.01}, "collections.commission_deduction"),
        ({"commission_rate": True}, "collections.commission_rate"),
        ({"legal_after_days": 0}, "collections.legal_after_days"),
        ({"due_soon_days": 91}, "collections.due_soon_days"),
        ({"watch_overdue_days": -1}, "collections.watch_overdue_days"),
        ({"hold_overdue_days": "90"}, "collections.hold_overdue_days"),
        ({"hold_overdue_share": 2}, "collections.hold_overdue_share"),
        ({"grace_days": 3}, "collections.grace_days"),
        ({"watch_overdue_days": 60, "hold_overdue_days": 45}, "collections.hold_overdue_days"),
    ],
)
def test_a_bad_collections_value_names_its_key(data: dict[str, Any], key: str) -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy({"collections": data})

    assert caught.value.key == key


def test_the_collections_section_must_be_a_table() -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy({"collections": 0.06})

    assert caught.value.key == "collections"
