"""The monthly performance review (issue 14, point 4): prepared for every active rep on the
month's first working day with the month just ended, commented by the rep, graded by their
manager (a grade other than the suggested one needs a reason), and the rep told."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from bot.core.calendar import (
    last_month,
    local,
    month_end,
    monthly_job_due,
    next_month,
)
from bot.core.collection_analysis import figures_by_owner, month_window, received_by_owner
from bot.core.deals import clean_text
from bot.core.errors import InvalidChange, NotAllowed, NotFound
from bot.core.models import AuditEntry, Notification, Person
from bot.core.org import subtree_ids
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.review import (
    REVIEW_TEXT_MAX,
    Grade,
    MonthFigures,
    NewReview,
    PerformanceReview,
    grade,
    grader_of,
    may_grade,
    notes_of,
)
from bot.core.targets import TargetProgress, is_targeted, month_span, progress_of
from bot.core.usecases.collection_report import contracts_money
from bot.core.usecases.guards import active_person

MY_REVIEWS = 12  # a rep's own list: the last year's months
NOTES_IN_MESSAGE = 3  # the notification names the first notes; the form pages them all


def _figures(progress: TargetProgress, due: Decimal, rate: Decimal | None) -> MonthFigures:
    target = progress.this_month
    return MonthFigures(
        sales=progress.sales,
        quantity=progress.quantity,
        collected=progress.collected,
        target_sales=target.sales if target else None,
        target_quantity=target.quantity if target else None,
        target_collection=target.collection if target else None,
        completion=progress.sales_completion,
        due=due,
        rate=rate,
    )


async def month_figures(
    uow: UnitOfWork, reps: Sequence[Person], month: date, policy: Policy, today: date
) -> dict[int, MonthFigures]:
    """The reps' month as /plan shows it (sales and quantity of the contracts co-signed in the
    month, as /report counts them; money received; the sales target's completion) and their collection rate as the collection
    analysis reads it: a fixed number of reads whatever the number of reps."""
    ids = [rep.id for rep in reps]
    months = (month, next_month(month))
    targets = await uow.targets.of_reps(ids, months)
    actuals = await uow.targets.actuals(ids, month_span(month, policy))
    window = month_window(month, today)
    money = await contracts_money(uow, ids, window, policy)
    rates = figures_by_owner(money, window)
    progress = progress_of(reps, targets, actuals, months, received_by_owner(money, window))
    found = {}
    for row in progress:
        figures = rates.get(row.rep.id)
        due, rate = (figures.due, figures.rate) if figures else (Decimal(0), None)
        found[row.rep.id] = _figures(row, due, rate)
    return found


def _there_in(rep: Person, month: date, policy: Policy) -> bool:
    """A rep who joined after the month has no month to review."""
    return rep.joined_at is None or local(rep.joined_at, policy).date() < next_month(month)


async def prepare_reviews(uow: UnitOfWork, *, policy: Policy, now: datetime) -> int:
    """On the month's first working day (or within MONTHLY_CATCH_UP_DAYS of it, if the worker
    was down) each active rep's review of the month just ended is prepared once: the rep gets
    it to comment on, their nearest manager to grade. A review already there (a second run,
    a second process) is neither prepared nor sent again. Returns the messages queued."""
    today = local(now, policy).date()
    if not monthly_job_due(today, policy):
        return 0
    month = last_month(today)
    people = {p.id: p for p in await uow.people.all()}
    reps = [p for p in people.values() if is_targeted(p) and _there_in(p, month, policy)]
    if not reps:
        return 0
    figures = await month_figures(uow, reps, month, policy, today)
    graders = {rep.id: grader_of(rep.id, people) for rep in reps}
    new = [
        NewReview(
            rep.id,
            month,
            (grader.id if (grader := graders[rep.id]) else None),
            figures[rep.id],
            grade(figures[rep.id].completion, figures[rep.id].rate, policy.review),
        )
        for rep in reps
    ]
    added = set(await uow.reviews.add_many(new, now))
    if not added:
        await uow.commit()
        return 0
    prepared = {r.rep_id: r for r in await uow.reviews.of_month(added, month)}
    notes = notes_of(await uow.work_logs.notes_between(added, month, month_end(month)))
    messages = []
    for rep_id, review in sorted(prepared.items()):
        params = review_params(review, people, notes.get(rep_id, [])[:NOTES_IN_MESSAGE])
        params["notes_count"] = len(notes.get(rep_id, []))
        messages.append(Notification(rep_id, "review_ready", params))
        if review.manager_id is not None:
            messages.append(Notification(review.manager_id, "review_to_grade", params))
    await uow.outbox.add_many(messages, now)
    await uow.commit()
    return len(messages)


def review_params(
    review: PerformanceReview,
    people: Mapping[int, Person],
    notes: Sequence[tuple[date, str]] = (),
) -> dict[str, Any]:
    """A review as its messages and form show it (decimals as strings, days as ISO text)."""

    def name(person_id: int | None) -> str | None:
        person = people.get(person_id) if person_id is not None else None
        return person.full_name if person else None

    return {
        "review_id": review.id,
        "rep": name(review.rep_id) or "—",
        "month": review.month.isoformat()[:7],
        "figures": review.figures.params(),
        "suggested": review.suggested.value,
        "comment": review.comment,
        "grade": review.grade.value if review.grade else None,
        "graded_by": name(review.graded_by),
        "reason": review.reason,
        "notes": [{"day": day.isoformat(), "note": note} for day, note in notes],
    }


@dataclass(frozen=True, slots=True)
class ReviewView:
    review: PerformanceReview
    params: dict[str, Any]
    can_comment: bool
    can_grade: bool


async def _readable(
    uow: UnitOfWork, actor_id: int, review_id: int
) -> tuple[Person, PerformanceReview, dict[int, Person]]:
    """The review, if it is the actor's own or they manage its rep; NotFound otherwise (a
    stranger learns nothing of whether it exists)."""
    actor = await active_person(uow, actor_id)
    review = await uow.reviews.get(review_id)
    if review is None:
        raise NotFound(what="review")
    people = {p.id: p for p in await uow.people.all()}
    if review.rep_id != actor.id and not may_grade(actor, review.rep_id, people):
        raise NotFound(what="review")
    return actor, review, people


async def review_view(uow: UnitOfWork, *, actor_id: int, review_id: int) -> ReviewView:
    """One review with every work-log note of its month, for its rep or a manager above them."""
    actor, review, people = await _readable(uow, actor_id, review_id)
    rows = await uow.work_logs.notes_between([review.rep_id], review.month, month_end(review.month))
    params = review_params(review, people, notes_of(rows).get(review.rep_id, []))
    open_ = review.grade is None
    return ReviewView(
        review,
        params,
        can_comment=open_ and actor.id == review.rep_id,
        can_grade=open_ and may_grade(actor, review.rep_id, people),
    )


async def comment_review(
    uow: UnitOfWork, *, actor_id: int, review_id: int, comment: str, now: datetime
) -> PerformanceReview:
    """The rep's comment on their own review, editable until it is graded."""
    actor, review, people = await _readable(uow, actor_id, review_id)
    if review.rep_id != actor.id:
        raise NotAllowed(action="review_comment")
    text = clean_text(comment, limit=REVIEW_TEXT_MAX)
    if not await uow.reviews.claim_comment(review_id, rep_id=actor.id, comment=text, now=now):
        raise InvalidChange("already_graded")
    commented = await uow.reviews.get(review_id) or review
    if commented.manager_id is not None:  # the grader reads it before grading
        await uow.outbox.add(
            # one card per review, edited as the rep changes the comment: not a card per edit
            Notification(
                commented.manager_id,
                "review_commented",
                review_params(commented, people),
                ref=f"review:{review_id}:comment",
                edit=True,
            ),
            now,
        )
    await uow.audit.add(AuditEntry("review_commented", actor.id, now, f"review:{review_id}"))
    await uow.commit()
    return commented


