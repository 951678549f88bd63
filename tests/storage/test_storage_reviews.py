"""The monthly performance review on a real database (SQLite and PostgreSQL): prepared once
per rep and month on the month's first working day (a second run prepares and sends nothing),
in the same statements for 2 reps as for 50, with the figures the collection analysis shows;
the rep's comment and the manager's grade as compare-and-set moves, permissions enforced.
Friday 2026-05-01, 10:00 in Shanghai: the first working day of May reviews April."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from dbtools import Sessions, add_person, count, statements
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from test_storage_approvals import org  # noqa: F401 - org is a fixture
from test_storage_collections import in_force
from test_storage_sweeps import empty

from bot.core.errors import InvalidChange, NotAllowed, NotFound
from bot.core.plans import MonthlyTarget
from bot.core.policy import Policy
from bot.core.review import Grade
from bot.core.roles import Role
from bot.core.usecases.collection_report import collection_report
from bot.core.usecases.review import (
    comment_review,
    grade_review,
    prepare_reviews,
    review_view,
    reviews_list,
)
from storage.tables import OutboxRow, PerformanceReviewRow
from storage.uow import SqlUnitOfWork

POLICY = Policy()
MAY_1 = datetime(2026, 5, 1, 2, tzinfo=UTC)
APRIL = date(2026, 4, 1)
LATER = datetime(2026, 5, 2, 2, tzinfo=UTC)


async def prepare(sessionmaker: Sessions, now: datetime = MAY_1) -> int:
    async with SqlUnitOfWork(sessionmaker) as uow:
        return await prepare_reviews(uow, policy=POLICY, now=now)


async def review_id(sessionmaker: Sessions, rep: int) -> int:
    async with sessionmaker() as session:
        found = await session.scalar(
            select(PerformanceReviewRow.id).where(PerformanceReviewRow.rep_id == rep)
        )
    assert found is not None
    return found


async def test_prepared_once_with_the_analysis_figures_and_the_notes(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    await in_force(sessionmaker, org, 1)
    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.targets.assign(
            MonthlyTarget(0, org["rep"], APRIL, Decimal(1000), Decimal(500), org["sup"], MAY_1)
        )
        await uow.work_logs.set_note(org["rep"], date(2026, 4, 10), "Met the buyer", MAY_1)
        await uow.work_logs.set_note(org["rep"], date(2026, 5, 1), "Not April", MAY_1)
        await uow.commit()

    assert await prepare(sessionmaker) == 2  # the rep, and their supervisor to grade
    assert await prepare(sessionmaker) == 0
    assert await prepare(sessionmaker, LATER) == 0
    assert await count(sessionmaker, PerformanceReviewRow) == 1
    async with sessionmaker() as session:
        rows = (await session.scalars(select(OutboxRow).order_by(OutboxRow.id))).all()
    assert [(r.recipient_id, r.template) for r in rows] == [
        (org["rep"], "review_ready"),
        (org["sup"], "review_to_grade"),
    ]
    params = rows[0].params
    assert params["notes_count"] == 1
    assert params["notes"] == [{"day": "2026-04-10", "note": "Met the buyer"}]
    assert params["figures"]["completion"] == 0
    assert Decimal(params["figures"]["target_sales"]) == 1000
    assert params["suggested"] == Grade.below.value
    async with SqlUnitOfWork(sessionmaker) as uow:
        report = await collection_report(
            uow, org["sup"], this_month=False, policy=POLICY, now=MAY_1
        )
    (rep_row,) = report.params()["reps"]["top"]
    assert params["figures"]["rate"] == rep_row["rate"]
    assert params["figures"]["due"] == rep_row["due"]


async def test_not_prepared_outside_the_catch_up_window(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    assert await prepare(sessionmaker, datetime(2026, 4, 20, 2, tzinfo=UTC)) == 0
    assert await prepare(sessionmaker, datetime(2026, 5, 9, 2, tzinfo=UTC)) == 0
    assert await count(sessionmaker, PerformanceReviewRow) == 0


async def _prepare_over(engine: AsyncEngine, sessionmaker: Sessions, reps: int) -> list[str]:
    await empty(engine)
    manager = await add_person(sessionmaker, 900, role=Role.supervisor)
    for n in range(reps):
        rep = await add_person(sessionmaker, 1000 + n, role=Role.rep, reports_to=manager.id)
        async with SqlUnitOfWork(sessionmaker) as uow:
            await uow.work_logs.set_note(rep.id, date(2026, 4, 3), f"Note {n}", MAY_1)
            await uow.commit()
    with statements(engine) as seen:
        assert await prepare(sessionmaker) == 2 * reps
    return seen


async def test_a_fixed_number_of_statements_for_2_or_50_reps(
    engine: AsyncEngine, sessionmaker: Sessions
) -> None:
    two = await _prepare_over(engine, sessionmaker, 2)
    fifty = await _prepare_over(engine, sessionmaker, 50)
    assert len(two) == len(fifty), (len(two), len(fifty))
    assert len(two) <= 12, two  # 8 here: people, targets, actuals, contracts, insert, …


async def test_comment_then_override_with_a_reason_and_the_rep_told(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    await prepare(sessionmaker)
    rid = await review_id(sessionmaker, org["rep"])
    async with SqlUnitOfWork(sessionmaker) as uow:
        with pytest.raises(NotAllowed):  # the supervisor grades, not comments
            await comment_review(uow, actor_id=org["sup"], review_id=rid, comment="x", now=MAY_1)
    async with SqlUnitOfWork(sessionmaker) as uow:
        with pytest.raises(NotFound):  # another supervisor's team
            await review_view(uow, actor_id=org["sid"], review_id=rid)
    async with SqlUnitOfWork(sessionmaker) as uow:
        with pytest.raises(NotAllowed):  # a rep never grades their own review
            await grade_review(
                uow, actor_id=org["rep"], review_id=rid, chosen=Grade.good, reason="me", now=MAY_1
            )
    async with SqlUnitOfWork(sessionmaker) as uow:
        await comment_review(uow, actor_id=org["rep"], review_id=rid, comment="Slow", now=MAY_1)
        await comment_review(uow, actor_id=org["rep"], review_id=rid, comment="Busy", now=MAY_1)
    async with SqlUnitOfWork(sessionmaker) as uow:
        with pytest.raises(InvalidChange) as refused:
            await grade_review(
                uow, actor_id=org["sup"], review_id=rid, chosen=Grade.good, reason=" ", now=MAY_1
            )
    assert refused.value.reason == "grade_reason"
    async with SqlUnitOfWork(sessionmaker) as uow:
        graded = await grade_review(
            uow, actor_id=org["mgr"], review_id=rid, chosen=Grade.good, reason="Big deal", now=LATER
        )
    assert (graded.grade, graded.reason, graded.comment) == (Grade.good, "Big deal", "Busy")
    assert graded.told_at == LATER
    async with SqlUnitOfWork(sessionmaker) as uow:
        with pytest.raises(InvalidChange):
            await grade_review(
                uow, actor_id=org["sup"], review_id=rid, chosen=Grade.below, reason=None, now=LATER
            )
    async with SqlUnitOfWork(sessionmaker) as uow:
        with pytest.raises(InvalidChange):
            await comment_review(uow, actor_id=org["rep"], review_id=rid, comment="x", now=LATER)
    async with sessionmaker() as session:
        told = (
            await session.scalars(select(OutboxRow).where(OutboxRow.template == "review_graded"))
        ).all()
    assert [(r.recipient_id, r.params["reason"]) for r in told] == [(org["rep"], "Big deal")]
    async with sessionmaker() as session:
        read = (
            await session.scalars(
                select(OutboxRow)
                .where(OutboxRow.template == "review_commented")
                .order_by(OutboxRow.id)
            )
        ).all()
    assert [(r.recipient_id, r.params["comment"]) for r in read] == [
        (org["sup"], "Slow"),
        (org["sup"], "Busy"),
    ]


async def test_the_suggested_grade_in_one_tap_needs_no_reason(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    await prepare(sessionmaker)
    rid = await review_id(sessionmaker, org["rep"])
    async with SqlUnitOfWork(sessionmaker) as uow:
        view = await review_view(uow, actor_id=org["sup"], review_id=rid)
        assert view.can_grade
        assert not view.can_comment
        graded = await grade_review(
            uow,
            actor_id=org["sup"],
            review_id=rid,
            chosen=view.review.suggested,
            reason=None,
            now=MAY_1,
        )
    assert graded.grade is graded.suggested
    async with SqlUnitOfWork(sessionmaker) as uow:
        mine = await reviews_list(uow, actor_id=org["rep"])
        team = await reviews_list(uow, actor_id=org["mgr"])
        other = await reviews_list(uow, actor_id=org["sid"])
    assert [r.review_id for r in mine] == [rid]
    assert [(r.review_id, r.grade) for r in team] == [(rid, graded.suggested)]
    assert other == []
