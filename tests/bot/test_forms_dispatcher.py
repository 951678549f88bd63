"""The forms at the dispatcher tier (updates fed straight into the dispatcher, no HTTP): the
register, visit, plan, settings and invite forms with bad input, languages, dates and
permissions. What only the Telegram contract shows stays in the *_e2e.py files."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from feed import ACCOUNTANT, ADMIN, REP, SUPERVISOR, Fed
from harness import FakeClock

from bot.core.roles import Role

NOW = FakeClock()()


def window_text(fed: Fed, user_id: int) -> str:
    return fed.window(user_id).text or ""


def buttons(fed: Fed, user_id: int) -> list[str]:
    markup = fed.window(user_id).reply_markup
    assert markup is not None
    return [button.text for row in markup.inline_keyboard for button in row]


async def test_a_wrong_phone_is_asked_again_and_the_name_is_kept(fed: Fed) -> None:
    await fed.send(REP, "/customer")
    await fed.click(REP, "➕ Register a customer")
    await fed.send(REP, "Beta Foods")
    await fed.send(REP, "12345")
    assert fed.replies(REP)[-1].startswith("That phone number does not look right.")
    assert window_text(fed, REP).startswith("Phone?"), "the same question again"

    await fed.send(REP, "139 1234 5678")
    summary = window_text(fed, REP).splitlines()
    assert "Company: Beta Foods" in summary, "the name was kept"
    assert "Phone: +86 139 1234 5678" in summary
    assert buttons(fed, REP)[0] == "💾 Save", "name and phone are all a customer needs"


async def test_an_over_long_company_name_is_refused_with_its_length(fed: Fed) -> None:
    await fed.send(REP, "/customer")
    await fed.click(REP, "➕ Register a customer")
    await fed.send(REP, "x" * 101)
    assert fed.replies(REP)[-1] == "That is 101 characters; please keep it to 100."
    assert window_text(fed, REP).endswith("Company name?")


async def test_a_visit_calendar_offers_only_days_a_visit_may_be_logged_for(fed: Fed) -> None:
    """The clock stands on Monday 23 November and a visit goes back at most 7 days: the 16th
    to the 23rd are offered; a forged tap on a day not shown is refused like any button that
    is not on screen (and the visit rule would refuse it too)."""
    await fed.send(REP, "/visit")
    await fed.click(REP, "Golden Dragon Pipes")
    await fed.click(REP, "Phone call")
    await fed.send(REP, "Asked for the catalogue.")
    await fed.click(REP, "Low")
    assert "Date: Mon 11-23" in window_text(fed, REP).splitlines(), "today unless changed"
    await fed.click(REP, "✏️ Date")
    await fed.click(REP, "📅 Another day")
    calendar = fed.window(REP)
    offered = {label for label in buttons(fed, REP) if label.strip("[] ").isdigit()}
    assert {label.strip("[] ") for label in offered} == {str(d) for d in range(16, 24)}

    day_20 = next(
        b.callback_data
        for row in calendar.reply_markup.inline_keyboard  # type: ignore[union-attr]
        for b in row
        if b.text.strip("[] ") == "20"
    )
    assert day_20 is not None
    stamp_30 = int(datetime.combine(date(2026, 11, 30), time(), tzinfo=UTC).timestamp())
    forged = day_20.rsplit(":", 1)[0] + f":{stamp_30}"
    answer = fed.answer(await fed.tap(REP, forged, message=calendar))
    assert answer is not None
    assert (answer.text, answer.show_alert) == ("This button is no longer active.", True)
    assert fed.window(REP).text == calendar.text, "still the calendar"

    await fed.click(REP, "20")
    assert "Date: Fri 11-20" in window_text(fed, REP).splitlines(), "back on the summary"


async def test_a_visit_is_planned_for_a_working_day_of_next_week(fed: Fed) -> None:
    await fed.send(REP, "/plan")
    assert "week of Mon 11-30" in window_text(fed, REP)
    await fed.click(REP, "➕ Add a visit")
    await fed.click(REP, "Golden Dragon Pipes")
    days = buttons(fed, REP)
    assert "Tue 12-01" in days
    assert not any(day.startswith("Sun") for day in days), "only working days (Mon–Sat)"
    await fed.click(REP, "Tue 12-01")
    await fed.send(REP, "Present the quote")
    assert "Tue 12-01 · <b>Golden Dragon Pipes</b> — Present the quote" in window_text(fed, REP)


async def test_the_language_switch_sticks_for_what_comes_next(fed: Fed) -> None:
    await fed.send(ADMIN, "/settings")
    assert "Language: English" in window_text(fed, ADMIN)
    await fed.click(ADMIN, "简体中文")
    assert "语言：简体中文" in window_text(fed, ADMIN)
    await fed.click(ADMIN, "完成")
    await fed.send(ADMIN, "/help")
    assert "我能为您做什么" in fed.replies(ADMIN)[-1]


async def test_a_rep_may_not_invite_and_is_told_so(fed: Fed) -> None:
    await fed.send(REP, "/invite")
    assert fed.replies(REP)[-1] == "Sorry, your role does not allow that."
    await fed.send(REP, "/help")
    assert "/invite" not in fed.replies(REP)[-1]
    assert "/team" in fed.replies(REP)[-1]


async def test_an_unknown_command_and_stray_text_each_get_one_sentence(fed: Fed) -> None:
    before = fed.rows()
    await fed.send(REP, "/frobnicate")
    assert fed.replies(REP)[-1] == "I don't know that command. Send /help to see what you can do."
    await fed.send(ACCOUNTANT, "hello there")
    assert fed.replies(ACCOUNTANT)[-1] == "请使用命令和按钮与我交互。发送 /help 查看可用功能。", (
        "nothing to look up for finance (who reads Chinese)"
    )
    assert fed.rows().keys() == before.keys()


async def test_words_typed_outside_a_form_look_customers_up_with_a_hint(fed: Fed) -> None:
    await fed.send(REP, "golden")
    text = window_text(fed, REP)
    assert text.startswith("Matches for “golden”:")
    assert "💡 Typed outside a form, a name or phone finds customers; /help lists the rest." in text
    assert "Golden Dragon Pipes" in "".join(buttons(fed, REP))
    await fed.send(REP, "minghua")  # typed in the list: a search like any other, no hint
    assert window_text(fed, REP) == "Matches for “minghua”:"


async def test_an_empty_register_says_it_is_empty_not_that_a_search_failed(fed: Fed) -> None:
    newcomer = 3000
    async with fed.uow() as uow:
        supervisor = await uow.people.by_telegram_id(SUPERVISOR)
        assert supervisor is not None
        await uow.people.add(
            telegram_id=newcomer,
            full_name="New Rep",
            role=Role.rep,
            reports_to=supervisor.id,
            language="en",
            joined_at=NOW,
        )
        await uow.commit()
    await fed.send(newcomer, "/customer")
    await fed.click(newcomer, "📋 My customers")
    text = window_text(fed, newcomer)
    assert "No customers yet." in text
    assert "Nothing found" not in text


async def test_a_phone_call_is_not_asked_for_a_location_or_photos(fed: Fed) -> None:
    await fed.send(REP, "/visit")
    await fed.click(REP, "Golden Dragon Pipes")
    await fed.click(REP, "Phone call")
    await fed.send(REP, "They want the price list first.")
    await fed.click(REP, "Medium")

    assert "Save this visit?" in window_text(fed, REP)
    assert "💾 Save" in buttons(fed, REP)
    asked = [m.text or "" for m in fed.windows(REP)]
    assert not any(text.startswith(("Where are you?", "Photos")) for text in asked)


async def test_cancel_on_a_form_with_answers_asks_before_discarding(fed: Fed) -> None:
    before = fed.rows()
    await fed.send(REP, "/deal")
    await fed.click(REP, "Golden Dragon Pipes")
    await fed.send(REP, "Steel pipes")
    assert window_text(fed, REP).startswith("Quantity?")

    await fed.click(REP, "✖ Cancel")
    assert window_text(fed, REP) == "Discard this request? What you entered is lost."
    await fed.click(REP, "✏️ Keep editing")
    assert window_text(fed, REP).startswith("Quantity?"), "back where the rep was"

    await fed.click(REP, "✖ Cancel")
    await fed.click(REP, "🗑 Discard")
    assert await fed.typed_outside_a_form(REP, "100"), "the form is closed"
    after = fed.rows()
    for rows in (before, after):
        rows.pop("fsm_storage")  # the emptied form stack
    assert after == before, "nothing was saved"


async def test_cancel_on_a_form_with_nothing_typed_closes_at_once(fed: Fed) -> None:
    await fed.send(REP, "/customer")
    await fed.click(REP, "➕ Register a customer")
    menu = fed.windows(REP)[-2]
    await fed.click(REP, "✖ Cancel")
    assert not any("Discard" in (m.text or "") for m in fed.windows(REP))
    assert fed.window(REP).text == menu.text, "back in the /customer menu at once"


async def test_back_from_a_customer_returns_to_the_list_it_was_opened_from(fed: Fed) -> None:
    await fed.send(SUPERVISOR, "/customer")
    await fed.click(SUPERVISOR, "✅ Prospects to confirm")
    await fed.click(SUPERVISOR, "🌱 Golden Dragon Pipes")
    await fed.click(SUPERVISOR, "✅ Confirm")
    await fed.click(SUPERVISOR, "◀ Back")
    assert window_text(fed, SUPERVISOR).startswith("<b>Prospects to confirm</b>")
    assert "Golden Dragon Pipes" not in buttons(fed, SUPERVISOR), "confirmed: off the queue"

    await fed.click(SUPERVISOR, "◀ Back")
    await fed.click(SUPERVISOR, "📋 My customers")
    await fed.click(SUPERVISOR, "🌱 Golden Dragon Pipes")
    await fed.click(SUPERVISOR, "◀ Back")
    assert "Golden Dragon Pipes" in " ".join(buttons(fed, SUPERVISOR)), "back in the register"


async def test_plan_shows_this_week_s_plan_beside_next_week_s(fed: Fed) -> None:
    await fed.send(REP, "/plan")
    assert "week of Mon 11-30" in window_text(fed, REP), "next week is planned"
    await fed.click(REP, "📅 This week's plan")
    assert window_text(fed, REP) == "No plan was made for this week."
    await fed.click(REP, "◀ Back to the plan")
    assert "week of Mon 11-30" in window_text(fed, REP)

    async with fed.uow() as uow:  # a plan made last week for the week under way
        rep = await uow.people.by_telegram_id(REP)
        assert rep is not None
        await uow.plans.add(rep.id, date(2026, 11, 23))
        await uow.commit()
    await fed.click(REP, "📅 This week's plan")
    assert window_text(fed, REP).startswith("<b>Weekly plan of Zhao Lei · week of Mon 11-23</b>")
    assert "➕ Add a visit" not in buttons(fed, REP), "the week under way is read, not edited"


async def test_changing_a_submitted_plan_asks_before_reopening_it(fed: Fed) -> None:
    await fed.send(REP, "/plan")
    await fed.click(REP, "🎯 Goals")
    await fed.send(REP, "Close Golden Dragon")
    await fed.click(REP, "📨 Submit the plan")
    assert "📨 Submitted" in window_text(fed, REP)

    await fed.click(REP, "🎯 Goals")
    assert window_text(fed, REP).startswith("This plan is submitted.")
    await fed.click(REP, "◀ Back to the plan")
    assert "📨 Submitted" in window_text(fed, REP), "nothing reopened"

    await fed.click(REP, "🎯 Goals")
    await fed.click(REP, "✏️ Change it")
    assert window_text(fed, REP).startswith("Your goals for the week?")


async def test_a_role_change_waits_for_its_confirmation(fed: Fed) -> None:
    await fed.send(ADMIN, "/team")
    await fed.click(ADMIN, "Zhao Lei · Sales rep")
    await fed.click(ADMIN, "Change role")
    roles = fed.window(ADMIN).reply_markup
    assert roles is not None
    assert max(len(row) for row in roles.inline_keyboard) == 2, "roles in a grid of two"
    await fed.click(ADMIN, "Sales supervisor")
    assert window_text(fed, ADMIN) == "Change <b>Zhao Lei</b> from Sales rep to Sales supervisor?"
    await fed.click(ADMIN, "◀ Back")
    async with fed.uow() as uow:
        rep = await uow.people.by_telegram_id(REP)
    assert rep is not None
    assert rep.role is Role.rep, "backed out: unchanged"


async def test_long_words_outside_a_form_search_by_their_first_50_characters(fed: Fed) -> None:
    typed = "golden dragon pipes " + "x" * 60
    await fed.send(REP, typed)
    assert window_text(fed, REP).startswith(f"Matches for “{typed[:50]}”:"), "cut, not clipped"
