"""Issue 5 end to end: a week with two reps — one submits a plan, one does not — and the
reminders, the missing list and the manager's Saturday message, under a controlled clock."""

from __future__ import annotations

from datetime import date

from harness import Sandbox
from test_customer_register_e2e import fill_rest, register_customer

from storage.uow import SqlUnitOfWork

REP, OTHER_REP, SUPERVISOR, MANAGER = 1005, 1006, 1004, 1003


async def test_a_week_of_plans(demo: Sandbox) -> None:
    rep, other, supervisor, manager = (
        demo.user(REP),
        demo.user(OTHER_REP),
        demo.user(SUPERVISOR),
        demo.user(MANAGER),
    )
    await register_customer(rep, "Minghua Trading", "13800138000")
    await fill_rest(rep)

    await rep.send("/plan")
    assert "week of Mon 11-30" in rep.last_text()
    assert "No visits planned yet." in rep.last_text()
    await rep.tap("➕ Add a visit")
    await rep.tap("Minghua Trading")
    await rep.tap("Tue 12-01")
    await rep.send("Present the quote")
    assert "12-01 · Minghua Trading — Present the quote" in rep.last_text()
    await rep.tap("🎯 Goals")
    await rep.send("Close Minghua; two new prospects")
    await rep.tap("📨 Submit the plan")
    await demo.settle()
    assert "Submitted" in rep.last_text()
    card = supervisor.last()
    assert "Weekly plan of Zhao Lei" in card.text
    assert "Present the quote" in card.text

    demo.clock.advance(days=4, hours=5)  # Friday 15:00 Shanghai
    assert await demo.run_job("plan_reminders") == 1
    assert "是否" not in other.last_text()
    assert "/plan" in other.last_text()
    assert not any("is due" in m.text for m in rep.bot_messages())
    assert await demo.run_job("plan_reminders") == 0, "each rep is reminded once"

    demo.clock.advance(hours=3)  # Friday 18:00: the due time
    await demo.run_job("missing_plans")
    assert "still missing" in supervisor.last_text()
    assert "Sun Li" in supervisor.last_text()
    assert "Zhao Lei" not in supervisor.last_text()

    demo.clock.advance(hours=14, minutes=30)  # Saturday 08:30
    assert await demo.run_job("meeting_summaries") == 1
    summary = manager.last_text()
    assert "Weekly meeting · Sat 11-28 09:00" in summary
    assert "Plans for the week of Mon 11-30: 1 submitted, 0 late, 1 missing" in summary
    assert "Zhao Lei · submitted · 1 visit planned" in summary
    assert "Sun Li · missing · 0 visits planned" in summary
    message = manager.last()
    assert manager.buttons(message) == ["📄 Full pack (PDF)", "🎓 Training topic"]
    await manager.tap("📄 Full pack (PDF)", message=message)
    printed = manager.last()
    assert printed.document is not None
    assert printed.document.filename == "Weekly meeting pack 2026-11-30.pdf"
    assert printed.document.data.startswith(b"%PDF")
    assert await demo.run_job("meeting_summaries") == 0, "one message per meeting"


async def test_manager_returns_a_plan_and_sees_the_changes(demo: Sandbox) -> None:
    rep, supervisor = demo.user(REP), demo.user(SUPERVISOR)
    await register_customer(rep, "Acme", "13800138001")
    await fill_rest(rep)
    await rep.send("/plan")
    await rep.tap("🎯 Goals")
    await rep.send("Visit Acme")
    await rep.tap("📨 Submit the plan")
    await demo.settle()

    await supervisor.tap("↩️ Return")
    await supervisor.send("Please plan at least one visit")
    await demo.settle()
    assert "returned your plan" in rep.last_text()
    assert "Please plan at least one visit" in rep.last_text()

    await rep.send("/plan")
    await rep.tap("➕ Add a visit")
    await rep.tap("Acme")
    await rep.tap("Mon 11-30")
    await rep.send("First visit")
    await rep.tap("📨 Submit the plan")
    await demo.settle()
    card = supervisor.keyboard_message()
    assert card is not None
    assert "Changed since you last saw it: 1 added, 0 removed" in card.text
    await supervisor.tap("✅ Approve", message=card)
    await demo.settle()
    assert "approved your plan" in rep.last_text()


async def test_todays_planned_visits_come_in_the_morning_message(demo: Sandbox) -> None:
    rep = demo.user(REP)
    await register_customer(rep, "Planned Pipes", "13800138002")
    await fill_rest(rep)
    assert demo.app is not None
    async with SqlUnitOfWork(demo.app.sessionmaker) as uow:
        person = await uow.people.by_telegram_id(REP)
        [customer] = await uow.customers.owned_by([person.id] if person else [])
        plan = await uow.plans.add(customer.owner_id, date(2026, 11, 23))  # this week
        await uow.plans.add_item(
            plan.id, customer_id=customer.id, day=date(2026, 11, 24), purpose="Quote"
        )
        await uow.commit()

    demo.clock.advance(days=1)  # Tuesday morning
    await demo.run_jobs(sweep=False, follow_ups=True)
    assert "Planned Pipes · 🗓 planned" in rep.last_text()
    assert "📝 Planned Pipes" in rep.buttons()


async def test_a_target_for_next_month_is_set_and_confirmed(demo: Sandbox) -> None:
    supervisor, rep = demo.user(SUPERVISOR), demo.user(REP)
    await supervisor.send("/plan")
    await supervisor.tap("👥 Team plans and targets")
    await supervisor.tap("🎯 Set a monthly target")
    await supervisor.tap("Zhao Lei")
    assert supervisor.last_text() == "Which month is the target for?"
    assert supervisor.buttons()[:2] == ["This month · 2026-11", "Next month · 2026-12"]
    await supervisor.tap("Next month · 2026-12")
    assert supervisor.last_text() == "Sales target for 2026-12?"
    await supervisor.send("zero")
    assert "Please type a number" in supervisor.bot_messages()[-2].text
    await supervisor.send("500,000")
    assert supervisor.last_text().startswith("Quantity target for 2026-12")
    await supervisor.send("40")
    assert supervisor.last_text() == "Collection target for 2026-12?"
    await supervisor.send("300000")
    assert supervisor.last_text() == (
        "Target for Zhao Lei, 2026-12: sales ¥500,000.00, quantity 40, "
        "collection ¥300,000.00. Send it?"
    )
    await supervisor.tap("📨 Send")
    await demo.settle()
    await demo.outbox_idle()

    target = rep.last()
    assert target.text.startswith("🎯 Your target for 2026-12")
    assert "Please confirm by Wed 11-25 18:00." in target.text
    demo.clock.advance(days=2, hours=-1)  # Wednesday 09:00, the deadline's morning
    await demo.run_jobs()
    reminder = rep.last()
    assert reminder.text.startswith("⏰ Please confirm your target for 2026-12 by Wed 11-25 18:00.")
    assert [button["text"] for button in reminder.buttons] == ["✅ Received"]
    await rep.tap("✅ Received")
    await demo.settle()
    await demo.outbox_idle()
    (now,) = [m for m in rep.bot_messages() if m.message_id == reminder.message_id]
    assert not now.buttons, "confirmed once: the button goes"
    assert supervisor.last_text() == (
        "✅ Zhao Lei confirmed the target for 2026-12 (sales ¥500,000.00)."
    )
