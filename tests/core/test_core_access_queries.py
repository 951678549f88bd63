"""The queries the dialogs show things by, each with its rule of who may see what: a request in
/my and for a resubmission, the approver's queue and a step's card, a manager's team plans and a
plan to review, the visits of one's own plan, the people a customer may be reassigned to, what a
customer's card offers, the person an admin changes in /team, one's away periods.

Org (fakes.make_org): Ada (admin); Gus (GM) > Mia (marketing VP) > Sam (sales manager) > Sue, Sid
(supervisors); Rob (rep) > Sue; Ray (rep) > Sid; Gus > Fay (finance VP) > Ace (accountant); Cat
(customer service, routine_fakes) under Gus. For each rule: the rep, a colleague, the line above,
an admin, an outsider and a deactivated person."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import TypeVar

import pytest
from approval_fakes import HOUR, MONDAY_10, local_utc, make_terms
from fakes import ACE, ADA, FAY, GUS, MIA, RAY, ROB, SAM, SID, SUE, make_org, make_person
from refusals import assert_refused
from routine_fakes import CAT, RoutineUnitOfWork, make_customer, routine_world

from bot.core.approvals import ApprovalStep, StepStatus
from bot.core.customers import Customer, CustomerStatus
from bot.core.errors import Deactivated, NotAllowed, NotFound
from bot.core.models import Person
from bot.core.plans import PlanStatus
from bot.core.policy import Policy
from bot.core.roles import Role
from bot.core.usecases.approvals import (
    approver_queue,
    ensure_decider,
    my_requests,
    own_request,
    step_view,
    submit,
)
from bot.core.usecases.customer_register import CardActions, card_actions, reassign_candidates
from bot.core.usecases.customers import customer_view
from bot.core.usecases.delegation import away_periods, set_away
from bot.core.usecases.plans import (
    TeamWeek,
    add_item,
    my_plan,
    my_plan_items,
    review_view,
    team_week,
)
from bot.core.usecases.plans import submit as submit_plan
from bot.core.usecases.team import member_to_change

POLICY = Policy()
DAY = timedelta(days=1)
WED_10 = local_utc(4, 10)  # plans are drafted for the week of Monday 9 March
E = TypeVar("E", bound=Exception)
World = RoutineUnitOfWork


def deactivate(uow: World, *person_ids: int) -> None:
    for person_id in person_ids:
        uow.people[person_id].active = False
    uow.baseline()


async def rob_files(uow: World, customer_id: int = 1) -> int:
    """Rob's request for his customer; its first step waits for Sue."""
    request = await submit(
        uow, requester_id=ROB, terms=make_terms(customer_id), policy=POLICY, now=MONDAY_10
    )
    return request.id


def first_step(uow: World, request_id: int = 1) -> ApprovalStep:
    return uow.steps.of_request(request_id)[0]


def world() -> World:
    """Rob's customer 1 Acme; Ray's customer 2 Bolt."""
    return routine_world(make_customer(1, ROB, "Acme"), make_customer(2, RAY, "Bolt"))


# --- a request in /my and for a resubmission ------------------------------------------------


async def test_my_requests_are_the_requester_s_own_newest_first() -> None:
    uow = world()
    first = await rob_files(uow)
    second = await rob_files(uow)
    await submit(uow, requester_id=RAY, terms=make_terms(2), policy=POLICY, now=MONDAY_10)

    assert [v.request.id for v in await my_requests(uow, ROB)] == [second, first]
    assert [v.customer_name for v in await my_requests(uow, ROB)] == ["Acme", "Acme"]
    assert await my_requests(uow, SUE) == []  # her approvals are not her requests


async def test_a_deactivated_person_has_no_list_of_requests() -> None:
    uow = world()
    await rob_files(uow)
    deactivate(uow, ROB)
    await assert_refused(uow, my_requests(uow, ROB), Deactivated)


@pytest.mark.parametrize(
    ("actor", "error"),
    [
        (ROB, None),  # the requester
        (RAY, NotFound),  # a colleague
        (SUE, NotFound),  # the line above, approving it
        (SAM, NotFound),
        (ADA, NotFound),  # an admin
        (FAY, NotFound),  # an outsider
    ],
)
async def test_only_the_requester_opens_a_request_as_their_own(
    actor: int, error: type[Exception] | None
) -> None:
    uow = world()
    request_id = await rob_files(uow)
    if error is None:
        view = await own_request(uow, actor, request_id)
        assert (view.request.id, view.customer_name) == (request_id, "Acme")
    else:
        await assert_refused(uow, own_request(uow, actor, request_id), error)


