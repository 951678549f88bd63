"""The monthly performance review at the dispatcher tier: prepared on December 2026's first
working day (Tue 12-01), the rep adds a comment from the message's button (a too-long one is
asked again), the supervisor picks another grade and
must give a reason, the rep is told; a stranger's tap is refused and changes nothing; /plan
and /help lead to it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from feed import MANAGER, REP, REP_ZH, SUPERVISOR, Fed

from bot.core.policy import Policy
from bot.core.review import Grade
from bot.core.usecases.review import prepare_reviews
from bot.ui.cards import ReviewAct, ReviewCb

DECEMBER_1 = datetime(2026, 12, 1, 2, tzinfo=UTC)  # Tuesday: reviews November


async def prepared(fed: Fed) -> dict[int, int]:
    """The reviews of November (the demo team joined on 11-23), by the rep's Telegram id."""
    async with fed.uow() as uow:
        assert await prepare_reviews(uow, policy=Policy(), now=DECEMBER_1) > 0
    async with fed.uow() as uow:
        people = {p.id: p.telegram_id for p in await uow.people.all()}
        reviews = await uow.reviews.of_month(list(people), datetime(2026, 11, 1).date())
    return {people[r.rep_id]: r.id for r in reviews}


def outbox(fed: Fed, template: str) -> list[dict[str, object]]:
    return [json.loads(row[3]) for row in fed.rows()["outbox"] if row[2] == template]


async def test_comment_override_with_a_reason_and_the_rep_told(fed: Fed) -> None:
    reviews = await prepared(fed)
    review = reviews[REP]
    assert len(outbox(fed, "review_to_grade")) == len(reviews)

    await fed.tap(REP, ReviewCb(review=review, act=ReviewAct.comment).pack())
    assert (fed.window(REP).text or "").startswith("Type your comment for your manager")
    await fed.send(REP, "x" * 501)
    assert (fed.window(REP).text or "").startswith("Type your comment"), "asked again"
    await fed.send(REP, "The buyer was away in October.")
    assert "Your comment is saved" in fed.replies(REP)[-1]
    assert "The buyer was away in October." in (fed.window(REP).text or "")
    (read,) = outbox(fed, "review_commented")
    assert read["comment"] == "The buyer was away in October."

    await fed.tap(SUPERVISOR, ReviewCb(review=review, act=ReviewAct.other).pack())
    assert fed.window(SUPERVISOR).text == "Which grade?"
    await fed.click(SUPERVISOR, "Excellent")
    assert (fed.window(SUPERVISOR).text or "").startswith("Grade Excellent: type the reason")
    await fed.send(SUPERVISOR, "   ")
    assert (fed.window(SUPERVISOR).text or "").startswith("Grade Excellent"), "asked again"
    await fed.send(SUPERVISOR, "Opened the Ningbo account.")

    async with fed.uow() as uow:
        graded = await uow.reviews.get(review)
    assert graded is not None
    assert graded.grade is Grade.excellent
    assert graded.reason == "Opened the Ningbo account."
    assert graded.comment == "The buyer was away in October."
    (told,) = outbox(fed, "review_graded")
    with fed.app.i18n.context(), fed.app.i18n.use_locale("en"):
        text = fed.app.renderer.render("notifications/review_graded", **told)
    assert "is graded: Excellent" in text
    assert "Reason: Opened the Ningbo account." in text

    before = fed.rows()
    callback = await fed.tap(REP, ReviewCb(review=review, act=ReviewAct.comment).pack())
    assert fed.rows() == before, "graded: the comment is closed"
    assert fed.answered(callback)


async def test_the_suggested_grade_in_one_tap(fed: Fed) -> None:
    review = (await prepared(fed))[REP_ZH]
    await fed.tap(SUPERVISOR, ReviewCb(review=review, act=ReviewAct.accept).pack())
    async with fed.uow() as uow:
        graded = await uow.reviews.get(review)
    assert graded is not None
    assert graded.grade is graded.suggested
    assert graded.reason is None
    assert [t["rep"] for t in outbox(fed, "review_graded")] == ["Sun Li"]


async def test_a_stranger_neither_comments_nor_grades(fed: Fed) -> None:
    review = (await prepared(fed))[REP]
    before = fed.rows()
    for user, act in (
        (REP_ZH, ReviewAct.comment),
        (REP_ZH, ReviewAct.accept),
        (REP, ReviewAct.accept),
    ):
        callback = await fed.tap(user, ReviewCb(review=review, act=act).pack())
        assert fed.answered(callback)
    assert fed.rows() == before


async def test_reached_from_plan_and_help(fed: Fed) -> None:
    await prepared(fed)
    await fed.send(MANAGER, "/help")
    assert "🏅 Monthly reviews" in fed.replies(MANAGER)[-1]
    await fed.send(MANAGER, "/plan")
    await fed.click(MANAGER, "🏅 Monthly reviews")
    await fed.click(MANAGER, "⏳ Sun Li")
    assert "Performance review: Sun Li, 2026-11" in (fed.window(MANAGER).text or "")
    await fed.send(REP, "/plan")
    await fed.click(REP, "🏅 Monthly reviews")
    await fed.click(REP, "⏳ Zhao Lei")
    window = fed.window(REP).text or ""
    assert "Suggested grade" in window
    await fed.click(REP, "💬 Add a comment")
