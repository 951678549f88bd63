"""The pool's messages at the longest inputs stay within Telegram's 4,096 characters."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.customers import Customer, CustomerStatus
from bot.core.deals import CUSTOMER_NAME_MAX
from bot.core.models import NAME_MAX
from bot.core.policy import Policy
from bot.core.usecases.pool_sweep import LISTED_IN_NOTICE, notice_list
from bot.i18n import make_i18n
from bot.rendering import Renderer, make_env
from bot.ui.fit import MESSAGE_LIMIT, visible_length

NOW = datetime(2026, 12, 2, 2, tzinfo=UTC)


@pytest.fixture(params=["en", "zh"])
def renderer(request: pytest.FixtureRequest) -> Iterator[Renderer]:
    i18n = make_i18n("en")
    with i18n.context(), i18n.use_locale(request.param):
        yield Renderer(make_env(i18n, ZoneInfo("Asia/Shanghai")))


def customers(count: int, fill: str) -> list[Customer]:
    return [
        Customer(
            id=n,
            name=(f"{n} " + fill * CUSTOMER_NAME_MAX)[:CUSTOMER_NAME_MAX],
            owner_id=1,
            status=CustomerStatus.prospect,
            created_at=NOW,
            last_visit_on=date(2026, 11, 2),
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("fill", ["x", "🌊"])  # an emoji counts twice
def test_the_owners_pool_notice_fits_at_its_longest(renderer: Renderer, fill: str) -> None:
    many = customers(500, fill)
    params = {
        "returned": notice_list(many, Policy()),
        "warned": notice_list(many, Policy()),
        "idle_days": 3650,
    }
    text = renderer.render("notifications/pool_notice", **params)
    assert visible_length(text) <= MESSAGE_LIMIT
    assert "492" in text  # "… and 492 more"


@pytest.mark.parametrize("fill", ["x", "🌊"])
def test_the_keepers_team_notice_fits_at_its_longest(renderer: Renderer, fill: str) -> None:
    many = customers(500, fill)
    params = {
        "returned": notice_list(many, Policy()),
        "owners": [fill * NAME_MAX] * LISTED_IN_NOTICE,
        "idle_days": 3650,
    }
    text = renderer.render("notifications/pool_team_notice", **params)
    assert visible_length(text) <= MESSAGE_LIMIT