async def test_an_unknown_or_deactivated_person_s_request_is_refused() -> None:
    uow = world()
    request_id = await rob_files(uow)
    await assert_refused(uow, own_request(uow, ROB, request_id + 1), NotFound)
    deactivate(uow, ROB)
    await assert_refused(uow, own_request(uow, ROB, request_id), Deactivated)


# --- the approver's queue and a step's card -------------------------------------------------


async def test_the_queue_holds_the_steps_open_for_the_approver_only() -> None:
    uow = world()
    request_id = await rob_files(uow)

    queue = await approver_queue(uow, SUE)
    assert [(step.id, view.request.id) for step, view in queue] == [
        (first_step(uow).id, request_id)
    ]
    for other in (ROB, SAM, SID, ADA):  # the requester; the next approver waits his turn
        assert await approver_queue(uow, other) == []


async def test_the_queue_of_an_away_approver_goes_to_the_delegate() -> None:
    uow = world()
    await rob_files(uow)
    await set_away(
        uow,
        person_id=SUE,
        delegate_id=SID,
        starts_at=MONDAY_10,
        ends_at=MONDAY_10 + DAY,
        policy=POLICY,
        now=MONDAY_10 + HOUR,
    )
    assert [step.id for step, _view in await approver_queue(uow, SID)] == [first_step(uow).id]
    assert await approver_queue(uow, SUE) == []


async def test_a_deactivated_approver_has_no_queue() -> None:
    uow = world()
    await rob_files(uow)
    deactivate(uow, SUE)
    await assert_refused(uow, approver_queue(uow, SUE), Deactivated)


@pytest.mark.parametrize(
    ("actor", "sees"),
    [
        (ROB, True),  # the requester
        (SUE, True),  # the approver deciding now
        (SAM, True),  # the line above: later in the chain
        (GUS, True),
        (ADA, True),  # an admin sees every request
        (SID, False),  # a supervisor of another team
        (RAY, False),  # a colleague
        (FAY, False),  # outsiders
        (ACE, False),
    ],
)
async def test_a_step_s_card_is_for_those_who_may_read_its_request(actor: int, sees: bool) -> None:
    uow = world()
    request_id = await rob_files(uow)
    step_id = first_step(uow).id
    if sees:
        step, view = await step_view(uow, actor_id=actor, step_id=step_id, now=MONDAY_10)
        assert (step.id, view.request.id) == (step_id, request_id)
    else:
        error = await assert_refused(
            uow, step_view(uow, actor_id=actor, step_id=step_id, now=MONDAY_10), NotAllowed
        )
        assert error.details == {"action": "decide"}


async def test_a_delegate_reads_the_step_as_soon_as_they_may_decide_it() -> None:
    """A delegation that begins while the step is open reaches the step with the next sweep;
    the delegate may decide it before that, so they may read it too, and not after it ends."""
    uow = world()
    await rob_files(uow)
    step_id = first_step(uow).id
    await uow.delegations.add(
        person_id=SUE, delegate_id=SID, starts_at=MONDAY_10, ends_at=MONDAY_10 + DAY, now=MONDAY_10
    )
    during, after = MONDAY_10 + HOUR, MONDAY_10 + 2 * DAY

    await ensure_decider(uow, step_id=step_id, actor_id=SID, policy=POLICY, now=during)
    step, _view = await step_view(uow, actor_id=SID, step_id=step_id, now=during)
    assert step.acting_id is None
    uow.baseline()
    await assert_refused(uow, step_view(uow, actor_id=SID, step_id=step_id, now=after), NotAllowed)


async def test_whoever_decided_a_step_still_reads_it() -> None:
    uow = world()
    await rob_files(uow)
    step = first_step(uow)
    uow.steps.rows[step.id] = replace(step, status=StepStatus.approved, decided_by=SID)
    decided, _view = await step_view(uow, actor_id=SID, step_id=step.id, now=MONDAY_10 + HOUR)
    assert decided.decided_by == SID