async def grade_review(
    uow: UnitOfWork,
    *,
    actor_id: int,
    review_id: int,
    chosen: Grade,
    reason: str | None,
    now: datetime,
) -> PerformanceReview:
    """A manager above the rep grades the review once: the suggested grade as it is, another
    with a reason. The rep is told in the same transaction."""
    actor, review, people = await _readable(uow, actor_id, review_id)
    if not may_grade(actor, review.rep_id, people):
        raise NotAllowed(action="review_grade")
    why = clean_text(reason, limit=REVIEW_TEXT_MAX) if reason and reason.strip() else None
    if chosen is not review.suggested and why is None:
        raise InvalidChange("grade_reason")
    if not await uow.reviews.claim_grade(review_id, grade=chosen, by=actor.id, reason=why, now=now):
        raise InvalidChange("already_graded")
    graded = await uow.reviews.get(review_id) or review
    await uow.outbox.add(
        Notification(review.rep_id, "review_graded", review_params(graded, people)), now
    )
    await uow.audit.add(
        AuditEntry("review_graded", actor.id, now, f"review:{review_id}", comment=chosen.value)
    )
    await uow.commit()
    return graded


@dataclass(frozen=True, slots=True)
class ReviewRow:
    review_id: int
    rep: str
    month: date
    grade: Grade | None
    suggested: Grade
    commented: bool


async def reviews_list(uow: UnitOfWork, *, actor_id: int) -> list[ReviewRow]:
    """The actor's own reviews (newest first) and, for a manager, the latest month's reviews
    of every rep below them, graded or waiting: a fixed number of reads."""
    actor = await active_person(uow, actor_id)
    people = {p.id: p for p in await uow.people.all()}
    found = list(await uow.reviews.of_rep(actor.id, MY_REVIEWS))
    if actor.manages:
        below = subtree_ids(actor.id, people.values()) - {actor.id}
        month = await uow.reviews.latest_month(below) if below else None
        if month is not None:
            team = await uow.reviews.of_month(below, month)
            found += sorted(team, key=lambda r: (r.grade is not None, people[r.rep_id].full_name))
    return [
        ReviewRow(
            r.id,
            people[r.rep_id].full_name if r.rep_id in people else "—",
            r.month,
            r.grade,
            r.suggested,
            r.comment is not None,
        )
        for r in found
    ]
