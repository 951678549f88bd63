"""The collections sweep's messages (issue 13): what the rep and the supervisor read, and the
legal follow-up to the sales manager, each fitting 4,096 characters at the longest inputs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from test_contract_card_fit import AT, TODAY, longest_file
from test_regression_screens_outgrow_telegram import customer_view, six_times_returned

from bot.core.collections import CreditStanding, receipts_of
from bot.core.credit import CreditInfo, contract_money
from bot.core.deals import AMOUNT_MAX, CUSTOMER_NAME_MAX
from bot.core.models import NAME_MAX
from bot.core.policy import Collections, Policy
from bot.core.usecases.approval_views import card_params
from bot.core.usecases.collection_sweep import LISTED
from bot.i18n import make_i18n
from bot.rendering import Renderer, make_env
from bot.rendering import money as money_text
from bot.scheduling import Jobs, make_scheduler
from bot.ui.fit import MESSAGE_LIMIT, WINDOW_LIMIT, fits, visible_length

REP, SUPERVISOR = 6, 5


@pytest.fixture(params=["en", "zh"])
def renderer(request: pytest.FixtureRequest) -> Iterator[Renderer]:
    i18n = make_i18n("en")
    with i18n.context(), i18n.use_locale(request.param):
        yield Renderer(make_env(i18n, ZoneInfo("Asia/Shanghai")))


def line(n: int, **extra: Any) -> dict[str, Any]:
    return {
        "contract_id": n,
        "number": ("HT-" + "9" * 40)[:40],
        "customer": ("Customer " + "x" * CUSTOMER_NAME_MAX)[:CUSTOMER_NAME_MAX],
        "owner_id": REP,
        "owner": ("Rep " + "y" * NAME_MAX)[:NAME_MAX],
        **extra,
    }


def due(n: int, kind: str = "overdue", days: int = 400) -> dict[str, Any]:
    return line(
        n,
        kind=kind,
        due="2026-12-01",
        unpaid=str(AMOUNT_MAX),
        overdue=str(AMOUNT_MAX),
        days=days,
        again=days > 7,
    )


@pytest.mark.parametrize("template", ["collections_due", "collections_legal"])
def test_the_longest_lists_fit_one_message(renderer: Renderer, template: str) -> None:
    text = renderer.render(
        f"notifications/{template}",
        items=[due(n) for n in range(LISTED)],
        more=190,
        count=LISTED + 190,
        recipient=SUPERVISOR,
    )
    assert visible_length(text) <= MESSAGE_LIMIT
    assert "190" in text


def test_what_the_rep_and_the_supervisor_read(renderer: Renderer) -> None:
    items = [due(1, days=8), due(2, "due_soon", 0), due(3, "due_soon", 6)]
    to_rep = renderer.render(
        "notifications/collections_due", items=items, more=0, count=3, recipient=REP
    )
    to_supervisor = renderer.render(
        "notifications/collections_due", items=items, more=0, count=3, recipient=SUPERVISOR
    )
    assert "¥1,000,000,000,000.00" in to_rep
    assert "Rep yyy" not in to_rep, "the rep is not named to themself"
    assert "Rep yyy" in to_supervisor
    if "overdue" in to_rep:  # English
        for said in ("overdue 8 days", "reminder", "due today", "due in 6 days"):
            assert said in to_rep
    else:
        for said in ("已逾期 8 天", "再次提醒", "今天到期", "6 天后到期"):
            assert said in to_rep


def test_the_longest_contract_card_with_its_money_lines_fits(renderer: Renderer) -> None:
    file = longest_file()
    file = replace(file, contract=replace(file.contract, legal_flagged_at=AT))
    credit = CreditInfo(
        CreditStanding.hold, 999, AMOUNT_MAX, Decimal(0), AMOUNT_MAX, AMOUNT_MAX, None, 3650
    )
    deposit = (file.deposit.paid_on, file.deposit.amount) if file.deposit else None
    receipts = receipts_of(deposit, file.payments)
    money = contract_money(file.contract, file.figures, receipts, credit, TODAY, Collections())
    assert money.interest > 0
    shown = renderer.render_within("contract_card", {"file": file, "money": money}, WINDOW_LIMIT)
    assert fits(shown, WINDOW_LIMIT), visible_length(shown)
    assert "⚖️" in shown
    assert money_text(money.interest) in shown


@pytest.mark.parametrize("standing", ["hold", "watch"])
def test_the_longest_approval_card_with_the_credit_line_fits(
    renderer: Renderer, standing: str
) -> None:
    view = six_times_returned()
    step = view.open_step()
    assert step is not None
    credit = {"standing": standing, "overdue": str(AMOUNT_MAX), "days": 3650}
    card = renderer.render(
        "notifications/approval_card", **card_params(replace(view, credit=credit), step)
    )
    assert visible_length(card) <= MESSAGE_LIMIT
    assert "3650" in card


def test_the_collections_sweep_is_scheduled_daily_on_working_days_at_its_policy_time() -> None:
    policy = Policy(collections=Collections(sweep_at=time(10, 15)))
    jobs = Jobs(lambda: None, policy, lambda: datetime.now(UTC))  # type: ignore[arg-type,return-value]
    job = make_scheduler(jobs, policy).get_job("collections-sweep")
    assert job is not None
    fields = {f.name: str(f) for f in job.trigger.fields}
    assert (fields["hour"], fields["minute"], fields["day_of_week"]) == (
        "10",
        "15",
        "mon,tue,wed,thu,fri,sat",
    )


def test_the_longest_customer_card_with_its_money_line_fits(renderer: Renderer) -> None:
    huge = Decimal("999999999999999.99")
    money = CreditInfo(CreditStanding.hold, 999, huge, huge, huge, huge, None, 3650)
    view = {**customer_view(), "money": money}
    card = renderer.render_within("customer_card", view, WINDOW_LIMIT)
    assert fits(card, WINDOW_LIMIT), visible_length(card)
    assert card == renderer.render("customer_card", short=True, **view), "not cut"
    assert money_text(huge) in card
