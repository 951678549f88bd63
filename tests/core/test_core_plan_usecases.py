"""The weekly rhythm with in-memory fakes: drafting, submitting and reviewing next week's plan,
the plan reminder, the missing-plans list, the meeting summary, monthly targets, the work log and
the evening prompt. Org (fakes.make_org): Rob (rep) > Sue (supervisor) > Sam (sales manager);
Ray (rep) > Sid (supervisor) > Sam; Fay (finance VP) > Ace. Default policy, Asia/Shanghai:
plans due Friday 18:00, reminder Friday 15:00, summary Saturday 08:30. Week of 2 March 2026:
Monday 2 … Sunday 8; the week being planned is that of Monday 9 March."""

from __future__ import annotations

from collections.abc import Coroutine
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from approval_fakes import HOUR, MINUTE, local_utc
from fakes import ACE, ADA, FAY, GUS, MIA, RAY, ROB, SAM, SID, SUE, make_person
from refusals import assert_refused
from routine_fakes import RoutineUnitOfWork, make_customer, routine_world

from bot.core.customers import VisitDraft
from bot.core.deals import InputProblem
from bot.core.errors import Deactivated, InvalidChange, NotAllowed, NotFound
from bot.core.plans import MAX_PLAN_ITEMS, PlanStatus, WeeklyPlan
from bot.core.policy import Policy, Reminders
from bot.core.roles import Role
from bot.core.usecases.plans import (
    add_item,
    my_plan,
    plan_params,
    remove_item,
    review,
    set_goals,
    submit,
)
from bot.core.usecases.routine import (
    evening_prompts,
    remind_plans,
    report_missing_plans,
    send_meeting_summaries,
)
from bot.core.usecases.targets import TargetFigures, confirm_target, set_target, team_reps
from bot.core.usecases.worklog import set_note, work_log

POLICY = Policy()
E = TypeVar("E", bound=Exception)
DRAFT, SUBMITTED, APPROVED, RETURNED = (
    PlanStatus.draft,
    PlanStatus.submitted,
    PlanStatus.approved,
    PlanStatus.returned,
)
ROY = 12  # a second rep, added under Sue or Fay where a test needs one


def day(number: int, month: int = 3) -> date:
    return date(2026, month, number)


MON, NEXT = day(2), day(9)  # this week's Monday; the Monday of the week being planned
WED_10 = local_utc(4, 10)
DUE = local_utc(6, 18)  # Friday 18:00
REMINDER = local_utc(6, 15)  # Friday 15:00
SUMMARY = local_utc(7, 8, 30)  # Saturday 08:30
EVENING = local_utc(2, 19)  # Monday 19:00


def world() -> RoutineUnitOfWork:
    """Rob's customers 1 Acme, 2 Bolt, 4 Delta; Ray's customer 3 Crane."""
    return routine_world(
        make_customer(1, ROB, "Acme"),
        make_customer(2, ROB, "Bolt"),
        make_customer(3, RAY, "Crane"),
        make_customer(4, ROB, "Delta"),
    )


def add_rep(uow: RoutineUnitOfWork, person_id: int, name: str, manager: int) -> None:
    uow.people.rows[person_id] = make_person(
        id=person_id, full_name=name, role=Role.rep, reports_to=manager
    )
    uow.baseline()


def deactivate(uow: RoutineUnitOfWork, *person_ids: int) -> None:
    for person_id in person_ids:
        uow.people[person_id].active = False
    uow.baseline()


async def drafted(
    uow: RoutineUnitOfWork,
    rep: int = ROB,
    items: tuple[tuple[int, date, str], ...] = ((1, NEXT, "Quote"),),
    goals: str | None = None,
) -> int:
    """Next week's plan drafted through the use cases, as the rep does it on Wednesday."""
    plan = await my_plan(uow, actor_id=rep, policy=POLICY, now=WED_10)
    for customer_id, planned_on, purpose in items:
        await add_item(
            uow,
            actor_id=rep,
            plan_id=plan.id,
            customer_id=customer_id,
            day=planned_on,
            purpose=purpose,
        )
    if goals is not None:
        await set_goals(uow, actor_id=rep, plan_id=plan.id, goals=goals)
    return plan.id


def reviewing(
    uow: RoutineUnitOfWork,
    plan_id: int,
    by: int = SUE,
    action: str = "approve",
    comment: str | None = None,
    now: datetime = WED_10,
) -> Coroutine[Any, Any, WeeklyPlan]:
    """`review` of the plan, by default approved by Rob's own manager on Wednesday."""
    return review(
        uow, actor_id=by, plan_id=plan_id, action=action, comment=comment, policy=POLICY, now=now
    )


async def stored_plan(
    uow: RoutineUnitOfWork,
    rep: int,
    week: date,
    status: PlanStatus = DRAFT,
    submitted_at: datetime | None = None,
    customers: tuple[tuple[int, date], ...] = (),
) -> int:
    """A plan put straight into storage (committed), for the clock-work tests."""
    plan = await uow.plans.add(rep, week)
    for customer_id, planned_on in customers:
        await uow.plans.add_item(plan.id, customer_id=customer_id, day=planned_on, purpose="x")
    await uow.plans.save(replace(plan, status=status, submitted_at=submitted_at))
    uow.baseline()
    return plan.id


