"""Approval flows end to end, as each person sees them in their own chat: reject, return and
resubmit, forged and repeated taps, withdraw, /pending, away and delegate, languages, /help.

Most tests file the request through the use case (one call, its card and status message still go
out through the outbox and the emulator) to keep the suite quick; the /deal form itself is
driven in test_deal_dialog_e2e.py, and the reject path below files through the form as a user
would.
"""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from harness import Sandbox
from test_approval_chain_e2e import file_request

from bot.core.deals import DealTerms
from bot.core.usecases import approvals, customers, delegation
from botapi_emulator._models import ChatMessage
from botapi_emulator.driver import SandboxUser, wait_idle
from storage.uow import SqlUnitOfWork

ADMIN, GM, VP, MANAGER, SUPERVISOR, REP, REP_ZH, ACCOUNTANT = range(1000, 1008)
EVERYONE = (ADMIN, GM, VP, MANAGER, SUPERVISOR, REP, REP_ZH, ACCOUNTANT)
CUSTOMER = "Acme Trading Co."
LIST_ITEM = f"#1 {CUSTOMER} · ¥120,000.00"  # in /my
PENDING_ITEM = f"{LIST_ITEM} · 12 % · ⏰ Mon 11-23 18:00"  # in /pending: discount and due time too
REJECT_PROMPT = (
    f"Why do you reject request #1 ({CUSTOMER})?\nType the reason, up to 500 characters."
)
RETURN_PROMPT = f"What should change in request #1 ({CUSTOMER})?\nType it, up to 500 characters."
DECISION_BUTTONS = ["✅ Approve", "✍️ Approve with opinion", "❌ Reject", "↩️ Return for changes"]
CARD_BUTTONS = [
    *DECISION_BUTTONS,
    "🔀 Transfer",
    "➕ Add approver",
    "📇 Customer and visits",
]  # the customer one tap away
NOT_ALLOWED = "This request is not waiting for your decision."


# ---- helpers -------------------------------------------------------------------------------------


async def handlers_done(demo: Sandbox, timeout: float = 10) -> None:  # noqa: ASYNC109
    """Until every update the bot took has been handled to the end. The driver's settle waits for
    a quiet spell only; on a loaded machine a handler can stay silent for longer than that
    between two calls (database work between answering a tap and sending the next message)."""
    assert demo.app is not None
    tasks = demo.app.dp._handle_update_tasks
    deadline = asyncio.get_running_loop().time() + timeout
    while tasks:
        left = deadline - asyncio.get_running_loop().time()
        if left <= 0:
            raise TimeoutError(f"{len(tasks)} update(s) still being handled after {timeout} s")
        await asyncio.wait(set(tasks), timeout=left)
        await wait_idle(demo.emulator)


async def settle(demo: Sandbox) -> None:
    """The harness's settle, plus: every handler finished, then the outbox went quiet again."""
    await demo.settle()
    await handlers_done(demo)
    await demo.outbox_idle()


class SteadyUser(SandboxUser):
    """A SandboxUser whose every action also waits for the bot's handlers to finish."""

    def __init__(self, demo: Sandbox, user_id: int) -> None:
        super().__init__(demo.emulator, user_id)
        self.demo = demo

    async def settle(self, update_id: int | None = None) -> None:
        await super().settle(update_id)
        await handlers_done(self.demo)


def user_of(demo: Sandbox, telegram_id: int) -> SteadyUser:
    assert telegram_id in demo.emulator.users, "a demo person"
    return SteadyUser(demo, telegram_id)


World = dict[tuple[int, int], tuple[str, tuple[str, ...], bool]]


def world(demo: Sandbox) -> World:
    """Every message in every demo person's chat: its text, buttons and whether it is deleted."""
    return {
        (chat, m.message_id): (m.text, tuple(m.button_labels), m.deleted)
        for chat in EVERYONE
        for m in demo.emulator.transcript(chat)
    }


def changed(before: World, demo: Sandbox) -> set[tuple[int, int]]:
    """(chat, message id) of the messages that appeared or changed since ``before``."""
    now = world(demo)
    return {key for key, value in now.items() if before.get(key) != value}


def changed_chats(before: World, demo: Sandbox) -> set[int]:
    return {chat for chat, _ in changed(before, demo)}


