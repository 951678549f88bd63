"""The contract card and the ledger page at their longest inputs stay within Telegram's limit:
20 lines of 200-character products, 12 instalments, 30 payments with long references, notes
and work orders; the short form fits whole, so nothing is cut from its end."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.core.collections import CreditStanding
from bot.core.contract_terms import LINES_MAX, ContractLine, Instalment, PaymentSchedule
from bot.core.contracts import Contract, ContractStatus
from bot.core.credit import CreditInfo
from bot.core.deals import CUSTOMER_NAME_MAX, PRODUCT_MAX
from bot.core.deliveries import DeliveryNote, DeliveryStatus
from bot.core.invoices import NUMBER_MAX, Invoice, InvoiceStatus
from bot.core.models import NAME_MAX
from bot.core.orders import REFERENCE_MAX, Deposit, PaymentMethod
from bot.core.payments import Payment, ledger_figures, schedule_states
from bot.core.usecases.ledger import PAGE_SIZE, ContractFile, LedgerPage, LedgerRow
from bot.core.work_orders import TASK_MAX, WorkOrder, WorkOrderStatus
from bot.i18n import make_i18n
from bot.rendering import Renderer, make_env, money
from bot.ui.fit import MESSAGE_LIMIT, WINDOW_LIMIT, fits, visible_length

D = Decimal
AT = datetime(2026, 11, 30, 2, tzinfo=UTC)
TODAY = date(2027, 6, 1)


def longest_file() -> ContractFile:
    lines = tuple(
        ContractLine(
            f"{n:02d}" + "精密不锈钢轴承组件 Precision bearing " * 10,
            D("99999.999"),
            D("9999999.99"),
            D("12.50"),
        )
        for n in range(LINES_MAX)
    )
    lines = tuple(ContractLine(line.product[:PRODUCT_MAX], *_rest(line)) for line in lines)
    amount = sum((line.amount for line in lines), D(0))
    share = (amount - D("1000000.00")) / 12
    instalments = [
        Instalment(date(2026, 12, 1) + timedelta(days=30 * n), share.quantize(D("0.01")))
        for n in range(12)
    ]
    last = amount - D("1000000.00") - sum((i.amount for i in instalments[:-1]), D(0))
    instalments[-1] = Instalment(instalments[-1].due, last)
    schedule = PaymentSchedule(D("1000000.00"), tuple(instalments))
    contract = Contract(
        id=1,
        deal_id=1,
        customer_id=1,
        owner_id=2,
        filed_by=3,
        status=ContractStatus.in_force,
        lines=lines,
        schedule=schedule,
        delivery_date=date(2027, 1, 1),
        created_at=AT,
        number="HT-2026-" + "9" * 32,
        signed_by=4,
        signed_at=AT,
        cosigned_by=5,
        cosigned_at=AT,
        production_signed_by=6,
        production_signed_at=AT,
        goods_ready_at=AT,
    )
    payments = tuple(
        Payment(
            n,
            1,
            D("1234567.89"),
            date(2026, 12, 1),
            PaymentMethod.acceptance_bill,
            "R" * REFERENCE_MAX,
            5,
            AT,
        )
        for n in range(1, 31)
    )
    delivered = tuple(line.quantity / 2 for line in lines)
    figures = ledger_figures(contract, payments, D("1000000.00"), delivered, TODAY)
    return ContractFile(
        contract=contract,
        customer_name="客" * CUSTOMER_NAME_MAX,
        names=dict.fromkeys(range(1, 7), "名" * NAME_MAX),
        figures=figures,
        schedule=tuple(schedule_states(schedule, figures.collected, TODAY)),
        deposit=Deposit(
            D("1000000.00"), date(2026, 11, 30), PaymentMethod.cash, "S" * 32, None, 5, AT
        ),
        payments=payments,
        notes=tuple(
            DeliveryNote(n, 1, n, delivered, DeliveryStatus.booked, 3, AT) for n in range(1, 21)
        ),
        work_orders=tuple(
            WorkOrder(n, 1, "任" * TASK_MAX, WorkOrderStatus.accepted, 3, AT) for n in range(1, 21)
        ),
    )


def _rest(line: ContractLine) -> tuple[Decimal, Decimal, Decimal | None]:
    return line.quantity, line.unit_price, line.discount


@pytest.fixture(params=["en", "zh"])
def renderer(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    i18n = make_i18n("en")
    with i18n.context(), i18n.use_locale(request.param):
        yield Renderer(make_env(i18n, ZoneInfo("Asia/Shanghai")))


def test_the_longest_card_fits_in_its_short_form_whole(renderer: Renderer) -> None:
    file = longest_file()
    full = renderer.render("contract_card", file=file)
    short = renderer.render("contract_card", short=True, file=file)
    shown = renderer.render_within("contract_card", {"file": file}, WINDOW_LIMIT)
    assert not fits(full, WINDOW_LIMIT), "the full form is too long: the short one is needed"
    assert fits(short, WINDOW_LIMIT), f"short form: {visible_length(short)} characters"
    assert shown == short
    assert visible_length(shown) < MESSAGE_LIMIT
    assert "\n20. " in shown, "every line is listed"
    assert money(file.figures.outstanding) in shown, "the figures are all there"
    assert "#20 · " in shown, "down to the last work order: nothing cut from the end"


def test_the_longest_ledger_page_fits(renderer: Renderer) -> None:
    file = longest_file()
    flagged = replace(file.contract, legal_flagged_at=AT)
    row = LedgerRow(
        flagged, "客" * CUSTOMER_NAME_MAX, "名" * NAME_MAX, file.figures, D("9999999999.99")
    )
    page = LedgerPage((row,) * PAGE_SIZE, 98, True)
    huge = D("999999999999999.99")
    totals = CreditInfo(CreditStanding.hold, 999, huge, huge, huge, huge, None, 3650)
    text = renderer.render(
        "contract_ledger",
        page=page,
        filter_label="Overdue",
        customer="x" * 50,
        rep="名" * NAME_MAX,
        show_owner=True,
        today=TODAY,
        totals=totals,
    )
    assert fits(text, WINDOW_LIMIT), f"{visible_length(text)} characters"
    assert "⚖️" in text
    assert money(huge) in text, "the customer's totals"


def test_the_longest_application_and_its_co_sign_screen_fit_whole(renderer: Renderer) -> None:
    """20 lines of 200-character products and 12 instalments: the form's summary and finance's
    co-sign screen both show every line and every instalment within one window."""
    lines = [
        {
            "product": "管" * PRODUCT_MAX,
            "quantity": "999999.999",
            "price": "999999999.99",
            "discount": "12.5",
            "amount": "874999999.99",
        }
        for _ in range(LINES_MAX)
    ]
    instalments = [{"due": f"2027-{m:02d}-28", "amount": "999999999.99"} for m in range(1, 13)]
    terms = {
        "customer": "客" * CUSTOMER_NAME_MAX,
        "number": "HT-2026-0001",
        "lines": lines,
        "amount": "17499999999.80",
        "deposit": "999999999.99",
        "instalments": instalments,
        "delivery": "2027-12-31",
    }
    for template, key in (("application_summary", "a"), ("contract_to_sign", "c")):
        shown = renderer.render_within(template, {key: terms}, WINDOW_LIMIT)
        assert fits(shown, WINDOW_LIMIT), template
        assert "\n20. " in shown, f"{template}: every line"
        assert "12-28" in shown, f"{template}: down to the last instalment"


def test_the_longest_card_with_its_invoices_fits_and_shows_the_balance(
    renderer: Renderer,
) -> None:
    """20 invoices of 32-character numbers on the longest card: the short form shows the last
    ones and the balance (合同余款) and still fits whole."""
    invoices = tuple(
        Invoice(
            n,
            1,
            D("999999999.99"),
            InvoiceStatus.issued,
            2,
            AT,
            D("999999999.99"),
            number="9" * NUMBER_MAX,
            issued_on=date(2026, 12, 1),
            issued_by=5,
            issued_at=AT,
        )
        for n in range(1, 21)
    )
    file = replace(longest_file(), invoices=invoices)

    shown = renderer.render_within("contract_card", {"file": file}, WINDOW_LIMIT)

    assert fits(shown, WINDOW_LIMIT), f"{visible_length(shown)} characters"
    assert file.balance is not None
    assert money(file.balance) in shown
    assert "9" * NUMBER_MAX in shown
    assert "#20 · " in shown, "nothing cut from the end"
