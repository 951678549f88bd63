"""Customers (the minimum a deal needs) and the terms of a deal request, with their validation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

CUSTOMER_NAME_MAX = 100
PHONE_MAX = 32
PRODUCT_MAX = 200
PAYMENT_TERMS_MAX = 300
NOTE_MAX = 500
COMMENT_MAX = 500
AMOUNT_MAX = Decimal("1000000000000")
CENT = Decimal("0.01")


class InputProblem(ValueError):
    """A value typed by a person is wrong; `code` names the problem for the message shown."""

    def __init__(self, code: str, **details: object) -> None:
        super().__init__(code)
        self.code = code
        self.details = details


@dataclass(frozen=True, slots=True)
class DealTerms:
    customer_id: int
    product: str
    quantity: Decimal
    amount: Decimal
    discount: Decimal | None = None
    payment_terms: str | None = None
    deposit: Decimal | None = None
    note: str | None = None


_NUMBER = re.compile(r"^\d+(\.\d+)?$")


def parse_decimal(text: str, *, places: int, maximum: Decimal = AMOUNT_MAX) -> Decimal:
    """A positive number as people type it: "12,000.50", "¥ 3 000", "8%"; at most `places` decimals."""
    cleaned = re.sub(r"[\s,，¥￥%％]", "", text.strip())
    if re.fullmatch(r"-\d+(\.\d+)?", cleaned):
        raise InputProblem("not_positive")
    if not _NUMBER.match(cleaned):
        raise InputProblem("not_a_number")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InputProblem("not_a_number") from None
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise InputProblem("too_many_places", places=places)
    if value > maximum:
        raise InputProblem("too_large", maximum=maximum)
    return value


def parse_amount(text: str) -> Decimal:
    value = parse_decimal(text, places=2)
    if value <= 0:
        raise InputProblem("not_positive")
    return value.quantize(CENT)


def parse_quantity(text: str) -> Decimal:
    value = parse_decimal(text, places=3)
    if value <= 0:
        raise InputProblem("not_positive")
    return value


def parse_discount(text: str) -> Decimal:
    """A discount in percent: 0 to 100 with at most 2 decimals."""
    value = parse_decimal(text, places=2, maximum=Decimal(100))
    return value.quantize(CENT)


def clean_text(text: str, *, limit: int) -> str:
    """Trimmed free text; empty or longer than `limit` characters is refused."""
    value = text.strip()
    if not value:
        raise InputProblem("empty")
    if len(value) > limit:
        raise InputProblem("too_long", limit=limit, length=len(value))
    return value


def check_terms(terms: DealTerms) -> None:
    """Special terms are a discount, special payment terms, or both: a request without either
    has nothing to approve. The deposit cannot exceed the amount."""
    if terms.discount is None and not terms.payment_terms:
        raise InputProblem("no_special_terms")
    if terms.deposit is not None and terms.deposit > terms.amount:
        raise InputProblem("deposit_over_amount")