async def stored_visit(uow: RoutineUnitOfWork, rep: int, customer_id: int, on: date) -> int:
    draft = VisitDraft(customer_id, "revisit", on, f"Visited {customer_id}", "low")
    visit = await uow.visits.add(
        draft, rep_id=rep, now=local_utc(on.day, 12, month=on.month), distance_m=None, far=False
    )
    uow.baseline()
    return visit.id


# --- drafting -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "week"),
    [
        pytest.param(local_utc(2, 0, 0), NEXT, id="monday-midnight"),
        pytest.param(WED_10, NEXT, id="wednesday"),
        pytest.param(local_utc(7, 10), NEXT, id="saturday-after-due"),
        pytest.param(local_utc(8, 23, 59), NEXT, id="sunday-night"),
        pytest.param(local_utc(9, 0, 0), day(16), id="next-monday-local"),
    ],
)
async def test_my_plan_is_a_draft_for_next_week_created_once(now: datetime, week: date) -> None:
    uow = world()

    plan = await my_plan(uow, actor_id=ROB, policy=POLICY, now=now)
    again = await my_plan(uow, actor_id=ROB, policy=POLICY, now=now)

    assert (plan.rep_id, plan.week, plan.status, plan.items) == (ROB, week, DRAFT, [])
    assert again.id == plan.id
    assert len(uow.plans.rows) == 1
    assert uow.committed == 1


async def test_items_are_added_in_day_order_and_removed() -> None:
    uow = world()
    plan_id = await drafted(uow, items=((2, day(11), "Demo"), (1, NEXT, "  Quote  ")))

    items = uow.plans[plan_id].items
    assert [(i.customer_id, i.day, i.purpose) for i in items] == [
        (1, NEXT, "Quote"),
        (2, day(11), "Demo"),
    ]

    after = await remove_item(uow, actor_id=ROB, plan_id=plan_id, item_id=items[0].id)

    assert [(i.customer_id, i.day) for i in after.items] == [(2, day(11))]
    assert after == uow.plans[plan_id]
    assert after.status is DRAFT


@pytest.mark.parametrize("planned_on", [NEXT, day(15)], ids=["monday", "sunday"])
async def test_any_day_of_the_planned_week_may_be_used(planned_on: date) -> None:
    uow = world()

    plan_id = await drafted(uow, items=((1, planned_on, "Visit"),))

    assert [i.day for i in uow.plans[plan_id].items] == [planned_on]


@pytest.mark.parametrize(
    ("actor", "customer_id", "planned_on", "purpose", "error", "code"),
    [
        pytest.param(ROB, 3, NEXT, "Visit", NotFound, None, id="another-rep-s-customer"),
        pytest.param(ROB, 99, NEXT, "Visit", NotFound, None, id="unknown-customer"),
        pytest.param(RAY, 3, NEXT, "Visit", NotFound, None, id="another-rep-s-plan"),
        pytest.param(ROB, 1, day(8), "Visit", InvalidChange, "day_outside_week", id="before"),
        pytest.param(ROB, 1, day(16), "Visit", InvalidChange, "day_outside_week", id="after"),
        pytest.param(ROB, 1, NEXT, "   ", InputProblem, "empty", id="empty-purpose"),
        pytest.param(ROB, 1, NEXT, "x" * 201, InputProblem, "too_long", id="long-purpose"),
    ],
)
async def test_an_item_is_refused(
    actor: int,
    customer_id: int,
    planned_on: date,
    purpose: str,
    error: type[Exception],
    code: str | None,
) -> None:
    uow = world()
    plan_id = await drafted(uow)

    caught = await assert_refused(
        uow,
        add_item(
            uow,
            actor_id=actor,
            plan_id=plan_id,
            customer_id=customer_id,
            day=planned_on,
            purpose=purpose,
        ),
        error,
    )

    if isinstance(caught, InvalidChange):
        assert caught.reason == code
    elif isinstance(caught, InputProblem):
        assert caught.code == code


async def test_a_plan_holds_at_most_the_maximum_of_items() -> None:
    uow = world()
    plan_id = await stored_plan(uow, ROB, NEXT, customers=((1, NEXT),) * MAX_PLAN_ITEMS)

    error = await assert_refused(
        uow,
        add_item(uow, actor_id=ROB, plan_id=plan_id, customer_id=2, day=NEXT, purpose="One more"),
        InvalidChange,
    )

    assert error.reason == "too_many_items"


@pytest.mark.parametrize(
    ("actor", "item"),
    [(ROB, 99), (ROB, "other-plan"), (RAY, "own")],
    ids=["unknown", "another-plan-s-item", "another-rep"],
)
async def test_removing_an_item_is_refused(actor: int, item: int | str) -> None:
    uow = world()
    plan_id = await drafted(uow)
    other = await stored_plan(uow, ROB, MON, customers=((2, MON),))
    item_id = {"own": uow.plans[plan_id].items[0].id, "other-plan": uow.plans[other].items[0].id}
    target = item_id.get(item, item) if isinstance(item, str) else item

    await assert_refused(
        uow, remove_item(uow, actor_id=actor, plan_id=plan_id, item_id=target), NotFound
    )


