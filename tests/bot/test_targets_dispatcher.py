"""Monthly targets at the dispatcher tier: the manager's form asks sales, quantity and
collection; the rep's "My targets" and the manager's "Targets so far" show each target beside
this month so far; a forged tap on a target button that is not on screen is refused."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

from aiogram_dialog.utils import CB_SEP
from feed import MANAGER, REP, Fed
from harness import FakeClock
from order_builders import ACCOUNTANT_ID, SIGNED, contract_in_force

from bot.core.payments import PaymentDraft, PaymentMethod
from bot.core.plans import MonthlyTarget

NOW = FakeClock()()
DECEMBER = date(2026, 12, 1)
# The clock stands on Monday 23 November 10:00 in Shanghai: two working days on is Wednesday.
WEDNESDAY_18 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
REFUSAL = "This button is no longer active."


def text(fed: Fed, user_id: int) -> str:
    return fed.window(user_id).text or ""


async def open_targets_form(fed: Fed) -> None:
    await fed.send(MANAGER, "/plan")
    await fed.click(MANAGER, "👥 Team plans and targets")
    await fed.click(MANAGER, "🎯 Set a monthly target")
    await fed.click(MANAGER, "Zhao Lei")
    await fed.click(MANAGER, "Next month")


async def rep_id(fed: Fed) -> int:
    async with fed.uow() as uow:
        rep = await uow.people.by_telegram_id(REP)
    assert rep is not None
    return rep.id


async def test_the_manager_sets_sales_quantity_and_collection(fed: Fed) -> None:
    await open_targets_form(fed)
    await fed.send(MANAGER, "36万")
    assert text(fed, MANAGER).startswith("Quantity target for 2026-12, in units?")

    await fed.send(MANAGER, "-5")
    assert fed.replies(MANAGER)[-1] == "Please type a number greater than zero."
    assert text(fed, MANAGER).startswith("Quantity target for 2026-12"), "asked again"
    await fed.send(MANAGER, "1,200.5")
    assert text(fed, MANAGER) == "Collection target for 2026-12?"
    await fed.send(MANAGER, "0")
    assert text(fed, MANAGER) == (
        "Target for Zhao Lei, 2026-12: sales ¥360,000.00, quantity 1200.5, "
        "collection ¥0.00. Send it?"
    )
    await fed.click(MANAGER, "📨 Send")

    async with fed.uow() as uow:
        target = await uow.targets.get(await rep_id(fed), DECEMBER)
    assert target is not None
    assert (target.sales, target.quantity, target.collection) == (
        Decimal(360_000),
        Decimal("1200.5"),
        Decimal(0),
    )
    assert target.confirm_by == WEDNESDAY_18
    ((template, params),) = [
        (row[2], row[3]) for row in fed.rows()["outbox"] if row[2] == "target_set"
    ]
    with fed.app.i18n.context(), fed.app.i18n.use_locale("en"):
        told = fed.app.renderer.render(f"notifications/{template}", **json.loads(params))
    assert "Quantity: 1200.5" in told
    assert "Please confirm by Wed 11-25 18:00." in told


async def test_no_quantity_is_a_tap(fed: Fed) -> None:
    await open_targets_form(fed)
    await fed.send(MANAGER, "500000")
    await fed.click(MANAGER, "No quantity")
    await fed.send(MANAGER, "300000")
    assert ", quantity —, " in text(fed, MANAGER)
    await fed.click(MANAGER, "📨 Send")

    async with fed.uow() as uow:
        target = await uow.targets.get(await rep_id(fed), DECEMBER)
    assert target is not None
    assert target.quantity == 0


async def given_a_target_and_a_sale(fed: Fed) -> None:
    """Zhao Lei's November target, and his contract co-signed on 11-30 (order_builders:
    ¥102,000.00 for 100 pipes and 50 flanges)."""
    rep = await rep_id(fed)
    async with fed.uow() as uow:
        manager = await uow.people.by_telegram_id(MANAGER)
        assert manager is not None
        await uow.targets.assign(
            MonthlyTarget(
                0,
                rep,
                date(2026, 11, 1),
                Decimal(500_000),
                Decimal(300_000),
                manager.id,
                NOW,
                quantity=Decimal(40),
                confirm_by=WEDNESDAY_18,
            )
        )
        await uow.commit()
    await contract_in_force(fed)


async def test_the_rep_sees_my_targets_this_month_and_next(fed: Fed) -> None:
    await given_a_target_and_a_sale(fed)

    await fed.send(REP, "/plan")
    await fed.click(REP, "🎯 My targets")

    shown = text(fed, REP)
    assert shown.startswith("<b>🎯 My targets</b>")
    assert "<u>This month · 2026-11</u> · ⏳ to confirm by Wed 11-25 18:00" in shown
    assert "Sales: ¥102,000.00 / ¥500,000.00 (20 %)" in shown
    assert "Quantity: 150 / 40" in shown
    assert "Collection: ¥20,000.00 / ¥300,000.00 (6 %)" in shown
    assert "Visits logged: 1" in shown
    assert "<u>Next month · 2026-12</u>\n<i>No target set.</i>" in shown
    assert "collection is the money received in the month" in shown


async def test_the_money_collected_in_the_month_counts_toward_the_target(fed: Fed) -> None:
    await given_a_target_and_a_sale(fed)  # the contract's ¥20,000.00 deposit paid on 11-30
    async with fed.uow() as uow:
        await uow.payments.add(
            PaymentDraft(1, Decimal(5000), SIGNED.date(), PaymentMethod.cash),
            recorded_by=ACCOUNTANT_ID,
            now=SIGNED,
        )
        await uow.commit()

    await fed.send(REP, "/plan")
    await fed.click(REP, "🎯 My targets")
    assert "Collection: ¥25,000.00 / ¥300,000.00 (8 %)" in text(fed, REP)

    await fed.send(MANAGER, "/plan")
    await fed.click(MANAGER, "👥 Team plans and targets")
    await fed.click(MANAGER, "📊 Targets so far")
    assert "Collection: ¥25,000.00 / ¥300,000.00 (8 %)" in text(fed, MANAGER)


async def test_the_manager_sees_every_rep_s_targets_so_far(fed: Fed) -> None:
    await given_a_target_and_a_sale(fed)

    await fed.send(MANAGER, "/plan")
    await fed.click(MANAGER, "👥 Team plans and targets")
    await fed.click(MANAGER, "📊 Targets so far")

    shown = text(fed, MANAGER)
    assert shown.startswith("<b>📊 Team targets so far</b>")
    sun, zhao = shown.split("<b>Sun Li</b>")[1].split("<b>Zhao Lei</b>")
    assert "No target set." in sun
    assert "Sales: ¥0.00" in sun
    assert "Sales: ¥102,000.00 / ¥500,000.00 (20 %)" in zhao


async def test_a_forged_target_button_is_refused(fed: Fed) -> None:
    """No quantity is on the quantity question only; My targets is for reps only."""
    await open_targets_form(fed)
    sales_question = fed.window(MANAGER)
    before = fed.rows()
    forged = f"{Fed.intent(sales_question)}{CB_SEP}noqty"
    answer = fed.answer(await fed.tap(MANAGER, forged, message=sales_question))
    assert answer is not None
    assert (answer.text, answer.show_alert) == (REFUSAL, True)
    assert text(fed, MANAGER) == "Sales target for 2026-12?"
    assert fed.rows() == before

    await fed.send(MANAGER, "/plan")
    overview = fed.window(MANAGER)
    assert "🎯 My targets" not in str(overview.reply_markup)
    forged = f"{Fed.intent(overview)}{CB_SEP}mytargets"
    answer = fed.answer(await fed.tap(MANAGER, forged, message=overview))
    assert answer is not None
    assert answer.text == REFUSAL
