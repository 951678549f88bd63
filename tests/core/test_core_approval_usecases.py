"""Deal requests on their way up the chain, with in-memory fakes: submit, decide, withdraw,
resubmit, and away/delegate. Org (fakes.make_org): Rob (rep) > Sue (supervisor) > Sam (sales
manager) > Mia (marketing VP) > Gus (GM); Sid is Sue's peer supervisor."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from approval_fakes import (
    HOUR,
    MINUTE,
    MONDAY_10,
    ApprovalUnitOfWork,
    approval_world,
    local_utc,
    make_terms,
)
from fakes import ADA, FAY, GUS, MIA, RAY, ROB, SAM, SID, SUE
from refusals import assert_refused

from bot.core.approvals import ApprovalStep, Decision, RequestStatus, StepStatus
from bot.core.customers import Customer, CustomerStatus
from bot.core.deals import InputProblem
from bot.core.errors import (
    AlreadyDecided,
    Deactivated,
    InvalidChange,
    NotAllowed,
    NotFound,
    ReasonRequired,
)
from bot.core.policy import Policy
from bot.core.roles import Role
from bot.core.routing import NoApprover
from bot.core.usecases.approvals import decide, resubmit, status_ref, step_ref, submit, withdraw
from bot.core.usecases.delegation import (
    cancel_away,
    choose_delegate,
    delegate_candidates,
    set_away,
)
from bot.core.usecases.reminders import sweep_deadlines

POLICY = Policy()
CHAIN = [SUE, SAM, MIA, GUS]
E = TypeVar("E", bound=Exception)


@pytest.fixture
def uow() -> ApprovalUnitOfWork:
    return approval_world()


async def file(uow: ApprovalUnitOfWork, *, now: datetime = MONDAY_10, **terms: Any) -> int:
    request = await submit(uow, requester_id=ROB, terms=make_terms(**terms), policy=POLICY, now=now)
    return request.id


def current(uow: ApprovalUnitOfWork, request_id: int = 1) -> ApprovalStep:
    """The open step of the request's current round."""
    request = uow.requests[request_id]
    pending = [
        s for s in uow.steps.of_request(request_id, request.round) if s.status is StepStatus.pending
    ]
    assert len(pending) == 1, f"expected one open step, got {pending}"
    return pending[0]


async def decide_now(
    uow: ApprovalUnitOfWork,
    actor: int,
    decision: Decision = Decision.approve,
    comment: str | None = None,
    *,
    step_id: int | None = None,
    now: datetime = MONDAY_10 + HOUR,
) -> None:
    await decide(
        uow,
        step_id=step_id if step_id is not None else current(uow).id,
        actor_id=actor,
        decision=decision,
        comment=comment,
        policy=POLICY,
        now=now,
    )


# --- submit ---------------------------------------------------------------------------------


async def test_submit_routes_up_the_line_and_opens_the_first_step_with_its_deadline(
    uow: ApprovalUnitOfWork,
) -> None:
    request_id = await file(uow)

    request = uow.requests[request_id]
    assert (request.status, request.round, request.requester_id) == (
        RequestStatus.pending,
        1,
        ROB,
    )
    steps = uow.steps.of_request(request_id)
    assert [s.approver_id for s in steps] == CHAIN
    assert [s.role for s in steps] == [
        Role.supervisor,
        Role.sales_manager,
        Role.marketing_vp,
        Role.general_manager,
    ]
    assert [s.position for s in steps] == [0, 1, 2, 3]
    assert [s.status for s in steps] == [StepStatus.pending] + [StepStatus.waiting] * 3
    first = steps[0]
    assert first.opened_at == MONDAY_10
    assert first.due_at == local_utc(2, 18)  # opened 10:00 → due 18:00 the same day
    assert first.next_nudge_at == local_utc(2, 17)  # the reminder goes an hour ahead
    assert first.reason["kind"] == "chain"
    assert all(s.opened_at is None and s.due_at is None for s in steps[1:])
    assert uow.committed == 1