# --- submitting and reviewing ---------------------------------------------------------------


async def test_submitting_sends_the_manager_a_card_and_is_audited() -> None:
    uow = world()
    plan_id = await drafted(
        uow, items=((2, day(10), "Demo"), (1, NEXT, "Quote")), goals="Close Acme"
    )
    at = local_utc(5, 16)

    submitted = await submit(uow, actor_id=ROB, plan_id=plan_id, policy=POLICY, now=at)

    stored = uow.plans[plan_id]
    assert stored == submitted
    assert (stored.status, stored.submitted_at, stored.comment) == (SUBMITTED, at, None)
    assert stored.last_submitted == {
        "goals": "Close Acme",
        "items": [[1, "2026-03-09", "Quote"], [2, "2026-03-10", "Demo"]],
    }
    assert uow.queued() == [(SUE, "plan_card")]
    card = uow.last_to(SUE, "plan_card")
    assert (card.ref, card.edit) == (f"plan:{plan_id}", False)
    assert card.params == {
        "late": False,
        "plan_id": plan_id,
        "rep": "Rob",
        "week": "2026-03-09",
        "status": "submitted",
        "goals": "Close Acme",
        "items": [
            {"day": "2026-03-09", "customer": "Acme", "purpose": "Quote"},
            {"day": "2026-03-10", "customer": "Bolt", "purpose": "Demo"},
        ],
        "due": DUE.isoformat(),
        "comment": None,
        "reviewer": None,
        "changes": {},
    }
    assert [(a.action, a.actor_id, a.subject) for a in uow.audit.entries] == [
        ("plan_submitted", ROB, f"plan:{plan_id}")
    ]


async def test_each_rep_s_plan_goes_to_their_own_manager() -> None:
    uow = world()
    plan_id = await drafted(uow, RAY, items=((3, NEXT, "Visit"),))

    await submit(uow, actor_id=RAY, plan_id=plan_id, policy=POLICY, now=WED_10)

    assert uow.queued() == [(SID, "plan_card")]


async def test_a_plan_with_goals_only_may_be_submitted() -> None:
    uow = world()
    plan_id = await drafted(uow, items=(), goals="Office week")

    await submit(uow, actor_id=ROB, plan_id=plan_id, policy=POLICY, now=WED_10)

    assert uow.plans[plan_id].status is SUBMITTED


@pytest.mark.parametrize(
    ("setup", "actor", "error", "reason"),
    [
        pytest.param("empty", ROB, InvalidChange, "empty_plan", id="empty"),
        pytest.param("submitted", ROB, InvalidChange, "already_submitted", id="twice"),
        pytest.param("approved", ROB, InvalidChange, "already_submitted", id="approved"),
        pytest.param("drafted", RAY, NotFound, None, id="another-rep-s-plan"),
    ],
)
async def test_submitting_is_refused(
    setup: str, actor: int, error: type[Exception], reason: str | None
) -> None:
    uow = world()
    plan_id = await drafted(uow, items=() if setup == "empty" else ((1, NEXT, "Quote"),))
    if setup in ("submitted", "approved"):
        await submit(uow, actor_id=ROB, plan_id=plan_id, policy=POLICY, now=WED_10)
    if setup == "approved":
        await reviewing(uow, plan_id)

    caught = await assert_refused(
        uow, submit(uow, actor_id=actor, plan_id=plan_id, policy=POLICY, now=WED_10), error
    )

    assert getattr(caught, "reason", None) == reason


@pytest.mark.parametrize("reviewed", [None, "approve", "return"])
@pytest.mark.parametrize("edit", ["add", "remove", "goals"])
async def test_changing_a_submitted_plan_makes_it_a_draft_again(
    edit: str, reviewed: str | None
) -> None:
    uow = world()
    plan_id = await drafted(uow, items=((1, NEXT, "Quote"), (2, NEXT, "Demo")))
    await submit(uow, actor_id=ROB, plan_id=plan_id, policy=POLICY, now=WED_10)
    if reviewed is not None:
        await reviewing(uow, plan_id, action=reviewed, comment="Noted")

    if edit == "add":
        await add_item(uow, actor_id=ROB, plan_id=plan_id, customer_id=4, day=NEXT, purpose="New")
    elif edit == "remove":
        item_id = uow.plans[plan_id].items[0].id
        await remove_item(uow, actor_id=ROB, plan_id=plan_id, item_id=item_id)
    else:
        await set_goals(uow, actor_id=ROB, plan_id=plan_id, goals="More")

    assert uow.plans[plan_id].status is DRAFT
    assert uow.plans[plan_id].submitted is False