async def test_an_unknown_step_or_a_deactivated_reader_is_refused() -> None:
    uow = world()
    await rob_files(uow)
    await assert_refused(uow, step_view(uow, actor_id=SUE, step_id=99, now=MONDAY_10), NotAllowed)
    deactivate(uow, SUE)
    step_id = first_step(uow).id
    await assert_refused(
        uow, step_view(uow, actor_id=SUE, step_id=step_id, now=MONDAY_10), Deactivated
    )


# --- a manager's team plans and a plan to review --------------------------------------------


async def plans_of_rob_and_ray(uow: World, submit_rob: bool = True) -> tuple[int, int]:
    """Rob's plan (submitted unless told) and Ray's draft for the week of 9 March."""
    ids = []
    for rep, customer_id in ((ROB, 1), (RAY, 2)):
        plan = await my_plan(uow, actor_id=rep, policy=POLICY, now=WED_10)
        await add_item(
            uow,
            actor_id=rep,
            plan_id=plan.id,
            customer_id=customer_id,
            day=plan.week,
            purpose="Quote",
        )
        ids.append(plan.id)
    if submit_rob:
        await submit_plan(uow, actor_id=ROB, plan_id=ids[0], policy=POLICY, now=WED_10)
    return ids[0], ids[1]


def team_rows(week: TeamWeek) -> list[tuple[int, PlanStatus | None]]:
    return [(rep.id, plan.status if plan else None) for rep, plan in week.plans]


@pytest.mark.parametrize(
    ("actor", "rows"),
    [
        (SUE, [(ROB, PlanStatus.submitted)]),  # her own rep
        (SID, [(RAY, PlanStatus.draft)]),
        (SAM, [(ROB, PlanStatus.submitted), (RAY, PlanStatus.draft)]),  # the line above
        (GUS, [(ROB, PlanStatus.submitted), (RAY, PlanStatus.draft)]),
        (FAY, []),  # a manager of another line
        (ADA, []),  # an admin with nobody reporting to them
    ],
)
async def test_a_manager_sees_the_plans_of_the_reps_below(
    actor: int, rows: list[tuple[int, PlanStatus | None]]
) -> None:
    uow = world()
    await plans_of_rob_and_ray(uow)
    week = await team_week(uow, actor_id=actor, policy=POLICY, now=WED_10)
    assert week.week.isoformat() == "2026-03-09"
    assert team_rows(week) == rows


async def test_a_rep_without_a_plan_is_listed_without_one() -> None:
    uow = world()
    week = await team_week(uow, actor_id=SAM, policy=POLICY, now=WED_10)
    assert team_rows(week) == [(ROB, None), (RAY, None)]


@pytest.mark.parametrize(("actor", "error"), [(ROB, NotAllowed), (ACE, NotAllowed)])
async def test_who_manages_nobody_sees_no_team_plans(actor: int, error: type[Exception]) -> None:
    uow = world()
    await assert_refused(uow, team_week(uow, actor_id=actor, policy=POLICY, now=WED_10), error)


async def test_a_deactivated_manager_sees_no_team_plans() -> None:
    uow = world()
    deactivate(uow, SAM)
    await assert_refused(uow, team_week(uow, actor_id=SAM, policy=POLICY, now=WED_10), Deactivated)


@pytest.mark.parametrize(
    ("actor", "outcome"),
    [
        (SUE, "reviews"),  # Rob's own manager
        (SAM, "reviews"),  # the sales manager above reviews it too (issue 11)
        (GUS, "reads"),
        (SID, NotFound),  # a manager of another team
        (FAY, NotFound),
        (ADA, NotFound),  # an admin outside the sales line
        (ROB, NotAllowed),  # the rep himself: /plan is where he reads his plan
        (RAY, NotAllowed),  # a colleague
    ],
)
async def test_a_submitted_plan_is_read_by_the_line_above_and_reviewed_by_its_managers(
    actor: int, outcome: str | type[Exception]
) -> None:
    uow = world()
    rob_plan, _ray_plan = await plans_of_rob_and_ray(uow)
    if isinstance(outcome, str):
        review = await review_view(uow, actor_id=actor, plan_id=rob_plan, policy=POLICY)
        assert review.params["rep"] == "Rob"
        assert [i["customer"] for i in review.params["items"]] == ["Acme"]
        assert review.reviewable is (outcome == "reviews")
    else:
        await assert_refused(
            uow, review_view(uow, actor_id=actor, plan_id=rob_plan, policy=POLICY), outcome
        )


