"""Regression (issue 7, "screens can outgrow Telegram"), end to end through the emulator, which
refuses a text over 4,096 characters exactly as Telegram does.

Before: a weekly plan of 13 visits with 200-character purposes rendered 4,145 characters; the
rep who added the visit was told "Nothing was changed" although it was saved, and /plan failed
from then on (not even a visit could be removed). A request returned and resubmitted six times
with long fields and reasons rendered a 4,265-character card: it never reached the approver,
/pending failed on it, and the requester was told it was on its way.
After: the plan is paged, the manager's card lists a dozen shortened visits and "… and N more",
the approval card and status message show the latest decisions and count the earlier ones, and
/pending and /my show every decision page by page.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from harness import Sandbox
from sqlalchemy import select
from test_approval_flows_e2e import open_card, settle, the_status, user_of

from bot.core.approvals import Decision, StepStatus
from bot.core.calendar import local
from bot.core.customers import OUTCOME_MAX, VisitDraft
from bot.core.deals import (
    AMOUNT_MAX,
    COMMENT_MAX,
    CUSTOMER_NAME_MAX,
    NOTE_MAX,
    PAYMENT_TERMS_MAX,
    PRODUCT_MAX,
    DealTerms,
)
from bot.core.models import NAME_MAX
from bot.core.plans import LOG_NOTE_MAX, MAX_PLAN_ITEMS, PURPOSE_MAX
from bot.core.roles import Role
from bot.core.usecases import approvals, customers, plans
from botapi_emulator._html import utf16_len
from botapi_emulator._models import ChatMessage
from botapi_emulator.driver import SandboxUser
from storage.tables import OutboxRow
from storage.uow import SqlUnitOfWork

ADMIN, GM, VP, MANAGER, SUPERVISOR, REP = range(1000, 1006)
EVERYONE = (ADMIN, GM, VP, MANAGER, SUPERVISOR, REP)
LIMIT = 4096
PAGE = re.compile(r"page (\d+) of (\d+)")


def longest(label: str, limit: int) -> str:
    return (label + " " + "x" * limit)[:limit]


CUSTOMER = longest("Longest Name Trading", CUSTOMER_NAME_MAX)


def screen(user: SandboxUser) -> str:
    """The text of the open form (a refusal may have come below it)."""
    form = user.keyboard_message()
    assert form is not None
    return form.text


def page_of(text: str) -> tuple[int, int]:
    found = PAGE.search(text)
    assert found, f"no page number in:\n{text}"
    return int(found[1]), int(found[2])


async def nothing_refused(demo: Sandbox) -> None:
    """No chat was told something went wrong, every message fits, and no outbox message was
    given up on."""
    for chat in EVERYONE:
        for message in demo.emulator.transcript(chat):
            assert "Something went wrong" not in message.text, message.text
            assert "could not show" not in message.text, message.text
            assert utf16_len(message.text) <= LIMIT
    assert demo.app is not None
    async with demo.app.sessionmaker() as session:
        failed = (
            await session.scalars(select(OutboxRow).where(OutboxRow.status == "failed"))
        ).all()
    assert not failed, [(row.template, row.error) for row in failed]


# ---- the weekly plan --------------------------------------------------------------------------


async def seed_plan(demo: Sandbox, items: int) -> None:
    """Zhao Lei's plan for next week with `items` visits, each purpose at its longest, to a
    customer whose name is at its longest."""
    assert demo.app is not None
    app = demo.app
    async with SqlUnitOfWork(app.sessionmaker, on_commit=app.sender.wake) as uow:
        rep = await uow.people.by_telegram_id(REP)
        assert rep is not None
        customer = await customers.quick_add(uow, owner_id=rep.id, name=CUSTOMER, now=demo.clock())
        plan = await plans.my_plan(uow, actor_id=rep.id, policy=app.policy, now=demo.clock())
        for n in range(items):
            await uow.plans.add_item(
                plan.id,
                customer_id=customer.id,
                day=plan.week + timedelta(days=n % 6),
                purpose=longest(f"Purpose {n:02}", PURPOSE_MAX),
            )
        await uow.commit()
    await demo.outbox_idle()


async def add_visit(rep: SandboxUser, purpose: str) -> None:
    await rep.tap("➕ Add a visit")
    await rep.tap(CUSTOMER)
    await rep.tap("Tue 12-01")
    await rep.send(purpose)


async def test_regression_a_plan_with_the_maximum_items_and_lengths_stays_usable(
    demo: Sandbox,
) -> None:
    rep, supervisor = user_of(demo, REP), user_of(demo, SUPERVISOR)
    await seed_plan(demo, MAX_PLAN_ITEMS - 1)

    await rep.send("/plan")
    first = rep.last_text()
    assert "Weekly plan of Zhao Lei" in first
    assert "59 visits planned" in first
    page, pages = page_of(first)
    assert page == 1
    assert pages > 5, "a page holds what fits"
    await rep.tap("Next ▶")
    assert page_of(rep.last_text()) == (2, pages)
    assert "Purpose 00" not in rep.last_text()

    last_purpose = longest("The sixtieth visit", PURPOSE_MAX)
    await add_visit(rep, last_purpose)
    assert "60 visits planned" in rep.last_text()
    await add_visit(rep, "One too many")
    assert "A weekly plan holds at most 60 visits." in [m.text for m in rep.bot_messages()]
    await rep.tap("◀ Back to the plan")
    assert "60 visits planned" in screen(rep)

    await rep.tap("🗑 Remove a visit")
    assert screen(rep) == "Tap a visit to remove it:"
    await rep.tap(re.compile(r"✖ Mon · .*"))
    assert "59 visits planned" in screen(rep)

    await rep.tap("📨 Submit the plan")
    await settle(demo)
    assert (rep.last_callback_answer() or {}).get("text") == "Submitted. Your manager has it."
    card = supervisor.last()
    assert card.text.startswith("Weekly plan of Zhao Lei")
    assert "… and 47 more · all of them in /plan → 👥 Team plans and targets" in card.text
    assert supervisor.buttons(card)[:1] == ["✅ Approve"]

    await supervisor.send("/plan")
    await supervisor.tap("👥 Team plans and targets")
    await supervisor.tap(re.compile(r"📨 Zhao Lei · 59"))
    assert page_of(supervisor.last_text())[0] == 1
    await supervisor.tap("Next ▶")
    assert page_of(supervisor.last_text())[0] == 2
    await supervisor.tap("✅ Approve")
    await settle(demo)
    assert "approved your plan" in rep.last_text()
    await nothing_refused(demo)


async def broken_screen(*_args: object, **_kwargs: object) -> object:
    raise RuntimeError("the screen cannot be shown")


async def test_regression_a_change_saved_before_the_screen_failed_is_not_called_unchanged(
    demo: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: the rep's visit was saved, then showing the plan failed, and the rep read
    "Nothing was changed; please try again" (and added it twice). After: the error handler
    knows the update's work was committed and says so."""
    rep = user_of(demo, REP)
    await seed_plan(demo, 1)
    await rep.send("/plan")
    await rep.tap("➕ Add a visit")
    await rep.tap(CUSTOMER)
    await rep.tap("Tue 12-01")

    monkeypatch.setattr(plans, "plan_params", broken_screen)
    await rep.send("Saved, then the screen broke")
    monkeypatch.undo()

    told = [m.text for m in rep.bot_messages()]
    assert told[-1] == (
        "Your change was saved, but I could not show the result. Send the command again to see it."
    )
    assert not any("Nothing was changed" in text for text in told)
    await rep.send("/plan")
    assert "Saved, then the screen broke" in rep.last_text()