async def test_a_resubmission_after_return_shows_the_manager_what_changed() -> None:
    uow = world()
    plan_id = await drafted(
        uow, items=((1, NEXT, "Quote"), (2, day(10), "Demo")), goals="Close Acme"
    )
    await submit(uow, actor_id=ROB, plan_id=plan_id, policy=POLICY, now=WED_10)
    returned_at = WED_10 + HOUR

    await reviewing(uow, plan_id, action="return", comment="Add Delta", now=returned_at)

    stored = uow.plans[plan_id]
    assert (stored.status, stored.reviewed_by, stored.reviewed_at, stored.comment) == (
        RETURNED,
        SUE,
        returned_at,
        "Add Delta",
    )
    reviewed = uow.last_to(ROB, "plan_reviewed").params
    assert (reviewed["action"], reviewed["comment"], reviewed["reviewer"]) == (
        "return",
        "Add Delta",
        "Sue",
    )
    sue_card = uow.last_to(SUE, "plan_card")
    assert (sue_card.ref, sue_card.edit, sue_card.params["status"]) == (
        f"plan:{plan_id}",
        True,
        "returned",
    )

    uow.clear_outbox()
    bolt = next(i.id for i in uow.plans[plan_id].items if i.customer_id == 2)
    await remove_item(uow, actor_id=ROB, plan_id=plan_id, item_id=bolt)
    await add_item(uow, actor_id=ROB, plan_id=plan_id, customer_id=4, day=day(11), purpose="Meet")
    await set_goals(uow, actor_id=ROB, plan_id=plan_id, goals="Close Acme and Delta")
    await submit(uow, actor_id=ROB, plan_id=plan_id, policy=POLICY, now=WED_10 + 2 * HOUR)

    assert uow.queued() == [(SUE, "plan_card")]
    card = uow.last_to(SUE, "plan_card")
    assert card.edit is False  # a new card: the manager's phone rings for a resubmission
    assert card.params["changes"] == {"added": 1, "removed": 1, "goals_changed": True}
    assert card.params["comment"] is None
    assert (uow.plans[plan_id].status, uow.plans[plan_id].comment) == (SUBMITTED, None)


async def test_a_resubmission_without_changes_says_so() -> None:
    uow = world()
    plan_id = await drafted(uow)
    await submit(uow, actor_id=ROB, plan_id=plan_id, policy=POLICY, now=WED_10)
    await reviewing(uow, plan_id, action="return", comment="Why?")
    uow.clear_outbox()

    await submit(uow, actor_id=ROB, plan_id=plan_id, policy=POLICY, now=WED_10 + HOUR)

    changes = uow.last_to(SUE, "plan_card").params["changes"]
    assert changes == {"added": 0, "removed": 0, "goals_changed": False}


@pytest.mark.parametrize(
    ("action", "comment", "status"),
    [
        ("approve", None, APPROVED),
        ("approve", "Good", APPROVED),
        ("comment", "Call Bolt first", SUBMITTED),
        ("return", "Too few visits", RETURNED),
    ],
)
async def test_the_rep_s_manager_reviews_and_the_rep_hears_of_it(
    action: str, comment: str | None, status: PlanStatus
) -> None:
    uow = world()
    plan_id = await drafted(uow)
    await submit(uow, actor_id=ROB, plan_id=plan_id, policy=POLICY, now=WED_10)
    uow.clear_outbox()
    at = WED_10 + HOUR

    reviewed = await reviewing(uow, plan_id, action=action, comment=comment, now=at)

    stored = uow.plans[plan_id]
    assert stored == reviewed
    assert (stored.status, stored.reviewed_by, stored.reviewed_at, stored.comment) == (
        status,
        SUE,
        at,
        comment,
    )
    assert uow.queued() == [(ROB, "plan_reviewed"), (SUE, "plan_card")]
    params = uow.last_to(ROB, "plan_reviewed").params
    assert (params["action"], params["status"], params["comment"]) == (
        action,
        status.value,
        comment,
    )
    assert [(a.action, a.actor_id, a.comment) for a in uow.audit.entries] == [
        (f"plan_{action}", SUE, comment)
    ]


@pytest.mark.parametrize("actor", [SID, ROB, RAY, ADA, MIA, GUS])
async def test_only_the_rep_s_own_manager_or_a_sales_manager_above_reviews(actor: int) -> None:
    uow = world()
    plan_id = await drafted(uow)
    await submit(uow, actor_id=ROB, plan_id=plan_id, policy=POLICY, now=WED_10)

    await assert_refused(
        uow,
        reviewing(uow, plan_id, by=actor),
        NotAllowed,
    )


async def test_with_the_supervisor_gone_the_manager_above_reviews() -> None:
    uow = world()
    plan_id = await drafted(uow)
    deactivate(uow, SUE)

    await submit(uow, actor_id=ROB, plan_id=plan_id, policy=POLICY, now=WED_10)
    await reviewing(uow, plan_id, by=SAM)

    assert uow.queued()[0] == (SAM, "plan_card")
    assert uow.plans[plan_id].status is APPROVED
    await assert_refused(
        uow,
        reviewing(uow, plan_id),
        Deactivated,
    )


