"""The Saturday meeting pack (issue 14, point 5) over a hand-built team, with in-memory fakes.

The world (`follow_on_world.contract_world`): Rob (rep) > Sue (supervisor) > Sam (sales
manager); Ray (rep) > Sid (supervisor) > Sam. Rob's contract HT-2026-0007 with Acme Trading:
10,000.00, deposit 3,000.00 received, 4,000.00 due Tue 2026-12-01 (overdue at the meeting)
and 3,000.00 due 2027-01-01; its deal stands at "contracted". Default policy, Asia/Shanghai:
meeting Saturday 09:00, the message at 08:30. The meeting of Sat 12-12 reports on the week of
Mon 12-07 and plans the week of Mon 12-14."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from fakes import ROB, SAM, SUE
from follow_on_world import contract_world
from refusals import assert_refused
from routine_fakes import RoutineUnitOfWork, make_customer

from bot.core.customers import VisitDraft
from bot.core.deals import InputProblem
from bot.core.errors import NotAllowed, NotFound
from bot.core.meeting import TOPIC_MAX, coming_meeting, meeting_at, shorten
from bot.core.orders import DealStage, Reservation
from bot.core.plans import PlanStatus
from bot.core.policy import Policy
from bot.core.usecases.meeting import meeting_pack, set_topic, topic_view
from bot.core.usecases.routine import send_meeting_summaries

POLICY = Policy()
THIS_WEEK, NEXT_WEEK = date(2026, 12, 7), date(2026, 12, 14)
LONG_OUTCOME = "Met the buyer and the plant manager;\nthey want a quote " + "x" * 100


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Shanghai in December 2026, as aware UTC."""
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


SUMMARY, MEETING, WEDNESDAY = local(12, 8, 30), local(12, 9), local(9, 10)


async def plan(
    uow: RoutineUnitOfWork,
    rep: int,
    week: date,
    status: PlanStatus,
    items: tuple[tuple[int, date, str], ...],
    submitted_at: datetime | None = None,
) -> None:
    stored = await uow.plans.add(rep, week)
    for customer_id, day, purpose in items:
        await uow.plans.add_item(stored.id, customer_id=customer_id, day=day, purpose=purpose)
    await uow.plans.save(replace(stored, status=status, submitted_at=submitted_at))


async def visit(
    uow: RoutineUnitOfWork, rep: int, customer_id: int, day: date, outcome: str, intent: str
) -> None:
    draft = VisitDraft(customer_id, "revisit", day, outcome, intent)
    await uow.visits.add(draft, rep_id=rep, now=WEDNESDAY, distance_m=None, far=False)


async def team() -> RoutineUnitOfWork:
    """Rob planned Acme (Tue) and Bolt (Thu) this week, saw Acme on Wednesday and Delta
    unplanned; next week he plans Acme, on time. Ray has no plan. Rob also follows a reserved
    deal with Bolt (50,000.00) and a lost one with Delta."""
    uow, _contract = await contract_world()
    for customer in (make_customer(2, ROB, "Bolt"), make_customer(4, ROB, "Delta")):
        uow.customers.rows[customer.id] = customer
    await plan(
        uow,
        ROB,
        THIS_WEEK,
        PlanStatus.approved,
        ((1, date(2026, 12, 8), "Quote"), (2, date(2026, 12, 10), "Demo")),
        local(4, 17),
    )
    await visit(uow, ROB, 1, date(2026, 12, 9), LONG_OUTCOME, "high")
    await visit(uow, ROB, 4, date(2026, 12, 11), "Cold call, no need", "none")
    await visit(uow, ROB, 2, date(2026, 12, 4), "Last week's", "low")  # not this week
    await plan(
        uow,
        ROB,
        NEXT_WEEK,
        PlanStatus.submitted,
        ((1, date(2026, 12, 15), "Sign the contract"),),
        local(11, 17),
    )
    reserved = await uow.deals.open(customer_id=2, owner_id=ROB, request_id=None, now=WEDNESDAY)
    await uow.deals.reserve(
        reserved.id, Reservation(Decimal("50000.00"), Decimal(5000), "page", True, WEDNESDAY)
    )
    await uow.deals.move(reserved.id, DealStage.negotiating, DealStage.reserved, WEDNESDAY)
    lost = await uow.deals.open(customer_id=4, owner_id=ROB, request_id=None, now=WEDNESDAY)
    await uow.deals.move(lost.id, DealStage.negotiating, DealStage.lost, WEDNESDAY)
    uow.baseline()
    return uow


