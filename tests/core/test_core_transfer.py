"""转交 (transfer): the decider hands the open step to someone allowed to decide it. Org
(fakes.make_org): Rob (rep) > Sue (supervisor) > Sam (sales manager) > Mia (marketing VP) >
Gus (GM); Sid is Sue's peer supervisor."""

from __future__ import annotations

from datetime import datetime

import pytest
from approval_fakes import HOUR, MINUTE, MONDAY_10, ApprovalUnitOfWork, one_request_world
from fakes import ADA, GUS, MIA, ROB, SAM, SID, SUE
from refusals import assert_refused

from bot.core.approvals import Decision, Moved, StepStatus
from bot.core.errors import AlreadyDecided, InvalidChange, NotAllowed, ReasonRequired
from bot.core.policy import Policy
from bot.core.usecases.approvals import decide
from bot.core.usecases.transfer import REASON_MAX, transfer, transfer_candidates

POLICY = Policy()
AT = MONDAY_10 + 10 * MINUTE


@pytest.fixture
async def uow() -> ApprovalUnitOfWork:
    return await one_request_world()


def open_steps(uow: ApprovalUnitOfWork) -> list[int]:
    return [s.id for s in uow.steps.of_request(1) if s.status is StepStatus.pending]


async def hand(
    uow: ApprovalUnitOfWork, actor: int = SUE, to: int = SID, reason: str = "on site with Acme"
) -> None:
    (step_id,) = open_steps(uow)
    await transfer(
        uow, step_id=step_id, actor_id=actor, to_id=to, reason=reason, policy=POLICY, now=AT
    )


async def approve(uow: ApprovalUnitOfWork, actor: int, now: datetime = AT + MINUTE) -> None:
    (step_id,) = open_steps(uow)
    await decide(
        uow,
        step_id=step_id,
        actor_id=actor,
        decision=Decision.approve,
        comment=None,
        policy=POLICY,
        now=now,
    )


async def test_candidates_are_the_same_role_or_trusted_above_never_requester_or_self(
    uow: ApprovalUnitOfWork,
) -> None:
    (step_id,) = open_steps(uow)
    people = await transfer_candidates(uow, step_id=step_id, actor_id=SUE, policy=POLICY, now=AT)
    ids = {p.id for p in people}
    assert ids == {SID, SAM, MIA, GUS}, "Sue's peer, and her line above; not Rob, Sue or Ada"


async def test_transfer_keeps_one_open_step_and_tells_everyone(uow: ApprovalUnitOfWork) -> None:
    await hand(uow)

    (step_id,) = open_steps(uow)
    step = uow.steps.rows[step_id]
    assert (step.approver_id, step.acting_id, step.moved) == (SUE, SID, Moved.transferred)
    assert uow.queued() == [
        (SUE, "approval_card"),
        (SID, "approval_card"),
        (ROB, "step_moved"),
        (ROB, "request_status"),
    ]
    old = uow.outbox.queued[0].notification
    assert old.edit_only
    assert old.params["transfer"] == {"by": "Sue", "to": "Sid", "reason": "on site with Acme"}
    assert uow.audit.actions() == ["transferred"]


async def test_after_a_transfer_only_the_new_decider_decides_once(
    uow: ApprovalUnitOfWork,
) -> None:
    await hand(uow)
    await assert_refused(uow, approve(uow, SUE), NotAllowed)
    await approve(uow, SID)

    first = uow.steps.of_request(1)[0]
    assert (first.status, first.decided_by) == (StepStatus.approved, SID)
    assert len(open_steps(uow)) == 1, "the next step opened: still exactly one open"
    await assert_refused(
        uow,
        decide(
            uow,
            step_id=first.id,
            actor_id=SID,
            decision=Decision.approve,
            comment=None,
            policy=POLICY,
            now=AT + HOUR,
        ),
        AlreadyDecided,
    )


@pytest.mark.parametrize("target", [ROB, SUE, ADA, 999])
async def test_a_forged_target_is_refused(uow: ApprovalUnitOfWork, target: int) -> None:
    await assert_refused(uow, hand(uow, to=target), NotAllowed)


@pytest.mark.parametrize("actor", [SID, SAM, MIA, GUS, ROB])
async def test_only_the_current_decider_transfers(uow: ApprovalUnitOfWork, actor: int) -> None:
    await assert_refused(uow, hand(uow, actor=actor, to=SAM), NotAllowed)


@pytest.mark.parametrize(
    ("reason", "error"), [("  ", ReasonRequired), ("x" * (REASON_MAX + 1), InvalidChange)]
)
async def test_the_reason_is_required_and_capped(
    uow: ApprovalUnitOfWork, reason: str, error: type[Exception]
) -> None:
    await assert_refused(uow, hand(uow, reason=reason), error)


async def test_a_decision_at_the_same_moment_wins_over_the_transfer(
    uow: ApprovalUnitOfWork,
) -> None:
    (step_id,) = open_steps(uow)
    uow.steps.decided_elsewhere[step_id] = (SUE, AT)  # Sue approved on her phone meanwhile
    with pytest.raises(NotAllowed):
        await hand(uow)
    step = uow.steps.rows[step_id]
    assert (step.status, step.decided_by, step.acting_id) == (StepStatus.approved, SUE, None)
    assert "transferred" not in uow.audit.actions()


async def test_the_new_decider_may_transfer_on_up_the_line(uow: ApprovalUnitOfWork) -> None:
    await hand(uow)
    await hand(uow, actor=SID, to=SAM, reason="Sam knows this customer")
    (step_id,) = open_steps(uow)
    assert uow.steps.rows[step_id].acting_id == SAM


async def test_a_transfer_just_before_the_old_deciders_tap_wins(uow: ApprovalUnitOfWork) -> None:
    (step_id,) = open_steps(uow)
    assert await uow.steps.claim_transfer(step_id, seen_acting=None, to_id=SID)
    assert not await uow.steps.claim_transfer(step_id, seen_acting=None, to_id=SAM), "once"
    claim = {"status": StepStatus.approved, "comment": None, "now": AT}
    assert not await uow.steps.claim_decision(step_id, actor_id=SUE, **claim)  # type: ignore[arg-type]
    assert await uow.steps.claim_decision(step_id, actor_id=SID, **claim)  # type: ignore[arg-type]
