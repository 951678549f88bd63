"""Every amount is written with the policy's currency, to the cent, with thousands separated."""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import make_i18n
from bot.rendering import make_env, money


@pytest.mark.parametrize(
    ("value", "currency", "shown"),
    [
        (Decimal("360000"), "CNY", "¥360,000.00"),
        ("12000.5", "CNY", "¥12,000.50"),
        (0, "CNY", "¥0.00"),
        (Decimal("0.005"), "CNY", "¥0.01"),  # half-even would say 0.00; money rounds half up
        (Decimal("1234.5"), "USD", "$1,234.50"),
        (Decimal("99"), "EUR", "€99.00"),
        (Decimal("1500"), "SGD", "SGD 1,500.00"),
    ],
)
def test_money_is_written_with_its_currency(value: object, currency: str, shown: str) -> None:
    assert money(value, currency) == shown  # type: ignore[arg-type]


def test_templates_write_money_in_the_policy_currency() -> None:
    i18n = make_i18n("en")
    env = make_env(i18n, ZoneInfo("Asia/Shanghai"), "USD")
    with i18n.context():
        assert env.from_string("{{ 80000|money }}").render() == "$80,000.00"
