"""Team administration on a phone at the dispatcher tier: invites that carry the newcomer's
name, and the away-and-delegate form that offers only people who may decide."""

from __future__ import annotations

import re

from feed import ADMIN, GM, MANAGER, SUPERVISOR, Fed
from test_forms_dispatcher import buttons, window_text

NEWCOMER = 3000


def button_data(fed: Fed, user_id: int, label: str) -> str:
    markup = fed.window(user_id).reply_markup
    assert markup is not None
    found = [b.callback_data for row in markup.inline_keyboard for b in row if b.text == label]
    assert len(found) == 1, label
    assert found[0]
    return found[0]


def invite_code(text: str) -> str:
    match = re.search(r"\?start=([\w-]+)", text)
    assert match, text
    return match.group(1)


async def make_invite(fed: Fed, inviter: int, name: str) -> str:
    await fed.send(inviter, "/invite")
    await fed.send(inviter, name)
    await fed.click(inviter, "Sales rep")
    await fed.click(inviter, "Chen Jing · ")
    await fed.click(inviter, "✅ Create invite")
    return invite_code(window_text(fed, inviter))


async def test_an_invite_asks_the_name_first_and_the_newcomer_joins_under_it(fed: Fed) -> None:
    await fed.send(SUPERVISOR, "/invite")
    assert "What is the newcomer's full name?" in window_text(fed, SUPERVISOR)
    await fed.send(SUPERVISOR, "Li Wei")
    assert window_text(fed, SUPERVISOR).startswith("<b>New invite</b> · Li Wei\n")
    await fed.click(SUPERVISOR, "Sales rep")
    assert window_text(fed, SUPERVISOR).startswith("<b>New invite</b> · Li Wei, Sales rep\n")
    await fed.click(SUPERVISOR, "Chen Jing · ")
    confirm = window_text(fed, SUPERVISOR).splitlines()
    assert confirm[1:4] == ["Name: Li Wei", "Role: Sales rep", "Reports to: Chen Jing"]
    await fed.click(SUPERVISOR, "✅ Create invite")
    card = window_text(fed, SUPERVISOR)
    assert card.startswith("<b>Invite ready</b> · Li Wei\nSales rep, reports to Chen Jing")
    assert "Send this link to Li Wei: they join under this name." in card

    await fed.send(NEWCOMER, f"/start {invite_code(card)}")
    assert "Welcome to the team, Li Wei! You joined as Sales rep." in fed.replies(NEWCOMER)[-1]
    async with fed.uow() as uow:
        person = await uow.people.by_telegram_id(NEWCOMER)
    assert person is not None
    assert person.full_name == "Li Wei", "the invited name, not the Telegram one (User 3000)"


async def test_a_wrong_name_is_asked_again_with_a_sentence_and_changes_nothing(fed: Fed) -> None:
    await fed.send(SUPERVISOR, "/invite")
    before = fed.rows()
    prompt = window_text(fed, SUPERVISOR)

    await fed.send(SUPERVISOR, "12345")
    assert fed.replies(SUPERVISOR)[-1] == (
        "Please type the newcomer's name in letters, e.g. Li Wei or 李伟."
    )
    await fed.send(SUPERVISOR, "x" * 65)
    assert fed.replies(SUPERVISOR)[-1] == "That is 65 characters; please keep it to 64."
    assert window_text(fed, SUPERVISOR) == prompt, "still asking for the name"
    assert fed.rows()["invites"] == before["invites"]

    await fed.send(SUPERVISOR, "  Wang   Xiu  ")
    assert window_text(fed, SUPERVISOR).startswith("<b>New invite</b> · Wang Xiu\n")


async def test_open_invites_are_told_apart_by_name_and_show_their_link_again(fed: Fed) -> None:
    li = await make_invite(fed, SUPERVISOR, "Li Wei")
    await make_invite(fed, SUPERVISOR, "Wang Xiu")

    await fed.send(SUPERVISOR, "/invite")
    shown = buttons(fed, SUPERVISOR)
    assert "Your open invites (tap one to see its link again):" in window_text(fed, SUPERVISOR)
    assert sorted(shown) == [
        "Li Wei · Sales rep · until Mon 11-30",
        "Wang Xiu · Sales rep · until Mon 11-30",
        "✖ Cancel",
    ], "only the supervisor's own: the demo's open invite is the admin's"

    await fed.click(SUPERVISOR, "Li Wei · ")
    card = window_text(fed, SUPERVISOR)
    assert card.startswith("<b>Invite ready</b> · Li Wei\nSales rep, reports to Chen Jing")
    assert invite_code(card) == li

    await fed.send(ADMIN, "/invite")
    everyone = [b for b in buttons(fed, ADMIN) if " · until " in b]
    assert len(everyone) == 3, "an admin sees all"
    assert everyone[-1].startswith("Nina Newcomer · Sales rep · until "), "the demo's, last"