@pytest.mark.parametrize(
    ("state", "action", "comment", "error", "reason"),
    [
        pytest.param("submitted", "comment", None, InvalidChange, "reason_required", id="comment"),
        pytest.param("submitted", "return", "  ", InvalidChange, "reason_required", id="return"),
        pytest.param("draft", "approve", None, InvalidChange, "not_submitted", id="draft"),
        pytest.param("approved", "approve", None, InvalidChange, "not_submitted", id="twice"),
        pytest.param("unknown", "approve", None, NotFound, None, id="unknown-plan"),
        pytest.param("submitted", "delete", "x", NotAllowed, None, id="forged-action"),
    ],
)
async def test_a_review_is_refused(
    state: str, action: str, comment: str | None, error: type[Exception], reason: str | None
) -> None:
    uow = world()
    plan_id = await drafted(uow)
    if state in ("submitted", "approved"):
        await submit(uow, actor_id=ROB, plan_id=plan_id, policy=POLICY, now=WED_10)
    if state == "approved":
        await reviewing(uow, plan_id)

    caught = await assert_refused(
        uow,
        reviewing(uow, 99 if state == "unknown" else plan_id, action=action, comment=comment),
        error,
    )

    assert getattr(caught, "reason", None) == reason


# --- the plan reminder and the missing-plans list -------------------------------------------


@pytest.mark.parametrize(
    ("status", "reminded"),
    [(None, True), (DRAFT, True), (RETURNED, True), (SUBMITTED, False), (APPROVED, False)],
    ids=["none", "draft", "returned", "submitted", "approved"],
)
async def test_the_plan_reminder_goes_to_reps_without_a_submitted_plan(
    status: PlanStatus | None, reminded: bool
) -> None:
    uow = world()
    if status is not None:
        await stored_plan(uow, ROB, NEXT, status, submitted_at=local_utc(5, 10))
    await stored_plan(uow, RAY, MON, SUBMITTED, submitted_at=local_utc(27, 10, month=2))

    sent = await remind_plans(uow, policy=POLICY, now=REMINDER)

    expected = [ROB, RAY] if reminded else [RAY]  # Ray's plan is for this week, not next
    assert uow.queued() == [(rep, "plan_reminder") for rep in expected]
    assert sent == len(expected)
    assert uow.last_to(RAY, "plan_reminder").params == {
        "week": "2026-03-09",
        "due": DUE.isoformat(),
    }


async def test_the_plan_reminder_goes_once_and_only_to_active_reps() -> None:
    uow = world()
    add_rep(uow, ROY, "Roy", SUE)
    deactivate(uow, ROY)

    first = await remind_plans(uow, policy=POLICY, now=REMINDER)
    second = await remind_plans(uow, policy=POLICY, now=REMINDER + MINUTE)

    assert (first, second) == (2, 0)
    assert uow.queued() == [(ROB, "plan_reminder"), (RAY, "plan_reminder")]
    assert uow.committed == 2


async def test_at_the_due_time_each_manager_gets_the_list_of_missing_plans_once() -> None:
    uow = world()
    add_rep(uow, ROY, "Roy", SUE)
    await stored_plan(uow, ROY, NEXT, RETURNED, submitted_at=local_utc(5, 10))
    await stored_plan(uow, RAY, NEXT, SUBMITTED, submitted_at=local_utc(5, 10))

    first = await report_missing_plans(uow, policy=POLICY, now=DUE)
    second = await report_missing_plans(uow, policy=POLICY, now=DUE + MINUTE)

    assert (first, second) == (1, 0)
    assert uow.queued() == [(SUE, "plans_missing")]  # Sid's only rep submitted
    assert uow.last_to(SUE, "plans_missing").params == {
        "week": "2026-03-09",
        "names": ["Rob", "Roy"],
    }


async def test_no_missing_plans_no_list() -> None:
    uow = world()
    await stored_plan(uow, ROB, NEXT, APPROVED, submitted_at=local_utc(5, 10))
    await stored_plan(uow, RAY, NEXT, SUBMITTED, submitted_at=local_utc(6, 17))

    assert await report_missing_plans(uow, policy=POLICY, now=DUE) == 0
    assert uow.queued() == []


async def test_the_missing_list_walks_past_a_manager_who_left() -> None:
    uow = world()
    deactivate(uow, SID)

    await report_missing_plans(uow, policy=POLICY, now=DUE)

    assert uow.queued() == [(SUE, "plans_missing"), (SAM, "plans_missing")]
    assert uow.last_to(SAM, "plans_missing").params["names"] == ["Ray"]


# --- the meeting summary --------------------------------------------------------------------


async def test_before_the_meeting_the_sales_manager_gets_one_summary_with_plan_versus_actual() -> (
    None
):
    uow = world()
    # This week: Rob planned Acme on Tuesday and Bolt on Thursday; he saw Acme on Wednesday
    # (a moved visit still counts), Delta unplanned, and Bolt only last week.
    await stored_plan(
        uow, ROB, MON, APPROVED, local_utc(27, 10, month=2), ((1, day(3)), (2, day(5)))
    )
    await stored_visit(uow, ROB, 1, day(4))
    await stored_visit(uow, ROB, 4, day(6))
    await stored_visit(uow, ROB, 2, day(27, 2))
    # Next week: Rob on time with two visits, Ray late with one.
    await stored_plan(uow, ROB, NEXT, SUBMITTED, local_utc(6, 17), ((1, NEXT), (2, day(10))))
    await stored_plan(uow, RAY, NEXT, SUBMITTED, local_utc(7, 8), ((3, NEXT),))

    first = await send_meeting_summaries(uow, policy=POLICY, now=SUMMARY)
    second = await send_meeting_summaries(uow, policy=POLICY, now=SUMMARY + MINUTE)

    assert (first, second) == (1, 0)
    assert uow.queued() == [(SAM, "meeting_summary")]
    params = uow.last_to(SAM, "meeting_summary").params
    assert (params["week"], params["counts"]) == (
        "2026-03-09",
        {"submitted": 1, "late": 1, "missing": 0},
    )
    assert (params["done"], params["planned"], params["topic"]) == (1, 2, None)
    ray, rob = params["reps"]
    assert (ray["name"], ray["status"], ray["next"], ray["planned"]) == ("Ray", "late", 1, 0)
    assert (ray["completion"], ray["unplanned"]) == (None, 0)
    assert (rob["name"], rob["status"], rob["next"]) == ("Rob", "submitted", 2)
    assert (rob["done"], rob["planned"], rob["completion"], rob["unplanned"]) == (1, 2, 50, 1)


