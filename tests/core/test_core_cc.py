"""抄送 (CC): the kind's `cc` hears the outcome once and may read the request, never decide it.
Org (fakes.make_org): Rob (rep) > Sue (supervisor) > Sam (sales manager); Fay (finance VP) >
Ace (accountant); Ray, another rep."""

from __future__ import annotations

from dataclasses import replace

import pytest
from approval_fakes import HOUR, MONDAY_10, ApprovalUnitOfWork, approval_world, make_terms
from fakes import ACE, FAY, RAY, ROB, SAM, SUE, make_org

from bot.core.approvals import Decision, RequestStatus
from bot.core.cc import cc_ids
from bot.core.errors import NotAllowed
from bot.core.policy import ApprovalRule, Policy
from bot.core.roles import Role
from bot.core.usecases.approval_views import view_for
from bot.core.usecases.approvals import decide, submit

CC = ("requester_supervisor", "finance_vp", "accountant", "sales_manager")
POLICY = Policy(
    approval={
        **Policy().approval,
        "special_terms": ApprovalRule(chain=(Role.sales_manager,), cc=CC),
    }
)


@pytest.fixture
def uow() -> ApprovalUnitOfWork:
    world = approval_world()
    world.people.rows[ACE] = replace(world.people.rows[ACE], active=False)
    return world


async def close(uow: ApprovalUnitOfWork, decision: Decision) -> int:
    request = await submit(uow, requester_id=ROB, terms=make_terms(), policy=POLICY, now=MONDAY_10)
    step = next(s for s in uow.steps.of_request(request.id) if s.approver_id == SAM)
    uow.clear_outbox()
    await decide(
        uow,
        step_id=step.id,
        actor_id=SAM,
        decision=decision,
        comment=None if decision is Decision.approve else "No",
        policy=POLICY,
        now=MONDAY_10 + HOUR,
    )
    return request.id


def test_cc_resolves_roles_to_active_people_and_the_supervisor_token() -> None:
    people = make_org()

    assert cc_ids(("requester_supervisor", "finance_vp"), ROB, people) == {SUE, FAY}
    assert cc_ids(("rep",), ROB, people) == {RAY}  # never the requester
    inactive = [replace(p, active=False) if p.id == SUE else p for p in people]
    assert cc_ids(("requester_supervisor",), ROB, inactive) == set()


@pytest.mark.parametrize("decision", [Decision.approve, Decision.reject])
async def test_the_outcome_goes_once_to_each_cc_but_not_to_deciders_or_the_inactive(
    uow: ApprovalUnitOfWork, decision: Decision
) -> None:
    await close(uow, decision)

    assert uow.templates_to(SUE) == ["request_cc"]
    assert uow.templates_to(FAY) == ["request_cc"]
    assert "request_cc" not in uow.templates_to(SAM)  # decided it: already told
    assert uow.templates_to(ACE) == []  # inactive
    assert "request_cc" not in uow.templates_to(ROB)


async def test_a_returned_request_is_not_final_and_tells_no_cc(uow: ApprovalUnitOfWork) -> None:
    await close(uow, Decision.return_for_changes)

    assert uow.templates_to(FAY) == uow.templates_to(SUE) == []


async def test_a_cc_reads_the_request_and_nobody_else_outside_it(uow: ApprovalUnitOfWork) -> None:
    request_id = await close(uow, Decision.approve)

    view = await view_for(uow, FAY, request_id, POLICY)

    assert view.request.status is RequestStatus.approved
    with pytest.raises(NotAllowed):
        await view_for(uow, FAY, request_id, Policy())
    with pytest.raises(NotAllowed):
        await view_for(uow, RAY, request_id, POLICY)


async def test_the_requester_adds_colleagues_who_read_it_and_hear_the_outcome_once() -> None:
    uow = approval_world()
    plain = Policy()  # no cc from the policy: only whom Rob adds
    request = await submit(
        uow, requester_id=ROB, terms=make_terms(), policy=plain, now=MONDAY_10, cc=[RAY, FAY]
    )
    assert set((await view_for(uow, RAY, request.id, plain)).cc) == {FAY, RAY}
    uow.people.rows[FAY] = replace(uow.people.rows[FAY], active=False)  # left meanwhile
    uow.clear_outbox()
    while open_ := [s for s in uow.steps.of_request(request.id) if s.status.value == "pending"]:
        (step,) = open_
        await decide(
            uow,
            step_id=step.id,
            actor_id=step.decider_id,
            decision=Decision.approve,
            comment=None,
            policy=plain,
            now=MONDAY_10 + HOUR,
        )
    assert [n for n in uow.queued() if n[1] == "request_cc"] == [(RAY, "request_cc")]


@pytest.mark.parametrize(
    "cc", [[ROB], [999], [RAY, FAY, ACE, SUE, SAM, 2], [ACE]], ids=["self", "forged", "6", "gone"]
)
async def test_whom_the_requester_may_not_add_refuses_the_filing(cc: list[int]) -> None:
    uow = approval_world()
    uow.people.rows[ACE] = replace(uow.people.rows[ACE], active=False)
    with pytest.raises(NotAllowed):
        await submit(
            uow, requester_id=ROB, terms=make_terms(), policy=Policy(), now=MONDAY_10, cc=cc
        )
    assert uow.requests.rows == {}