async def test_a_draft_is_read_but_not_reviewed() -> None:
    uow = world()
    rob_plan, _ray_plan = await plans_of_rob_and_ray(uow, submit_rob=False)
    review = await review_view(uow, actor_id=SUE, plan_id=rob_plan, policy=POLICY)
    assert review.params["status"] == "draft"
    assert review.reviewable is False


async def test_with_the_supervisor_gone_the_manager_above_reviews_the_plan() -> None:
    uow = world()
    rob_plan, _ray_plan = await plans_of_rob_and_ray(uow)
    deactivate(uow, SUE)
    review = await review_view(uow, actor_id=SAM, plan_id=rob_plan, policy=POLICY)
    assert review.reviewable is True


async def test_an_unknown_plan_or_a_deactivated_reader_is_refused() -> None:
    uow = world()
    rob_plan, _ray_plan = await plans_of_rob_and_ray(uow)
    await assert_refused(uow, review_view(uow, actor_id=SUE, plan_id=99, policy=POLICY), NotFound)
    deactivate(uow, SUE)
    await assert_refused(
        uow, review_view(uow, actor_id=SUE, plan_id=rob_plan, policy=POLICY), Deactivated
    )


async def test_the_plan_s_visits_are_the_actor_s_own_with_customer_names() -> None:
    uow = world()
    await plans_of_rob_and_ray(uow)
    mine = await my_plan_items(uow, actor_id=ROB, policy=POLICY, now=WED_10)
    theirs = await my_plan_items(uow, actor_id=RAY, policy=POLICY, now=WED_10)
    assert [name for _item, name in mine] == ["Acme"]
    assert [name for _item, name in theirs] == ["Bolt"]
    assert await my_plan_items(uow, actor_id=SUE, policy=POLICY, now=WED_10) == []
    deactivate(uow, ROB)
    await assert_refused(
        uow, my_plan_items(uow, actor_id=ROB, policy=POLICY, now=WED_10), Deactivated
    )


# --- whom a customer may be reassigned to ---------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "customer_id", "outcome"),
    [
        (SUE, 1, {SUE}),  # Rob's supervisor: her team, not Rob who owns it now
        (SAM, 1, {SAM, SUE, SID, RAY}),  # the line above: his whole team
        (SAM, 2, {SAM, SUE, SID, ROB}),
        (ADA, 1, {ADA, GUS, MIA, SAM, SUE, SID, RAY, FAY, ACE, CAT}),  # an admin: everyone
        (SID, 1, NotFound),  # a manager of another team does not see the customer
        (FAY, 1, NotFound),  # an outsider
        (ROB, 1, NotAllowed),  # the rep who owns it manages nobody
        (RAY, 1, NotFound),  # a colleague does not see it
    ],
)
async def test_a_customer_goes_to_an_active_person_of_the_manager_s_team(
    actor: int, customer_id: int, outcome: set[int] | type[Exception]
) -> None:
    uow = world()
    if isinstance(outcome, set):
        customer, people = await reassign_candidates(uow, actor, customer_id)
        assert customer.id == customer_id
        assert {p.id for p in people} == outcome
    else:
        await assert_refused(uow, reassign_candidates(uow, actor, customer_id), outcome)


async def test_a_deactivated_person_is_no_owner_and_reassigns_nothing() -> None:
    uow = world()
    deactivate(uow, RAY)
    _customer, people = await reassign_candidates(uow, SAM, 1)
    assert {p.id for p in people} == {SAM, SUE, SID}
    deactivate(uow, SAM)
    await assert_refused(uow, reassign_candidates(uow, SAM, 1), Deactivated)


# --- what a customer's card offers ----------------------------------------------------------

P, Q, W, H, L = (
    CustomerStatus.prospect,
    CustomerStatus.qualified,
    CustomerStatus.won,
    CustomerStatus.handed_over,
    CustomerStatus.lost,
)


def person(person_id: int) -> Person:
    return next(p for p in make_org() if p.id == person_id)


def customer(status: CustomerStatus, owner: int = ROB, confirmed: bool = False) -> Customer:
    return make_customer(
        1, owner, "Acme", status=status, confirmed_at=MONDAY_10 if confirmed else None
    )