@pytest.mark.parametrize(
    ("status", "submitted_at", "line"),
    [
        pytest.param(None, None, ("missing", 0), id="none"),
        pytest.param(DRAFT, None, ("missing", 0), id="draft"),
        pytest.param(RETURNED, local_utc(5, 10), ("missing", 0), id="returned"),
        pytest.param(SUBMITTED, local_utc(6, 17, 59), ("submitted", 1), id="before-due"),
        pytest.param(SUBMITTED, DUE, ("submitted", 1), id="at-due"),
        pytest.param(SUBMITTED, DUE + MINUTE, ("late", 1), id="after-due"),
        pytest.param(APPROVED, local_utc(5, 10), ("submitted", 1), id="approved"),
        pytest.param(APPROVED, local_utc(7, 1), ("late", 1), id="approved-late"),
    ],
)
async def test_the_summary_says_submitted_late_or_missing(
    status: PlanStatus | None, submitted_at: datetime | None, line: tuple[str, int]
) -> None:
    uow = world()
    if status is not None:
        await stored_plan(uow, RAY, NEXT, status, submitted_at, ((3, NEXT),))

    await send_meeting_summaries(uow, policy=POLICY, now=SUMMARY)

    ray = uow.last_to(SAM, "meeting_summary").params["reps"][0]
    assert ray["name"] == "Ray"
    assert (ray["status"], ray["next"]) == line  # key visits only from a submitted plan


async def test_a_rep_with_no_sales_manager_above_goes_to_their_own_manager_s_summary() -> None:
    uow = world()
    add_rep(uow, ROY, "Roy", FAY)
    deactivate(uow, RAY)

    await send_meeting_summaries(uow, policy=POLICY, now=SUMMARY)

    assert uow.queued() == [(SAM, "meeting_summary"), (FAY, "meeting_summary")]
    assert [r["name"] for r in uow.last_to(SAM, "meeting_summary").params["reps"]] == ["Rob"]
    assert [r["name"] for r in uow.last_to(FAY, "meeting_summary").params["reps"]] == ["Roy"]


async def test_this_week_s_plan_with_nothing_planned_has_no_completion_figure() -> None:
    """No plan is not a plan fulfilled: the pack says "nothing planned this week", not 100 %."""
    uow = world()
    await stored_plan(uow, ROB, MON, APPROVED, local_utc(27, 10, month=2))
    await stored_visit(uow, ROB, 1, day(3))

    await send_meeting_summaries(uow, policy=POLICY, now=SUMMARY)

    rob = uow.last_to(SAM, "meeting_summary").params["reps"][1]
    assert (rob["planned"], rob["done"], rob["completion"], rob["unplanned"]) == (0, 0, None, 1)


# --- monthly targets ------------------------------------------------------------------------


FRI_09, FRI_18 = local_utc(6, 9), local_utc(6, 18)  # the deadline day's morning, its end


def figures(sales: object, collection: object, quantity: object = 0) -> TargetFigures:
    return TargetFigures(Decimal(str(sales)), Decimal(str(quantity)), Decimal(str(collection)))


async def test_the_manager_sets_a_target_and_the_rep_confirms_it_once() -> None:
    uow = world()
    target = await set_target(
        uow,
        actor_id=SUE,
        rep_id=ROB,
        month=day(15, 4),
        figures=figures("500000", "300000", quantity="120.5"),
        policy=POLICY,
        now=WED_10,
    )

    stored = uow.targets[target.id]
    assert stored == target
    assert (stored.rep_id, stored.month, stored.sales, stored.collection) == (
        ROB,
        day(1, 4),
        Decimal("500000"),
        Decimal("300000"),
    )
    assert stored.quantity == Decimal("120.5")
    assert (stored.set_by, stored.set_at, stored.confirmed_at) == (SUE, WED_10, None)
    assert (stored.confirm_by, stored.next_nudge_at) == (FRI_18, FRI_09), "2 working days"
    assert uow.queued() == [(ROB, "target_set")]
    shown = {
        "target_id": target.id,
        "month": "2026-04",
        "sales": "500000",
        "quantity": "120.5",
        "collection": "300000",
        "due": FRI_18.isoformat(),
    }
    assert uow.last_to(ROB, "target_set").params == {**shown, "by": "Sue"}
    assert [(a.action, a.comment) for a in uow.audit.entries] == [("target_set", "500000")]
    uow.clear_outbox()

    confirmed = await confirm_target(uow, actor_id=ROB, target_id=target.id, now=WED_10 + HOUR)

    assert uow.targets[target.id].confirmed_at == WED_10 + HOUR
    assert confirmed.confirmed_at == WED_10 + HOUR
    assert uow.queued() == [(SUE, "target_confirmed")]
    assert uow.last_to(SUE, "target_confirmed").params == {**shown, "rep": "Rob"}
    assert uow.targets[target.id].next_nudge_at is None, "a confirmed target is not nudged"
    assert uow.audit.actions() == ["target_confirmed"]

    error = await assert_refused(
        uow,
        confirm_target(uow, actor_id=ROB, target_id=target.id, now=WED_10 + 2 * HOUR),
        InvalidChange,
    )
    assert error.reason == "already_confirmed"
    assert uow.targets[target.id].confirmed_at == WED_10 + HOUR