async def test_the_pack_reports_plan_versus_actual_outcomes_key_visits_deals_and_overdue() -> None:
    uow = await team()
    await set_topic(
        uow, actor_id=SAM, topic="  Handling price objections ", policy=POLICY, now=WEDNESDAY
    )

    pack = await meeting_pack(uow, actor_id=SAM, policy=POLICY, now=SUMMARY)

    assert (pack.week, pack.this_week, pack.meeting) == (NEXT_WEEK, THIS_WEEK, MEETING)
    assert (pack.manager, pack.topic) == ("Sam", "Handling price objections")
    ray, rob = pack.reps
    assert (ray.name, ray.status, ray.planned, ray.key_visits, ray.deals) == (
        "Ray",
        "missing",
        [],
        [],
        [],
    )
    assert rob.status == "submitted"
    acme, bolt = rob.planned
    assert (acme.customer, acme.item.purpose, acme.visit is not None) == (
        "Acme Trading",
        "Quote",
        True,
    )
    assert acme.visit is not None
    assert acme.visit.intent == "high"
    assert shorten(acme.visit.outcome).startswith("Met the buyer and the plant manager; they")
    assert len(shorten(acme.visit.outcome)) == 80
    assert shorten(acme.visit.outcome).endswith("…")
    assert (bolt.customer, bolt.visit) == ("Bolt", None)
    assert [(v.outcome, name) for v, name in rob.unplanned] == [("Cold call, no need", "Delta")]
    assert (rob.done, rob.completion) == (1, 50)
    assert [(k.customer, k.item.purpose) for k in rob.key_visits] == [
        ("Acme Trading", "Sign the contract")
    ]
    assert [(d.customer, d.stage, d.amount) for d in rob.deals] == [
        ("Acme Trading", DealStage.contracted, None),
        ("Bolt", DealStage.reserved, Decimal("50000.00")),
    ]
    (overdue,) = rob.overdue
    assert (overdue.contract, overdue.customer, overdue.amount, overdue.days) == (
        "HT-2026-0007",
        "Acme Trading",
        Decimal(4000),
        11,
    )


async def test_the_saturday_message_carries_the_headline_the_lines_and_the_topic_once() -> None:
    uow = await team()
    await set_topic(uow, actor_id=SAM, topic="Price objections", policy=POLICY, now=WEDNESDAY)

    first = await send_meeting_summaries(uow, policy=POLICY, now=SUMMARY)
    second = await send_meeting_summaries(uow, policy=POLICY, now=SUMMARY + timedelta(minutes=5))

    assert (first, second) == (1, 0)
    assert uow.queued() == [(SAM, "meeting_summary")]
    params = uow.last_to(SAM, "meeting_summary").params
    assert params["topic"] == "Price objections"
    assert params["meeting"] == MEETING.isoformat()
    assert params["counts"] == {"submitted": 1, "late": 0, "missing": 1}
    assert (params["deals"], params["deals_amount"], params["overdue"]) == (
        2,
        "50000.00",
        "4000.00",
    )
    rob = params["reps"][1]
    assert (rob["next"], rob["done"], rob["planned"], rob["unplanned"]) == (1, 1, 2, 1)
    assert (rob["deals"], rob["overdue"], rob["days"]) == (2, "4000.00", 11)


async def test_a_rep_sees_no_pack_and_sets_no_topic() -> None:
    uow = await team()

    await assert_refused(
        uow, meeting_pack(uow, actor_id=ROB, policy=POLICY, now=SUMMARY), NotAllowed
    )
    await assert_refused(
        uow, set_topic(uow, actor_id=ROB, topic="x", policy=POLICY, now=WEDNESDAY), NotAllowed
    )


async def test_a_supervisor_s_pack_holds_only_their_own_reps() -> None:
    uow = await team()

    pack = await meeting_pack(uow, actor_id=SUE, policy=POLICY, now=SUMMARY)

    assert [r.name for r in pack.reps] == ["Rob"]


