"""Approve with an opinion (签署意见): the approver types an opinion, it is signed with the
approval and shown in the request's history; a plain Approve still takes one tap."""

from __future__ import annotations

from feed import SUPERVISOR, Fed

from bot.core.approvals import StepStatus

OPINION = "Good customer, the volume justifies it."


async def open_step(fed: Fed) -> int:
    async with fed.uow() as uow:
        supervisor = await uow.people.by_telegram_id(SUPERVISOR)
        assert supervisor is not None
        (step,) = await uow.steps.open_for(supervisor.id)
    return step.id


async def test_an_opinion_is_asked_then_signed_with_the_approval(fed: Fed) -> None:
    step = await open_step(fed)

    await fed.tap(SUPERVISOR, f"ap:{step}:o")
    assert fed.window(SUPERVISOR).text.startswith("Your opinion on request #1")
    await fed.send(SUPERVISOR, OPINION)

    assert fed.replies(SUPERVISOR)[-1] == "Approved ✅, with your opinion."
    async with fed.uow() as uow:
        decided = await uow.steps.get(step)
    assert decided is not None
    assert (decided.status, decided.comment) == (StepStatus.approved, OPINION)


async def test_an_over_long_opinion_is_asked_again_and_nothing_is_decided(fed: Fed) -> None:
    step = await open_step(fed)
    await fed.tap(SUPERVISOR, f"ap:{step}:o")

    await fed.send(SUPERVISOR, "x" * 501)

    assert fed.replies(SUPERVISOR)[-1] == "That is 501 characters; please keep it to 500."
    async with fed.uow() as uow:
        waiting = await uow.steps.get(step)
    assert waiting is not None
    assert (waiting.status, waiting.comment) == (StepStatus.pending, None)


async def test_a_forged_action_code_is_refused(fed: Fed) -> None:
    step = await open_step(fed)
    await fed.tap(SUPERVISOR, f"ap:{step}:x")
    async with fed.uow() as uow:
        waiting = await uow.steps.get(step)
    assert waiting is not None
    assert waiting.status is StepStatus.pending
