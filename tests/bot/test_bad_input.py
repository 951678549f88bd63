"""Wrong input gets one clear sentence and changes nothing."""

from __future__ import annotations

from harness import ADMIN, Sandbox


async def test_text_while_a_button_dialog_is_open_keeps_the_dialog(demo: Sandbox) -> None:
    admin = demo.user(ADMIN)
    await admin.send("/invite")
    await admin.send("Li Wei")
    menu = admin.last()
    await admin.send("x" * 5000)
    hint, form = admin.bot_messages()[-2:]
    assert hint.text == "Please choose with the buttons below, or send /cancel to leave."
    assert form.text == menu.text
    await admin.tap("Sales rep")
    assert "Who will the newcomer report to?" in admin.last_text()


async def test_a_mistyped_command_in_a_search_form_is_not_searched_for(demo: Sandbox) -> None:
    rep = demo.user(1005)
    await rep.send("/visit")
    form = rep.last()
    await rep.send("/vist")
    assert rep.last_text() == "I don't know that command. Send /help to see what you can do."
    (now,) = [m for m in rep.bot_messages() if m.message_id == form.message_id]
    assert now.text == form.text, "the form was not searched"
    await rep.send("Golden")
    assert "Matches for “Golden”" in rep.last_text()


async def test_forged_callback_from_a_rep_changes_nothing(demo: Sandbox) -> None:
    admin, rep = demo.user(ADMIN), demo.user(1005)
    await admin.send("/team")
    team_card = admin.last()
    person_button = next(b for b in team_card.buttons if b["text"].startswith("Zhao Lei"))
    await rep.send("/team")
    before = rep.last_text()
    # The rep replays the admin's button data in their own chat: their stack has no such intent.
    demo.emulator.tap(1005, rep.last().message_id, person_button["callback_data"])
    await rep.settle()
    assert rep.last_text() == before
    answer = rep.last_callback_answer()
    assert answer is not None
    assert answer["show_alert"] is True


async def test_overlong_or_malformed_invite_code(demo: Sandbox) -> None:
    newcomer = demo.user(1100)
    await newcomer.send("/start " + "a" * 80)
    assert "not valid" in newcomer.last_text()
    await newcomer.send("/start <script>")
    assert "not valid" in newcomer.last_text()


async def test_already_member_cannot_redeem_again(demo: Sandbox) -> None:
    rep = demo.user(1005)
    await rep.send("/start demo-newcomer")
    assert "You are already on the team" in rep.last_text()
    newcomer = demo.user(1100)
    await newcomer.send("/start demo-newcomer")
    assert "Welcome to the team, Nina Newcomer!" in newcomer.last_text()


async def test_deactivated_person_is_refused(demo: Sandbox) -> None:
    admin, rep = demo.user(ADMIN), demo.user(1006)
    await admin.send("/team")
    await admin.tap("Sun Li · Sales rep")
    await admin.tap("Deactivate")
    assert "Their direct reports (0) will report to Chen Jing." in admin.last_text()
    await admin.tap("Yes, deactivate")
    assert "deactivated" in admin.last_text()
    await rep.send("/help")
    assert rep.last_text() == "您的使用权限已被停用，请联系管理员。"  # Sun Li reads Chinese
