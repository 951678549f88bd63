"""Issue 12 end to end: one deal from the customer's yes to the accepted work order, every step
through the bot's own buttons and forms, each person in their own chat over the Bot API
emulator (the Chinese readers in Chinese).

The demo's morning (bot/sandbox/demo.py) holds Zhao Lei's request #1 for Minghua Trading: 200
steel pipes DN50, ¥120,000.00 at 12 % (net ¥105,600.00), a ¥30,000.00 deposit. The contract
lays the rest out as ¥40,000.00 due Dec 31 and ¥35,600.00 due Jan 31, delivery by Dec 20; the
pipes go out on two notes, 120 and 80."""

from __future__ import annotations

import re
from dataclasses import dataclass

from harness import Sandbox
from test_approval_flows_e2e import SteadyUser, settle, user_of

from bot.sandbox.demo import seed_demo_work
from botapi_emulator._models import ChatMessage
from storage.uow import SqlUnitOfWork

GM, VP, MANAGER, SUPERVISOR, REP = 1001, 1002, 1003, 1004, 1005
ACCOUNTANT, DESK, SERVICE = 1007, 1008, 1010
CUSTOMER = "Minghua Trading Co., Ltd."
NUMBER = "HT-2026-0001"
TASK = "Commission the pipeline and train two operators"
ACCEPTANCE = "Pipeline commissioned; operators trained; customer signed off."
PHOTO = b"\xff\xd8\xff\xe0 a photo"  # the emulator keeps any bytes as the photo
FIRST_PAYMENT_REFUSAL = (
    "No follow-on work before the customer's first payment: contract HT-2026-0001 has received "
    "nothing yet against its first instalment of ¥40,000.00 due Thu 12-31 (the deposit of "
    "¥30,000.00 does not count)."
)


def newest(user: SteadyUser, start: str) -> ChatMessage:
    """The user's newest bot message whose text starts with ``start``."""
    found = [m for m in user.bot_messages() if m.text.startswith(start)]
    assert found, f"{user.name} has no message starting {start!r}"
    return found[-1]


def lines(user: SteadyUser) -> list[str]:
    return user.last_text().splitlines()


def alert(user: SteadyUser) -> str:
    answer = user.last_callback_answer()
    assert answer is not None, "every tap is answered"
    return str(answer.get("text", ""))


async def won(demo: Sandbox, rep: SteadyUser) -> None:
    """Request #1 up its chain on each approver's card, then the rep records the deal."""
    for approver_id, approve in (
        (SUPERVISOR, "✅ Approve"),
        (MANAGER, "✅ Approve"),
        (VP, "✅ 批准"),
        (GM, "✅ 批准"),
    ):
        approver = user_of(demo, approver_id)
        card = approver.keyboard_message()
        assert card is not None
        assert "#1" in card.text.splitlines()[0]
        await approver.tap(approve, message=card)
        await settle(demo)
    assert rep.last_text().startswith(f"✅ Request #1 for {CUSTOMER} is approved.")

    await rep.send("/my")
    await rep.tap(f"✅ #1 {CUSTOMER} · ¥120,000.00")
    assert "✅ Approved" in lines(rep)
    await rep.tap("🤝 The customer agreed: record the deal")
    assert alert(rep) == "Deal recorded: the customer agreed to these terms. 🤝"
    await settle(demo)
    assert "marked Minghua Trading Co., Ltd. as won" in user_of(demo, SUPERVISOR).last_text()


async def reserved(demo: Sandbox, rep: SteadyUser) -> None:
    await rep.tap("✍️ Signed reservation")
    assert "The amount on the signed reservation?" in rep.last_text()
    await rep.tap("↩️ ¥105,600.00")  # the approved terms' net amount, one tap
    assert rep.buttons()[0] == "↩️ ¥30,000.00", "the approved deposit one tap away too"
    await rep.send("30000")
    await rep.send_photo(PHOTO)
    summary = lines(rep)
    assert "Approved terms of request #1" in summary
    assert "Reservation amount: ¥105,600.00" in summary
    assert "Deposit to pay: ¥30,000.00" in summary
    assert "Signed page: 🖼 photo received" in summary
    await rep.tap("💾 Save")
    await settle(demo)
    assert rep.last_text().startswith("Reservation recorded. 📝")


