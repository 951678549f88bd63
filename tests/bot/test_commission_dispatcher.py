"""Commission sheets through the bot (dispatcher tier), on Zhao Lei's contract in force
(¥102,000.00: deposit ¥20,000 in, ¥50,000 due Dec 31, ¥32,000 due Jan 31) with ¥30,000 paid
on Dec 20 and ¥10,000 on Jan 10. On Feb 3 the desk files January's sheet from /pending; no
sheet was filed for December, so January's pays its ¥30,000 too: ¥40,000 × 2 % = ¥800.00, less
the interest January's overdue money accrued at 6 % (¥20,000 for Jan 1–10, then ¥10,000 for
Jan 11–31: ¥67.40) → ¥732.60. The accountant, the finance VP and the GM check it in that
order; the accountant marks it paid; wrong roles and second taps are refused; a return asks
for the reason and tells the desk."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from decimal import Decimal

from feed import ACCOUNTANT, GM, REP, Fed
from harness import FakeClock
from order_builders import ACCOUNTANT_ID, contract_in_force
from test_forms_dispatcher import window_text

from bot.core.payments import PaymentDraft, PaymentMethod
from bot.ui.commission_cards import CommissionAct, CommissionCb

DESK, FINANCE_VP = 1008, 1009
FEB_3 = datetime(2027, 2, 3, 2, tzinfo=UTC)


def rows(fed: Fed, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(fed.db_path) as db:
        return db.execute(query).fetchall()


def recipients(fed: Fed, template: str) -> list[object]:
    return [
        r for (r,) in rows(fed, f"SELECT recipient_id FROM outbox WHERE template = '{template}'")
    ]


async def january(fed: Fed) -> None:
    contract = await contract_in_force(fed)
    async with fed.uow() as uow:
        for day, amount, ref in (
            (date(2026, 12, 20), 30000, "BK-77"),
            (date(2027, 1, 10), 10000, "BK-78"),
        ):
            draft = PaymentDraft(
                contract.id, Decimal(amount), day, PaymentMethod.bank_transfer, ref
            )
            await uow.payments.add(draft, recorded_by=ACCOUNTANT_ID, now=FEB_3)
        await uow.commit()
    clock = fed.app.jobs._clock  # the one clock of the app and its dispatcher
    assert isinstance(clock, FakeClock)
    clock.now = FEB_3


async def file_january(fed: Fed) -> None:
    await january(fed)
    await fed.send(DESK, "/pending")
    assert "Commission sheets to file for 2027-01" in window_text(fed, DESK)
    await fed.click(DESK, "💼 Zhao Lei · ¥10,000.00")
    sheet = window_text(fed, DESK)
    assert "BK-78" in sheet
    assert "BK-77" in sheet, "December's payment, on no sheet yet, is paid with January's"
    assert "¥40,000.00 × 2 % = ¥800.00" in sheet
    assert "−¥67.40" in sheet
    assert "Payable: ¥732.60" in sheet
    await fed.click(DESK, "💾 File")
    assert "Commission sheet filed" in window_text(fed, DESK)


def check(sheet: int = 1) -> str:
    return CommissionCb(sheet=sheet, act=CommissionAct.check).pack()


async def test_the_desk_files_and_the_chain_checks_in_order_then_it_is_paid(fed: Fed) -> None:
    await file_january(fed)
    assert rows(fed, "SELECT status, payable FROM commission_sheets") == [("filed", "732.60")]
    assert recipients(fed, "commission_card") == [8]  # Zhou Min, the accountant

    early = fed.answer(await fed.tap(FINANCE_VP, check()))
    assert early is not None
    assert (early.text, early.show_alert) == ("这张提成表不在等待您的审核。", True)
    for who in (ACCOUNTANT, FINANCE_VP, GM):
        await fed.tap(who, check())
    assert rows(fed, "SELECT status, step FROM commission_sheets") == [("approved", 3)]
    assert recipients(fed, "commission_approved") == [6]  # Zhao Lei
    again = fed.answer(await fed.tap(GM, check()))
    assert again is not None
    assert again.text == "这张提成表已被处理（已审核、已退回或已发放）。"

    await fed.tap(ACCOUNTANT, CommissionCb(sheet=1, act=CommissionAct.pay).pack())
    assert rows(fed, "SELECT status, paid_by FROM commission_sheets") == [("paid", 8)]
    assert recipients(fed, "commission_paid") == [6]


async def test_the_rep_may_not_check_their_own_sheet(fed: Fed) -> None:
    await file_january(fed)
    before = rows(fed, "SELECT status, step FROM commission_sheets")

    refused = fed.answer(await fed.tap(REP, check()))

    assert refused is not None
    assert refused.text == "This commission sheet is not waiting for your check."
    assert rows(fed, "SELECT status, step FROM commission_sheets") == before


async def test_a_return_asks_the_reason_and_tells_the_desk(fed: Fed) -> None:
    await file_january(fed)
    await fed.tap(ACCOUNTANT, check())

    await fed.tap(FINANCE_VP, CommissionCb(sheet=1, act=CommissionAct.back).pack())
    await fed.send(FINANCE_VP, " ")
    await fed.send(FINANCE_VP, "BK-78 belongs to February")

    assert rows(fed, "SELECT status, return_reason FROM commission_sheets") == [
        ("returned", "BK-78 belongs to February")
    ]
    assert recipients(fed, "commission_returned") == [9]  # Wu Hua, the desk
    await fed.send(DESK, "/pending")
    assert "Commission sheets to file for 2027-01" in window_text(fed, DESK), "to file again"
