"""The monthly review's suggested grade at each threshold boundary (defaults: excellent 120 %
and 95 %, good 100 % and 90 %, average 80 % and 80 %), with a measure missing, and the
[review] policy section's validation."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.core.models import Person
from bot.core.policy import PolicyError, Review, parse_policy
from bot.core.review import Basis, Grade, basis_of, grade, grader_of, may_grade
from bot.core.roles import Role

RULES = Review()
D = Decimal


@pytest.mark.parametrize(
    ("completion", "rate", "expected"),
    [
        # excellent: both at the threshold, and each just below it
        (120, D("95.00"), Grade.excellent),
        (119, D("95.00"), Grade.good),
        (120, D("94.99"), Grade.good),
        (500, D("100.00"), Grade.excellent),
        # good
        (100, D("90.00"), Grade.good),
        (99, D("90.00"), Grade.average),
        (100, D("89.99"), Grade.average),
        (150, D("90.00"), Grade.good),
        # average
        (80, D("80.00"), Grade.average),
        (79, D("80.00"), Grade.below),
        (80, D("79.99"), Grade.below),
        (200, D("79.99"), Grade.below),
        (0, D("0.00"), Grade.below),
        # no sales target: the rate alone
        (None, D("95.00"), Grade.excellent),
        (None, D("94.99"), Grade.good),
        (None, D("90.00"), Grade.good),
        (None, D("89.99"), Grade.average),
        (None, D("80.00"), Grade.average),
        (None, D("79.99"), Grade.below),
        # nothing due: the completion alone
        (120, None, Grade.excellent),
        (119, None, Grade.good),
        (100, None, Grade.good),
        (99, None, Grade.average),
        (80, None, Grade.average),
        (79, None, Grade.below),
        # neither: the neutral grade
        (None, None, Grade.average),
    ],
)
def test_grade_at_each_boundary(
    completion: int | None, rate: Decimal | None, expected: Grade
) -> None:
    assert grade(completion, rate, RULES) is expected


def test_the_policy_moves_the_boundaries() -> None:
    strict = Review(excellent_completion=150, good_completion=110, average_rate=85)
    assert grade(149, D(100), strict) is Grade.good
    assert grade(150, D(100), strict) is Grade.excellent
    assert grade(100, D("84.99"), strict) is Grade.below


@pytest.mark.parametrize(
    ("completion", "rate", "basis"),
    [
        (1, D(1), Basis.both),
        (1, None, Basis.completion),
        (None, D(1), Basis.rate),
        (None, None, Basis.none),
    ],
)
def test_the_card_says_what_the_grade_was_read_from(
    completion: int | None, rate: Decimal | None, basis: Basis
) -> None:
    assert basis_of(completion, rate) is basis


def test_review_thresholds_read_from_the_policy_file() -> None:
    policy = parse_policy({"review": {"excellent_completion": 130, "average_rate": 70}})
    assert policy.review == Review(excellent_completion=130, average_rate=70)


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ({"good_completion": 130}, "review.good_completion"),  # above excellent's 120
        ({"average_rate": 91}, "review.good_rate"),  # above good's 90
        ({"excellent_rate": 1001}, "review.excellent_rate"),
        ({"excellent_rate": -1}, "review.excellent_rate"),
        ({"good_rate": "90"}, "review.good_rate"),
        ({"best": 1}, "review.best"),
    ],
)
def test_bad_review_thresholds_are_refused(table: dict[str, object], key: str) -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy({"review": table})
    assert caught.value.key == key


def _person(pid: int, role: Role, above: int | None, *, active: bool = True) -> Person:
    return Person(pid, 100 + pid, f"P{pid}", role, reports_to=above, active=active)


def test_the_nearest_supervisor_or_sales_manager_grades() -> None:
    people = {
        p.id: p
        for p in (
            _person(1, Role.general_manager, None),
            _person(2, Role.sales_manager, 1),
            _person(3, Role.supervisor, 2, active=False),
            _person(4, Role.rep, 3),
            _person(5, Role.rep, 1),
            _person(6, Role.rep, 4),
        )
    }
    grader = grader_of(4, people)
    assert grader is not None
    assert grader.id == 2  # the inactive supervisor is skipped
    top = grader_of(5, people)
    assert top is not None
    assert top.id == 1  # no grader role above: the nearest manager
    assert may_grade(people[1], 4, people)
    assert not may_grade(people[5], 4, people)
    assert not may_grade(people[4], 4, people)
    assert grader_of(1, people) is None