async def test_a_new_figure_replaces_the_old_and_needs_confirming_again() -> None:
    uow = world()
    first = await set_target(
        uow,
        actor_id=SUE,
        rep_id=ROB,
        month=day(1, 4),
        figures=figures(100, 50),
        policy=POLICY,
        now=WED_10,
    )
    await confirm_target(uow, actor_id=ROB, target_id=first.id, now=WED_10)
    uow.clear_outbox()

    second = await set_target(
        uow,
        actor_id=SAM,
        rep_id=ROB,
        month=day(30, 4),
        figures=figures(200, 0),
        policy=POLICY,
        now=WED_10 + HOUR,
    )
    await confirm_target(uow, actor_id=ROB, target_id=second.id, now=WED_10 + 2 * HOUR)

    assert second.id == first.id
    assert len(uow.targets.rows) == 1
    stored = uow.targets[first.id]
    assert (stored.sales, stored.set_by, stored.confirmed_at) == (
        Decimal(200),
        SAM,
        WED_10 + 2 * HOUR,
    )
    assert uow.queued() == [(ROB, "target_set"), (SAM, "target_confirmed")]


@pytest.mark.parametrize(
    ("month", "allowed"),
    [(day(1), True), (day(31), True), (day(1, 4), True), (day(28, 2), False), (day(1, 5), False)],
    ids=["this-month", "this-month-any-day", "next-month", "last-month", "in-two-months"],
)
async def test_a_target_is_for_this_month_or_the_next(month: date, allowed: bool) -> None:
    uow = world()
    call = set_target(
        uow,
        actor_id=SUE,
        rep_id=ROB,
        month=month,
        figures=figures(100, 0),
        policy=POLICY,
        now=WED_10,
    )
    if allowed:
        assert (await call).month == month.replace(day=1)
    else:
        caught = await assert_refused(uow, call, InvalidChange)
        assert caught.reason == "target_month"


@pytest.mark.parametrize(
    ("actor", "rep", "sales", "collection", "error"),
    [
        pytest.param(SID, ROB, 100, 0, NotFound, id="another-team"),
        pytest.param(ROB, ROB, 100, 0, NotAllowed, id="rep-for-self"),
        pytest.param(SUE, SUE, 100, 0, NotFound, id="manager-for-self"),
        pytest.param(SAM, SUE, 100, 0, NotFound, id="not-a-rep"),
        pytest.param(FAY, ACE, 100, 0, NotFound, id="accountant"),
        pytest.param(SUE, "gone", 100, 0, NotFound, id="rep-who-left"),
        pytest.param(SUE, ROB, 0, 0, InvalidChange, id="no-sales"),
        pytest.param(SUE, ROB, -1, 0, InvalidChange, id="negative-sales"),
        pytest.param(SUE, ROB, 100, -1, InvalidChange, id="negative-collection"),
    ],
)
async def test_setting_a_target_is_refused(
    actor: int, rep: int | str, sales: int, collection: int, error: type[Exception]
) -> None:
    uow = world()
    if rep == "gone":
        add_rep(uow, ROY, "Roy", SUE)
        deactivate(uow, ROY)
    rep_id = ROY if rep == "gone" else rep

    await assert_refused(
        uow,
        set_target(
            uow,
            actor_id=actor,
            rep_id=rep_id,  # type: ignore[arg-type]
            month=day(1, 4),
            figures=figures(sales, collection),
            policy=POLICY,
            now=WED_10,
        ),
        error,
    )


@pytest.mark.parametrize(("actor", "target_id"), [(RAY, 1), (SUE, 1), (ROB, 99)])
async def test_only_the_rep_confirms_their_own_target(actor: int, target_id: int) -> None:
    uow = world()
    await set_target(
        uow,
        actor_id=SUE,
        rep_id=ROB,
        month=day(1, 4),
        figures=figures(100, 0),
        policy=POLICY,
        now=WED_10,
    )

    await assert_refused(
        uow, confirm_target(uow, actor_id=actor, target_id=target_id, now=WED_10), NotFound
    )
    assert uow.targets[1].confirmed_at is None


@pytest.mark.parametrize(
    ("actor", "reps"), [(SUE, [ROB]), (SID, [RAY]), (SAM, [ROB, RAY]), (GUS, [ROB, RAY]), (FAY, [])]
)
async def test_a_manager_targets_the_reps_below(actor: int, reps: list[int]) -> None:
    uow = world()

    assert [p.id for p in await team_reps(uow, actor)] == reps