async def test_submit_sends_the_card_to_the_first_approver_and_a_status_to_the_requester(
    uow: ApprovalUnitOfWork,
) -> None:
    request_id = await file(uow)

    first = current(uow, request_id)
    assert uow.queued() == [(SUE, "approval_card"), (ROB, "request_status")]
    card = uow.last_to(SUE, "approval_card")
    assert (card.ref, card.edit) == (step_ref(first.id), True)
    assert card.params["step"]["due_at"] == first.due_at.isoformat()  # type: ignore[union-attr]
    assert (card.params["customer"], card.params["discount"], card.params["amount"]) == (
        "Acme Trading",
        "12.00",
        "120000.00",
    )
    status = uow.last_to(ROB, "request_status")
    assert (status.ref, status.edit) == (status_ref(request_id), True)
    assert [s["approver"] for s in status.params["chain"]] == ["Sue", "Sam", "Mia", "Gus"]
    assert uow.audit.actions() == ["submitted"]
    assert uow.audit.entries[0].subject == f"request:{request_id}"


async def test_a_step_opened_after_four_is_due_next_working_day_at_noon(
    uow: ApprovalUnitOfWork,
) -> None:
    await file(uow, now=local_utc(2, 16, 30))

    step = current(uow)
    assert step.due_at == local_utc(3, 12)
    assert step.next_nudge_at == local_utc(3, 11)


async def test_submit_refuses_a_customer_of_someone_else(uow: ApprovalUnitOfWork) -> None:
    uow.customers.rows[2] = Customer(2, "Other Co", RAY, CustomerStatus.prospect, MONDAY_10)
    uow.baseline()

    refused = await assert_refused(uow, file(uow, customer_id=2), NotFound)
    assert refused.details == {"what": "customer"}


async def test_submit_refuses_terms_with_nothing_special(uow: ApprovalUnitOfWork) -> None:
    problem = await assert_refused(uow, file(uow, discount=None), InputProblem)
    assert problem.code == "no_special_terms"


async def test_a_deactivated_requester_cannot_submit(uow: ApprovalUnitOfWork) -> None:
    uow.people.rows[ROB].active = False
    uow.baseline()

    await assert_refused(uow, file(uow), Deactivated)


async def test_no_approver_when_nobody_above_holds_a_chain_role() -> None:
    uow = approval_world(owner_id=ADA)  # the admin reports to nobody

    async def submit_as_ada() -> None:
        await submit(uow, requester_id=ADA, terms=make_terms(), policy=POLICY, now=MONDAY_10)

    await assert_refused(uow, submit_as_ada(), NoApprover)
    assert uow.requests.rows == {}  # the request added before routing went with the rollback


async def test_the_requesters_own_role_is_skipped() -> None:
    uow = approval_world(owner_id=SUE)  # a supervisor asks: the chain starts at the manager

    await submit(uow, requester_id=SUE, terms=make_terms(), policy=POLICY, now=MONDAY_10)

    assert [s.approver_id for s in uow.steps.of_request(1)] == [SAM, MIA, GUS]


# --- decide ---------------------------------------------------------------------------------


async def test_approve_opens_the_next_step_and_tells_everyone(uow: ApprovalUnitOfWork) -> None:
    await file(uow)
    first = current(uow)
    uow.clear_outbox()

    await decide_now(uow, SUE, now=MONDAY_10 + HOUR)

    decided = uow.steps[first.id]
    assert (decided.status, decided.decided_by, decided.decided_at) == (
        StepStatus.approved,
        SUE,
        MONDAY_10 + HOUR,
    )
    second = current(uow)
    assert (second.approver_id, second.opened_at) == (SAM, MONDAY_10 + HOUR)
    assert second.due_at == local_utc(2, 18)
    assert uow.requests[1].status is RequestStatus.pending
    assert uow.queued() == [(SUE, "approval_card"), (SAM, "approval_card"), (ROB, "request_status")]
    closed = uow.last_to(SUE, "approval_card")
    assert (closed.ref, closed.edit) == (step_ref(first.id), True)
    assert closed.params["step"]["status"] == "approved"
    assert uow.last_to(SAM, "approval_card").ref == step_ref(second.id)
    assert uow.audit.actions() == ["approve"]
    assert uow.audit.entries[0].on_behalf_of is None
    assert uow.committed == 2


