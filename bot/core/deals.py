"""Customers (the minimum a deal needs) and the terms of a deal request, with their validation."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CUSTOMER_NAME_MAX = 100
PHONE_MAX = 32
PRODUCT_MAX = 200
PAYMENT_TERMS_MAX = 300
NOTE_MAX = 500
COMMENT_MAX = 500
AMOUNT_MAX = Decimal("1000000000000")
CENT = Decimal("0.01")


def to_cent(value: Decimal) -> Decimal:
    """The one rounding rule for money: half up to the cent (0.005 → 0.01), as people and
    accountants round, never the banker's half-even."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


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
_SEPARATORS = re.compile(r"[\s,_']")
_CURRENCY = re.compile(r"^(rmb|cny)|¥|(元|块|rmb|cny)$")
_UNITS = {"万": 10**4, "w": 10**4, "亿": 10**8, "千": 10**3, "k": 10**3}
_CHINESE_DIGITS = str.maketrans("〇零一二两三四五六七八九点", "001223456789.")


def _typed(text: str) -> str:
    """What a person typed, made plain: full-width forms folded (１２，０００ → 12,000),
    lower case, thousands separators and a currency sign or word dropped."""
    plain = (
        unicodedata.normalize("NFKC", text).strip().lower().replace("萬", "万").replace("億", "亿")
    )
    return _CURRENCY.sub("", _SEPARATORS.sub("", plain))


def _checked(value: Decimal, *, places: int, maximum: Decimal) -> Decimal:
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise InputProblem("too_many_places", places=places)
    if value > maximum:
        raise InputProblem("too_large", maximum=maximum)
    return value


def _number(cleaned: str) -> Decimal:
    if re.fullmatch(r"-\d+(\.\d+)?", cleaned):
        raise InputProblem("not_positive")
    if not _NUMBER.match(cleaned):
        raise InputProblem("not_a_number")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise InputProblem("not_a_number") from None


def parse_decimal(text: str, *, places: int, maximum: Decimal = AMOUNT_MAX) -> Decimal:
    """A positive number as people type it: "12,000.50", "¥ 3 000", "36万", "1.2亿", "５千元",
    and digit by digit in Chinese before a unit ("两万", "三点五万"); at most `places` decimals
    once the unit (万 = 10,000, 亿 = 100,000,000) is applied."""
    cleaned = _typed(text)
    unit = _UNITS.get(cleaned[-1:], 1) if len(cleaned) > 1 else 1
    if unit != 1:
        cleaned = cleaned[:-1].translate(_CHINESE_DIGITS)
    return _checked(_number(cleaned) * unit, places=places, maximum=maximum)


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
    """A discount in percent, 0 to 100 with at most 2 decimals: "12", "12%", or the Chinese
    折 way, which names the share of the price that is paid: 九五折 / 95折 / 9.5折 pay 95 %,
    a 5 % discount; 八折 pays 80 %, a 20 % discount."""
    cleaned = _typed(text)
    if cleaned.endswith("折"):
        return _discount_from_zhe(cleaned[:-1].translate(_CHINESE_DIGITS))
    try:
        value = _number(cleaned.removesuffix("%"))
    except InputProblem:
        raise InputProblem("bad_discount") from None
    return _checked(value, places=2, maximum=Decimal(100)).quantize(CENT)


def _discount_from_zhe(digits: str) -> Decimal:
    if re.fullmatch(r"[1-9]\d{0,2}", digits):
        paid = Decimal("0." + digits) * 100
    elif re.fullmatch(r"[1-9]\.\d{1,2}", digits):
        paid = Decimal(digits) * 10
    else:
        raise InputProblem("bad_discount")
    return _checked(100 - paid, places=2, maximum=Decimal(100)).quantize(CENT)


def net_amount(terms: DealTerms) -> Decimal:
    """What the customer pays once the discount is taken off the amount."""
    return net_amount_of(terms.amount, terms.discount)


def net_amount_of(amount: Decimal, discount: Decimal | None) -> Decimal:
    """The amount less a discount in percent, to the cent: 100,000.00 at 12.5 % → 87,500.00."""
    if discount is None:
        return amount
    return to_cent(amount * (100 - discount) / 100)


def unit_price(amount: Decimal, quantity: Decimal) -> Decimal:
    return to_cent(amount / quantity)


def changed_terms(before: DealTerms, after: DealTerms) -> tuple[str, ...]:
    """The fields of the terms that differ between two rounds of a request, in form order."""
    return tuple(
        f.name for f in fields(DealTerms) if getattr(before, f.name) != getattr(after, f.name)
    )


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