@pytest.mark.parametrize(
    "week",
    [
        pytest.param(NEXT_WEEK + timedelta(days=7), id="a week not yet planned"),
        pytest.param(NEXT_WEEK - timedelta(weeks=54), id="older than a year"),
        pytest.param(NEXT_WEEK + timedelta(days=1), id="not a monday"),
        pytest.param(date(1, 1, 1), id="the first day of the calendar"),
    ],
)
async def test_a_pack_button_for_a_week_out_of_range_finds_nothing(week: date) -> None:
    uow = await team()

    await assert_refused(
        uow, meeting_pack(uow, actor_id=SAM, policy=POLICY, now=SUMMARY, week=week), NotFound
    )


async def test_last_week_s_pack_from_its_message_still_opens() -> None:
    uow = await team()

    pack = await meeting_pack(
        uow, actor_id=SAM, policy=POLICY, now=SUMMARY + timedelta(days=7), week=NEXT_WEEK
    )

    assert pack.week == NEXT_WEEK
    assert [r.done for r in pack.reps] == [0, 1]


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        pytest.param("   ", "empty", id="blank"),
        pytest.param("x" * (TOPIC_MAX + 1), "too_long", id="201"),
    ],
)
async def test_a_wrong_topic_is_refused_and_nothing_is_kept(typed: str, problem: str) -> None:
    uow = await team()

    error = await assert_refused(
        uow, set_topic(uow, actor_id=SAM, topic=typed, policy=POLICY, now=WEDNESDAY), InputProblem
    )

    assert error.code == problem


async def test_the_topic_changes_until_the_meeting_then_belongs_to_next_week_s() -> None:
    uow = await team()
    await set_topic(uow, actor_id=SAM, topic="First", policy=POLICY, now=WEDNESDAY)
    await set_topic(
        uow, actor_id=SAM, topic="x" * TOPIC_MAX, policy=POLICY, now=MEETING - timedelta(minutes=1)
    )

    after = await set_topic(uow, actor_id=SAM, topic="Next time", policy=POLICY, now=MEETING)

    assert after.week == NEXT_WEEK + timedelta(days=7)
    assert uow.meeting_topics.rows[(SAM, NEXT_WEEK)][0] == "x" * TOPIC_MAX
    view = await topic_view(uow, actor_id=SAM, policy=POLICY, now=MEETING)
    assert (view.week, view.topic) == (NEXT_WEEK + timedelta(days=7), "Next time")
    cleared = await set_topic(uow, actor_id=SAM, topic=None, policy=POLICY, now=MEETING)
    assert cleared.topic is None
    assert (SAM, NEXT_WEEK + timedelta(days=7)) not in uow.meeting_topics.rows


@pytest.mark.parametrize(
    ("now", "week"),
    [
        pytest.param(WEDNESDAY, NEXT_WEEK, id="wednesday"),
        pytest.param(MEETING - timedelta(seconds=1), NEXT_WEEK, id="just before the meeting"),
        pytest.param(MEETING, NEXT_WEEK + timedelta(days=7), id="at the meeting"),
        pytest.param(local(13, 23), NEXT_WEEK + timedelta(days=7), id="sunday night"),
        pytest.param(local(14, 0), NEXT_WEEK + timedelta(days=7), id="monday"),
    ],
)
def test_the_coming_meeting(now: datetime, week: date) -> None:
    assert coming_meeting(now, POLICY) == week
    assert meeting_at(NEXT_WEEK, POLICY) == MEETING


@pytest.mark.parametrize(
    ("text", "short"),
    [("Short one", "Short one"), ("a\n b\tc", "a b c"), ("x" * 81, "x" * 79 + "…")],
)
def test_an_outcome_is_shortened_to_one_line(text: str, short: str) -> None:
    assert shorten(text) == short


async def test_a_supervisors_training_topic_reaches_the_saturday_message() -> None:
    """Sue (a supervisor) sets the topic for her part of the team; the message goes to Sam
    (the sales manager, who set none): it carries Sue's topic, named."""
    uow = await team()
    await set_topic(uow, actor_id=SUE, topic="Price objections", policy=POLICY, now=WEDNESDAY)
    await send_meeting_summaries(uow, policy=POLICY, now=SUMMARY)
    assert uow.last_to(SAM, "meeting_summary").params["topic"] == "Sue: Price objections"