async def test_the_last_approval_closes_the_request_and_comes_back_down_the_chain(
    uow: ApprovalUnitOfWork,
) -> None:
    await file(uow)
    for approver in CHAIN[:-1]:
        await decide_now(uow, approver)
    uow.clear_outbox()

    await decide_now(uow, GUS, now=MONDAY_10 + 2 * HOUR)

    request = uow.requests[1]
    assert (request.status, request.closed_at) == (RequestStatus.approved, MONDAY_10 + 2 * HOUR)
    assert all(s.status is StepStatus.approved for s in uow.steps.of_request(1))
    assert uow.templates_to(ROB) == ["request_status", "request_approved"]
    assert uow.templates_to(GUS) == ["approval_card"]
    for earlier in (SUE, SAM, MIA):
        assert uow.templates_to(earlier) == ["request_settled"]


@pytest.mark.parametrize(
    ("decision", "request_status", "step_status", "told"),
    [
        (Decision.reject, RequestStatus.rejected, StepStatus.rejected, "request_rejected"),
        (
            Decision.return_for_changes,
            RequestStatus.returned,
            StepStatus.returned,
            "request_returned",
        ),
    ],
)
async def test_reject_or_return_closes_the_request_and_cancels_the_waiting_steps(
    uow: ApprovalUnitOfWork,
    decision: Decision,
    request_status: RequestStatus,
    step_status: StepStatus,
    told: str,
) -> None:
    await file(uow)
    await decide_now(uow, SUE)
    uow.clear_outbox()

    await decide_now(uow, SAM, decision, "Price too low")

    request = uow.requests[1]
    assert (request.status, request.closed_at) == (request_status, MONDAY_10 + HOUR)
    steps = uow.steps.of_request(1)
    assert [s.status for s in steps] == [
        StepStatus.approved,
        step_status,
        StepStatus.cancelled,
        StepStatus.cancelled,
    ]
    assert steps[1].comment == "Price too low"
    assert uow.templates_to(ROB) == ["request_status", told]
    assert uow.templates_to(SAM) == ["approval_card"]
    assert uow.templates_to(MIA) == uow.templates_to(GUS) == []
    # A rejection comes back down to Sue, who approved earlier; a return goes to the rep only.
    assert uow.templates_to(SUE) == (["request_settled"] if decision is Decision.reject else [])
    assert uow.audit.entries[-1].comment == "Price too low"


@pytest.mark.parametrize("decision", [Decision.reject, Decision.return_for_changes])
@pytest.mark.parametrize("comment", [None, "", "   \n "])
async def test_reject_and_return_need_a_reason(
    uow: ApprovalUnitOfWork, decision: Decision, comment: str | None
) -> None:
    await file(uow)

    await assert_refused(uow, decide_now(uow, SUE, decision, comment), ReasonRequired)
    assert current(uow).approver_id == SUE


async def test_approve_needs_no_reason(uow: ApprovalUnitOfWork) -> None:
    await file(uow)

    await decide_now(uow, SUE, Decision.approve, None)

    assert current(uow).approver_id == SAM


@pytest.mark.parametrize("actor", [SAM, SID, ROB, GUS, ADA])
async def test_only_the_current_approver_may_decide(uow: ApprovalUnitOfWork, actor: int) -> None:
    await file(uow)

    refused = await assert_refused(uow, decide_now(uow, actor), NotAllowed)
    assert refused.details == {"action": "decide"}


async def test_a_waiting_step_cannot_be_decided_early(uow: ApprovalUnitOfWork) -> None:
    await file(uow)
    waiting = uow.steps.of_request(1)[1]

    # Sam's step is not open yet: not his turn (and not "closed" either).
    await assert_refused(uow, decide_now(uow, SAM, step_id=waiting.id), NotAllowed)


async def test_deciding_twice_says_who_decided_and_when(uow: ApprovalUnitOfWork) -> None:
    await file(uow)
    first = current(uow)
    await decide_now(uow, SUE, now=local_utc(2, 11, 5))

    error = await assert_refused(uow, decide_now(uow, SUE, step_id=first.id), AlreadyDecided)

    assert error.at is not None
    assert (error.by, f"{error.at:%Y-%m-%d %H:%M}") == ("Sue", "2026-03-02 11:05")  # local time


