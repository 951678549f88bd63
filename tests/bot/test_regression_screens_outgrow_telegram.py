"""Regression (issue 7, "screens can outgrow Telegram"): every message kind rendered at the
longest input the forms allow stays within Telegram's 4,096 characters.

Before: a weekly plan of 13 visits with 200-character purposes rendered 4,145 characters and an
approval card after six rounds of long return reasons 4,265; Telegram refused both, the card never
reached the approver and /plan failed every time. After: lists are paged or end in "… and N
more", a card shows the latest decisions only, and long list lines are shortened.

This file measures the templates directly (cheap); the flows themselves run end to end in
test_regression_screens_outgrow_telegram_e2e.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.core.approvals import ApprovalRequest, ApprovalStep, RequestStatus, RequestView, StepStatus
from bot.core.customer_rules import URL_MAX
from bot.core.customers import (
    ADDRESS_MAX,
    CONTACT_MAX,
    CUSTOMER_NOTE_MAX,
    OUTCOME_MAX,
    PICK_MAX,
    Customer,
    CustomerEvent,
    CustomerStatus,
    Visit,
)
from bot.core.deals import (
    AMOUNT_MAX,
    COMMENT_MAX,
    CUSTOMER_NAME_MAX,
    NOTE_MAX,
    PAYMENT_TERMS_MAX,
    PRODUCT_MAX,
    DealTerms,
)
from bot.core.models import MAX_ID, NAME_MAX
from bot.core.orders import Deal, DealStage
from bot.core.plans import GOALS_MAX, MAX_PLAN_ITEMS, PURPOSE_MAX
from bot.core.roles import Role
from bot.core.usecases.approval_views import card_params, request_snapshot
from bot.core.usecases.transfer import REASON_MAX
from bot.i18n import make_i18n
from bot.rendering import Renderer, make_env
from bot.ui.fit import MESSAGE_LIMIT, WINDOW_LIMIT, fits, visible_length

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
CHAIN = [Role.supervisor, Role.sales_manager, Role.marketing_vp, Role.general_manager]


def longest(label: str, limit: int, fill: str = "x") -> str:
    """A text of exactly `limit` characters, readable in a failure message."""
    return (label + " " + fill * limit)[:limit]


@pytest.fixture(params=["en", "zh"])
def renderer(request: pytest.FixtureRequest) -> Iterator[Renderer]:
    i18n = make_i18n("en")
    with i18n.context(), i18n.use_locale(request.param):
        yield Renderer(make_env(i18n, ZoneInfo("Asia/Shanghai")))


def names(fill: str = "x") -> dict[int, str]:
    return {n: longest(f"Person {n}", NAME_MAX, fill) for n in range(1, 20)}


def six_times_returned(fill: str = "x") -> RequestView:
    """Round 7 of a request at every field's maximum: in each of the six rounds before, three
    delegates approved on behalf of the approvers and the fourth returned it with a reason of
    the longest length; round 7 waits for a delegate at the first step. `fill` is the
    character the texts are made of (an emoji counts twice)."""
    terms = DealTerms(
        customer_id=1,
        product=longest("Product", PRODUCT_MAX, fill),
        quantity=Decimal("999999999999.999"),
        amount=AMOUNT_MAX,
        discount=Decimal("99.99"),
        payment_terms=longest("Payment terms", PAYMENT_TERMS_MAX, fill),
        deposit=AMOUNT_MAX,
        note=longest("Note", NOTE_MAX, fill),
    )
    before = DealTerms(
        customer_id=2,
        product=longest("Old product", PRODUCT_MAX, fill),
        quantity=Decimal("999999999999.998"),
        amount=AMOUNT_MAX - 1,
        discount=Decimal("99.98"),
        payment_terms=longest("Old payment terms", PAYMENT_TERMS_MAX, fill),
        deposit=AMOUNT_MAX - 1,
        note=longest("Old note", NOTE_MAX, fill),
    )
    request = ApprovalRequest(
        1, "special_terms", 1, terms, RequestStatus.pending, NOW, round=7, previous_terms=before
    )
    steps = []
    for round_ in range(1, 8):
        for position, role in enumerate(CHAIN):
            decided = round_ < 7
            returned = position == len(CHAIN) - 1
            step = ApprovalStep(
                id=len(steps) + 1,
                request_id=1,
                round=round_,
                position=position,
                role=role,
                approver_id=2 + position,
                reason={"kind": "discount", "value": "99.99", "limit": "5"},
                status=(StepStatus.returned if returned else StepStatus.approved)
                if decided
                else (StepStatus.pending if position == 0 else StepStatus.waiting),
                acting_id=10 + position,
                opened_at=NOW,
                due_at=NOW + timedelta(hours=8),
                decided_at=NOW if decided else None,
                decided_by=10 + position if decided else None,
                comment=longest(f"Reason {round_}", COMMENT_MAX, fill)
                if decided and returned
                else None,
            )
            steps.append(step)
    customer, previous_customer = (longest(c, CUSTOMER_NAME_MAX, fill) for c in ("Customer", "Old"))
    return RequestView(request, steps, customer, names(fill), previous_customer)


def assert_fits(text: str, limit: int = MESSAGE_LIMIT) -> None:
    assert visible_length(text) <= limit, f"{visible_length(text)} > {limit}:\n{text}"


def test_regression_an_approval_card_after_six_returns_fits(renderer: Renderer) -> None:
    view = six_times_returned()
    step = view.open_step()
    assert step is not None
    card = renderer.render("notifications/approval_card", **card_params(view, step))
    assert_fits(card)
    assert longest("Reason 6", COMMENT_MAX) in card, "the latest return reason in full"
    assert longest("Reason 1", COMMENT_MAX) not in card


def test_regression_the_requesters_status_after_six_returns_fits(renderer: Renderer) -> None:
    status = renderer.render(
        "notifications/request_status", **request_snapshot(six_times_returned())
    )
    assert_fits(status)
    assert "/my" in status, "where the whole history is"


def plan_params(items: int) -> dict[str, Any]:
    return {
        "late": True,
        "plan_id": 1,
        "rep": longest("Rep", NAME_MAX),
        "week": "2026-11-30",
        "status": "returned",
        "goals": longest("Goals", GOALS_MAX),
        "items": [
            {
                "day": "2026-12-01",
                "customer": longest(f"Customer {n}", CUSTOMER_NAME_MAX),
                "purpose": longest(f"Purpose {n}", PURPOSE_MAX),
            }
            for n in range(items)
        ],
        "due": "2026-11-27T10:00:00+00:00",
        "comment": longest("Comment", COMMENT_MAX),
        "reviewer": longest("Reviewer", NAME_MAX),
        "changes": {"added": 60, "removed": 60, "goals_changed": True},
    }


@pytest.mark.parametrize("items", [13, MAX_PLAN_ITEMS])
def test_regression_the_managers_plan_card_fits(renderer: Renderer, items: int) -> None:
    card = renderer.render("notifications/plan_card", **plan_params(items))
    assert_fits(card)
    assert "/plan" in card, "where every visit is shown"
    assert "⏰ <b>late</b>" in card or "⏰ <b>迟交</b>" in card, "a late plan says so"


def customer_view() -> dict[str, Any]:
    customer = Customer(
        id=1,
        name=longest("Customer", CUSTOMER_NAME_MAX),
        owner_id=1,
        status=CustomerStatus.prospect,
        created_at=NOW,
        phone="+8613800138000",
        contact_name=longest("Contact", CONTACT_MAX),
        address=longest("Address", ADDRESS_MAX),
        latitude=31.2304,
        longitude=121.4737,
        industry=longest("Industry", PICK_MAX),
        size=longest("Size", PICK_MAX),
        region=longest("Region", PICK_MAX),
        shop_url="https://" + "s" * (URL_MAX - 8),
        note=longest("Note", CUSTOMER_NOTE_MAX),
        confirmed_by=2,
        confirmed_at=NOW,
        next_follow_up=date(2026, 12, 1),
    )
    visits = [
        Visit(n, 1, 1, "first", date(2026, 11, 20), NOW, longest("Outcome", OUTCOME_MAX), "high")
        for n in range(3)
    ]
    for visit in visits:
        visit.far = True
    deals = [
        ApprovalRequest(
            n,
            "special_terms",
            1,
            DealTerms(1, "p", Decimal(1), AMOUNT_MAX),
            RequestStatus.returned,
            NOW,
        )
        for n in range(5)
    ]
    return {
        "customer": customer,
        "owner": longest("Owner", NAME_MAX),
        "confirmed_by": longest("Supervisor", NAME_MAX),
        "visits": visits,
        "events": [],
        "history": [CustomerEvent(1, "status", n, NOW, "lost", "prospect") for n in range(1, 41)],
        "names": {n: longest(f"Person {n}", NAME_MAX) for n in range(1, 41)},
        "deals": deals,
        # the three newest deals the card shows, each at its longest line
        "deal_records": [
            Deal(n, 1, 1, DealStage.deposit_paid, NOW, NOW, request_id=MAX_ID) for n in (1, 2, 3)
        ],
    }


def test_regression_the_customer_card_fits_a_window(renderer: Renderer) -> None:
    """Every field at its longest and 40 status changes by people with the longest names: the
    card takes its short form (long texts clipped, the last 3 changes and a count), and
    nothing at its end is cut off."""
    view = customer_view()
    assert not fits(renderer.render("customer_card", **view), WINDOW_LIMIT), "needs shortening"

    card = renderer.render_within("customer_card", view, WINDOW_LIMIT)

    assert_fits(card, WINDOW_LIMIT)
    assert card == renderer.render("customer_card", short=True, **view), "not cut"
    assert "… and 37 earlier" in card or "……更早的还有 37 条" in card


def test_an_ordinary_card_shows_the_last_ten_status_changes(renderer: Renderer) -> None:
    view = {**customer_view(), "visits": [], "deals": [], "deal_records": []}
    view["customer"] = Customer(1, "Acme", 1, CustomerStatus.prospect, NOW)

    card = renderer.render_within("customer_card", view, WINDOW_LIMIT)

    assert card.count(longest("Person 1", NAME_MAX)) == 1
    assert "… and 30 earlier" in card or "……更早的还有 30 条" in card


def digest_item(n: int) -> dict[str, Any]:
    view = six_times_returned()
    step = view.open_step()
    assert step is not None
    return {**card_params(view, step), "request_id": 100000 + n}


@pytest.mark.parametrize("count", [20, 200])
def test_regression_lists_in_one_message_end_in_and_n_more(renderer: Renderer, count: int) -> None:
    messages = {
        "approvals_digest": {"items": [digest_item(n) for n in range(count)], "now": NOW},
        "followups_digest": {
            "items": [
                {
                    "name": longest(f"Customer {n}", CUSTOMER_NAME_MAX),
                    "overdue": True,
                    "due": "2026-11-20",
                    "planned": True,
                    "customer_id": n,
                }
                for n in range(count)
            ]
        },
        "meeting_summary": {
            "week": "2026-11-30",
            "reps": [
                {
                    "name": longest(f"Rep {n}", NAME_MAX),
                    "status": "late",
                    "planned": 60,
                    "actual": {"done": 60, "planned": 60, "completion": 100, "unplanned": 99},
                }
                for n in range(count)
            ],
        },
        "plans_missing": {
            "week": "2026-11-30",
            "names": [longest(f"Rep {n}", NAME_MAX) for n in range(count)],
        },
    }
    for template, params in messages.items():
        text = renderer.render(f"notifications/{template}", **params)
        assert_fits(text)
        assert ("…" in text) == (count == 200), template  # "… and 180 more"


def test_regression_the_duplicates_warning_fits_a_window(renderer: Renderer) -> None:
    hits = [
        {
            "name": longest(f"Customer {n}", CUSTOMER_NAME_MAX),
            "owner": longest("Owner", NAME_MAX),
            "status": "prospect",
            "by_phone": False,
            "pooled": n % 2 == 0,  # named as the customer pool instead of an owner
        }
        for n in range(40)
    ]
    assert_fits(renderer.render("customer_duplicates", hits=hits), WINDOW_LIMIT)


def test_a_card_transferred_with_the_longest_reason_fits(renderer: Renderer) -> None:
    view = six_times_returned()
    step = view.open_step()
    assert step is not None
    note = {
        "by": longest("Person 1", NAME_MAX),
        "to": longest("Person 2", NAME_MAX),
        "reason": longest("Transfer", REASON_MAX),
    }
    for handed_over in (True, False):
        params = {**card_params(view, step), "transfer": note, "handed_over": handed_over}
        card = renderer.render("notifications/approval_card", **params)
        assert_fits(card)
        assert f"↪️ {note['by']}" in card or "↪️ Transferred to " in card


@pytest.mark.parametrize("placement", ["before", "after"])
def test_a_card_with_an_added_reviewer_and_the_longest_reasons_fits(
    renderer: Renderer, placement: str
) -> None:
    view = six_times_returned()
    step = view.open_step()
    assert step is not None
    by, to = longest("Person 1", NAME_MAX), longest("Person 2", NAME_MAX)
    reason = longest("Added", REASON_MAX)
    note = {"by": by, "to": to, "reason": reason, "placement": placement}
    step.reason = {"kind": "added", "value": placement, "limit": None, "by": "1", "note": reason}
    params = {**card_params(view, step), "added": note, "handed_over": placement == "before"}
    for template in ("approval_card", "step_moved", "step_back"):
        values = {**params, "why": "added", "reviewer": to}
        message = renderer.render(f"notifications/{template}", **values)
        if not fits(message, MESSAGE_LIMIT):  # the short form, never the last-resort cut
            message = renderer.render(f"notifications/{template}", short=True, **values)
        assert_fits(message)
    assert "➕" in renderer.render("notifications/approval_card", **params)
