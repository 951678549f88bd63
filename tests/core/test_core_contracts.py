"""The contract: its lines and schedule to the cent, its status moves (every pair), its number
from the policy's pattern, and the production notice before the goods are ready."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import product
from typing import Any

import pytest

from bot.core.contract_numbers import (
    check_number_pattern,
    contract_number,
    number_series,
)
from bot.core.contract_terms import (
    LINES_MAX,
    ContractLine,
    Instalment,
    PaymentSchedule,
    check_line,
    check_lines,
    check_schedule,
)
from bot.core.contracts import (
    MOVES,
    AlreadyRecorded,
    Contract,
    ContractDraft,
    ContractNotInForce,
    ContractStatus,
    ContractStatusOrder,
    NoProductionNotice,
    approved,
    check_application,
    check_move,
    cosigned,
    goods_ready,
    moved,
    production_signed,
)
from bot.core.deals import InputProblem
from bot.core.policy import Contracts, Policy, PolicyError, parse_policy
from bot.core.roles import Role

D = Decimal
CS = ContractStatus
NOW = datetime(2026, 11, 23, 2, tzinfo=UTC)
TODAY = date(2026, 11, 23)
LINE = ContractLine("Pump P-100", D(10), D("1000.00"))


def make_contract(**overrides: Any) -> Contract:
    """A contract of 10 pumps at 1,000.00 (10,000.00): deposit 3,000, then 4,000 due 12-01
    and 3,000 due 2027-01-01."""
    fields: dict[str, Any] = {
        "id": 1,
        "deal_id": 5,
        "customer_id": 7,
        "owner_id": 3,
        "filed_by": 3,
        "status": CS.in_force,
        "lines": (LINE,),
        "schedule": PaymentSchedule(
            D(3000),
            (Instalment(date(2026, 12, 1), D(4000)), Instalment(date(2027, 1, 1), D(3000))),
        ),
        "delivery_date": date(2026, 12, 15),
        "created_at": NOW,
        "number": "HT-2026-0001",
        **overrides,
    }
    return Contract(**fields)


# ---- lines and amounts ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quantity", "price", "discount", "amount"),
    [
        (D(10), D("1000.00"), None, D("10000.00")),
        (D(3), D("1999.99"), D("12.5"), D("5249.97")),  # 5,249.97375 → down
        (D("0.5"), D("0.01"), None, D("0.01")),  # 0.005 → half up, never half even
        (D("1.5"), D("0.03"), None, D("0.05")),  # 0.045 → 0.05
        (D(1), D("100.00"), D(0), D("100.00")),
        (D(7), D("33.33"), D("99.99"), D("0.02")),  # 233.31 × 0.0001 = 0.023331
    ],
)
def test_a_line_costs_quantity_times_price_less_discount_rounded_once(
    quantity: Decimal, price: Decimal, discount: Decimal | None, amount: Decimal
) -> None:
    assert ContractLine("X", quantity, price, discount).amount == amount


def test_the_contract_amount_is_the_sum_of_its_rounded_lines() -> None:
    lines = (ContractLine("A", D("0.5"), D("0.01")), ContractLine("B", D("0.5"), D("0.01")))
    # each line rounds 0.005 up to 0.01: 0.02, not to_cent(0.01) of an unrounded sum
    assert make_contract(lines=lines).amount == D("0.02")


@pytest.mark.parametrize(
    ("line", "code", "details"),
    [
        (replace(LINE, product="  "), "empty", {"field": "product"}),
        (replace(LINE, product="x" * 201), "too_long", {"limit": 200, "length": 201}),
        (replace(LINE, quantity=D(0)), "not_positive", {"field": "quantity"}),
        (replace(LINE, quantity=D(-1)), "not_positive", {"field": "quantity"}),
        (replace(LINE, quantity=D("1.0001")), "too_many_places", {"places": 3}),
        (replace(LINE, unit_price=D(0)), "not_positive", {"field": "unit_price"}),
        (replace(LINE, unit_price=D("1.001")), "too_many_places", {"places": 2}),
        (replace(LINE, discount=D(100)), "bad_discount", {}),
        (replace(LINE, discount=D("-0.01")), "bad_discount", {}),
        (replace(LINE, discount=D("5.555")), "too_many_places", {"field": "discount"}),
    ],
)
def test_a_wrong_line_is_refused_naming_the_problem_and_the_line(
    line: ContractLine, code: str, details: dict[str, object]
) -> None:
    with pytest.raises(InputProblem) as caught:
        check_line(line, 2)
    assert caught.value.code == code
    assert caught.value.details["line"] == 3
    assert details.items() <= caught.value.details.items()


@pytest.mark.parametrize(
    "line",
    [
        replace(LINE, product="x" * 200),
        replace(LINE, quantity=D("0.001")),
        replace(LINE, discount=D(0)),
        replace(LINE, discount=D("99.99")),
    ],
)
def test_a_line_at_its_limits_is_accepted(line: ContractLine) -> None:
    check_line(line)


def test_a_contract_has_one_to_twenty_lines() -> None:
    check_lines((LINE,) * LINES_MAX)
    for lines, code in [((), "no_lines"), ((LINE,) * (LINES_MAX + 1), "too_many_lines")]:
        with pytest.raises(InputProblem) as caught:
            check_lines(lines)
        assert caught.value.code == code


# ---- the payment schedule ------------------------------------------------------------------

DEC1, JAN1 = date(2026, 12, 1), date(2027, 1, 1)


@pytest.mark.parametrize(
    "schedule",
    [
        PaymentSchedule(D(3000), (Instalment(DEC1, D(4000)), Instalment(JAN1, D(3000)))),
        PaymentSchedule(D(0), (Instalment(DEC1, D(10000)),)),
        PaymentSchedule(D(10000)),  # paid in full as the deposit
        PaymentSchedule(
            D(0),
            tuple(
                Instalment(date(2027, m, 1), D("833.37") if m == 12 else D("833.33"))
                for m in range(1, 13)
            ),
        ),  # twelve instalments, the last one takes the cents
    ],
)
def test_a_schedule_that_adds_up_to_the_amount_is_accepted(schedule: PaymentSchedule) -> None:
    check_schedule(schedule, D("10000.00"))


@pytest.mark.parametrize(
    ("schedule", "code", "details"),
    [
        (PaymentSchedule(D(-1), (Instalment(DEC1, D(10001)),)), "deposit_negative", {}),
        (PaymentSchedule(D("0.001")), "too_many_places", {"field": "deposit"}),
        (
            PaymentSchedule(D(10000), (Instalment(DEC1, D(0)),)),
            "not_positive",
            {"instalment": 1},
        ),
        (
            PaymentSchedule(D(0), (Instalment(JAN1, D(5000)), Instalment(JAN1, D(5000)))),
            "dues_not_ascending",
            {"instalment": 2},
        ),
        (
            PaymentSchedule(D(0), (Instalment(JAN1, D(5000)), Instalment(DEC1, D(5000)))),
            "dues_not_ascending",
            {"instalment": 2},
        ),
        (
            PaymentSchedule(
                D(0), tuple(Instalment(date(2027, 1, d), D(400)) for d in range(1, 14))
            ),
            "too_many_instalments",
            {"maximum": 12},
        ),
    ],
)
def test_a_wrong_schedule_is_refused(
    schedule: PaymentSchedule, code: str, details: dict[str, object]
) -> None:
    with pytest.raises(InputProblem) as caught:
        check_schedule(schedule, D("10000.00"))
    assert caught.value.code == code
    assert details.items() <= caught.value.details.items()


@pytest.mark.parametrize(
    ("instalment", "difference"),
    [(D("6999.99"), D("0.01")), (D("7000.01"), D("-0.01")), (D(6000), D(1000))],
)
def test_a_schedule_off_by_anything_names_both_figures_and_the_difference(
    instalment: Decimal, difference: Decimal
) -> None:
    schedule = PaymentSchedule(D(3000), (Instalment(DEC1, instalment),))
    with pytest.raises(InputProblem) as caught:
        check_schedule(schedule, D("10000.00"))
    assert caught.value.code == "schedule_mismatch"
    assert caught.value.details == {
        "amount": D("10000.00"),
        "scheduled": D(3000) + instalment,
        "difference": difference,
    }


def test_an_application_needs_its_lines_its_schedule_and_a_delivery_date_ahead() -> None:
    contract = make_contract()
    draft = ContractDraft(5, 7, 3, contract.lines, contract.schedule, TODAY)
    check_application(draft, TODAY)
    for wrong, code in [
        (replace(draft, delivery_date=date(2026, 11, 22)), "date_in_past"),
        (replace(draft, lines=()), "no_lines"),
        (replace(draft, schedule=PaymentSchedule(D(1))), "schedule_mismatch"),
    ]:
        with pytest.raises(InputProblem) as caught:
            check_application(wrong, TODAY)
        assert caught.value.code == code


# ---- status moves --------------------------------------------------------------------------

ALLOWED = {
    (CS.applied, CS.awaiting_cosign),
    (CS.applied, CS.returned),
    (CS.applied, CS.refused),
    (CS.applied, CS.withdrawn),
    (CS.returned, CS.applied),
    (CS.returned, CS.withdrawn),
    (CS.awaiting_cosign, CS.in_force),
    (CS.in_force, CS.closed),
}
PAIRS = list(product(CS, CS))


def test_the_table_of_moves_is_the_one_tested() -> None:
    assert {(a, b) for a, tos in MOVES.items() for b in tos} == ALLOWED


@pytest.mark.parametrize(("status", "to"), sorted(ALLOWED))
def test_an_allowed_move_passes(status: ContractStatus, to: ContractStatus) -> None:
    check_move(status, to)


@pytest.mark.parametrize(("status", "to"), [p for p in PAIRS if p not in ALLOWED])
def test_every_other_move_is_refused(status: ContractStatus, to: ContractStatus) -> None:
    with pytest.raises(ContractStatusOrder) as caught:
        check_move(status, to)
    error = caught.value
    assert (error.status, error.wanted, error.code) == (status, to, "contract_status_order")
    assert error.over == (status in (CS.refused, CS.withdrawn, CS.closed))


@pytest.mark.parametrize(
    ("status", "to", "needs"),
    [
        (CS.applied, CS.in_force, CS.awaiting_cosign),  # no co-signature before approval
        (CS.applied, CS.closed, CS.awaiting_cosign),
        (CS.awaiting_cosign, CS.closed, CS.in_force),
        (CS.returned, CS.awaiting_cosign, CS.applied),  # filed again first
        (CS.returned, CS.in_force, CS.applied),
        (CS.in_force, CS.applied, None),  # backwards
        (CS.awaiting_cosign, CS.withdrawn, None),  # approved: binding
        (CS.closed, CS.in_force, None),
    ],
)
def test_a_refused_move_names_what_must_happen_first(
    status: ContractStatus, to: ContractStatus, needs: ContractStatus | None
) -> None:
    with pytest.raises(ContractStatusOrder) as caught:
        check_move(status, to)
    assert caught.value.needs == needs


def test_approval_gives_the_number_and_the_signature_then_finance_cosigns() -> None:
    applied = make_contract(status=CS.applied, number=None)
    signed = approved(applied, number="HT-2026-0007", signed_by=4, now=NOW)
    assert (signed.status, signed.number, signed.signed_by, signed.signed_at) == (
        CS.awaiting_cosign,
        "HT-2026-0007",
        4,
        NOW,
    )
    later = NOW.replace(hour=5)
    in_force = cosigned(signed, by=9, now=later)
    assert (in_force.status, in_force.cosigned_by, in_force.cosigned_at) == (CS.in_force, 9, later)
    with pytest.raises(ContractStatusOrder):
        cosigned(applied, by=9, now=later)
    with pytest.raises(ContractStatusOrder):
        approved(in_force, number="HT-2026-0008", signed_by=4, now=later)


def test_closing_records_when() -> None:
    closed = moved(make_contract(), CS.closed, NOW)
    assert (closed.status, closed.closed_at) == (CS.closed, NOW)
    assert moved(make_contract(status=CS.applied), CS.returned, NOW).closed_at is None


# ---- the production notice and goods ready -------------------------------------------------


def test_the_production_notice_needs_a_contract_in_force() -> None:
    for status in set(CS) - {CS.in_force}:
        with pytest.raises(ContractNotInForce) as caught:
            production_signed(make_contract(status=status), by=6, now=NOW)
        assert (caught.value.status, caught.value.number) == (status, "HT-2026-0001")
    signed = production_signed(make_contract(), by=6, now=NOW)
    assert (signed.production_signed_by, signed.production_signed_at) == (6, NOW)
    with pytest.raises(AlreadyRecorded) as again:
        production_signed(signed, by=6, now=NOW)
    assert (again.value.what, again.value.at) == ("production_notice", NOW)


def test_goods_are_ready_only_after_the_notice_is_signed() -> None:
    with pytest.raises(NoProductionNotice):
        goods_ready(make_contract(), NOW)
    ready = goods_ready(production_signed(make_contract(), by=6, now=NOW), NOW)
    assert ready.goods_ready_at == NOW
    with pytest.raises(AlreadyRecorded):
        goods_ready(ready, NOW)


# ---- contract numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "year", "seq", "number"),
    [
        ("HT-{year}-{seq:04d}", 2026, 7, "HT-2026-0007"),
        ("HT-{year}-{seq:04d}", 2026, 12345, "HT-2026-12345"),  # a wider count is not cut
        ("{seq}", 2026, 1, "1"),
        ("合同{year}第{seq:03d}号", 2027, 42, "合同2027第042号"),
        ("{{HT}}-{seq:05d}", 2026, 3, "{HT}-00003"),
    ],
)
def test_a_number_follows_the_pattern(pattern: str, year: int, seq: int, number: str) -> None:
    check_number_pattern(pattern)
    assert contract_number(pattern, year, seq) == number


def test_a_pattern_without_the_year_counts_across_years() -> None:
    assert number_series("HT-{year}-{seq:04d}", 2026) == 2026
    assert number_series("HT-{seq:06d}", 2026) == number_series("HT-{seq:06d}", 2027) == 0


def test_the_policy_holds_the_default_pattern_and_the_notice_signer() -> None:
    assert Policy().contracts == Contracts("HT-{year}-{seq:04d}", Role.marketing_vp)
    parsed = parse_policy(
        {"contracts": {"number_pattern": "C{seq:05d}", "production_signer": "general_manager"}}
    )
    assert parsed.contracts == Contracts("C{seq:05d}", Role.general_manager)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("HT-{year}", "must contain {seq}"),
        ("HT-{year}-{{seq}}", "must contain {seq}"),  # escaped: not a field
        ("HT-{yr}-{seq}", "not {yr}"),
        ("HT-{}-{seq}", "not {}"),
        ("HT-{seq.real}", "must contain {seq}"),
        ("HT-{seq:q}", "does not format"),
        ("HT-{seq:04d", "unmatched '{'"),
        ("HT-{year:%Y}-{seq}", "does not format"),
        ("X" * 40 + "{seq}", "longer than 40"),
        (7, "expected a pattern"),
    ],
)
def test_a_bad_number_pattern_stops_the_policy(value: object, problem: str) -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy({"contracts": {"number_pattern": value}})
    assert caught.value.key == "contracts.number_pattern"
    assert problem in caught.value.problem


def test_an_unknown_signer_or_setting_stops_the_policy() -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy({"contracts": {"production_signer": "boss"}})
    assert caught.value.key == "contracts.production_signer"
    with pytest.raises(PolicyError) as unknown:
        parse_policy({"contracts": {"prefix": "HT"}})
    assert unknown.value.key == "contracts.prefix"