@pytest.mark.parametrize(
    ("actor", "shown", "offered"),
    [
        # (visit, confirm, manage, hand over, edit, mark won)
        (ROB, customer(P), (True, False, False, False, True, False)),  # visits his own prospect
        (SUE, customer(P), (True, True, True, False, True, False)),  # his supervisor confirms it
        (SAM, customer(P), (True, True, True, False, True, False)),  # the line above
        (ADA, customer(P), (True, True, True, False, True, False)),  # an admin
        (SUE, customer(P, owner=SUE), (True, False, True, False, True, False)),  # not her own
        (SUE, customer(P, confirmed=True), (True, False, True, False, True, False)),
        (ROB, customer(P, confirmed=True), (True, False, False, False, True, True)),  # 成交
        (ROB, customer(Q), (True, False, False, False, True, True)),  # the owner records it
        (SUE, customer(Q), (True, False, True, False, True, False)),  # a manager: Change status
        (SUE, customer(W), (True, False, True, True, True, False)),  # won: handed over
        (ROB, customer(W), (True, False, False, False, True, False)),  # by a manager only
        (SUE, customer(H), (False, False, True, False, True, False)),  # closed: no more visits
        (ROB, customer(L), (False, False, False, False, True, False)),
    ],
)
def test_the_card_offers_what_the_actions_allow(
    actor: int, shown: Customer, offered: tuple[bool, ...]
) -> None:
    assert card_actions(person(actor), shown, team=True) == CardActions(*offered)


def test_customer_service_reading_a_handed_customer_is_offered_nothing() -> None:
    cat = make_person(id=CAT, full_name="Cat", role=Role.customer_service, reports_to=GUS)
    handed = replace(customer(H), service_id=CAT)
    assert card_actions(cat, handed, team=False) == CardActions(*[False] * 6)


async def test_the_customer_view_carries_the_actor_s_actions() -> None:
    uow = world()
    sue, rob = (True, True, True, False, True, False), (True, False, False, False, True, False)
    assert (await customer_view(uow, SUE, 1))["actions"] == CardActions(*sue)
    assert (await customer_view(uow, ROB, 1))["actions"] == CardActions(*rob)


# --- the person an admin changes in /team ---------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "error"),
    [
        (ADA, None),  # the admin
        (ROB, NotAllowed),  # the person himself
        (RAY, NotAllowed),  # a colleague
        (SUE, NotAllowed),  # the line above
        (GUS, NotAllowed),
        (FAY, NotAllowed),  # an outsider
    ],
)
async def test_only_an_admin_opens_a_person_to_change(
    actor: int, error: type[Exception] | None
) -> None:
    uow = world()
    if error is None:
        assert (await member_to_change(uow, actor, ROB)).id == ROB
    else:
        error_raised = await assert_refused(uow, member_to_change(uow, actor, ROB), error)
        assert error_raised.details == {"action": "manage_team"}


async def test_an_admin_opens_a_deactivated_person_but_not_an_unknown_one() -> None:
    uow = world()
    deactivate(uow, ROB)
    assert (await member_to_change(uow, ADA, ROB)).active is False
    await assert_refused(uow, member_to_change(uow, ADA, 99), NotFound)
    deactivate(uow, ADA)
    await assert_refused(uow, member_to_change(uow, ADA, SUE), Deactivated)


# --- one's away periods ---------------------------------------------------------------------


async def test_away_periods_are_the_person_s_own_with_the_delegate_s_name() -> None:
    uow = world()
    await set_away(
        uow,
        person_id=SUE,
        delegate_id=SID,
        starts_at=MONDAY_10 + DAY,
        ends_at=MONDAY_10 + 2 * DAY,
        policy=POLICY,
        now=MONDAY_10,
    )
    await set_away(
        uow,
        person_id=SAM,
        delegate_id=MIA,
        starts_at=MONDAY_10 + DAY,
        ends_at=MONDAY_10 + 2 * DAY,
        policy=POLICY,
        now=MONDAY_10,
    )

    assert [(d.delegate_id, name) for d, name in await away_periods(uow, SUE, MONDAY_10)] == [
        (SID, "Sid")
    ]
    assert await away_periods(uow, SID, MONDAY_10) == []  # the delegate is not away
    assert await away_periods(uow, SUE, MONDAY_10 + 3 * DAY) == []  # over
    deactivate(uow, SUE)
    await assert_refused(uow, away_periods(uow, SUE, MONDAY_10), Deactivated)
