"""The invoice's messages as they are read, in English and Chinese: the finance VP's card with
the invoice's facts, the accountant's "invoice to issue" with its button, the issued notice;
and the refusal, one sentence with the exact figures."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.core.approvals import ApprovalRequest, ApprovalStep, RequestStatus, RequestView, StepStatus
from bot.core.collections import InvoiceTooEarly
from bot.core.deals import DealTerms
from bot.core.models import OutboxItem
from bot.core.roles import Role
from bot.core.usecases.approval_views import card_params
from bot.i18n import make_i18n
from bot.rendering import Renderer, make_env
from bot.ui.errors import explain
from bot.ui.fit import MESSAGE_LIMIT, visible_length
from bot.ui.invoice_cards import InvoiceCb, issue_keyboard

NOW = datetime(2026, 11, 23, 2, tzinfo=UTC)
FACTS = {
    "invoice_id": 7,
    "contract_id": 3,
    "contract": "HT-2026-0001",
    "contract_amount": "100000.00",
    "collected": "60000.00",
    "percent": "60.00",
    "amount": "100000.00",
    "balance": "40000.00",
}
ISSUED = {
    **FACTS,
    "customer": "Acme Trading",
    "number": "FP20261123",
    "issued_on": "2026-11-23",
    "by": "Zhou Min",
}


def render(language: str, template: str, **params: object) -> str:
    i18n = make_i18n("en")
    with i18n.context(), i18n.use_locale(language):
        renderer = Renderer(make_env(i18n, ZoneInfo("Asia/Shanghai")))
        return renderer.render(f"notifications/{template}", **params)


def vp_card(language: str) -> str:
    terms = DealTerms(1, "HT-2026-0001", Decimal(1), Decimal("100000.00"))
    request = ApprovalRequest(1, "invoice", 9, terms, RequestStatus.pending, NOW, 1, None, None)
    step = ApprovalStep(
        1, 1, 1, 0, Role.finance_vp, 10, {"kind": "chain"}, StepStatus.pending, due_at=NOW
    )
    view = RequestView(request, [step], "Acme Trading", {9: "Wu Hua", 10: "Qian Hong"})
    view = RequestView(**{**{s: getattr(view, s) for s in view.__slots__}, "invoice": FACTS})
    return render(language, "approval_card", **card_params(view, step))


def test_the_finance_vps_card_shows_the_invoices_facts() -> None:
    lines = vp_card("en").splitlines()
    assert lines[0] == "<b>Invoice request #1</b>"
    assert "Contract: <b>HT-2026-0001</b> · ¥100,000.00" in lines
    assert "Collected: ¥60,000.00 · 60.00 %" in lines
    assert "Invoice amount: <b>¥100,000.00</b>" in lines
    assert "Balance (合同余款): ¥40,000.00" in lines
    assert "Why you: every invoice needs the Finance VP's signature" in lines


def test_the_card_in_chinese() -> None:
    text = vp_card("zh")
    assert "开票申请" in text
    assert "合同余款：¥40,000.00" in text


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_accountants_message_and_the_issued_notice(language: str) -> None:
    asked = render(language, "invoice_to_issue", **FACTS, customer="客" * 100)
    done = render(language, "invoice_to_issue_done", **ISSUED)
    issued = render(language, "invoice_issued", **ISSUED)
    for text in (asked, done, issued):
        assert "HT-2026-0001" in text
        assert visible_length(text) < MESSAGE_LIMIT
    assert "FP20261123" in done
    assert "FP20261123" in issued


def test_the_accountants_button_opens_the_issue_form() -> None:
    item = OutboxItem(1, 8, 1007, "zh", "invoice_to_issue", FACTS, None, 0)
    i18n = make_i18n("en")
    with i18n.context(), i18n.use_locale("zh"):
        markup = issue_keyboard(item)
    [[button]] = markup.inline_keyboard
    assert (button.text, button.callback_data) == ("🧾 开具发票", InvoiceCb(invoice=7).pack())


def test_the_refusal_is_one_sentence_with_the_exact_figures() -> None:
    error = InvoiceTooEarly(Decimal(100000), Decimal(45000), Decimal("45.00"), Decimal(15000))
    i18n = make_i18n("en")
    with i18n.context(), i18n.use_locale("en"):
        assert explain(error) == (
            "No invoice yet: collected 45.00 % of ¥100,000.00 — ¥15,000.00 more needed."
        )
    with i18n.context(), i18n.use_locale("zh"):
        assert explain(error) == "暂不能开票：已收 ¥100,000.00 的 45.00 %，还需 ¥15,000.00。"
