"""加签 (add an approver): the decider asks a colleague to review the request before or after
them. Org (fakes.make_org): Rob (rep) > Sue (supervisor) > Sam (sales manager) > Mia
(marketing VP) > Gus (GM); Sid is Sue's peer; Fay (finance VP) > Ace (accountant)."""

from __future__ import annotations

from datetime import datetime

import pytest
from approval_fakes import HOUR, MINUTE, MONDAY_10, ApprovalUnitOfWork, one_request_world
from fakes import ACE, ADA, FAY, GUS, ROB, SAM, SID, SUE
from refusals import assert_refused

from bot.core.approvals import Decision, RequestStatus, StepStatus
from bot.core.errors import InvalidChange, NotAllowed, ReasonRequired
from bot.core.policy import Policy
from bot.core.usecases.add_approver import (
    MAX_ADDED,
    Placement,
    add_approver,
    add_candidates,
)
from bot.core.usecases.approvals import decide
from bot.core.usecases.transfer import REASON_MAX, transfer

POLICY = Policy()
AT = MONDAY_10 + 10 * MINUTE


@pytest.fixture
async def uow() -> ApprovalUnitOfWork:
    return await one_request_world()


def open_steps(uow: ApprovalUnitOfWork) -> list[int]:
    return [s.id for s in uow.steps.of_request(1) if s.status is StepStatus.pending]


def chain(uow: ApprovalUnitOfWork) -> list[tuple[int, str]]:
    return [(s.approver_id, s.status.value) for s in uow.steps.of_request(1)]


async def add(
    uow: ApprovalUnitOfWork,
    placement: Placement,
    actor: int = SUE,
    person: int = FAY,
    reason: str = "check the payment terms",
) -> None:
    (step_id,) = open_steps(uow)
    await add_approver(
        uow,
        step_id=step_id,
        actor_id=actor,
        person_id=person,
        placement=placement,
        reason=reason,
        policy=POLICY,
        now=AT,
    )


async def tap(
    uow: ApprovalUnitOfWork,
    actor: int,
    decision: Decision = Decision.approve,
    now: datetime = AT + MINUTE,
) -> None:
    (step_id,) = open_steps(uow)
    comment = None if decision is Decision.approve else "not at this price"
    await decide(
        uow,
        step_id=step_id,
        actor_id=actor,
        decision=decision,
        comment=comment,
        policy=POLICY,
        now=now,
    )


async def test_candidates_are_reviewers_not_on_the_way_up(uow: ApprovalUnitOfWork) -> None:
    (step_id,) = open_steps(uow)
    people = await add_candidates(uow, step_id=step_id, actor_id=SUE, policy=POLICY, now=AT)
    ids = {p.id for p in people}
    on_the_way = {s.approver_id for s in uow.steps.of_request(1)}
    assert {SID, FAY, ACE} <= ids
    assert not ids & ({ROB, SUE, ADA} | on_the_way), "not the requester, self, admin or chain"


async def test_before_holds_the_step_and_the_reviewer_decides_first(
    uow: ApprovalUnitOfWork,
) -> None:
    rest = chain(uow)[1:]
    await add(uow, Placement.before)

    assert chain(uow) == [(FAY, "pending"), (SUE, "waiting"), *rest], "one open step"
    held = uow.steps.of_request(1)[1]
    assert (held.due_at, held.next_nudge_at) == (None, None), "no reminders while held"
    assert uow.queued() == [
        (SUE, "approval_card"),
        (FAY, "approval_card"),
        (ROB, "step_moved"),
        (ROB, "request_status"),
    ]
    sue_card = uow.outbox.queued[0].notification
    assert sue_card.edit_only
    assert sue_card.params["handed_over"]
    fay_card = uow.outbox.queued[1].notification.params
    assert fay_card["step"]["reason"]["by"] == "Sue", "the card names who asked, not an id"
    assert uow.audit.actions() == ["approver_added"]

    await assert_refused(uow, tap(uow, SUE), NotAllowed)  # her step waits for Fay now
    uow.clear_outbox()
    await tap(uow, FAY)
    assert chain(uow)[:2] == [(FAY, "approved"), (SUE, "pending")]
    assert (SUE, "step_back") in uow.queued(), "told it is back: the card only edits in place"
    await tap(uow, SUE, now=AT + HOUR)
    assert chain(uow)[2][1] == "pending", "then the chain goes on as before"