async def deposit_in(demo: Sandbox, accountant: SteadyUser) -> None:
    expect = newest(accountant, "💰 待收定金")
    assert "应交定金：¥30,000.00" in expect.text.splitlines()
    await accountant.tap("🧾 登记定金", message=expect)
    assert "应收：¥30,000.00。实收金额？" in accountant.last_text()
    await accountant.send("3万")  # typed the Chinese way
    await accountant.tap("银行转账")
    assert "您开具的收据号？" in accountant.last_text()
    await accountant.send("SJ-0042")
    summary = lines(accountant)
    assert "实收：¥30,000.00" in summary
    assert "收据号：SJ-0042" in summary
    assert accountant.buttons() == [
        "💾 保存",
        "✏️ 金额",
        "✏️ 付款方式",
        "✏️ 收据号",
        "📅 日期",
        "🔖 参考号",
        "✖ 取消",
    ], "every button in Chinese"
    await accountant.tap("💾 保存")
    await settle(demo)
    assert accountant.last_text().startswith("定金已登记。")
    for told in (REP, SUPERVISOR):
        notice = user_of(demo, told).last_text()
        assert notice.startswith(f"🧾 Deposit received · {CUSTOMER}")
        assert "¥30,000.00 on Mon 11-23 by Bank transfer, receipt No. SJ-0042." in notice


async def pick_day(user: SteadyUser, day: str, month: str | None = None) -> None:
    if month is not None:
        await user.tap(f"{month} >>")
    await user.tap(day)


@dataclass(frozen=True)
class Schedule:
    """The instalments the desk puts on the application: the first typed and picked on the
    calendar, the rest one tap and picked; the lines the summary and the card show."""

    first: str = "40000"
    first_day: tuple[str, str | None] = ("31", "December 2026")
    rest_day: tuple[str, str | None] = ("31", None)  # it opens on January
    first_line: str = "Instalment 1: ¥40,000.00 · Thu 12-31"
    rest_line: str = "Instalment 2: ¥35,600.00 · Sun 01-31"

    @property
    def rest(self) -> str:
        return self.rest_line.split(": ")[1].split(" · ")[0]


async def application_filed(
    demo: Sandbox, desk: SteadyUser, plan: Schedule = Schedule(), cc: tuple[str, ...] = ()
) -> None:
    """`cc`: the colleagues the desk informs (抄送), each found by the first word of the name."""
    await desk.send("/pending")
    assert "Contract applications to file" in desk.last_text()
    await desk.tap(f"📄 {CUSTOMER} · Zhao Lei")
    form = lines(desk)
    assert "1. Steel pipes DN50 × 200 @ ¥600.00 −12 % = ¥105,600.00" in form
    assert "Deposit received: ¥30,000.00" in form
    await desk.tap("Next: the payment schedule ▶")
    assert "Still to schedule: ¥75,600.00. Add an instalment." in desk.last_text()
    await desk.tap("➕ Add an instalment")
    await desk.send(plan.first)
    await pick_day(desk, *plan.first_day)
    await desk.tap("➕ Add an instalment")
    await desk.tap(f"↩️ {plan.rest}")  # the rest
    await pick_day(desk, *plan.rest_day)
    assert plan.rest_line in lines(desk)
    await desk.tap("Next ▶")
    await pick_day(desk, "20", month="December 2026")
    summary = lines(desk)
    assert plan.first_line in summary
    assert "Delivery date: Sun 12-20" in summary
    if cc:
        await desk.tap("👥 Inform colleagues (CC)")
        for name in cc:
            await desk.send(name.split()[0])
            await desk.tap(re.compile(rf"▫️ {name} · .*"))
        await desk.tap(f"✅ Done · {len(cc)} chosen")
        assert f"👥 Informed (CC): {', '.join(sorted(cc))}" in lines(desk)
    await desk.tap("📨 Submit")
    await settle(demo)
    assert "Application #2 is on its way: Liu Yang decides first." in [
        m.text for m in desk.bot_messages()
    ]
    status = [
        m.text for m in desk.bot_messages() if m.text.startswith("Your contract application #2")
    ]
    assert status, "the desk's status message names what it is"


async def application_approved(demo: Sandbox, plan: Schedule = Schedule()) -> None:
    manager, gm = user_of(demo, MANAGER), user_of(demo, GM)
    card = newest(manager, "Contract application #2")
    assert "Contract amount: ¥105,600.00" in card.text.splitlines()
    assert plan.rest_line in card.text.splitlines(), "the schedule"
    assert "Why you: every contract application needs the Sales manager" in card.text
    await manager.tap("✅ Approve", message=card)
    await settle(demo)
    card = newest(gm, "合同申报单 #2")
    assert "合同金额：¥105,600.00" in card.text.splitlines()
    assert "优惠条件" not in card.text, "a contract application is not special terms"
    await gm.tap("✅ 批准", message=card)
    await settle(demo)
    assert (
        user_of(demo, DESK)
        .last_text()
        .startswith(f"✅ Contract application #2 for {CUSTOMER} is approved; finance co-signs")
    )


