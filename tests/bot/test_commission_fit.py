"""A commission sheet at its longest inputs stays within Telegram's limit, in English and
Chinese: 30 contracts of 20 payments each with the longest references, the longest names, 30
payments not counted, three checks and the longest return reason. The card shows the first
lines and says how many more; the totals are never cut."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.core.collections import commission_sheet
from bot.core.commission import RETURN_REASON_MAX, Check, SheetRecord, SheetStatus
from bot.core.contract_terms import ContractLine, PaymentSchedule
from bot.core.contracts import Contract, ContractStatus
from bot.core.deals import CUSTOMER_NAME_MAX
from bot.core.models import NAME_MAX
from bot.core.orders import REFERENCE_MAX, PaymentMethod
from bot.core.payments import Payment
from bot.core.roles import Role
from bot.core.usecases.commission_view import SheetView, card, sheet_params
from bot.core.usecases.contract_search import ContractFile
from bot.i18n import make_i18n
from bot.rendering import Renderer, make_env
from bot.ui.fit import MESSAGE_LIMIT, WINDOW_LIMIT, fits, pages_that_fit, visible_length
from dialogs.commission.pages import page_renderer

D = Decimal
AT = datetime(2027, 2, 3, 2, tzinfo=UTC)
MONTH = date(2027, 1, 1)
REP = 1


def contract(n: int, status: ContractStatus = ContractStatus.in_force) -> Contract:
    line = ContractLine("Pipes", D(1), D("9999999.99"))
    return Contract(
        id=n, deal_id=n, customer_id=n, owner_id=REP, filed_by=2, status=status,
        lines=(line,), schedule=PaymentSchedule(D(0), ()), delivery_date=MONTH,
        created_at=AT, number=f"HT-2027-{n:04d}",
    )  # fmt: skip


def payment(payment_id: int, contract_id: int) -> Payment:
    day, method = date(2027, 1, 31), PaymentMethod.bank_transfer
    return Payment(
        payment_id, contract_id, D("9999999.99"), day, method, "R" * REFERENCE_MAX, 2, AT
    )


def longest_view() -> SheetView:
    contracts = {n: contract(n) for n in range(1, 31)} | {31: contract(31, ContractStatus.applied)}
    payments = [payment(c * 100 + k, c) for c in range(1, 32) for k in range(20)]
    sheet = commission_sheet(
        REP, MONTH, payments, contracts, D("0.0275"), deductions=dict.fromkeys(contracts, D(999))
    )
    record = SheetRecord(
        1, REP, MONTH, SheetStatus.returned, sheet.lines, sheet.total, sheet.excluded, 2, AT,
        step=2, checks=(Check(Role.accountant, 3, AT), Check(Role.finance_vp, 4, AT)),
        returned_by=5, returned_at=AT, return_reason="理" * RETURN_REASON_MAX,
    )  # fmt: skip
    files = {
        n: ContractFile(c, "客" * CUSTOMER_NAME_MAX, "名" * NAME_MAX) for n, c in contracts.items()
    }
    names = dict.fromkeys(range(1, 6), "名" * NAME_MAX)
    return SheetView(REP, MONTH, sheet, record, files, {p.id: p for p in payments}, names)


@pytest.fixture(params=["en", "zh"])
def renderer(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    i18n = make_i18n("en")
    with i18n.context(), i18n.use_locale(request.param):
        yield Renderer(make_env(i18n, ZoneInfo("Asia/Shanghai")))


def test_the_longest_card_and_screen_fit_with_their_totals(renderer: Renderer) -> None:
    view = longest_view()
    assert view.record is not None
    notice = card(9, view, view.record)
    for template, params, limit in (
        ("notifications/commission_card", notice.params, MESSAGE_LIMIT),
        ("commission_sheet", sheet_params(view), WINDOW_LIMIT),
    ):
        shown = renderer.render_within(template, params, limit)
        assert fits(shown, limit), f"{template}: {visible_length(shown)} characters"
        assert not shown.rstrip().endswith("…"), "nothing cut from the end"
        assert "HT-2027-0008" in shown
        assert "HT-2027-0009" not in shown, "the first lines, then how many more"
        assert "¥" + f"{view.sheet.total.payable:,}" in shown
        assert "理" * RETURN_REASON_MAX in shown


def test_the_screen_pages_every_line_with_its_payments(renderer: Renderer) -> None:
    view = longest_view()
    render = page_renderer(renderer, view)
    pages = pages_that_fit(view.sheet.lines, lambda lines: render(lines, 99, 99), WINDOW_LIMIT)
    texts = [render(lines, n, len(pages)) for n, lines in enumerate(pages, 1)]
    assert all(fits(text, WINDOW_LIMIT) for text in texts)
    assert sum(len(lines) for lines in pages) == len(view.sheet.lines) == 31
    assert all(f"HT-2027-{n:04d}" in "".join(texts) for n in range(1, 32))
    assert all("¥" + f"{view.sheet.total.payable:,}" in text for text in texts)
