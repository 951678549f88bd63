"""Regression: an approver who is deactivated, or whom the bot cannot reach, dead-ended the
request.

Before: their open steps stayed with them; nobody else could decide, the requester was not
told, nothing moved before the deadline sweep (which only escalated), and the cards they
missed were never sent again when they came back.
After: deactivation moves their steps to the nearest active, reachable person above them
(deciding on their behalf), who gets the card, and the requester is told; a step whose
approver the bot cannot reach moves the same way at its deadline; if nobody above can take
it, the requester and the admins are told; and someone unreachable who writes again gets the
cards of their open steps once.

Org (fakes.make_org): Rob (rep) > Sue (supervisor) > Sam (sales manager) > Mia (marketing VP) >
Gus (GM); Ada is the admin. Rob's request is filed Monday 10:00 (Shanghai); Sue decides first.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from approval_fakes import ApprovalUnitOfWork, approval_world, local_utc, make_terms
from fakes import ADA, GUS, MIA, ROB, SAM, SID, SUE

from bot.core.approvals import Decision, Moved, RequestStatus, StepStatus
from bot.core.errors import NotAllowed
from bot.core.models import AuditEntry
from bot.core.policy import Policy
from bot.core.usecases.approvals import decide, status_ref, step_ref, submit
from bot.core.usecases.delegation import set_away
from bot.core.usecases.reassign import deactivate, reachable_again
from bot.core.usecases.reminders import sweep_deadlines

POLICY = Policy()
MON, TUE = 2, 3  # days of March 2026


def L(day: int, hour: int, minute: int = 0) -> datetime:  # noqa: N802 - reads like a time
    return local_utc(day, hour, minute)


@pytest.fixture
async def uow() -> ApprovalUnitOfWork:
    """Rob's request #1 filed Monday 10:00, its messages already out, no commit counted."""
    world = approval_world()
    await submit(world, requester_id=ROB, terms=make_terms(), policy=POLICY, now=L(MON, 10))
    world.clear_outbox()
    world.committed = 0
    return world


async def approve(uow: ApprovalUnitOfWork, actor: int, step_id: int, now: datetime) -> None:
    await decide(
        uow,
        step_id=step_id,
        actor_id=actor,
        decision=Decision.approve,
        comment=None,
        policy=POLICY,
        now=now,
    )


async def sweep(uow: ApprovalUnitOfWork, now: datetime) -> list[tuple[int, str]]:
    before = len(uow.outbox.queued)
    await sweep_deadlines(uow, policy=POLICY, now=now)
    return uow.queued()[before:]


def unreachable(uow: ApprovalUnitOfWork, *people: int) -> None:
    for person_id in people:
        uow.people.rows[person_id].unreachable = True
    uow.baseline()


# --- deactivation ---------------------------------------------------------------------------


async def test_regression_a_deactivated_approvers_step_moves_and_the_requester_is_told(
    uow: ApprovalUnitOfWork,
) -> None:
    await deactivate(uow, actor_id=ADA, person_id=SUE, policy=POLICY, now=L(MON, 11))

    step = uow.steps[1]
    assert (step.approver_id, step.acting_id, step.decider_id) == (SUE, SAM, SAM)
    assert step.moved is Moved.deactivated
    assert uow.queued() == [(ROB, "step_moved"), (ROB, "request_status"), (SAM, "approval_card")]
    card = uow.last_to(SAM, "approval_card")
    assert card.ref == step_ref(1)
    assert (card.params["step"]["acting"], card.params["step"]["moved"]) == ("Sam", "deactivated")
    told = uow.last_to(ROB, "step_moved")
    assert (told.params["why"], told.params["gone"], told.params["step"]["acting"]) == (
        "deactivated",
        "Sue",
        "Sam",
    )
    status = uow.last_to(ROB, "request_status")
    assert (status.ref, status.edit) == (status_ref(1), True)
    assert status.params["chain"][0]["acting"] == "Sam"
    assert uow.audit.entries[-1] == AuditEntry(
        "moved",
        ADA,
        L(MON, 11),
        "request:1",
        comment=f"approver deactivated: step:1 to person:{SAM}",
    )
    assert uow.committed == 1

    # Sam decides on Sue's behalf; as the next approver too, his approval counts for both.
    await approve(uow, SAM, 1, L(MON, 12))

    sue_step, sam_step, mia_step = uow.steps.of_request(1)[:3]
    assert (sue_step.decided_by, sue_step.on_behalf_of) == (SAM, SUE)
    assert (sam_step.status, sam_step.decided_by) == (StepStatus.approved, SAM)
    assert (mia_step.status, mia_step.decider_id) == (StepStatus.pending, MIA)