async def seed_request(demo: Sandbox) -> int:
    """Zhao Lei's request #1 (120,000.00 at 12 %) filed through the use case, as the form would;
    waits until its card and status message are out."""
    assert demo.app is not None
    app = demo.app
    async with SqlUnitOfWork(app.sessionmaker, on_commit=app.sender.wake) as uow:
        requester = await uow.people.by_telegram_id(REP)
        assert requester is not None
        customer = await customers.quick_add(
            uow, owner_id=requester.id, name=CUSTOMER, now=demo.clock()
        )
        terms = DealTerms(
            customer_id=customer.id,
            product="Steel pipes",
            quantity=Decimal(100),
            amount=Decimal("120000.00"),
            discount=Decimal(12),
        )
        request = await approvals.submit(
            uow, requester_id=requester.id, terms=terms, policy=app.policy, now=demo.clock()
        )
    await demo.outbox_idle()
    return request.id


def the_status(user: SandboxUser, title: str = "Your request #1") -> ChatMessage:
    """The request's status message: one message, kept up to date by edits. (/my shows the same
    text in its own dialog message, with buttons, later.)"""
    found = [m for m in user.bot_messages() if m.text.startswith(title)]
    assert found, f"{user.name} has no status message"
    assert not found[0].buttons
    return found[0]


def assert_one_status(user: SandboxUser, title: str = "Your request #1") -> None:
    found = [m for m in user.bot_messages() if m.text.startswith(title)]
    assert len(found) == 1, f"one status message, edited in place; got {len(found)}"


def cards(user: SandboxUser, title: str = "Special terms request #1") -> list[ChatMessage]:
    return [m for m in user.bot_messages() if m.text.startswith(title)]


def open_card(user: SandboxUser) -> ChatMessage:
    """The one card of ``user`` that still has buttons."""
    found = [m for m in cards(user) if m.buttons]
    assert len(found) == 1, f"{user.name} should hold exactly one open card, has {len(found)}"
    return found[0]


def step_of(card: ChatMessage) -> int:
    data = str(card.buttons[0]["callback_data"])
    match = re.fullmatch(r"ap:(\d+):[arc]", data)
    assert match, data
    return int(match.group(1))


def fresh(demo: Sandbox, message: ChatMessage) -> ChatMessage:
    """The message as it is now (edits change it in place)."""
    current = demo.emulator.get_message(message.chat_id, message.message_id)
    assert current is not None
    return current


async def raw_tap(
    demo: Sandbox, user: SandboxUser, message: ChatMessage, data: str
) -> dict[str, Any]:
    """A tap with any callback data on one of the user's messages; the bot's answer to it."""
    demo.emulator.tap(user.user_id, message.message_id, data)
    await settle(demo)
    answer = user.last_callback_answer()
    assert answer is not None, "every tap is answered"
    return answer


async def inject(demo: Sandbox, user: SandboxUser, message: ChatMessage, data: str) -> str | None:
    """A forged or stale tap; the alert it gets."""
    answer = await raw_tap(demo, user, message, data)
    assert answer["show_alert"], f"a refusal is an alert, not a toast: {answer}"
    return answer["text"]


def bot_texts_after(user: SandboxUser, message: ChatMessage) -> list[str]:
    return [m.text for m in user.bot_messages() if m.message_id > message.message_id]


# ---- 1. reject -----------------------------------------------------------------------------------


async def test_reject_asks_why_then_tells_the_requester_and_stops_the_chain(demo: Sandbox) -> None:
    rep, sup = user_of(demo, REP), user_of(demo, SUPERVISOR)
    await file_request(rep)
    await settle(demo)
    status = the_status(rep)
    card = open_card(sup)
    assert sup.buttons(card) == CARD_BUTTONS

    await sup.tap("❌ Reject", message=card)
    assert sup.last_text() == REJECT_PROMPT
    assert "⏳ Awaiting approval" in fresh(demo, status).text, "nothing is decided before a reason"
    before = world(demo)

    await sup.send("Price too low for this volume")
    await settle(demo)

    assert sup.last_text() == "Rejected. The requester has been told."
    assert rep.last_text() == (
        f"❌ Request #1 for {CUSTOMER} was rejected by Chen Jing.\n"
        "Reason: “Price too low for this volume”"
    )
    assert_one_status(rep)
    status_now = the_status(rep)
    assert status_now.message_id == status.message_id
    assert "❌ Rejected" in status_now.text
    assert "“Price too low for this volume”" in status_now.text
    assert "1. Sales supervisor · Chen Jing · ❌ rejected" in status_now.text
    decided = fresh(demo, card)
    assert not decided.buttons, "the decided card loses its buttons"
    assert "❌ rejected · Chen Jing · Mon 11-23 10:00" in decided.text
    for above in (MANAGER, VP, GM):
        assert demo.emulator.transcript(above) == [], f"{above} never hears of a rejected request"
    rep_changes = {m for chat, m in changed(before, demo) if chat == REP}
    assert changed_chats(before, demo) == {REP, SUPERVISOR}
    assert len(rep_changes) == 2, "the status message and one new message with the reason"


