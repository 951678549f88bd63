"""催办 (urge): the requester nudges whoever decides the open step now, once per interval,
apart from the deadline reminders. Org (fakes.make_org): Rob (rep) > Sue (supervisor) > Sam
(sales manager) > Mia > Gus; Sid is Sue's peer supervisor and her delegate when she is away."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from approval_fakes import HOUR, MINUTE, MONDAY_10, ApprovalUnitOfWork, one_request_world
from fakes import ROB, SAM, SID, SUE
from refusals import assert_refused

from bot.core.approvals import Decision, StepStatus, UrgeTooSoon, next_urge_at
from bot.core.errors import NotAllowed, NotFound
from bot.core.policy import Policy
from bot.core.usecases.approvals import decide, withdraw
from bot.core.usecases.delegation import set_away
from bot.core.usecases.reminders import sweep_deadlines
from bot.core.usecases.urge import urge

POLICY = Policy()  # urge_interval_minutes = 60
AT = MONDAY_10 + 10 * MINUTE


@pytest.fixture
async def uow() -> ApprovalUnitOfWork:
    return await one_request_world()


def open_step(uow: ApprovalUnitOfWork) -> int:
    return next(s.id for s in uow.steps.of_request(1) if s.status is StepStatus.pending)


async def urge_now(uow: ApprovalUnitOfWork, at: datetime = AT, actor: int = ROB) -> str:
    return await urge(uow, request_id=1, actor_id=actor, policy=POLICY, now=at)


def test_the_next_urge_comes_one_interval_after_the_last() -> None:
    assert next_urge_at(None, 60) is None
    assert next_urge_at(MONDAY_10, 60) == MONDAY_10 + HOUR


async def test_the_requester_urges_the_decider_and_the_audit_says_who(
    uow: ApprovalUnitOfWork,
) -> None:
    assert await urge_now(uow) == "Sue"

    assert uow.queued() == [(SUE, "step_urged")]
    message = uow.last_to(SUE, "step_urged")
    assert (message.params["urged_by"], message.params["request_id"]) == ("Rob", 1)
    assert uow.audit.actions()[-1] == "urged"
    assert uow.audit.entries[-1].actor_id == ROB
    assert uow.steps.rows[open_step(uow)].urged_at == AT


async def test_the_urge_goes_to_the_delegate_who_decides_now(uow: ApprovalUnitOfWork) -> None:
    await set_away(
        uow,
        person_id=SUE,
        delegate_id=SID,
        starts_at=MONDAY_10,
        ends_at=MONDAY_10 + 48 * HOUR,
        policy=POLICY,
        now=MONDAY_10,
    )
    uow.clear_outbox()

    assert await urge_now(uow) == "Sid"
    assert uow.queued() == [(SID, "step_urged")]


@pytest.mark.parametrize("later", [MINUTE, 59 * MINUTE + timedelta(seconds=59)])
async def test_a_second_urge_within_the_interval_is_refused_saying_when(
    uow: ApprovalUnitOfWork, later: timedelta
) -> None:
    await urge_now(uow)
    error = await assert_refused(uow, urge_now(uow, AT + later), UrgeTooSoon)
    assert error.again_at == AT + HOUR


async def test_the_urge_is_allowed_again_exactly_one_interval_later(
    uow: ApprovalUnitOfWork,
) -> None:
    await urge_now(uow)
    uow.clear_outbox()
    await urge_now(uow, AT + HOUR)
    assert uow.queued() == [(SUE, "step_urged")]


async def test_the_interval_is_per_step_so_the_next_approver_can_be_urged_at_once(
    uow: ApprovalUnitOfWork,
) -> None:
    await urge_now(uow)
    await decide(
        uow,
        step_id=open_step(uow),
        actor_id=SUE,
        decision=Decision.approve,
        comment=None,
        policy=POLICY,
        now=AT + MINUTE,
    )
    uow.clear_outbox()
    assert await urge_now(uow, AT + 2 * MINUTE) == "Sam"
    assert uow.queued() == [(SAM, "step_urged")]


@pytest.mark.parametrize("actor", [SUE, SID, SAM])
async def test_only_the_requester_may_urge(uow: ApprovalUnitOfWork, actor: int) -> None:
    await assert_refused(uow, urge_now(uow, actor=actor), NotFound)


async def test_a_closed_request_cannot_be_urged(uow: ApprovalUnitOfWork) -> None:
    await withdraw(uow, request_id=1, actor_id=ROB, now=AT)
    await assert_refused(uow, urge_now(uow, AT + MINUTE), NotAllowed)


async def test_two_taps_at_once_send_one_urge(uow: ApprovalUnitOfWork) -> None:
    uow.steps.urged_elsewhere[open_step(uow)] = AT  # the other tap claimed it first
    with pytest.raises(UrgeTooSoon) as refused:
        await urge_now(uow)
    assert refused.value.again_at == AT + HOUR
    assert uow.queued() == []
    assert "urged" not in uow.audit.actions()


async def test_an_urge_counts_against_nothing_of_the_reminders(uow: ApprovalUnitOfWork) -> None:
    before = uow.steps.rows[open_step(uow)]
    await urge_now(uow)
    after = uow.steps.rows[open_step(uow)]
    assert (after.reminders_sent, after.next_nudge_at, after.due_at) == (
        before.reminders_sent,
        before.next_nudge_at,
        before.due_at,
    )
    uow.clear_outbox()
    await sweep_deadlines(uow, policy=POLICY, now=before.next_nudge_at or AT)
    assert (SUE, "step_reminder") in uow.queued()  # the deadline's reminder still comes
