"""The monthly review's use cases on the in-memory fakes: prepared once per active rep on the
month's first working day (Mon 2026-11-02 reviews October), each sent to the rep and the
nearest supervisor; the grade suggested from the rep's own target; nothing outside the
catch-up window; comment and grade refused to the wrong people."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from fakes import RAY, ROB, SAM, SID, SUE, make_person
from routine_fakes import RoutineUnitOfWork, routine_world

from bot.core.errors import InvalidChange, NotAllowed, NotFound
from bot.core.plans import MonthlyTarget
from bot.core.policy import Policy
from bot.core.review import Grade
from bot.core.roles import Role
from bot.core.usecases.review import comment_review, grade_review, prepare_reviews

POLICY = Policy()
NOVEMBER_2 = datetime(2026, 11, 2, 2, tzinfo=UTC)  # Monday 10:00 in Shanghai
OCTOBER = date(2026, 10, 1)


def world() -> RoutineUnitOfWork:
    uow = routine_world()
    uow.targets.rows[1] = MonthlyTarget(1, ROB, OCTOBER, Decimal(1000), Decimal(0), SUE, NOVEMBER_2)
    uow.baseline()
    return uow


async def test_prepared_once_for_every_active_rep() -> None:
    uow = world()
    newcomer = make_person(id=99, full_name="Nina", role=Role.rep, reports_to=SUE)
    uow.people.rows[99] = replace(newcomer, joined_at=NOVEMBER_2)
    uow.baseline()
    await uow.work_logs.set_note(ROB, date(2026, 10, 9), "Met Acme", NOVEMBER_2)
    assert await prepare_reviews(uow, policy=POLICY, now=NOVEMBER_2) == 4
    sent = [(q.notification.recipient_id, q.notification.template) for q in uow.outbox.queued]
    assert sorted(sent) == sorted(
        [
            (ROB, "review_ready"),
            (SUE, "review_to_grade"),
            (RAY, "review_ready"),
            (SID, "review_to_grade"),
        ]
    )
    by_rep = {r.rep_id: r for r in uow.reviews.rows.values()}
    assert by_rep[ROB].suggested is Grade.below  # 0 % of the target, nothing due
    assert by_rep[ROB].figures.completion == 0
    assert by_rep[RAY].suggested is Grade.average  # no target, nothing due
    (rob_ready,) = [
        q.notification.params for q in uow.outbox.queued if q.notification.recipient_id == ROB
    ]
    assert rob_ready["notes"] == [{"day": "2026-10-09", "note": "Met Acme"}]

    assert await prepare_reviews(uow, policy=POLICY, now=NOVEMBER_2) == 0
    assert len(uow.reviews.rows) == 2


@pytest.mark.parametrize(
    "now",
    [datetime(2026, 10, 30, 2, tzinfo=UTC), datetime(2026, 11, 9, 2, tzinfo=UTC)],
)
async def test_nothing_outside_the_first_working_days(now: datetime) -> None:
    uow = world()
    assert await prepare_reviews(uow, policy=POLICY, now=now) == 0
    assert uow.reviews.rows == {}


async def test_only_the_rep_comments_and_only_their_line_grades() -> None:
    uow = world()
    await prepare_reviews(uow, policy=POLICY, now=NOVEMBER_2)
    (rob,) = [r.id for r in uow.reviews.rows.values() if r.rep_id == ROB]
    with pytest.raises(NotFound):
        await comment_review(uow, actor_id=RAY, review_id=rob, comment="x", now=NOVEMBER_2)
    with pytest.raises(NotFound):
        await grade_review(
            uow, actor_id=SID, review_id=rob, chosen=Grade.good, reason="x", now=NOVEMBER_2
        )
    with pytest.raises(NotAllowed):
        await grade_review(
            uow, actor_id=ROB, review_id=rob, chosen=Grade.good, reason="x", now=NOVEMBER_2
        )
    with pytest.raises(InvalidChange):
        await grade_review(
            uow, actor_id=SAM, review_id=rob, chosen=Grade.good, reason=None, now=NOVEMBER_2
        )
    graded = await grade_review(
        uow, actor_id=SAM, review_id=rob, chosen=Grade.good, reason="Team player", now=NOVEMBER_2
    )
    assert (graded.grade, graded.graded_by) == (Grade.good, SAM)
    assert uow.outbox.queued[-1].notification.template == "review_graded"
