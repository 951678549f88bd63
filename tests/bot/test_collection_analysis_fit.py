"""The collection analysis at its widest stays whole within Telegram's limit, in English and
Chinese: hundreds of reps and customers with the longest names and nine-digit amounts in every
column still show the top reps and customers and the rest summed, never cut."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.core.collection_analysis import ContractMoney, analyse, month_window
from bot.core.contract_terms import Instalment, PaymentSchedule
from bot.core.deals import CUSTOMER_NAME_MAX
from bot.core.models import NAME_MAX
from bot.core.usecases.collection_report import CollectionReport
from bot.i18n import make_i18n
from bot.rendering import Renderer, make_env
from bot.ui.fit import WINDOW_LIMIT, visible_length

D = Decimal
BIG = D("999999999.99")


def widest_report() -> CollectionReport:
    """300 reps' contracts, each for its own customer, with an instalment in every ageing
    bucket and one in the month, a receipt before the month and one in it."""
    dues = [date(2026, 4, 10), date(2026, 3, 15), date(2026, 2, 10), date(2025, 12, 1)]
    schedule = PaymentSchedule(D(1), tuple(Instalment(d, BIG) for d in sorted(dues)))
    contracts = [
        ContractMoney(
            n,
            n,
            1000 + n,
            schedule,
            ((date(2026, 1, 1), D(1)), (date(2026, 4, 20), D("123456789.12"))),
        )
        for n in range(300)
    ]
    analysis = analyse(contracts, month_window(date(2026, 4, 1), date(2026, 5, 4)))
    people = dict.fromkeys(range(300), "長" * NAME_MAX)
    customers = {1000 + n: "W" * CUSTOMER_NAME_MAX for n in range(300)}
    return CollectionReport(analysis, people, customers)


@pytest.fixture(params=["en", "zh"])
def renderer(request: pytest.FixtureRequest) -> Iterator[Renderer]:
    i18n = make_i18n("en")
    with i18n.context(), i18n.use_locale(request.param):
        yield Renderer(make_env(i18n, ZoneInfo("Asia/Shanghai")))


def test_the_widest_analysis_fits_whole_in_a_window(renderer: Renderer) -> None:
    params = widest_report().params()
    text = renderer.render("notifications/collection_analysis", **params)
    assert visible_length(text) <= WINDOW_LIMIT, visible_length(text)
    assert "¥1,199,999,999,988.00" in text  # 1,200 instalments due, less 300 × ¥1 ahead
    assert text.count("•") == 15 + 1 + 10 + 1  # the top reps and customers, and each rest


def test_the_rest_is_counted_in_the_readers_language(renderer: Renderer) -> None:
    text = renderer.render("notifications/collection_analysis", **widest_report().params())
    assert "285 more reps" in text or "另有 285 名销售员" in text
    assert "290 more customers" in text or "另有 290 个客户" in text