# ---- 2. a bad reason, /cancel ---------------------------------------------------------------------


async def test_an_empty_or_too_long_reason_is_asked_again_and_decides_nothing(
    demo: Sandbox,
) -> None:
    await seed_request(demo)
    rep, sup, mgr = user_of(demo, REP), user_of(demo, SUPERVISOR), user_of(demo, MANAGER)
    card = open_card(sup)
    step = step_of(card)
    await sup.tap("❌ Reject", message=card)
    before = world(demo)

    typed = await sup.send("   ")
    assert bot_texts_after(sup, typed) == ["Please type some text.", REJECT_PROMPT]
    typed = await sup.send("x" * 501)
    assert bot_texts_after(sup, typed) == [
        "That is 501 characters; please keep it to 500.",
        REJECT_PROMPT,
    ]
    typed = await sup.send("/cancel")
    assert bot_texts_after(sup, typed) == ["Cancelled. The half-filled form was discarded."]
    await settle(demo)

    assert changed_chats(before, demo) == {SUPERVISOR}, "nobody else hears of anything"
    assert "⏳ Awaiting approval" in the_status(rep).text
    assert "1. Sales supervisor · Chen Jing · ⏳ deciding" in the_status(rep).text
    # The step is still open: Chen Jing can still approve it, and only then the chain moves on.
    approved = await raw_tap(demo, sup, card, f"ap:{step}:a")
    assert approved["text"] == "Approved ✅"
    assert len(cards(mgr)) == 1


async def test_the_card_keeps_its_buttons_while_the_reason_is_asked_and_after_cancel(
    demo: Sandbox,
) -> None:
    await seed_request(demo)
    sup = user_of(demo, SUPERVISOR)
    card = open_card(sup)
    card_text = card.text

    await sup.tap("↩️ Return for changes", message=card)
    assert sup.last().message_id != card.message_id, "the question comes as a new message"
    assert sup.last_text() == RETURN_PROMPT
    assert card.text == card_text, "the approver still sees what they decide"
    assert sup.buttons(card) == CARD_BUTTONS

    await sup.send("/cancel")
    assert sup.buttons(card) == CARD_BUTTONS


# ---- 3. return for changes and resubmit ----------------------------------------------------------