async def test_the_moved_step_stays_with_the_stand_in_and_escalates_to_their_manager(
    uow: ApprovalUnitOfWork,
) -> None:
    """The sweep's delegation pass would hand a step back to its approver; a moved one stays.
    Its deadline counts from the move, and when it is overdue the stand-in's manager hears."""
    await deactivate(uow, actor_id=ADA, person_id=SUE, policy=POLICY, now=L(MON, 16, 30))
    uow.clear_outbox()

    assert uow.steps[1].due_at == L(TUE, 12)  # moved after 16:00: due next day at noon
    assert await sweep(uow, L(MON, 18)) == []
    assert await sweep(uow, L(TUE, 11)) == [(SAM, "step_reminder")]
    assert sorted(await sweep(uow, L(TUE, 12))) == sorted(
        [(ROB, "step_overdue"), (MIA, "step_overdue"), (SAM, "step_reminder")]
    )
    assert uow.steps[1].acting_id == SAM


async def test_a_waiting_step_of_a_deactivated_approver_opens_for_the_stand_in(
    uow: ApprovalUnitOfWork,
) -> None:
    await deactivate(uow, actor_id=ADA, person_id=MIA, policy=POLICY, now=L(MON, 11))

    mia_step = uow.steps.of_request(1)[2]
    assert (mia_step.status, mia_step.acting_id, mia_step.moved) == (
        StepStatus.waiting,
        GUS,
        Moved.deactivated,
    )
    assert uow.queued() == [(ROB, "step_moved"), (ROB, "request_status")], "no card before its turn"
    uow.clear_outbox()

    await approve(uow, SUE, 1, L(MON, 12))
    await approve(uow, SAM, 2, L(MON, 13))

    assert uow.steps[3].decider_id == GUS
    assert uow.queued()[-3:-1] == [(SAM, "approval_card"), (GUS, "approval_card")]
    await approve(uow, GUS, 3, L(MON, 14))
    assert uow.requests[1].status is RequestStatus.approved  # Gus's own step counted too


async def test_an_away_approver_who_is_deactivated_leaves_the_delegate_too(
    uow: ApprovalUnitOfWork,
) -> None:
    await set_away(
        uow,
        person_id=SUE,
        delegate_id=SID,
        starts_at=L(MON, 9),
        ends_at=L(TUE, 18),
        policy=POLICY,
        now=L(MON, 10),
    )

    await deactivate(uow, actor_id=ADA, person_id=SUE, policy=POLICY, now=L(MON, 11))
    await sweep(uow, L(MON, 11, 1))

    assert uow.steps[1].decider_id == SAM
    with pytest.raises(NotAllowed):
        await approve(uow, SID, 1, L(MON, 12))


async def test_a_stand_in_deactivated_in_turn_passes_the_step_up(uow: ApprovalUnitOfWork) -> None:
    await deactivate(uow, actor_id=ADA, person_id=SUE, policy=POLICY, now=L(MON, 11))
    uow.clear_outbox()

    await deactivate(uow, actor_id=ADA, person_id=SAM, policy=POLICY, now=L(MON, 12))

    sue_step, sam_step = uow.steps.of_request(1)[:2]
    assert (sue_step.decider_id, sue_step.moved) == (MIA, Moved.deactivated)
    assert sam_step.decider_id == MIA
    assert uow.last_to(ROB, "step_moved").params["gone"] == "Sam"
    assert [e.comment for e in uow.audit.entries if e.action == "moved"] == [
        f"stand-in deactivated: step:1 to person:{MIA}",
        f"approver deactivated: step:2 to person:{MIA}",
    ]


async def test_the_stand_in_skips_a_manager_the_bot_cannot_reach(uow: ApprovalUnitOfWork) -> None:
    unreachable(uow, SAM)

    await deactivate(uow, actor_id=ADA, person_id=SUE, policy=POLICY, now=L(MON, 11))

    assert uow.steps[1].decider_id == MIA


async def test_with_nobody_above_the_requester_and_the_admins_are_told() -> None:
    world = approval_world()
    await submit(world, requester_id=ROB, terms=make_terms(), policy=POLICY, now=L(MON, 10))
    for actor, step_id in ((SUE, 1), (SAM, 2), (MIA, 3)):
        await approve(world, actor, step_id, L(MON, 11))
    world.clear_outbox()

    await deactivate(world, actor_id=ADA, person_id=GUS, policy=POLICY, now=L(MON, 12))

    assert world.steps[4].decider_id == GUS, "nobody to move it to: it stays"
    assert world.queued() == [(ADA, "step_stranded"), (ROB, "step_stranded")]
    stranded = world.last_to(ROB, "step_stranded")
    assert (stranded.params["why"], stranded.params["gone"]) == ("deactivated", "Gus")
    assert world.audit.actions() == ["deactivated", "stranded"]


