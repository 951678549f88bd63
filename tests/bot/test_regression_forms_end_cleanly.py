"""Forms opened from notification buttons end cleanly when their action has become impossible,
and a second tap does not stack a second form."""

from __future__ import annotations

from feed import MANAGER, REP, SUPERVISOR, Fed
from harness import FakeClock

from bot.core.approvals import StepStatus
from bot.core.usecases import approvals, customer_register, customers, plans

REJECT_PROMPT = "Why do you reject request #1"
NOW = FakeClock()()


async def ids(fed: Fed, *telegram_ids: int) -> list[int]:
    async with fed.uow() as uow:
        people = [await uow.people.by_telegram_id(t) for t in telegram_ids]
    return [p.id for p in people if p is not None]


async def open_step(fed: Fed) -> int:
    """The supervisor's step on the demo's 12 % request #1."""
    (supervisor,) = await ids(fed, SUPERVISOR)
    async with fed.uow() as uow:
        (step,) = await uow.steps.open_for(supervisor)
    return step.id


async def dragon(fed: Fed) -> int:
    """Golden Dragon Pipes: Zhao Lei's prospect, waiting for the supervisor's confirmation."""
    (rep,) = await ids(fed, REP)
    async with fed.uow() as uow:
        (customer,) = await customers.visible_customers(uow, rep, "Golden Dragon")
    return customer.id


def prompts(fed: Fed, user_id: int, start: str) -> list[str]:
    return [m.text or "" for m in fed.windows(user_id) if (m.text or "").startswith(start)]


async def test_regression_a_reason_typed_for_a_withdrawn_request_closes_the_form(
    fed: Fed,
) -> None:
    """Before: the reason for a request withdrawn meanwhile got "This request is closed", and
    every later message got the same answer until /cancel: the form stayed open. After: one
    sentence, the form is closed, the next message is handled as any other."""
    step = await open_step(fed)
    await fed.tap(SUPERVISOR, f"ap:{step}:r")
    assert fed.window(SUPERVISOR).text.startswith(REJECT_PROMPT)
    (rep,) = await ids(fed, REP)
    async with fed.uow() as uow:
        request_id = (await uow.steps.get(step)).request_id  # type: ignore[union-attr]
        await approvals.withdraw(uow, request_id=request_id, actor_id=rep, now=NOW)

    await fed.send(SUPERVISOR, "Price too low for this volume")
    assert fed.replies(SUPERVISOR)[-1] == (
        "This request was withdrawn meanwhile; nothing was recorded."
    )
    async with fed.uow() as uow:
        decided = await uow.steps.get(step)
    assert decided is not None
    assert (decided.status, decided.decided_by, decided.comment) == (
        StepStatus.cancelled,
        None,
        None,
    )

    assert await fed.typed_outside_a_form(SUPERVISOR), "the form is closed"


async def test_a_reason_for_a_request_decided_meanwhile_says_by_whom(fed: Fed) -> None:
    step = await open_step(fed)
    await fed.tap(SUPERVISOR, f"ap:{step}:c")
    (supervisor,) = await ids(fed, SUPERVISOR)
    async with fed.uow() as uow:
        await approvals.decide(
            uow,
            step_id=step,
            actor_id=supervisor,
            decision=approvals.Decision.approve,
            comment=None,
            policy=fed.app.policy,
            now=NOW,
        )

    await fed.send(SUPERVISOR, "Lower the discount")
    assert fed.replies(SUPERVISOR)[-1] == "Already decided by Chen Jing at Mon 11-23 10:00."
    assert await fed.typed_outside_a_form(SUPERVISOR)


async def test_regression_two_taps_on_reject_open_one_form(fed: Fed) -> None:
    """Before: two quick taps on Reject opened two reason forms; after the first reason decided,
    the second question was still waiting. After: the second tap opens nothing; one reason
    decides and the form is gone."""
    step = await open_step(fed)
    await fed.tap(SUPERVISOR, f"ap:{step}:r")
    second = await fed.tap(SUPERVISOR, f"ap:{step}:r")

    assert len(prompts(fed, SUPERVISOR, REJECT_PROMPT)) == 1
    answer = fed.answer(second)
    assert answer is not None
    assert (answer.text, answer.show_alert) == ("This form is already open below.", None)

    await fed.send(SUPERVISOR, "Price too low for this volume")
    assert fed.replies(SUPERVISOR)[-1] == "Rejected. The requester has been told."
    assert await fed.typed_outside_a_form(SUPERVISOR), "no second question waits"
    assert len(prompts(fed, SUPERVISOR, REJECT_PROMPT)) == 1