async def test_a_tap_that_loses_the_race_is_told_who_won(uow: ApprovalUnitOfWork) -> None:
    await file(uow)
    first = current(uow)
    # Sue's delegate decides between Sue's check and her claim.
    uow.steps.decided_elsewhere[first.id] = (SID, local_utc(2, 11, 0))

    async def tap() -> None:
        await decide_now(uow, SUE, Decision.reject, "no")

    with pytest.raises(AlreadyDecided) as caught:
        await tap()
    at = caught.value.at
    assert at is not None
    assert (caught.value.by, f"{at:%Y-%m-%d %H:%M}") == ("Sid", "2026-03-02 11:00")
    assert uow.templates_to(ROB) == ["request_status"]  # only the one from submit
    assert uow.committed == 1


async def test_an_unknown_step_is_not_found(uow: ApprovalUnitOfWork) -> None:
    await file(uow)

    await assert_refused(uow, decide_now(uow, SUE, step_id=99), NotFound)


async def test_a_deactivated_approver_cannot_decide(uow: ApprovalUnitOfWork) -> None:
    await file(uow)
    uow.people.rows[SUE].active = False
    uow.baseline()

    await assert_refused(uow, decide_now(uow, SUE), Deactivated)


# --- withdraw -------------------------------------------------------------------------------


async def test_withdraw_cancels_open_and_waiting_steps_and_closes_the_card(
    uow: ApprovalUnitOfWork,
) -> None:
    await file(uow)
    await decide_now(uow, SUE)
    open_step = current(uow)
    uow.clear_outbox()

    view = await withdraw(uow, request_id=1, actor_id=ROB, now=MONDAY_10 + 2 * HOUR)

    assert view.request.status is RequestStatus.withdrawn
    assert uow.requests[1].closed_at == MONDAY_10 + 2 * HOUR
    steps = uow.steps.of_request(1)
    assert [s.status for s in steps] == [StepStatus.approved] + [StepStatus.cancelled] * 3
    assert all(s.next_nudge_at is None for s in steps[1:])  # no reminder for a dead step
    card = uow.last_to(SAM, "approval_card")
    assert (card.ref, card.edit) == (step_ref(open_step.id), True)
    assert uow.templates_to(ROB) == ["request_status"]
    assert uow.audit.actions() == ["withdrawn"]


@pytest.mark.parametrize("actor", [SUE, RAY, ADA])
async def test_only_the_requester_may_withdraw(uow: ApprovalUnitOfWork, actor: int) -> None:
    await file(uow)

    async def call() -> None:
        await withdraw(uow, request_id=1, actor_id=actor, now=MONDAY_10)

    await assert_refused(uow, call(), NotFound)


async def test_a_closed_request_cannot_be_withdrawn(uow: ApprovalUnitOfWork) -> None:
    await file(uow)
    await decide_now(uow, SUE, Decision.reject, "no")

    async def call() -> None:
        await withdraw(uow, request_id=1, actor_id=ROB, now=MONDAY_10)

    refused = await assert_refused(uow, call(), NotAllowed)
    assert refused.details == {"action": "withdraw"}


async def test_a_withdrawn_step_cannot_be_decided(uow: ApprovalUnitOfWork) -> None:
    await file(uow)
    first = current(uow)
    await withdraw(uow, request_id=1, actor_id=ROB, now=MONDAY_10)

    await assert_refused(uow, decide_now(uow, SUE, step_id=first.id), AlreadyDecided)


# --- resubmit -------------------------------------------------------------------------------


async def test_resubmit_starts_a_new_round_and_keeps_the_history(uow: ApprovalUnitOfWork) -> None:
    await file(uow)
    await decide_now(uow, SUE)
    await decide_now(uow, SAM, Decision.return_for_changes, "Lower the discount")
    uow.clear_outbox()
    terms = make_terms(discount=Decimal("8.50"))

    again = await resubmit(
        uow, request_id=1, actor_id=ROB, terms=terms, policy=POLICY, now=local_utc(3, 9)
    )

    assert (again.round, again.status, again.closed_at) == (2, RequestStatus.pending, None)
    stored = uow.requests[1]
    assert (stored.round, stored.terms.discount) == (2, Decimal("8.50"))
    old = uow.steps.of_request(1, round=1)
    assert [s.status for s in old] == [
        StepStatus.approved,
        StepStatus.returned,
        StepStatus.cancelled,
        StepStatus.cancelled,
    ]
    assert old[1].comment == "Lower the discount"
    new = uow.steps.of_request(1, round=2)
    assert [s.approver_id for s in new] == CHAIN
    assert [s.status for s in new] == [StepStatus.pending] + [StepStatus.waiting] * 3
    assert new[0].due_at == local_utc(3, 18)
    assert {s.id for s in new}.isdisjoint({s.id for s in old})
    assert uow.queued() == [(SUE, "approval_card"), (ROB, "request_status")]
    card = uow.last_to(SUE, "approval_card")
    assert card.params["round"] == 2
    assert [h["status"] for h in card.params["history"]] == ["approved", "returned"]
    assert uow.audit.actions() == ["resubmitted"]


