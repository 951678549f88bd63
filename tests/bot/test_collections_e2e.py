"""Issue 13 end to end: the money after the contract, through the bot's own buttons and forms,
each person in their own chat over the Bot API emulator (the Chinese readers in Chinese).

Request #1 of the demo (Minghua Trading, ¥105,600.00 net, ¥30,000.00 deposit) becomes contract
HT-2026-0001 with two instalments: ¥20,000.00 due Thu 12-31 and ¥55,600.00 due Sun 02-28. The
first is paid late, in two parts in February."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from harness import Sandbox
from test_approval_flows_e2e import SteadyUser, settle, user_of
from test_order_flow_e2e import (
    ACCOUNTANT,
    CUSTOMER,
    DESK,
    GM,
    NUMBER,
    REP,
    SUPERVISOR,
    Schedule,
    alert,
    application_approved,
    application_filed,
    cosigned,
    deposit_in,
    every_chat_reads_well,
    lines,
    newest,
    pick_contract,
    reserved,
    won,
)

from bot.sandbox.demo import seed_demo_work
from storage.uow import SqlUnitOfWork

FINANCE_VP = 1009
PLAN = Schedule(
    first="20000",
    first_line="Instalment 1: ¥20,000.00 · Thu 12-31",
    rest_day=("28", "February 2027"),
    rest_line="Instalment 2: ¥55,600.00 · Sun 02-28",
)


async def contract_in_force(demo: Sandbox) -> None:
    assert demo.app is not None
    async with SqlUnitOfWork(demo.app.sessionmaker) as uow:
        await seed_demo_work(uow, demo.app.policy, demo.clock())
    demo.app.sender.wake()
    await settle(demo)
    rep, accountant, desk = user_of(demo, REP), user_of(demo, ACCOUNTANT), user_of(demo, DESK)
    await won(demo, rep)
    await reserved(demo, rep)
    await deposit_in(demo, accountant)
    await application_filed(demo, desk, PLAN)
    await application_approved(demo, PLAN)
    await cosigned(demo, accountant)


async def open_contract(user: SteadyUser) -> None:
    await user.send("/contract")
    await user.tap(re.compile(rf"(⚠️ )?{NUMBER} · .*"))


def at(day: str, demo: Sandbox) -> None:
    """The clock at 10:00 in Shanghai on that day (YYYY-MM-DD)."""
    local = datetime.fromisoformat(day).replace(hour=10, tzinfo=UTC)
    demo.clock.now = local - timedelta(hours=8)


async def reminded(demo: Sandbox) -> None:
    """A week before the first instalment the rep and the supervisor hear of it once; the
    overdue instalment a month later, again once."""
    at("2026-12-24", demo)
    assert await demo.run_job("collections") == 2
    assert await demo.run_job("collections") == 0, "the second run the same day sends nothing"
    for person in (REP, SUPERVISOR):
        told = user_of(demo, person).last_text()
        assert told.startswith("💰 Collections: 1 instalment to follow up"), told
        assert "⏰ ¥20,000.00 due in 7 days (Thu 12-31)" in told

    at("2027-02-02", demo)
    assert await demo.run_job("collections") == 2
    assert await demo.run_job("collections") == 0
    told = user_of(demo, REP).last_text()
    assert "⚠️ ¥20,000.00 overdue 33 days (due Thu 12-31)" in told, told


async def the_card_counts_interest_and_credit(rep: SteadyUser) -> None:
    await open_contract(rep)
    card = lines(rep)
    assert "⚠️ Overdue: ¥20,000.00 · since Thu 12-31 · 33 days late" in card
    # 20,000 × 6 % × 33 days (01-01..02-02) ÷ 365 = 108.49
    assert "Overdue interest to date: ¥108.49 · 6 % a year" in card
    assert "Deducted from the commission: ¥108.49" in card
    assert "Customer credit: ⚠️ watch · ¥20,000.00 overdue on all its contracts" in card


async def pay(demo: Sandbox, amount: str) -> None:
    accountant = user_of(demo, ACCOUNTANT)
    await pick_contract(accountant, "💵 登记回款")
    await accountant.send(amount)
    await accountant.tap("银行转账")
    await accountant.tap("💾 保存")
    await settle(demo)


async def invoice_refused_then_signed_and_issued(demo: Sandbox, rep: SteadyUser) -> None:
    await pay(demo, "17520")  # 30,000 + 17,520 = 47,520: 45.00 %
    await open_contract(rep)
    await rep.tap("🧾 Ask for an invoice")
    assert alert(rep) == (
        "No invoice yet: collected 45.00 % of ¥105,600.00 — ¥15,840.00 more needed."
    )

    at("2027-02-05", demo)
    await pay(demo, "15840")  # 63,360: 60.00 %
    await open_contract(rep)
    await rep.tap("🧾 Ask for an invoice")
    assert "Contract ¥105,600.00, collected ¥63,360.00 (60.00 %)." in rep.last_text()
    await rep.tap("🧾 ¥105,600.00")
    await settle(demo)
    assert rep.last_text().startswith(f"Your invoice request #3 · {CUSTOMER} · ¥105,600.00")
    vp = user_of(demo, FINANCE_VP)
    card = newest(vp, "开票申请 #3")
    assert "已收：¥63,360.00 · 60.00 %" in card.text.splitlines()
    assert "合同余款：¥42,240.00" in card.text.splitlines()
    await vp.tap("✅ 批准", message=card)
    await settle(demo)
    accountant = user_of(demo, ACCOUNTANT)
    to_issue = newest(accountant, f"🧾 待开发票 · {NUMBER}")
    assert "开票金额：¥105,600.00" in to_issue.text.splitlines()
    await accountant.tap("🧾 开具发票", message=to_issue)
    await accountant.send("04197781")
    assert "号码 04197781 · 周五 02-05" in lines(accountant), "today's date, one tap less"
    await accountant.tap("💾 保存")
    await settle(demo)
    assert accountant.last_text().startswith("发票已开具。")
    issued = rep.last_text().splitlines()
    assert issued[0] == f"🧾 Invoice issued · {NUMBER} · {CUSTOMER}"
    assert issued[1] == "No. 04197781 of Fri 02-05, ¥105,600.00, issued by Zhou Min."
    await open_contract(rep)
    card = lines(rep)
    assert "🧾 Invoice No. 04197781 · Fri 02-05 · ¥105,600.00" in card
    assert "Balance (合同余款): ¥42,240.00" in card
    assert "Customer credit: good" in card, "paid up: back to good"


async def commission_checked_approved_paid(demo: Sandbox) -> None:
    """February's sheet: 2 % of the ¥33,360.00 paid in February, less the interest the late
    instalment accrued on February's days at 6 %: ¥20,000.00 for 02-01..02-02, then
    ¥2,480.00 for 02-03..02-05 → 47,440 × 0.06 ÷ 365 = ¥7.80."""
    desk, accountant = user_of(demo, DESK), user_of(demo, ACCOUNTANT)
    at("2027-02-27", demo)  # Saturday, February's last working day
    assert await demo.run_job("reconciliation_prompt") == 2
    assert desk.last_text().startswith("📒 Time to reconcile the ledger for 2027-02")
    assert accountant.last_text().startswith("📒")

    at("2027-03-01", demo)
    await desk.send("/pending")
    assert "Commission sheets to file for 2027-02" in desk.last_text()
    await desk.tap("💼 Zhao Lei · ¥33,360.00")
    sheet = lines(desk)
    assert sheet[:3] == [
        "💼 Commission sheet · Zhao Lei · 2027-02",
        f"{NUMBER} · {CUSTOMER}",
        "  · Tue 02-02 ¥17,520.00",
    ]
    assert "  ¥33,360.00 × 2 % = ¥667.20; overdue deduction: −¥7.80" in sheet
    assert "Payable: ¥659.40" in sheet
    await desk.tap("💾 File")
    await settle(demo)
    assert desk.last_text().startswith("Commission sheet filed.")

    for checker, tap in ((ACCOUNTANT, "✅ 审核通过"), (FINANCE_VP, "✅ 审核通过"), (GM, "✅ 批准")):
        person = user_of(demo, checker)
        card = newest(person, "💼 提成表 · Zhao Lei · 2027-02")
        assert "逾期扣款：−¥7.80" in card.text.splitlines()
        await person.tap(tap, message=card)
        await settle(demo)
    assert user_of(demo, REP).last_text().splitlines() == [
        "💼 Your commission for 2027-02 is approved",
        "Payable: ¥659.40 (after overdue deductions of ¥7.80)",
    ]
    to_pay = newest(accountant, "💼 提成表 · Zhao Lei · 2027-02")
    assert "✅ 总经理 · Wang Fang" in to_pay.text.splitlines()
    await accountant.tap("💸 标记已发放", message=to_pay)
    await settle(demo)
    assert "💸 已付" in lines(accountant)
    assert user_of(demo, REP).last_text().startswith("💸 Your commission for 2027-02 is paid")


async def month_reconciled(demo: Sandbox) -> None:
    """The desk confirms February's totals; the accountant's books differ on one line: both
    confirmed, the difference listed to both and to the finance VP, the department's
    commission accrued (0.5 % of the year's ¥33,360.00 collected, no targets set)."""
    desk, accountant = user_of(demo, DESK), user_of(demo, ACCOUNTANT)
    await desk.send("/pending")
    await desk.tap("📒 Reconcile the ledger · 2027-02")
    totals = lines(desk)
    assert "Payments collected: ¥33,360.00" in totals
    assert "Outstanding at month end: ¥42,240.00" in totals
    await desk.tap("✅ Confirm")
    await settle(demo)
    assert "✅ Sales desk · Wu Hua · matches" in lines(desk)

    await accountant.send("/pending")
    await accountant.tap("📒 核对台帐 · 2027-02")
    await accountant.tap("✏️ 某项数字不符")
    await accountant.tap("收回货款")
    await accountant.send("3.3万")
    assert "  ✏️ 收回货款：¥33,000.00" in lines(accountant)
    await accountant.tap("✅ 确认")
    await settle(demo)
    difference = "  ⚠️ Payments collected: ledger ¥33,360.00, theirs ¥33,000.00"
    told = desk.last_text().splitlines()
    assert difference in told
    assert (
        "Both sides confirmed; 1 difference to settle between the sales desk and finance." in told
    )
    assert "Sales department's commission accrued: ¥166.80 (this year ¥166.80)" in told
    finance_vp = user_of(demo, FINANCE_VP).last_text().splitlines()
    assert "  ⚠️ 收回货款：台帐 ¥33,360.00，对方 ¥33,000.00" in finance_vp
    assert "销售部提成计提：¥166.80（本年累计 ¥166.80）" in finance_vp


async def test_money_in_invoice_out_commission_paid_and_the_month_reconciled(
    demo: Sandbox,
) -> None:
    await contract_in_force(demo)
    rep = user_of(demo, REP)
    await reminded(demo)
    await the_card_counts_interest_and_credit(rep)
    await invoice_refused_then_signed_and_issued(demo, rep)
    await commission_checked_approved_paid(demo)
    await month_reconciled(demo)
    every_chat_reads_well(demo)
