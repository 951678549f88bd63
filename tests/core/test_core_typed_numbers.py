"""Amounts, quantities and discounts as people type them, in English and the Chinese way."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.core.deals import InputProblem, parse_amount, parse_discount, parse_quantity


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("12000", "12000.00"),
        ("12,000.50", "12000.50"),
        ("¥ 3 000", "3000.00"),
        ("36万", "360000.00"),
        ("两万", "20000.00"),
        ("三点五万", "35000.00"),
        ("36 万元", "360000.00"),
        ("3.5万", "35000.00"),
        ("80萬", "800000.00"),
        ("1.2亿", "120000000.00"),
        ("5千", "5000.00"),
        ("１２，０００", "12000.00"),
        ("36w", "360000.00"),
        ("12k", "12000.00"),
        ("RMB 8,000", "8000.00"),
        ("8000元", "8000.00"),
        ("0.01", "0.01"),
        ("1.23456万", "12345.60"),
    ],
)
def test_an_amount_is_read_as_people_type_it(typed: str, amount: str) -> None:
    assert parse_amount(typed) == Decimal(amount)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", "not_a_number"),
        ("万", "not_a_number"),
        ("abc", "not_a_number"),
        ("1亿2000万", "not_a_number"),
        ("-5", "not_positive"),
        ("0", "not_positive"),
        ("12.345", "too_many_places"),
        ("1.2345678万", "too_many_places"),
        ("20000亿", "too_large"),
    ],
)
def test_a_wrong_amount_is_refused_with_its_reason(typed: str, problem: str) -> None:
    with pytest.raises(InputProblem) as refused:
        parse_amount(typed)
    assert refused.value.code == problem


def test_a_quantity_takes_three_decimals_and_units() -> None:
    assert parse_quantity("2.125") == Decimal("2.125")
    assert parse_quantity("1.5万") == Decimal(15000)
    with pytest.raises(InputProblem):
        parse_quantity("1.2345")


@pytest.mark.parametrize(
    ("typed", "discount"),
    [
        ("12", "12.00"),
        ("12%", "12.00"),
        ("12 %", "12.00"),
        ("１２％", "12.00"),
        ("7.5", "7.50"),
        ("0", "0.00"),
        ("100", "100.00"),
        ("九五折", "5.00"),
        ("95折", "5.00"),
        ("9.5折", "5.00"),
        ("九点五折", "5.00"),
        ("八折", "20.00"),
        ("8折", "20.00"),
        ("八五折", "15.00"),
        ("七五折", "25.00"),
        ("975折", "2.50"),
        ("9.75折", "2.50"),
        ("九折", "10.00"),
        ("两折", "80.00"),
    ],
)
def test_a_discount_is_read_in_percent_or_the_zhe_way(typed: str, discount: str) -> None:
    assert parse_discount(typed) == Decimal(discount)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("101", "too_large"),
        ("12.345", "too_many_places"),
        ("abc", "bad_discount"),
        ("36万", "bad_discount"),
        ("折", "bad_discount"),
        ("0折", "bad_discount"),
        ("十折", "bad_discount"),
        ("9.9999折", "bad_discount"),
        ("9975折", "bad_discount"),
    ],
)
def test_a_wrong_discount_is_refused_with_its_reason(typed: str, problem: str) -> None:
    with pytest.raises(InputProblem) as refused:
        parse_discount(typed)
    assert refused.value.code == problem