async def test_only_a_returned_request_can_be_resubmitted(uow: ApprovalUnitOfWork) -> None:
    await file(uow)

    async def call() -> None:
        await resubmit(
            uow, request_id=1, actor_id=ROB, terms=make_terms(), policy=POLICY, now=MONDAY_10
        )

    refused = await assert_refused(uow, call(), NotAllowed)
    assert refused.details == {"action": "resubmit"}
    await decide_now(uow, SUE, Decision.reject, "no")
    await assert_refused(uow, call(), NotAllowed)


async def test_only_the_requester_may_resubmit(uow: ApprovalUnitOfWork) -> None:
    await file(uow)
    await decide_now(uow, SUE, Decision.return_for_changes, "fix it")

    async def call() -> None:
        await resubmit(
            uow, request_id=1, actor_id=SUE, terms=make_terms(), policy=POLICY, now=MONDAY_10
        )

    await assert_refused(uow, call(), NotFound)


# --- away and delegate ----------------------------------------------------------------------


async def go_away(
    uow: ApprovalUnitOfWork,
    *,
    person: int = SUE,
    delegate: int = SID,
    starts: datetime = MONDAY_10 - HOUR,
    ends: datetime = MONDAY_10 + 48 * HOUR,
    now: datetime = MONDAY_10,
) -> int:
    delegation = await set_away(
        uow,
        person_id=person,
        delegate_id=delegate,
        starts_at=starts,
        ends_at=ends,
        policy=POLICY,
        now=now,
    )
    return delegation.id


async def test_set_away_hands_open_steps_to_the_delegate(uow: ApprovalUnitOfWork) -> None:
    await file(uow)
    step = current(uow)
    uow.clear_outbox()

    await go_away(uow)

    moved = uow.steps[step.id]
    assert (moved.acting_id, moved.decider_id, moved.approver_id) == (SID, SID, SUE)
    card = uow.last_to(SID, "approval_card")
    assert card.ref == step_ref(step.id)
    assert card.params["step"]["acting"] == "Sid"
    assert uow.audit.actions() == ["delegated"]
    assert [s.id for s in await uow.steps.open_for(SID)] == [step.id]
    assert await uow.steps.open_for(SUE) == []


async def test_a_step_opened_while_away_goes_to_the_delegate(uow: ApprovalUnitOfWork) -> None:
    await go_away(uow)
    uow.clear_outbox()

    await file(uow)

    assert current(uow).acting_id == SID
    assert uow.queued() == [(SID, "approval_card"), (ROB, "request_status")]


async def test_the_delegate_decides_on_behalf_of_the_approver(uow: ApprovalUnitOfWork) -> None:
    await file(uow)
    await go_away(uow)
    first = current(uow)

    await decide_now(uow, SID)

    decided = uow.steps[first.id]
    assert (decided.decided_by, decided.on_behalf_of) == (SID, SUE)
    assert uow.audit.entries[-1].on_behalf_of == SUE
    # Both Sue and Sid hold a card of the step: both are edited to show the outcome.
    closing = [
        n.recipient_id
        for n in (q.notification for q in uow.outbox.queued)
        if n.ref == step_ref(first.id) and n.edit and n.params["step"]["status"] == "approved"
    ]
    assert sorted(closing) == [SUE, SID]


