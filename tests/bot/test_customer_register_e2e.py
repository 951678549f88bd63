"""Issue 4 end to end: register → supervisor confirms → visit with high intent → supervisor
gets the customer file → the follow-up appears in the next morning's message."""

from __future__ import annotations

from harness import Sandbox

from botapi_emulator.driver import SandboxUser

REP, SUPERVISOR, OTHER_REP = 1005, 1004, 1006


async def register_customer(rep: SandboxUser, name: str, phone: str) -> None:
    await rep.send("/customer")
    await rep.tap("➕ Register a customer")
    await rep.send(name)
    await rep.send(phone)


async def fill_rest(rep: SandboxUser) -> None:
    """The optional fields, each one tap away on the summary, then Save."""
    for field, answer in (("✏️ Contact person", "Mr. Li"), ("✏️ Address", "88 Nanjing Road")):
        await rep.tap(field)
        await rep.send(answer)
    for field, choice in (
        ("✏️ Industry", "Manufacturing"),
        ("✏️ Size", "Small (10–99)"),
        ("✏️ Region", "East China"),
        ("✏️ Source", "Exhibition"),
    ):
        await rep.tap(field)
        await rep.tap(choice)
    await rep.tap("💾 Save")


async def test_register_confirm_visit_and_follow_up(demo: Sandbox) -> None:
    rep, supervisor = demo.user(REP), demo.user(SUPERVISOR)
    await register_customer(rep, "Minghua Trading Co., Ltd.", "138 0013 8000")
    await fill_rest(rep)
    assert "Minghua Trading Co., Ltd." in rep.last_text()
    assert "Phone: +86 138 0013 8000" in rep.last_text().splitlines()
    await demo.settle()
    notice = supervisor.last()
    assert notice.text.startswith("🌱 1 prospect to confirm")
    assert "• Minghua Trading Co., Ltd. · registered by Zhao Lei" in notice.text.splitlines()

    await supervisor.tap("🌱 Minghua Trading Co., Ltd.", message=notice)
    assert "Waiting for the supervisor's confirmation" in supervisor.last_text()
    await supervisor.tap("✅ Confirm")
    await demo.settle()
    assert "Confirmed by Chen Jing" in supervisor.last_text()
    # the notice is edited in place: the chat no longer reads as an open item
    assert notice.text.splitlines() == [
        "✅ Minghua Trading Co., Ltd.: confirmed by Chen Jing.",
        "🌱 No prospects wait for your confirmation.",
    ]
    assert supervisor.buttons(notice) == []
    assert "Your prospect Minghua Trading Co., Ltd. is confirmed" in rep.last_text()

    await rep.send("/visit")
    await rep.tap("Minghua Trading Co., Ltd.")
    await rep.tap("First visit")
    await rep.send("Showed the catalogue; they need 200 pipes by March.")
    await rep.tap("High")
    await rep.tap("Skip")  # the location, on the reply keyboard
    await rep.tap("✏️ Follow-up")
    await rep.tap("In 3 days")
    assert "Showed the catalogue" in rep.last_text()
    await rep.tap("💾 Save")
    assert "Visit saved." in rep.last_text()
    await demo.settle()
    assert "Customer file for registration: Minghua Trading Co., Ltd." in supervisor.last_text()

    demo.clock.advance(days=3)
    await demo.run_jobs(sweep=False, follow_ups=True)
    digest = rep.last()
    assert "customer to follow up today" in digest.text
    assert "Minghua Trading Co., Ltd." in digest.text
    await rep.tap("📝 Minghua Trading Co., Ltd.", message=digest)
    assert "What kind of contact?" in rep.last_text()

    await demo.run_jobs(sweep=False, follow_ups=True)
    follow_up_messages = [m for m in rep.bot_messages() if "to follow up today" in m.text]
    assert len(follow_up_messages) == 1, "one morning message per day"