# --- the work log and the evening prompt ----------------------------------------------------


async def test_the_work_log_gathers_the_day_s_visits_and_the_rep_s_note() -> None:
    uow = world()
    first = await stored_visit(uow, ROB, 2, MON)
    second = await stored_visit(uow, ROB, 1, MON)
    await stored_visit(uow, ROB, 4, day(3))  # another day
    await stored_visit(uow, RAY, 3, MON)  # another rep

    await set_note(uow, actor_id=ROB, day=MON, note="  Rainy; Bolt wants samples  ", now=EVENING)

    log = await work_log(uow, actor_id=ROB, day=MON)
    assert log.day == MON
    assert [(v.id, name) for v, name in log.visits] == [(first, "Bolt"), (second, "Acme")]
    assert log.note == "Rainy; Bolt wants samples"
    assert (await work_log(uow, actor_id=ROB, day=day(3))).note is None
    assert (await work_log(uow, actor_id=RAY, day=MON)).note is None
    assert uow.committed == 1


async def test_the_note_is_replaced_not_added() -> None:
    uow = world()

    await set_note(uow, actor_id=ROB, day=MON, note="First", now=EVENING)
    await set_note(uow, actor_id=ROB, day=MON, note="Second", now=EVENING + HOUR)

    assert (await work_log(uow, actor_id=ROB, day=MON)).note == "Second"
    assert len(uow.work_logs.rows) == 1


@pytest.mark.parametrize(
    ("note", "inactive", "error"),
    [("   ", (), InputProblem), ("x" * 1001, (), InputProblem), ("ok", (ROB,), Deactivated)],
    ids=["empty", "too-long", "left"],
)
async def test_a_note_is_refused(
    note: str, inactive: tuple[int, ...], error: type[Exception]
) -> None:
    uow = world()
    deactivate(uow, *inactive)

    await assert_refused(uow, set_note(uow, actor_id=ROB, day=MON, note=note, now=EVENING), error)


async def test_the_evening_prompt_goes_once_to_reps_who_logged_no_visit_today() -> None:
    uow = world()
    add_rep(uow, ROY, "Roy", SUE)
    await stored_visit(uow, ROB, 1, MON)
    await stored_visit(uow, RAY, 3, day(1))  # yesterday does not count
    await stored_visit(uow, SUE, 1, day(1))  # managers are not prompted anyway
    deactivate(uow, ROY)

    first = await evening_prompts(uow, policy=POLICY, now=EVENING)
    second = await evening_prompts(uow, policy=POLICY, now=EVENING + HOUR)

    assert (first, second) == (1, 0)
    assert uow.queued() == [(RAY, "evening_prompt")]
    assert uow.last_to(RAY, "evening_prompt").params == {"day": "2026-03-02"}


async def test_the_next_day_brings_a_new_evening_prompt() -> None:
    uow = world()

    await evening_prompts(uow, policy=POLICY, now=EVENING)
    await evening_prompts(uow, policy=POLICY, now=EVENING + 24 * HOUR)

    assert uow.queued() == [
        (ROB, "evening_prompt"),
        (RAY, "evening_prompt"),
        (ROB, "evening_prompt"),
        (RAY, "evening_prompt"),
    ]


async def test_no_evening_prompt_when_the_policy_switches_it_off() -> None:
    uow = world()
    policy = Policy(reminders=Reminders(evening_prompt=None))

    assert await evening_prompts(uow, policy=policy, now=EVENING) == 0
    assert uow.queued() == []
    assert uow.digests.claimed == set()
    # the job itself, not the hour it runs at, is what the switch turns off
    later = Policy(reminders=Reminders(evening_prompt=time(20, 0)))
    assert await evening_prompts(uow, policy=later, now=EVENING) == 2


async def test_regression_a_plan_handed_in_after_its_due_time_is_marked_late() -> None:
    """Before: neither the rep nor the reviewer saw that a plan came in late."""
    uow = world()
    plan_id = await drafted(uow, items=((1, NEXT, "Quote"),))
    draft = uow.plans[plan_id]
    before, after = DUE - timedelta(minutes=1), DUE + timedelta(minutes=1)
    assert (await plan_params(uow, draft, POLICY, before))["late"] is False
    assert (await plan_params(uow, draft, POLICY, after))["late"] is True, "still a draft"

    await submit(uow, actor_id=ROB, plan_id=plan_id, policy=POLICY, now=after)
    assert uow.last_to(SUE, "plan_card").params["late"] is True


async def test_a_sales_manager_reviews_the_plan_of_a_rep_under_a_supervisor() -> None:
    """Issue 11: the sales manager settles next week's visits at the Saturday meeting."""
    uow = world()
    plan_id = await drafted(uow)
    await submit(uow, actor_id=ROB, plan_id=plan_id, policy=POLICY, now=WED_10)

    reviewed = await reviewing(uow, plan_id, by=SAM)

    assert (reviewed.status, reviewed.reviewed_by) == (PlanStatus.approved, SAM)
    assert uow.last_to(ROB, "plan_reviewed").params["reviewer"] == "Sam"