async def test_a_returned_request_is_edited_and_starts_round_two_with_round_one_in_history(
    demo: Sandbox,
) -> None:
    await seed_request(demo)
    rep, sup = user_of(demo, REP), user_of(demo, SUPERVISOR)
    first_card = open_card(sup)
    status = the_status(rep)

    await sup.tap("↩️ Return for changes", message=first_card)
    assert sup.last_text() == RETURN_PROMPT
    await sup.send("Please lower the discount to 10")
    await settle(demo)
    assert sup.last_text() == "Returned for changes. The requester has been told."
    assert rep.last_text() == (
        f"↩️ Request #1 for {CUSTOMER} was returned for changes by Chen Jing.\n"
        "What to change: “Please lower the discount to 10”\n"
        "Open /my to edit and send it again."
    )
    assert "↩️ Returned for changes" in the_status(rep).text

    demo.clock.advance(minutes=20)
    await rep.send("/my")
    await rep.tap(f"↩️ {LIST_ITEM}")
    assert rep.buttons() == ["✏️ Edit and send again", "◀ Back to the list"]
    await rep.tap("✏️ Edit and send again")
    assert "Send it again for approval?" in rep.last_text()
    assert "Discount: 12 %" in rep.last_text()
    await rep.tap("✏️ Discount")
    assert (
        rep.last_text()
        == "Discount asked for? In percent (12 or 12%), or the 折 way (九五折 is 5 %)."
    )
    await rep.send("10")
    summary = rep.last_text()
    assert "Discount: 10 %" in summary
    assert f"Customer: {CUSTOMER}" in summary
    assert "Amount: ¥120,000.00" in summary
    before = world(demo)
    await rep.tap("📨 Submit")
    await settle(demo)

    assert rep.last_text() == (
        "Request #1 is on its way: Chen Jing decides first.\n"
        "Its status message, further up in this chat, is kept up to date as before."
    )
    second_card = open_card(sup)
    assert second_card.message_id != first_card.message_id
    assert second_card.text.startswith("Special terms request #1 · round 2")
    assert "Discount: 10 %" in second_card.text
    assert "Decisions so far" in second_card.text
    assert (
        "↩️ returned for changes · Chen Jing · Sales supervisor · Mon 11-23 10:00 · round 1"
        in second_card.text
    )
    assert "“Please lower the discount to 10”" in second_card.text
    assert "⏰ Please decide by Mon 11-23 18:00." in second_card.text
    old = fresh(demo, first_card)
    assert not old.buttons
    assert "↩️ returned for changes · Chen Jing" in old.text

    status_now = the_status(rep)
    assert status_now.message_id == status.message_id
    assert status_now.text.startswith(f"Your request #1 · {CUSTOMER} · ¥120,000.00 · 10 %")
    assert "⏳ Awaiting approval" in status_now.text
    assert "1. Sales supervisor · Chen Jing · ⏳ deciding" in status_now.text
    assert "· round 1" in status_now.text
    assert "“Please lower the discount to 10”" in status_now.text
    assert changed_chats(before, demo) == {REP, SUPERVISOR}


# ---- 4-6. forged, repeated and late taps ---------------------------------------------------------


async def test_a_forged_tap_by_someone_not_deciding_changes_nothing(demo: Sandbox) -> None:
    await seed_request(demo)
    rep, sup, mgr = user_of(demo, REP), user_of(demo, SUPERVISOR), user_of(demo, MANAGER)
    card = open_card(sup)
    step = step_of(card)
    await mgr.send("/help")  # Liu Yang needs a message of his own to "tap" on
    before = world(demo)

    assert await inject(demo, rep, the_status(rep), f"ap:{step}:a") == NOT_ALLOWED
    assert await inject(demo, mgr, mgr.last(), f"ap:{step}:a") == NOT_ALLOWED
    assert await inject(demo, mgr, mgr.last(), f"ap:{step}:r") == NOT_ALLOWED
    assert (
        await inject(demo, sup, card, "ap:999:a")
        == "I could not find that. It may have been changed or removed."
    )

    assert changed(before, demo) == set(), "no card, no reason prompt, no status change"
    assert sup.buttons(fresh(demo, card)) == CARD_BUTTONS
    assert "1. Sales supervisor · Chen Jing · ⏳ deciding" in the_status(rep).text


async def test_a_double_tap_decides_once(demo: Sandbox) -> None:
    await seed_request(demo)
    rep, sup, mgr = user_of(demo, REP), user_of(demo, SUPERVISOR), user_of(demo, MANAGER)
    card = open_card(sup)
    demo.clock.advance(minutes=7)

    first = demo.emulator.tap(SUPERVISOR, card.message_id, f"ap:{step_of(card)}:a")
    second = demo.emulator.tap(SUPERVISOR, card.message_id, f"ap:{step_of(card)}:a")
    await settle(demo)

    answers = [demo.emulator.callback_answers[q]["text"] for q in (first, second)]
    assert sorted(answers) == ["Already decided by Chen Jing at Mon 11-23 10:07.", "Approved ✅"]
    assert len(mgr.bot_messages()) == 1, "Liu Yang gets exactly one card"
    assert_one_status(rep)
    assert mgr.buttons(open_card(mgr)) == CARD_BUTTONS
    status = the_status(rep).text
    assert status.count("✅ approved · Chen Jing") == 1
    assert "2. Sales manager · Liu Yang · ⏳ deciding" in status
    assert not fresh(demo, card).buttons