async def test_return_after_reject_replaces_the_question(fed: Fed) -> None:
    step = await open_step(fed)
    await fed.tap(SUPERVISOR, f"ap:{step}:r")
    await fed.tap(SUPERVISOR, f"ap:{step}:c")
    assert fed.window(SUPERVISOR).text.startswith("What should change in request #1")

    await fed.send(SUPERVISOR, "Lower the discount")
    assert fed.replies(SUPERVISOR)[-1] == "Returned for changes. The requester has been told."
    assert await fed.typed_outside_a_form(SUPERVISOR), "the reject question is gone too"


async def test_a_plan_comment_for_a_plan_changed_meanwhile_closes_the_form(fed: Fed) -> None:
    (rep,) = await ids(fed, REP)
    policy = fed.app.policy
    async with fed.uow() as uow:
        plan = await plans.my_plan(uow, actor_id=rep, policy=policy, now=NOW)
        await plans.set_goals(uow, actor_id=rep, plan_id=plan.id, goals="Three new buyers")
        await plans.submit(uow, actor_id=rep, plan_id=plan.id, policy=policy, now=NOW)
    await fed.tap(SUPERVISOR, f"pl:{plan.id}:c")
    assert fed.window(SUPERVISOR).text.startswith("Type your comment")
    async with fed.uow() as uow:  # the rep changes the plan: it is a draft again
        await plans.set_goals(uow, actor_id=rep, plan_id=plan.id, goals="Four new buyers")

    await fed.send(SUPERVISOR, "Good plan")
    assert fed.replies(SUPERVISOR)[-1] == "This plan is not waiting for a review."
    assert await fed.typed_outside_a_form(SUPERVISOR)


async def test_a_prospect_rejection_for_a_prospect_rejected_meanwhile_ends_on_the_card(
    fed: Fed,
) -> None:
    customer = await dragon(fed)
    await fed.tap(SUPERVISOR, f"cu:{customer}")
    await fed.click(SUPERVISOR, "❌ Reject")
    await fed.click(SUPERVISOR, "It is a duplicate")
    assert fed.window(SUPERVISOR).text.startswith("A word for the rep")
    (manager,) = await ids(fed, MANAGER)
    async with fed.uow() as uow:  # the supervisor's manager rejects it first
        await customer_register.reject(
            uow,
            actor_id=manager,
            customer_id=customer,
            reason="invalid",
            comment="No such firm",
            now=NOW,
        )

    await fed.send(SUPERVISOR, "We have it twice")
    assert fed.replies(SUPERVISOR)[-1] == ("This customer is no longer a prospect waiting for you.")
    card = fed.window(SUPERVISOR)
    assert "Golden Dragon Pipes" in (card.text or "")
    assert card.reply_markup is not None
    labels = [b.text for row in card.reply_markup.inline_keyboard for b in row]
    assert "❌ Reject" not in labels, "the card as it is now: nothing left to reject"

    await fed.send(SUPERVISOR, "Hello?")
    assert fed.replies(SUPERVISOR)[-1] == (
        "Please choose with the buttons below, or send /cancel to leave."
    ), "the card's own answer to typing, not the refusal again"


async def test_two_taps_on_open_the_customer_show_one_card(fed: Fed) -> None:
    customer = await dragon(fed)
    await fed.tap(SUPERVISOR, f"cu:{customer}")
    second = await fed.tap(SUPERVISOR, f"cu:{customer}")

    cards = [m for m in fed.windows(SUPERVISOR) if "Golden Dragon Pipes" in (m.text or "")]
    assert len(cards) == 1
    answer = fed.answer(second)
    assert answer is not None
    assert answer.text == "This form is already open below."