# --- unreachable at the deadline --------------------------------------------------------------


async def test_regression_an_unreachable_approvers_step_moves_at_the_deadline(
    uow: ApprovalUnitOfWork,
) -> None:
    unreachable(uow, SUE)

    assert await sweep(uow, L(MON, 17)) == [(SUE, "step_reminder")]  # not due yet: Sue's step
    queued = await sweep(uow, L(MON, 18))

    assert queued == [(ROB, "step_moved"), (ROB, "request_status"), (SAM, "approval_card")]
    step = uow.steps[1]
    assert (step.decider_id, step.moved) == (SAM, Moved.unreachable)
    assert (step.due_at, step.escalated_at, step.reminders_sent) == (L(TUE, 12), None, 0)
    assert uow.last_to(ROB, "step_moved").params["why"] == "unreachable"
    assert uow.audit.entries[-1].comment == f"approver unreachable: step:1 to person:{SAM}"
    assert await sweep(uow, L(MON, 18, 1)) == []
    await approve(uow, SAM, 1, L(TUE, 9))
    assert uow.steps[1].on_behalf_of == SUE


async def test_a_reachable_approver_is_escalated_as_before(uow: ApprovalUnitOfWork) -> None:
    unreachable(uow, SAM)  # only the manager, who is told at the deadline anyway

    await sweep(uow, L(MON, 17))
    assert sorted(await sweep(uow, L(MON, 18))) == sorted(
        [(ROB, "step_overdue"), (SAM, "step_overdue"), (SUE, "step_reminder")]
    )
    assert uow.steps[1].decider_id == SUE


async def test_an_unreachable_delegate_is_escalated_not_moved(uow: ApprovalUnitOfWork) -> None:
    """A delegate's step belongs to the delegation: the approver's manager hears of it."""
    await set_away(
        uow,
        person_id=SUE,
        delegate_id=SID,
        starts_at=L(MON, 9),
        ends_at=L(TUE, 18),
        policy=POLICY,
        now=L(MON, 10),
    )
    unreachable(uow, SID)
    uow.clear_outbox()

    await sweep(uow, L(MON, 17))
    assert sorted(await sweep(uow, L(MON, 18))) == sorted(
        [(ROB, "step_overdue"), (SAM, "step_overdue"), (SID, "step_reminder")]
    )
    assert uow.steps[1].moved is None


async def test_an_unreachable_top_approver_at_the_deadline_is_reported() -> None:
    world = approval_world()
    await submit(world, requester_id=ROB, terms=make_terms(), policy=POLICY, now=L(MON, 10))
    for actor, step_id in ((SUE, 1), (SAM, 2), (MIA, 3)):
        await approve(world, actor, step_id, L(MON, 11))
    unreachable(world, GUS)
    world.clear_outbox()

    queued = await sweep(world, L(MON, 18))

    assert queued == [(ADA, "step_stranded"), (ROB, "step_stranded")]
    assert world.last_to(ADA, "step_stranded").params["why"] == "unreachable"
    assert await sweep(world, L(MON, 18, 30)) == [], "told once"


# --- back in touch --------------------------------------------------------------------------


async def test_regression_an_unreachable_person_who_writes_again_gets_their_open_cards_once(
    uow: ApprovalUnitOfWork,
) -> None:
    unreachable(uow, SUE)
    stale = uow.people[SUE]  # as two quick updates would each have read her

    first = await reachable_again(uow, person=stale, now=L(MON, 11))
    second = await reachable_again(uow, person=stale, now=L(MON, 11))

    assert (first.unreachable, second.unreachable, uow.people[SUE].unreachable) == (
        False,
        False,
        False,
    )
    assert uow.queued() == [(SUE, "approval_card")]
    card = uow.last_to(SUE, "approval_card")
    assert (card.ref, card.edit) == (step_ref(1), False), "a new message: the old one never came"
    assert uow.committed == 1


async def test_a_reachable_person_writing_costs_nothing(uow: ApprovalUnitOfWork) -> None:
    person = uow.people[SUE]

    assert await reachable_again(uow, person=person, now=L(MON, 11)) == person
    assert uow.queued() == []
    assert uow.committed == 0


async def test_a_moved_step_is_not_sent_back_to_its_approver(uow: ApprovalUnitOfWork) -> None:
    unreachable(uow, SUE)
    await sweep(uow, L(MON, 17))
    await sweep(uow, L(MON, 18))
    uow.clear_outbox()

    await reachable_again(uow, person=uow.people[SUE], now=L(TUE, 9))

    assert uow.queued() == []
    assert uow.steps[1].decider_id == SAM