async def test_a_tap_on_a_card_decided_earlier_says_by_whom_and_when(demo: Sandbox) -> None:
    await seed_request(demo)
    sup, mgr = user_of(demo, SUPERVISOR), user_of(demo, MANAGER)
    card = open_card(sup)
    step = step_of(card)
    demo.clock.advance(minutes=5)
    await sup.tap("✅ Approve", message=card)
    await settle(demo)
    demo.clock.advance(minutes=25)
    mgr_card = open_card(mgr)
    mgr_step = step_of(mgr_card)
    await mgr.tap("✅ Approve", message=mgr_card)
    await settle(demo)
    assert len(cards(user_of(demo, VP), "优惠条件申请 #1")) == 1
    before = world(demo)

    already = "Already decided by Chen Jing at Mon 11-23 10:05."
    assert await inject(demo, sup, card, f"ap:{step}:a") == already
    assert await inject(demo, sup, card, f"ap:{step}:r") == already, "no reason is asked"
    assert (
        await inject(demo, mgr, mgr_card, f"ap:{mgr_step}:c")
        == "Already decided by Liu Yang at Mon 11-23 10:30."
    )
    assert changed(before, demo) == set()


async def test_a_tap_on_a_step_not_open_yet_does_not_say_the_request_is_closed(
    demo: Sandbox,
) -> None:
    await seed_request(demo)
    mgr = user_of(demo, MANAGER)
    manager_step = step_of(open_card(user_of(demo, SUPERVISOR))) + 1
    await mgr.send("/help")
    before = world(demo)

    alert = await inject(demo, mgr, mgr.last(), f"ap:{manager_step}:a")

    assert changed(before, demo) == set()
    assert alert is not None
    assert "closed" not in alert
    assert "decided" not in alert


# ---- 7. withdraw ---------------------------------------------------------------------------------


async def test_withdrawing_closes_the_approvers_card(demo: Sandbox) -> None:
    await seed_request(demo)
    rep, sup = user_of(demo, REP), user_of(demo, SUPERVISOR)
    card = open_card(sup)
    step = step_of(card)

    await rep.send("/my")
    assert rep.last_text() == "Your requests"
    await rep.tap(f"⏳ {LIST_ITEM}")
    assert "🚫 Withdraw" in rep.buttons()
    await rep.tap("🚫 Withdraw")
    assert rep.last_text() == "Withdraw request #1? The approvers' cards will close."
    before = world(demo)
    await rep.tap("Yes, withdraw")
    await settle(demo)

    closed = fresh(demo, card)
    assert not closed.buttons
    assert closed.text.startswith("Special terms request #1")
    assert "🚫 Closed: the request was withdrawn." in closed.text
    assert "🚫 Withdrawn" in the_status(rep).text
    assert "🚫 Withdrawn" in rep.last_text(), "the /my view shows the new state"
    assert "🚫 Withdraw" not in rep.buttons()
    assert changed_chats(before, demo) == {REP, SUPERVISOR}
    for above in (MANAGER, VP, GM):
        assert demo.emulator.transcript(above) == []

    assert (
        await inject(demo, sup, card, f"ap:{step}:a")
        == "This request is closed; nothing is left to decide."
    )


# ---- 8. /pending ---------------------------------------------------------------------------------


async def test_pending_lists_the_request_and_approves_from_there(demo: Sandbox) -> None:
    await seed_request(demo)
    rep, sup, mgr = user_of(demo, REP), user_of(demo, SUPERVISOR), user_of(demo, MANAGER)
    card = open_card(sup)

    await sup.send("/pending")
    assert sup.last_text() == "Waiting for your decision: 1"
    assert sup.buttons() == [PENDING_ITEM, "Close"]
    await sup.tap(PENDING_ITEM)
    assert sup.last_text().startswith("Special terms request #1")
    assert sup.buttons() == [*CARD_BUTTONS, "◀ Back to the list"]
    await sup.tap("✅ Approve")
    assert sup.last_callback_answer() == {
        "text": "Approved ✅",
        "show_alert": False,
        "url": None,
        "cache_time": None,
    }
    await settle(demo)

    assert sup.last_text() == "Nothing waits for you. 🎉"
    assert sup.buttons() == ["Close"]
    assert not fresh(demo, card).buttons, "the card in the chat closes too"
    assert "✅ approved · Chen Jing" in fresh(demo, card).text
    assert len(cards(mgr)) == 1
    assert "2. Sales manager · Liu Yang · ⏳ deciding" in the_status(rep).text
    await sup.send("/pending")
    assert sup.last_text() == "Nothing waits for you. 🎉"


# ---- 9. away and delegate ------------------------------------------------------------------------