async def test_regression_an_error_before_anything_was_saved_still_says_nothing_changed(
    demo: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rep = user_of(demo, REP)
    await seed_plan(demo, 1)  # the draft exists: opening /plan writes nothing
    monkeypatch.setattr(plans, "plan_params", broken_screen)
    await rep.send("/plan")
    assert rep.last_text() == (
        "Something went wrong on my side. Nothing was changed; please try again."
    )


async def test_regression_a_long_work_log_is_paged(demo: Sandbox) -> None:
    """Any number of visits a day, each outcome at its longest, and the longest note."""
    assert demo.app is not None
    async with SqlUnitOfWork(demo.app.sessionmaker) as uow:
        rep = await uow.people.by_telegram_id(REP)
        assert rep is not None
        customer = await customers.quick_add(uow, owner_id=rep.id, name=CUSTOMER, now=demo.clock())
        today = local(demo.clock(), demo.app.policy).date()
        for n in range(20):
            draft = VisitDraft(
                customer.id, "first", today, longest(f"Outcome {n}", OUTCOME_MAX), "high"
            )
            await uow.visits.add(draft, rep_id=rep.id, now=demo.clock(), distance_m=None, far=False)
        await uow.commit()
    rep_chat = user_of(demo, REP)
    await rep_chat.send("/plan")
    await rep_chat.tap("📓 Today's work log")
    await rep_chat.send(longest("My note", LOG_NOTE_MAX))
    page, pages = page_of(screen(rep_chat))
    assert page == 1
    assert pages > 2, "twenty long visits do not fit one message"
    for expected in range(2, pages + 1):
        await rep_chat.tap("Next ▶")
        assert page_of(screen(rep_chat)) == (expected, pages)
        assert "Note: My note" in screen(rep_chat)
    assert "Outcome 19" in screen(rep_chat)
    await nothing_refused(demo)


async def test_regression_a_large_team_tree_is_paged(demo: Sandbox) -> None:
    """Eighty people with names at their longest, in a deep line, as the admin sees them."""
    assert demo.app is not None
    async with SqlUnitOfWork(demo.app.sessionmaker) as uow:
        boss = await uow.people.by_telegram_id(MANAGER)
        assert boss is not None
        above = boss.id
        for n in range(80):
            person = await uow.people.add(
                telegram_id=5000 + n,
                full_name=longest(f"Member {n:02}", NAME_MAX),
                role=Role.rep if n % 10 else Role.supervisor,
                reports_to=above,
                language="en",
                joined_at=demo.clock(),
            )
            above = person.id if n % 10 == 0 else above
        await uow.commit()
    admin = user_of(demo, ADMIN)
    await admin.send("/team")
    page, pages = page_of(screen(admin))
    assert page == 1
    assert pages > 1, "eighty long names do not fit one message"
    await admin.tap("Next ▶")
    assert page_of(screen(admin)) == (2, pages)
    await nothing_refused(demo)


# ---- a request returned six times --------------------------------------------------------------

TERMS = {
    "product": longest("Product", PRODUCT_MAX),
    "quantity": Decimal("999999999999.999"),
    "amount": AMOUNT_MAX,
    "discount": Decimal("99.99"),
    "payment_terms": longest("Payment terms", PAYMENT_TERMS_MAX),
    "deposit": AMOUNT_MAX,
    "note": longest("Note", NOTE_MAX),
}


def reason(round_: int) -> str:
    return longest(f"Reason of round {round_}", COMMENT_MAX)


async def seed_longest_request(demo: Sandbox) -> None:
    assert demo.app is not None
    app = demo.app
    async with SqlUnitOfWork(app.sessionmaker, on_commit=app.sender.wake) as uow:
        requester = await uow.people.by_telegram_id(REP)
        assert requester is not None
        customer = await customers.quick_add(
            uow, owner_id=requester.id, name=CUSTOMER, now=demo.clock()
        )
        await approvals.submit(
            uow,
            requester_id=requester.id,
            terms=DealTerms(customer_id=customer.id, **TERMS),
            policy=app.policy,
            now=demo.clock(),
        )
    await demo.outbox_idle()


async def approve_as(demo: Sandbox, telegram_id: int) -> None:
    """The open step of request #1, approved by its approver (as a tap on the card would)."""
    assert demo.app is not None
    app = demo.app
    async with SqlUnitOfWork(app.sessionmaker, on_commit=app.sender.wake) as uow:
        person = await uow.people.by_telegram_id(telegram_id)
        assert person is not None
        [step] = [s for s in await uow.steps.for_request(1) if s.status is StepStatus.pending]
        await approvals.decide(
            uow,
            step_id=step.id,
            actor_id=person.id,
            decision=Decision.approve,
            comment=None,
            policy=app.policy,
            now=demo.clock(),
        )
    await demo.outbox_idle()


def fits(message: ChatMessage) -> ChatMessage:
    assert utf16_len(message.text) <= LIMIT
    return message


async def test_regression_a_request_at_every_fields_maximum_survives_six_rounds_of_return(
    demo: Sandbox,
) -> None:
    rep, sup, gm = user_of(demo, REP), user_of(demo, SUPERVISOR), user_of(demo, GM)
    await seed_longest_request(demo)

    for round_ in range(1, 7):
        card = fits(open_card(sup))
        assert CUSTOMER in card.text
        assert (f"round {round_}" in card.text) == (round_ > 1)
        await approve_as(demo, SUPERVISOR)
        await approve_as(demo, MANAGER)
        await approve_as(demo, VP)
        demo.clock.advance(minutes=5)

        await gm.send("/pending")  # Wang Fang reads Chinese
        await gm.tap(re.compile(r"#1 .*"))
        assert gm.last_text().startswith("优惠条件申请 #1")
        assert (f"第 {round_} 轮" in gm.last_text()) == (round_ > 1)
        assert "⏰ 请于" in gm.last_text()
        await gm.tap("↩️ 退回修改")
        await gm.send(reason(round_))
        await settle(demo)
        status = fits(the_status(rep))
        assert "↩️ Returned for changes" in status.text

        await rep.send("/my")
        await rep.tap(re.compile(r"↩️ #1 .*"))
        assert rep.last_text().startswith("Your request #1")
        await rep.tap("✏️ Edit and send again")
        await rep.tap("📨 Submit")
        await settle(demo)
        assert rep.last_text().startswith("Request #1 is on its way: Chen Jing decides first.")

    card = fits(open_card(sup))
    assert card.text.startswith("Special terms request #1 · round 7")
    assert reason(6) in card.text, "the latest return reason in full"
    assert "… 21 earlier entries (the full history is in /pending)" in card.text
    status = fits(the_status(rep))
    assert "⏳ Awaiting approval" in status.text
    assert "(the full history is in /my)" in status.text

    await sup.send("/pending")
    await sup.tap(re.compile(r"#1 .*"))
    assert sup.last_text() == card.text, "the card in /pending reads as the one in the chat"
    await sup.tap("📜 Every decision")
    shown = [sup.last_text()]
    _page, pages = page_of(shown[0])
    for _ in range(pages - 1):
        await sup.tap("Next ▶")
        shown.append(sup.last_text())
    assert all(reason(n) in "\n".join(shown) for n in range(1, 7)), "every reason, in full"
    await sup.tap("◀ Back to the request")
    await sup.tap("✅ Approve")
    await settle(demo)
    assert "✅ approved · Chen Jing" in the_status(rep).text

    await rep.send("/my")
    await rep.tap(re.compile(r"⏳ #1 .*"))
    await rep.tap("📜 Every decision")
    assert page_of(rep.last_text())[0] == 1
    await nothing_refused(demo)