async def test_regression_a_delegate_who_is_also_the_next_approver_was_asked_twice(
    uow: ApprovalUnitOfWork,
) -> None:
    """Sam, deciding for his away supervisor Sue, was asked again for his own next step and so
    made two of the four decisions. Now his approval counts for his own step too, and the
    request moves on to Mia without asking Sam twice."""
    await file(uow)
    await go_away(uow, delegate=SAM)
    sue_step = current(uow)
    uow.clear_outbox()

    await decide_now(uow, SAM)

    sue_done, sam_done, mia_open = uow.steps.of_request(1)[:3]
    assert (sue_done.id, sue_done.decided_by, sue_done.on_behalf_of) == (sue_step.id, SAM, SUE)
    assert (sam_done.status, sam_done.decided_by, sam_done.on_behalf_of) == (
        StepStatus.approved,
        SAM,
        None,
    )
    assert current(uow).id == mia_open.id
    assert mia_open.approver_id == MIA
    assert uow.templates_to(MIA) == ["approval_card"]
    assert "approval_card" in uow.templates_to(SAM)  # his card of Sue's step, closed
    assert [e.action for e in uow.audit.entries[-2:]] == ["approve", "approve"]


async def test_the_same_person_s_approval_can_close_the_request(uow: ApprovalUnitOfWork) -> None:
    await file(uow)
    for approver in CHAIN[:-2]:
        await decide_now(uow, approver)
    await go_away(uow, person=MIA, delegate=GUS)
    uow.clear_outbox()

    await decide_now(uow, GUS)

    assert uow.requests[1].status is RequestStatus.approved
    assert uow.templates_to(ROB) == ["request_status", "request_approved"]
    assert "request_settled" not in uow.templates_to(GUS)
    for earlier in (SUE, SAM):
        assert uow.templates_to(earlier) == ["request_settled"]


async def test_the_away_approver_may_still_decide_themself(uow: ApprovalUnitOfWork) -> None:
    await file(uow)
    await go_away(uow)

    await decide_now(uow, SUE)

    assert uow.steps.of_request(1)[0].decided_by == SUE


async def test_cancel_away_hands_the_steps_back(uow: ApprovalUnitOfWork) -> None:
    await file(uow)
    delegation_id = await go_away(uow)
    step = current(uow)
    uow.clear_outbox()

    await cancel_away(uow, person_id=SUE, delegation_id=delegation_id, now=MONDAY_10 + HOUR)

    assert uow.steps[step.id].acting_id is None
    assert uow.delegations[delegation_id].cancelled
    assert uow.templates_to(SUE) == ["approval_card"]
    assert uow.audit.actions() == ["delegation_cancelled"]
    await assert_refused(uow, decide_now(uow, SID), NotAllowed)


async def test_a_future_absence_moves_nothing_yet_and_can_be_cancelled(
    uow: ApprovalUnitOfWork,
) -> None:
    await file(uow)
    delegation_id = await go_away(uow, starts=MONDAY_10 + 24 * HOUR)

    assert current(uow).acting_id is None
    assert uow.templates_to(SID) == []
    await assert_refused(uow, decide_now(uow, SID), NotAllowed)

    await cancel_away(uow, person_id=SUE, delegation_id=delegation_id, now=MONDAY_10)
    assert uow.delegations[delegation_id].cancelled


@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        (MONDAY_10, MONDAY_10),  # empty window
        (MONDAY_10 + HOUR, MONDAY_10),  # ends before it starts
        (MONDAY_10 - 2 * HOUR, MONDAY_10 - HOUR),  # already over
        (MONDAY_10 - HOUR, MONDAY_10),  # ends right now
    ],
)
async def test_set_away_checks_the_window(
    uow: ApprovalUnitOfWork, starts: datetime, ends: datetime
) -> None:
    refused = await assert_refused(uow, go_away(uow, starts=starts, ends=ends), InvalidChange)
    assert refused.reason == "window"


@pytest.mark.parametrize("delegate", [SUE, 99])
async def test_the_delegate_must_be_another_active_person(
    uow: ApprovalUnitOfWork, delegate: int
) -> None:
    refused = await assert_refused(uow, go_away(uow, delegate=delegate), NotFound)
    assert refused.details == {"what": "person"}


@pytest.mark.parametrize(
    ("person", "candidates"),
    [
        (SUE, [GUS, MIA, SAM, SID]),  # the same role or one above in the special-terms chain
        (SAM, [GUS, MIA]),  # not a supervisor below him
        (GUS, []),  # nobody else decides at the top
        (ADA, [GUS, MIA, SAM, SUE, SID, FAY]),  # an admin decides nothing: no one ruled out
    ],
)
async def test_delegate_candidates_may_decide_what_the_person_decides(
    uow: ApprovalUnitOfWork, person: int, candidates: list[int]
) -> None:
    found = await delegate_candidates(uow, person, POLICY)

    assert sorted(p.id for p in found) == sorted(candidates)
    assert uow.committed == 0