async def cosigned(demo: Sandbox, accountant: SteadyUser) -> None:
    to_cosign = newest(accountant, f"✍️ 待会签合同 · {NUMBER}")
    assert f"客户：{CUSTOMER} · 业务员：Zhao Lei" in to_cosign.text.splitlines()
    assert "金额：¥105,600.00" in to_cosign.text.splitlines()
    await accountant.tap("✍️ 会签", message=to_cosign)
    await settle(demo)
    assert accountant.last_text().startswith(f"✅ 合同已会签 · {NUMBER}")
    for told in (REP, DESK):
        notice = user_of(demo, told).last_text()
        assert notice.startswith(f"📜 Contract in force · {NUMBER}")
        assert f"Customer: {CUSTOMER} · ¥105,600.00" in notice.splitlines()


async def production_signed_and_ready(demo: Sandbox, desk: SteadyUser) -> None:
    vp = user_of(demo, VP)
    notice = newest(vp, "🏭 生产通知单待签发")
    assert "• Steel pipes DN50 × 200" in notice.text.splitlines()
    await vp.tap("✍️ 签发生产通知单", message=notice)
    await settle(demo)
    assert "生产通知单：✅ 周一 11-23 已签发" in lines(vp)
    rep_notice = user_of(demo, REP).last_text()
    assert rep_notice.startswith("🏭 Production notice signed · by Zhang Wei")
    assert "mark them ready" not in rep_notice, "the rep is not the one who marks them ready"

    await desk.tap("📦 Open the contract", message=newest(desk, "🏭 Production notice signed"))
    assert "Goods: ⏳ not ready yet" in lines(desk)
    await desk.tap("📦 The goods are ready")
    await settle(demo)
    assert "Goods: ✅ ready Mon 11-23" in lines(desk)
    assert user_of(demo, REP).last_text().startswith("📦 Goods ready · recorded by Wu Hua")


async def delivered_on_a_note(
    demo: Sandbox, desk: SteadyUser, seq: int, quantity: str | None
) -> None:
    """The desk files a note (``quantity`` typed, or None: all that is left), the sales manager
    signs, the desk ships and sends the customer's signed copy, the accountant books."""
    manager, accountant = user_of(demo, MANAGER), user_of(demo, ACCOUNTANT)
    await desk.tap("📝 File a delivery note")
    if quantity is None:
        await desk.tap(re.compile(r"All that is left: \d+"))
    else:
        await desk.send(quantity)
    await desk.tap("💾 File the note")
    await settle(demo)
    assert desk.last_text().startswith(f"Delivery note No. {seq} filed.")

    card = newest(manager, f"🚚 Delivery note No. {seq} to sign")
    await manager.tap("✍️ Sign the delivery note", message=card)
    await settle(demo)
    assert "Status: ✍️ signed, waiting for the goods to go out" in lines(manager)

    await desk.tap("🚚 Open the note", message=newest(desk, f"🚚 Delivery note No. {seq} ·"))
    await desk.tap("🚚 Goods out")
    await settle(demo)
    await desk.tap("📷 The customer's signed copy")
    await desk.send_photo(PHOTO)
    await settle(demo)
    assert "Status: 📷 signed copy back, waiting for finance to book it" in lines(desk)

    to_book = newest(accountant, f"📒 签收回单待入账 · 第 {seq} 张")
    await accountant.tap("🚚 打开发货单", message=to_book)
    assert accountant.buttons()[0] == "📒 入账"
    await accountant.tap("📒 入账")
    await settle(demo)
    assert "状态：📒 财务已入账" in lines(accountant)


async def deliveries(demo: Sandbox, desk: SteadyUser) -> None:
    await delivered_on_a_note(demo, desk, 1, "120")
    await desk.send("/pending")
    assert "Goods ready to deliver: 1" in desk.last_text()
    await desk.tap(re.compile(rf"📦 {NUMBER} · .*"))
    assert "• Steel pipes DN50: ordered 200 · on notes 120 · left 80" in lines(desk)
    await delivered_on_a_note(demo, desk, 2, None)


async def pick_contract(user: SteadyUser, start: str) -> None:
    await user.send("/pending")
    await user.tap(start)
    await user.send("HT-2026")
    await user.tap(re.compile(rf"{NUMBER} · .*"))


