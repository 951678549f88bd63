"""The facts an approver decides on, on the card itself: the net amount after the discount,
the unit price, and on a resubmitted request what changed since the round before."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.core.approvals import (
    ApprovalRequest,
    ApprovalStep,
    RequestStatus,
    RequestView,
    StepStatus,
)
from bot.core.deals import DealTerms
from bot.core.models import OutboxItem
from bot.core.roles import Role
from bot.core.usecases.approval_views import card_params
from bot.i18n import make_i18n
from bot.rendering import Renderer, make_env
from bot.ui.cards import CustomerCb, card_keyboard

NOW = datetime(2026, 11, 23, 2, tzinfo=UTC)
BEFORE = DealTerms(1, "Steel pipes", Decimal(100), Decimal("120000.00"), Decimal("12.00"))
AFTER = DealTerms(2, "Steel pipes", Decimal(100), Decimal("120000.00"), Decimal("8.50"), "30 days")


def card(
    language: str,
    *,
    round_: int,
    previous: DealTerms | None,
    role: Role = Role.supervisor,
    kind: str = "special_terms",
) -> str:
    request = ApprovalRequest(1, kind, 9, AFTER, RequestStatus.pending, NOW, round_, None, previous)
    step = ApprovalStep(
        1, 1, round_, 0, role, 3, {"kind": "always"}, StepStatus.pending, due_at=NOW
    )
    view = RequestView(request, [step], "Acme Trading", {9: "Rob", 3: "Sue"}, "Old Name Co")
    i18n = make_i18n("en")
    with i18n.context(), i18n.use_locale(language):
        renderer = Renderer(make_env(i18n, ZoneInfo("Asia/Shanghai")))
        return renderer.render("notifications/approval_card", **card_params(view, step))


def test_the_card_shows_the_net_amount_and_the_unit_price() -> None:
    text = card("en", round_=1, previous=None)
    lines = text.splitlines()
    assert "Discount: <b>8.5 %</b> · net: <b>¥109,800.00</b>" in lines
    assert "Unit price: ¥1,098.00 (after the discount)" in lines
    assert "Changed since" not in text


def test_a_resubmitted_card_says_what_changed_field_by_field() -> None:
    text = card("en", round_=2, previous=BEFORE)
    assert "<b>Changed since round 1</b>" in text
    assert "• Customer: Old Name Co → <b>Acme Trading</b>" in text
    assert "• Discount: 12 % → <b>8.5 %</b>" in text
    assert "• Payment terms: — → <b>30 days</b>" in text
    assert "Amount: ¥120,000.00 →" not in text, "an unchanged field is not listed"


def test_the_changes_read_in_chinese() -> None:
    text = card("zh", round_=2, previous=BEFORE)
    assert "• 折扣：12 % → <b>8.5 %</b>" in text
    assert "Changed since" not in text


def test_a_contract_application_says_why_you_without_calling_it_special_terms() -> None:
    en = card("en", round_=1, previous=None, role=Role.sales_manager, kind="contract")
    zh = card("zh", round_=1, previous=None, role=Role.general_manager, kind="contract")

    assert "Why you: every contract application needs the Sales manager's decision" in en
    assert "合同申报单须经总经理审批" in zh
    assert "special terms" not in en
    assert "优惠条件" not in zh


def test_the_due_time_names_the_weekday_in_the_reader_s_language() -> None:
    assert "⏰ Please decide by Mon 11-23 10:00." in card("en", round_=1, previous=None)
    assert "周一 11-23 10:00" in card("zh", round_=1, previous=None)


def test_a_distance_reads_in_metres_or_kilometres() -> None:
    from bot.rendering import distance

    assert [distance(m) for m in (0, 380.2, 999.4, 1000, 14283)] == [
        "0 m",
        "380 m",
        "999 m",
        "1.0 km",
        "14.3 km",
    ]


def test_the_general_manager_approves_and_everyone_before_reviews_in_chinese() -> None:
    """审批 is the general manager's final approval; the approvers before them 审核 (the seed
    keeps the two words apart; English says "decide" for both)."""
    assert "请于 周一 11-23 10:00 前审核。" in card("zh", round_=1, previous=None)
    final = card("zh", round_=1, previous=None, role=Role.general_manager)
    assert "请于 周一 11-23 10:00 前审批。" in final
    assert "Please decide by Mon 11-23 10:00." in card(
        "en", round_=1, previous=None, role=Role.general_manager
    )


def test_the_card_offers_the_customer_one_tap_away() -> None:
    """The approver can look at the customer's card (visits, earlier requests) before deciding;
    a decided step's card offers nothing."""
    item = OutboxItem(
        id=1,
        recipient_id=3,
        chat_id=3,
        template="approval_card",
        params={"status": "pending", "step": {"id": 7, "status": "pending"}, "customer_id": 42},
        ref=None,
        attempts=0,
        language="en",
    )
    i18n = make_i18n("en")
    with i18n.context(), i18n.use_locale("en"):
        markup = card_keyboard(item)
    assert markup is not None
    last = markup.inline_keyboard[-1][0]
    assert (last.text, last.callback_data) == (
        "📇 Customer and visits",
        CustomerCb(customer=42).pack(),
    )