async def pick_day(user: SandboxUser, day: date) -> None:
    """Tap ``day`` in the calendar, paging months if the calendar opened on another one (it
    starts at the real today, the bot's clock is the test's)."""
    stamp = int(datetime.combine(day, time(), tzinfo=UTC).timestamp())
    for _ in range(36):
        calendar = user.keyboard_message()
        assert calendar is not None
        days: dict[int, dict[str, Any]] = {}
        for button in calendar.buttons:
            found = re.fullmatch(
                r"\w+:(\d+)", str(button.get("callback_data", "")).split("\x1d")[-1]
            )
            if found:
                days[int(found.group(1))] = button
        if stamp in days:
            assert days[stamp]["text"].strip("[] ") == f"{day.day:02d}"
            await user.press(calendar, days[stamp])
            return
        page = "-" if stamp < min(days) else "+"
        turn = next(b for b in calendar.buttons if str(b.get("callback_data")).endswith(f":{page}"))
        await user.press(calendar, turn)
    raise LookupError(f"{day} not found in the calendar")


async def test_an_away_manager_s_step_goes_to_the_delegate(demo: Sandbox) -> None:
    assert demo.app is not None
    rep, sup, mgr, vp = (user_of(demo, i) for i in (REP, SUPERVISOR, MANAGER, VP))
    today = demo.clock().astimezone(demo.app.policy.tz).date()
    assert today == date(2026, 11, 23)

    await mgr.send("/settings")
    await mgr.tap("🏖 Away and delegate")
    await mgr.tap("➕ Set an away period")
    assert mgr.last_text() == "First day away?"
    calendar = mgr.keyboard_message()
    assert calendar is not None
    shown = {b["text"].strip("[] ") for b in calendar.buttons}
    assert str(today.day - 1) not in shown, "a past day is not offered"
    assert str(today.day) in shown
    await pick_day(mgr, today)
    assert mgr.last_text() == "Last day away?"
    await pick_day(mgr, today + timedelta(days=1))
    assert mgr.last_text() == "Who decides for you?"
    await mgr.tap("Zhang Wei · Marketing VP")
    assert mgr.last_text() == (
        "Away from Mon 11-23 to Tue 11-24; Zhang Wei decides your approvals meanwhile. Save?\n"
        "⚠️ Zhang Wei already decides after you in the chain: one person would decide two steps."
    )
    await mgr.tap("✅ Save")
    answer = mgr.last_callback_answer()
    assert answer is not None
    assert answer["text"] == "Saved. Your approvals go to Zhang Wei while you are away."
    assert "✖ Mon 11-23 → Tue 11-24 · Zhang Wei" in mgr.buttons()

    await seed_request(demo)
    await sup.tap("✅ Approve", message=open_card(sup))
    await settle(demo)

    card = open_card_zh(vp)
    assert "您代 Liu Yang 审核。" in card.text
    assert vp.buttons(card) == [
        "✅ 批准",
        "✍️ 附意见同意",
        "❌ 驳回",
        "↩️ 退回修改",
        "🔀 转交",
        "➕ 加签",
        "📇 客户与拜访记录",
    ]
    assert not [m for m in mgr.bot_messages() if m.buttons and "#1" in m.text]
    pending = the_status(rep).text
    assert "2. Sales manager · Zhang Wei (on behalf of Liu Yang) · ⏳ deciding" in pending
    await vp.tap("✅ 批准", message=card)
    await settle(demo)

    assert "✅ 已批准 · Zhang Wei (代 Liu Yang)" in fresh(demo, card).text
    status = the_status(rep).text
    assert "✅ approved · Zhang Wei (on behalf of Liu Yang) · Sales manager" in status
    # One person, one decision: Zhang Wei's approval counts at his own level too.
    assert "3. Marketing VP · Zhang Wei · ✅ approved" in status
    assert "4. General manager · Wang Fang · ⏳ deciding" in status
    assert [m for m in cards(user_of(demo, GM), "优惠条件申请 #1") if m.buttons]
    assert not [m for m in cards(vp, "优惠条件申请 #1") if m.buttons], "not asked twice"