async def test_duplicate_by_name_shows_the_owner_and_distinct_is_recorded(demo: Sandbox) -> None:
    rep, other = demo.user(REP), demo.user(OTHER_REP)  # Sun Li reads Chinese
    await register_customer(rep, "上海明华贸易有限公司", "13800138000")
    await fill_rest(rep)

    await other.send("/customer")
    await other.tap("➕ 登记客户")
    await other.send("上海明华贸易")
    await other.send("021-6888 8888")
    assert "该客户可能已登记" in other.last_text()
    assert "上海明华贸易有限公司" in other.last_text()
    assert "Zhao Lei" in other.last_text()
    assert not any(label.startswith("🔎") for label in other.buttons()), "not hers to open"
    await other.tap("➡️ 是另一位客户")
    assert other.last_text().startswith("<b>新客户</b>") or other.last_text().startswith("新客户")
    assert "保存" in other.buttons()[0]


async def test_duplicate_by_phone_offers_to_open_ones_own_record(demo: Sandbox) -> None:
    rep = demo.user(REP)
    await register_customer(rep, "Acme Trading Co., Ltd.", "+86 138-0013-8000")
    await fill_rest(rep)
    await register_customer(rep, "Totally Different Name", "13800138000")
    assert "same phone" in rep.last_text()
    await rep.tap("🔎 Acme Trading Co., Ltd.")
    assert rep.last_text().startswith("Acme Trading Co., Ltd.")


async def test_a_location_instead_of_an_address_is_shown_as_coordinates(demo: Sandbox) -> None:
    rep = demo.user(REP)
    await register_customer(rep, "Bund Tea House", "13912345678")
    await rep.tap("✏️ Address")
    keyboard = demo.emulator.reply_keyboards[REP]["keyboard"]
    assert keyboard[0] == [{"text": "📍 Send my location", "request_location": True}]
    await rep.share_location(31.2400, 121.4900)
    for field, choice in (
        ("✏️ Industry", "Retail"),
        ("✏️ Size", "Micro (under 10 people)"),
        ("✏️ Region", "East China"),
    ):
        await rep.tap(field)
        await rep.tap(choice)
    summary = rep.last_text()
    assert "Address: 📍 31.24000, 121.49000" in summary.splitlines()
    await rep.tap("💾 Save")
    card = rep.last_text()
    assert "Address: 📍 31.24000, 121.49000" in card.splitlines()
    assert "Retail · Micro (under 10 people) · East China" in card.splitlines()


async def test_a_reassigned_customer_s_old_owner_is_told(demo: Sandbox) -> None:
    rep, other, supervisor = demo.user(REP), demo.user(1006, language="zh"), demo.user(SUPERVISOR)
    await register_customer(rep, "Minghua Trading Co., Ltd.", "138 0013 8000")
    await fill_rest(rep)
    await supervisor.send("/customer")
    await supervisor.tap("📋 My customers")
    await supervisor.tap("🌱 Minghua Trading Co., Ltd.")
    await supervisor.tap("🔁 Reassign")
    await supervisor.tap("Sun Li · Sales rep")
    await demo.settle()
    await demo.outbox_idle()
    assert rep.last_text() == (
        "🔁 Minghua Trading Co., Ltd. is now looked after by Sun Li (reassigned by Chen Jing)."
    )
    assert "Minghua Trading Co., Ltd." in other.last_text()


async def test_a_burst_of_prospects_is_one_message_and_a_later_one_starts_a_new_one(
    demo: Sandbox,
) -> None:
    rep, supervisor = demo.user(REP), demo.user(SUPERVISOR)
    names = ("Alpha Foods", "Beta Tools", "Gamma Tea")
    for n, name in enumerate(names):
        await register_customer(rep, name, f"1390000000{n}")
        await rep.tap("💾 Save")
        demo.clock.advance(minutes=2)
    await demo.settle()
    await demo.outbox_idle()

    notices = [m for m in supervisor.bot_messages() if "to confirm" in m.text]
    assert len(notices) == 1, "three prospects in six minutes: one message, edited"
    assert notices[0].text.startswith("🌱 3 prospects to confirm")
    assert supervisor.buttons(notices[0]) == [f"🌱 {name}" for name in names]

    demo.clock.advance(minutes=15)
    await register_customer(rep, "Delta Steel", "13900000009")
    await rep.tap("💾 Save")
    await demo.settle()
    await demo.outbox_idle()
    notices = [m for m in supervisor.bot_messages() if "to confirm" in m.text]
    assert len(notices) == 2, "past the window, a new message at the foot of the chat"
    assert notices[-1].text.startswith("🌱 4 prospects to confirm")
