"""The monthly performance review (issue 14, point 4; DOMAIN: the manager grades each rep
优秀 / 良好 / 一般 / 不达标): the month's figures, a suggested grade from the policy's
thresholds, the rep's comment and the manager's grade, overridden only with a reason."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from bot.core.models import Person
from bot.core.org import line_above
from bot.core.policy import Review
from bot.core.roles import Role

REVIEW_TEXT_MAX = 500  # the rep's comment and the manager's reason
# The nearest of these above a rep grades them (the seed's supervisor or sales manager).
GRADERS = frozenset({Role.supervisor, Role.sales_manager})


class Grade(StrEnum):
    excellent = "excellent"  # 优秀
    good = "good"  # 良好
    average = "average"  # 一般
    below = "below"  # 不达标


class Basis(StrEnum):
    """What the suggested grade was read from."""

    both = "both"
    completion = "completion"  # nothing was due in the month: no collection rate
    rate = "rate"  # no sales target for the month
    none = "none"  # neither: the neutral grade


def grade(completion: int | None, rate: Decimal | None, rules: Review) -> Grade:
    """The best grade whose two thresholds are both reached (each "at least"). A measure that
    does not exist is not held against the rep: with no sales target the rate alone decides,
    with nothing due the completion alone, and with neither the grade is average.

    Worked examples (defaults 120/95, 100/90, 80/80): completion 120 %, rate 95.00 % →
    excellent; 119 % and 99 % → good; 150 % and 89.99 % → average; 79 % and 100 % → below;
    no target and 95 % → excellent; 100 % and nothing due → good; neither → average."""
    levels = (
        (Grade.excellent, rules.excellent_completion, rules.excellent_rate),
        (Grade.good, rules.good_completion, rules.good_rate),
        (Grade.average, rules.average_completion, rules.average_rate),
    )
    if completion is None and rate is None:
        return Grade.average
    for level, least_completion, least_rate in levels:
        if (completion is None or completion >= least_completion) and (
            rate is None or rate >= least_rate
        ):
            return level
    return Grade.below


def basis_of(completion: int | None, rate: Decimal | None) -> Basis:
    if completion is None:
        return Basis.rate if rate is not None else Basis.none
    return Basis.completion if rate is None else Basis.both


@dataclass(frozen=True, slots=True)
class MonthFigures:
    """One rep's month as the review keeps it: what /plan showed for the month, frozen."""

    sales: Decimal
    quantity: Decimal
    collected: Decimal
    target_sales: Decimal | None
    target_quantity: Decimal | None
    target_collection: Decimal | None
    completion: int | None  # per cent of the sales target, rounded down
    due: Decimal  # owed in the month (the collection rate's base)
    rate: Decimal | None  # per cent, 2 places; None: nothing was due

    def params(self) -> dict[str, Any]:
        def text(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "sales": str(self.sales),
            "quantity": str(self.quantity),
            "collected": str(self.collected),
            "target_sales": text(self.target_sales),
            "target_quantity": text(self.target_quantity),
            "target_collection": text(self.target_collection),
            "completion": self.completion,
            "due": str(self.due),
            "rate": text(self.rate),
            "basis": basis_of(self.completion, self.rate).value,
        }

    @classmethod
    def from_params(cls, data: Mapping[str, Any]) -> MonthFigures:
        def number(key: str) -> Decimal | None:
            value = data.get(key)
            return None if value is None else Decimal(str(value))

        completion = data.get("completion")
        return cls(
            Decimal(data["sales"]),
            Decimal(data["quantity"]),
            Decimal(data["collected"]),
            number("target_sales"),
            number("target_quantity"),
            number("target_collection"),
            None if completion is None else int(completion),
            Decimal(data["due"]),
            number("rate"),
        )


@dataclass(frozen=True, slots=True)
class PerformanceReview:
    id: int
    rep_id: int
    month: date  # the first day of the month reviewed
    manager_id: int | None  # who was asked to grade (the nearest grader above the rep)
    figures: MonthFigures
    suggested: Grade
    prepared_at: datetime
    comment: str | None = None
    commented_at: datetime | None = None
    grade: Grade | None = None
    graded_by: int | None = None
    graded_at: datetime | None = None
    reason: str | None = None
    told_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class NewReview:
    """A review to prepare: the row the month's first working day inserts once."""

    rep_id: int
    month: date
    manager_id: int | None
    figures: MonthFigures
    suggested: Grade


def grader_of(rep_id: int, people: Mapping[int, Person]) -> Person | None:
    """The nearest active supervisor or sales manager up the rep's line, else the nearest
    active person above who manages anyone; None when the line has nobody."""
    above = [p for p in line_above(rep_id, people) if p.active and p.manages]
    return next((p for p in above if p.role in GRADERS), above[0] if above else None)


def may_grade(actor: Person, rep_id: int, people: Mapping[int, Person]) -> bool:
    """Only a manager up the rep's line grades them (the nearest, or anyone above them)."""
    return actor.active and actor.manages and actor.id in {p.id for p in line_above(rep_id, people)}


def notes_of(
    rows: Iterable[tuple[int, date, str]],
) -> dict[int, list[tuple[date, str]]]:
    """The work-log notes per rep, by day."""
    found: dict[int, list[tuple[date, str]]] = {}
    for rep_id, day, note in sorted(rows, key=lambda row: (row[0], row[1])):
        found.setdefault(rep_id, []).append((day, note))
    return found