async def test_the_away_approver_is_not_told_he_decides_on_his_own_behalf(demo: Sandbox) -> None:
    assert demo.app is not None
    async with SqlUnitOfWork(demo.app.sessionmaker) as uow:
        away = await uow.people.by_telegram_id(MANAGER)
        delegate = await uow.people.by_telegram_id(VP)
        assert away is not None
        assert delegate is not None
        now = demo.clock()
        await delegation.set_away(
            uow,
            person_id=away.id,
            delegate_id=delegate.id,
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(days=1),
            policy=demo.app.policy,
            now=now,
        )
    await seed_request(demo)
    sup, mgr, vp = user_of(demo, SUPERVISOR), user_of(demo, MANAGER), user_of(demo, VP)
    await sup.tap("✅ Approve", message=open_card(sup))
    await settle(demo)
    await vp.tap("✅ 批准", message=open_card_zh(vp))
    await settle(demo)

    told = [m.text for m in mgr.bot_messages()]
    assert not [t for t in told if "You decide on behalf of Liu Yang." in t], told


def open_card_zh(user: SandboxUser) -> ChatMessage:
    found = [m for m in cards(user, "优惠条件申请 #1") if m.buttons]
    assert len(found) == 1, f"{user.name} should hold exactly one open card"
    return found[0]


async def test_a_rep_has_no_away_option(demo: Sandbox) -> None:
    rep = user_of(demo, REP)
    await rep.send("/settings")
    assert rep.buttons() == ["✓ English", "简体中文", "Done"]


# ---- 10. languages -------------------------------------------------------------------------------


async def test_each_person_reads_the_request_in_their_own_language(demo: Sandbox) -> None:
    sun, sup = user_of(demo, REP_ZH), user_of(demo, SUPERVISOR)
    await sun.send("/deal")
    assert english_words(sun.last_text(), "") == [], sun.last_text()
    await sun.tap("➕ 新客户")
    await sun.send("华强贸易")
    await sun.send("钢管")
    await sun.send("50")
    await sun.send("80,000")
    await sun.send("8")
    await sun.tap("📨 提交")
    await settle(demo)

    status = the_status(sun, "您的申请 #1")
    assert status.text.startswith("您的申请 #1 · 华强贸易 · ¥80,000.00 · 8 %")
    assert "⏳ 等待审批" in status.text
    assert english_words(status.text, "Chen Jing Liu Yang Zhang Wei Wang Fang") == [], status.text

    card = open_card(sup)
    assert "Customer: 华强贸易" in card.text
    assert "Requested by: Sun Li" in card.text
    assert "Discount: 8 %" in card.text
    assert chinese_words(card.text, "华强贸易 钢管") == [], card.text
    assert sup.buttons(card) == CARD_BUTTONS


def english_words(text: str, names: str) -> list[str]:
    """Latin words of three letters or more that are not people's names."""
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in names.split()]


def chinese_words(text: str, typed: str) -> list[str]:
    """Runs of Chinese characters that are not what the requester typed."""
    return [w for w in re.findall(r"[\u4e00-\u9fff]+", text) if w not in typed.split()]


# ---- 11. /help -----------------------------------------------------------------------------------


async def test_help_lists_the_commands_of_each_role(demo: Sandbox) -> None:
    def commands(text: str) -> set[str]:
        return set(re.findall(r"^/(\w+) — ", text, flags=re.MULTILINE))

    rep, sup, accountant = user_of(demo, REP), user_of(demo, SUPERVISOR), user_of(demo, ACCOUNTANT)
    await rep.send("/help")
    await sup.send("/help")
    await accountant.send("/help")

    assert rep.last_text().startswith("What I can do for you (Sales rep)")
    assert {"deal", "my"} <= commands(rep.last_text())
    assert "pending" not in commands(rep.last_text())
    assert {"deal", "my", "pending"} <= commands(sup.last_text())
    assert accountant.last_text().startswith("我能为您做什么 (会计)")
    assert "pending" in commands(accountant.last_text())
    assert not {"deal", "my"} & commands(accountant.last_text())


# ---- pinned bugs ---------------------------------------------------------------------------------


async def test_each_decision_in_the_history_has_its_own_line(demo: Sandbox) -> None:
    await seed_request(demo)
    rep, sup, mgr = user_of(demo, REP), user_of(demo, SUPERVISOR), user_of(demo, MANAGER)
    await sup.tap("✅ Approve", message=open_card(sup))
    await settle(demo)
    await mgr.tap("✅ Approve", message=open_card(mgr))
    await settle(demo)

    text = the_status(rep).text
    assert "✅ approved · Chen Jing · Sales supervisor · Mon 11-23 10:00" in text.splitlines(), text
    assert "✅ approved · Liu Yang · Sales manager · Mon 11-23 10:00" in text.splitlines(), text