async def test_a_forged_open_invite_is_refused(fed: Fed) -> None:
    await make_invite(fed, SUPERVISOR, "Li Wei")
    await fed.send(SUPERVISOR, "/invite")
    menu = fed.window(SUPERVISOR)
    mine = button_data(fed, SUPERVISOR, "Li Wei · Sales rep · until Mon 11-30")
    forged = mine.rsplit(":", 1)[0] + ":demo-newcomer"  # the admin's invite
    before = fed.rows()

    answer = fed.answer(await fed.tap(SUPERVISOR, forged, message=menu))

    assert answer is not None
    assert answer.show_alert is True
    assert answer.text == "This button is no longer active."
    assert fed.window(SUPERVISOR).text == menu.text
    assert "demo-newcomer" not in (fed.window(SUPERVISOR).text or "")
    assert fed.rows() == before


async def tap_day(fed: Fed, user_id: int, day: int) -> None:
    markup = fed.window(user_id).reply_markup
    assert markup is not None
    (data,) = [
        b.callback_data
        for row in markup.inline_keyboard
        for b in row
        if b.text.strip("[] ") == str(day) and b.callback_data
    ]
    await fed.tap(user_id, data, message=fed.window(user_id))


async def away_until_delegate(fed: Fed, user_id: int) -> None:
    """The clock stands on Monday 23 November: away the 24th and the 25th."""
    await fed.send(user_id, "/settings")
    await fed.click(user_id, "🏖 ")
    await fed.click(user_id, "➕ ")
    await tap_day(fed, user_id, 24)
    await tap_day(fed, user_id, 25)


async def test_the_delegate_picker_offers_only_people_who_may_decide(fed: Fed) -> None:
    await away_until_delegate(fed, MANAGER)
    assert window_text(fed, MANAGER) == "Who decides for you?"
    assert sorted(buttons(fed, MANAGER)) == [
        "Wang Fang · General manager",
        "Zhang Wei · Marketing VP",
        "◀ Back",
    ], "not the supervisor below him, the admin or the accountant"

    await away_until_delegate(fed, SUPERVISOR)
    assert sorted(buttons(fed, SUPERVISOR)) == [
        "Liu Yang · Sales manager",
        "Wang Fang · General manager",
        "Zhang Wei · Marketing VP",
        "◀ Back",
    ]


async def test_nobody_to_delegate_to_is_said_in_a_sentence(fed: Fed) -> None:
    await away_until_delegate(fed, GM)  # Wang Fang reads Chinese; nobody is above her
    assert window_text(fed, GM) == (
        "由谁代您审核？\n暂无可选人员：代理人须在职，且角色与您相同或在审批链中高于您。"
    )
    assert buttons(fed, GM) == ["◀ 返回"]


async def test_delegating_to_the_next_approver_warns_and_may_still_be_saved(fed: Fed) -> None:
    await away_until_delegate(fed, MANAGER)
    await fed.click(MANAGER, "Zhang Wei · ")
    assert window_text(fed, MANAGER) == (
        "Away from Tue 11-24 to Wed 11-25; Zhang Wei decides your approvals meanwhile. Save?\n"
        "⚠️ Zhang Wei already decides after you in the chain: one person would decide two steps."
    )
    await fed.click(MANAGER, "◀ Back")
    assert window_text(fed, MANAGER) == "Who decides for you?", "someone else may be picked"
    await fed.click(MANAGER, "Wang Fang · ")
    assert "⚠️ Wang Fang already decides after you in the chain" in window_text(fed, MANAGER)

    await fed.click(MANAGER, "✅ Save")
    assert "✖ Tue 11-24 → Wed 11-25 · Wang Fang" in buttons(fed, MANAGER)


async def test_a_forged_delegate_is_refused(fed: Fed) -> None:
    await away_until_delegate(fed, MANAGER)
    picker = fed.window(MANAGER)
    async with fed.uow() as uow:
        below = await uow.people.by_telegram_id(SUPERVISOR)
    assert below is not None
    shown = button_data(fed, MANAGER, "Zhang Wei · Marketing VP")
    forged = shown.rsplit(":", 1)[0] + f":{below.id}"
    before = fed.rows()

    answer = fed.answer(await fed.tap(MANAGER, forged, message=picker))

    assert answer is not None
    assert answer.show_alert is True
    assert fed.window(MANAGER).text == picker.text
    assert fed.rows() == before