async def test_after_keeps_the_deciders_step_open_and_inserts_next(
    uow: ApprovalUnitOfWork,
) -> None:
    rest = chain(uow)[1:]
    await add(uow, Placement.after)

    assert chain(uow) == [(SUE, "pending"), (FAY, "waiting"), *rest]
    sue_card = uow.outbox.queued[0].notification
    assert sue_card.params["added"]["to"] == "Fay"
    assert not sue_card.params["handed_over"]
    await tap(uow, SUE)
    assert chain(uow)[:2] == [(SUE, "approved"), (FAY, "pending")]
    await tap(uow, FAY, now=AT + HOUR)
    assert chain(uow)[2][1] == "pending"


async def test_a_rejection_by_the_added_reviewer_closes_and_tells_who_asked(
    uow: ApprovalUnitOfWork,
) -> None:
    await add(uow, Placement.before)
    uow.clear_outbox()
    await tap(uow, FAY, Decision.reject)

    assert uow.requests[1].status is RequestStatus.rejected
    assert [s for _, s in chain(uow)][:2] == ["rejected", "cancelled"]
    assert (SUE, "request_settled") in uow.queued(), "Sue's step closed undecided: she hears"
    sue_card = [
        n.notification
        for n in uow.outbox.queued
        if n.notification.recipient_id == SUE and n.notification.template == "approval_card"
    ]
    assert len(sue_card) == 1, "her card no longer says it comes back to her"
    assert sue_card[0].edit_only
    assert sue_card[0].params["step"]["status"] == "cancelled"


async def test_one_decision_per_step_after_adds_and_a_transfer(uow: ApprovalUnitOfWork) -> None:
    await add(uow, Placement.before)
    (fay_step,) = open_steps(uow)
    await transfer(
        uow, step_id=fay_step, actor_id=FAY, to_id=GUS, reason="Gus knows", policy=POLICY, now=AT
    )
    await tap(uow, GUS)
    await add(uow, Placement.after, person=ACE)
    await tap(uow, SUE, now=AT + HOUR)
    steps = uow.steps.of_request(1)
    assert len(open_steps(uow)) == 1
    decided = [s for s in steps if s.decided_by is not None]
    assert [s.decided_by for s in decided] == [GUS, SUE]
    assert [s.approver_id for s in steps[:3]] == [FAY, SUE, ACE]


@pytest.mark.parametrize("person", [ROB, SUE, ADA, SAM, 999])
async def test_a_forged_reviewer_is_refused(uow: ApprovalUnitOfWork, person: int) -> None:
    if person == SAM and SAM not in {s.approver_id for s in uow.steps.of_request(1)}:
        pytest.skip("Sam is not on this request's chain")
    await assert_refused(uow, add(uow, Placement.before, person=person), NotAllowed)


@pytest.mark.parametrize("actor", [SID, SAM, GUS, ROB, FAY])
async def test_only_the_current_decider_adds(uow: ApprovalUnitOfWork, actor: int) -> None:
    await assert_refused(uow, add(uow, Placement.after, actor=actor, person=ACE), NotAllowed)


@pytest.mark.parametrize(
    ("reason", "error"), [("  ", ReasonRequired), ("x" * (REASON_MAX + 1), InvalidChange)]
)
async def test_the_reason_is_required_and_capped(
    uow: ApprovalUnitOfWork, reason: str, error: type[Exception]
) -> None:
    await assert_refused(uow, add(uow, Placement.before, reason=reason), error)


async def test_at_most_a_few_added_reviewers_per_round(uow: ApprovalUnitOfWork) -> None:
    for person in (FAY, ACE, SID)[:MAX_ADDED]:
        await add(uow, Placement.after, person=person)
    await assert_refused(uow, add(uow, Placement.after, person=GUS), InvalidChange)


async def test_a_decision_at_the_same_moment_wins_over_the_add(uow: ApprovalUnitOfWork) -> None:
    (step_id,) = open_steps(uow)
    uow.steps.decided_elsewhere[step_id] = (SUE, AT)
    with pytest.raises(NotAllowed):
        await add(uow, Placement.before)
    assert uow.steps.rows[step_id].status is StepStatus.approved
    assert "approver_added" not in uow.audit.actions()
    assert len(uow.steps.of_request(1)) == len({s.id for s in uow.steps.of_request(1)})