async def work_order(demo: Sandbox, desk: SteadyUser, accountant: SteadyUser) -> None:
    """Refused before the first payment; the payment recorded; filed, signed, assigned, and
    closed by customer service's acceptance report."""
    await pick_contract(desk, "🛠 File a work order")
    assert alert(desk) == FIRST_PAYMENT_REFUSAL
    assert desk.last_text().startswith("🛠 File a work order"), "back at the finder"

    await pick_contract(accountant, "💵 登记回款")
    assert "合同金额 ¥105,600.00，已收 ¥30,000.00，未收 ¥75,600.00。" in lines(accountant)
    await accountant.send("4万")
    await accountant.tap("银行转账")
    assert "实收：¥40,000.00" in lines(accountant)
    await accountant.tap("💾 保存")
    await settle(demo)
    assert "这是该合同的首笔回款。" in lines(accountant)
    paid = user_of(demo, REP).last_text()
    assert paid.startswith(f"💵 Payment received · first payment · {CUSTOMER}")
    assert "Collected so far: ¥70,000.00 of ¥105,600.00; outstanding ¥35,600.00." in paid

    await pick_contract(desk, "🛠 File a work order")
    assert "The task for customer service?" in desk.last_text()
    await desk.send(TASK)
    await desk.tap("💾 File")
    await settle(demo)
    assert desk.last_text() == "Work order filed. 🛠 The sales manager has it to sign."

    manager = user_of(demo, MANAGER)
    card = newest(manager, f"🛠 Work order to sign · {CUSTOMER}")
    await manager.tap("✍️ Sign", message=card)
    await settle(demo)
    assert "Signed by: Liu Yang" in lines(manager)
    await manager.tap("👤 Assign customer service")
    await manager.tap("He Ping")
    await settle(demo)
    assert "Assigned to: He Ping" in lines(manager)

    service = user_of(demo, SERVICE)
    assigned = newest(service, f"🛠 A work order for you · {CUSTOMER}")
    assert f"Task: {TASK}" in assigned.text.splitlines()
    await service.tap("📄 Open the work order", message=assigned)
    await service.tap("📝 Acceptance report")
    await service.send(ACCEPTANCE)
    await settle(demo)
    assert lines(service)[0] == "🛠 Work order No. 1 · done: the acceptance report is in"
    assert desk.last_text().startswith(f"✅ Work order done · {CUSTOMER}")


async def the_rep_s_contract_card(rep: SteadyUser) -> list[str]:
    await rep.send("/contract")
    assert "¥105,600.00 · collected: 66 %" in rep.last_text()
    await rep.tap(re.compile(rf"{NUMBER} · .*"))
    return lines(rep)


def every_chat_reads_well(demo: Sandbox) -> None:
    """No message over Telegram's 4,096 characters; no English button for a Chinese reader."""
    for person in demo.emulator.users:
        for message in demo.emulator.transcript(person):
            assert len(message.text) <= 4096, message.text[:80]
    for reader in (GM, VP, ACCOUNTANT):
        for message in demo.emulator.transcript(reader):
            english = [b for b in message.button_labels if re.search("[A-Za-z]{2,}", b)]
            assert set(english) <= {"📄 PDF"}, english


async def test_one_deal_from_yes_to_accepted_work_order(demo: Sandbox) -> None:
    assert demo.app is not None
    async with SqlUnitOfWork(demo.app.sessionmaker) as uow:
        await seed_demo_work(uow, demo.app.policy, demo.clock())
    demo.app.sender.wake()
    await settle(demo)
    rep, accountant, desk = user_of(demo, REP), user_of(demo, ACCOUNTANT), user_of(demo, DESK)

    await won(demo, rep)
    await reserved(demo, rep)
    await deposit_in(demo, accountant)
    await application_filed(demo, desk)
    await application_approved(demo)
    await cosigned(demo, accountant)
    await production_signed_and_ready(demo, desk)
    await deliveries(demo, desk)
    assert "✅ Everything ordered is delivered and booked." in rep.last_text()
    await work_order(demo, desk, accountant)

    card = await the_rep_s_contract_card(rep)
    assert card[0] == f"📄 {NUMBER} · In force"
    assert "1. Steel pipes DN50 × 200 @ ¥600.00 −12 % = ¥105,600.00 · delivered: 200" in card
    assert "✅ Thu 12-31 · ¥40,000.00 · paid" in card
    assert "Collected: ¥70,000.00 · 66 %" in card
    assert "Outstanding: ¥35,600.00" in card
    assert "🚚 Delivery note 1 · booked" in card
    assert "🚚 Delivery note 2 · booked" in card
    assert f"🛠 Work order #1 · accepted · {TASK}" in card
    every_chat_reads_well(demo)