@pytest.mark.parametrize(
    ("person", "delegate"),
    [
        (SUE, ROB),  # a rep decides nothing
        (SUE, FAY),  # a finance VP is not in the special-terms chain
        (SUE, ADA),  # nor is the admin
        (SAM, SUE),  # a forged id below the sales manager in the chain
        (MIA, SAM),
    ],
)
async def test_a_delegate_who_may_not_decide_is_refused_and_nothing_changes(
    uow: ApprovalUnitOfWork, person: int, delegate: int
) -> None:
    await file(uow)
    uow.baseline()

    refused = await assert_refused(uow, go_away(uow, person=person, delegate=delegate), NotAllowed)

    assert refused.details == {"action": "delegate_to"}
    assert uow.delegations.rows == {}


@pytest.mark.parametrize(
    ("delegate", "decides_after"),
    [
        (SID, False),  # another supervisor: not in Sue's chain above her
        (SAM, True),  # the next approver after Sue
        (GUS, True),  # any approver after her
    ],
)
async def test_choose_delegate_says_when_one_person_would_decide_two_steps(
    uow: ApprovalUnitOfWork, delegate: int, decides_after: bool
) -> None:
    choice = await choose_delegate(uow, SUE, delegate, POLICY)

    assert (choice.delegate.id, choice.decides_after) == (delegate, decides_after)
    assert uow.committed == 0


async def test_a_deactivated_manager_is_no_delegate(uow: ApprovalUnitOfWork) -> None:
    uow.people.rows[SID].active = False
    uow.baseline()

    await assert_refused(uow, go_away(uow), NotFound)


async def test_a_rep_has_nothing_to_delegate(uow: ApprovalUnitOfWork) -> None:
    refused = await assert_refused(uow, go_away(uow, person=ROB), NotAllowed)
    assert refused.details == {"action": "delegate"}


async def test_cancel_away_of_someone_elses_or_a_cancelled_delegation_is_not_found(
    uow: ApprovalUnitOfWork,
) -> None:
    delegation_id = await go_away(uow)

    async def cancel(person: int) -> None:
        await cancel_away(uow, person_id=person, delegation_id=delegation_id, now=MONDAY_10)

    await assert_refused(uow, cancel(SAM), NotFound)
    await cancel(SUE)
    await assert_refused(uow, cancel(SUE), NotFound)


async def test_the_delegate_may_not_decide_after_the_absence_ended(
    uow: ApprovalUnitOfWork,
) -> None:
    await file(uow)
    await go_away(uow, ends=MONDAY_10 + 2 * HOUR)

    await assert_refused(uow, decide_now(uow, SID, now=MONDAY_10 + 3 * HOUR), NotAllowed)


async def test_a_planned_absence_takes_over_open_steps_when_it_starts(
    uow: ApprovalUnitOfWork,
) -> None:
    await file(uow)  # Monday 10:00, Sue's reminder due at 17:00
    await go_away(uow, starts=local_utc(2, 12), ends=local_utc(4, 18), now=local_utc(2, 10, 30))
    uow.clear_outbox()

    await sweep_deadlines(uow, policy=POLICY, now=local_utc(2, 17))

    assert uow.queued() == [(SID, "approval_card"), (SID, "step_reminder")]
    assert [s.approver_id for s in await uow.steps.open_for(SID)] == [SUE]


async def test_the_delegation_window_is_half_open(uow: ApprovalUnitOfWork) -> None:
    """Delegation.covers: from starts_at inclusive to ends_at exclusive."""
    delegation_id = await go_away(uow, starts=MONDAY_10 + HOUR, ends=MONDAY_10 + 2 * HOUR)
    delegation = replace(uow.delegations[delegation_id])

    assert not delegation.covers(MONDAY_10 + HOUR - MINUTE)
    assert delegation.covers(MONDAY_10 + HOUR)
    assert not delegation.covers(MONDAY_10 + 2 * HOUR)
    assert await uow.delegations.current(SUE, MONDAY_10 + HOUR) is not None
    assert await uow.delegations.current(SUE, MONDAY_10 + 2 * HOUR) is None
