"""The monthly review's messages and its form at their longest fit Telegram's limit whole, in
English and Chinese: the longest names, nine-digit figures, a 500-character comment and
reason, and a month of 1,000-character work-log notes (the messages name the first three,
shortened; the form pages every note whole)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.core.models import NAME_MAX, Person
from bot.core.plans import LOG_NOTE_MAX
from bot.core.review import REVIEW_TEXT_MAX, Grade, MonthFigures, PerformanceReview
from bot.core.roles import Role
from bot.core.usecases.review import NOTES_IN_MESSAGE, review_params
from bot.i18n import make_i18n
from bot.rendering import Renderer, make_env
from bot.ui.fit import MESSAGE_LIMIT, WINDOW_LIMIT, pages_that_fit, visible_length

BIG = Decimal("999999999.99")
NOW = datetime(2026, 11, 2, 2, tzinfo=UTC)
OCTOBER = date(2026, 10, 1)


def widest() -> tuple[PerformanceReview, dict[int, Person], list[tuple[date, str]]]:
    figures = MonthFigures(BIG, BIG, BIG, BIG, BIG, BIG, 100_000, BIG, Decimal("99.99"))
    review = PerformanceReview(
        1,
        1,
        OCTOBER,
        2,
        figures,
        Grade.below,
        NOW,
        comment="長" * REVIEW_TEXT_MAX,
        commented_at=NOW,
        grade=Grade.excellent,
        graded_by=2,
        graded_at=NOW,
        reason="長" * REVIEW_TEXT_MAX,
        told_at=NOW,
    )
    people = {
        1: Person(1, 11, "長" * NAME_MAX, Role.rep, reports_to=2),
        2: Person(2, 12, "長" * NAME_MAX, Role.supervisor),
    }
    notes = [(OCTOBER + timedelta(days=n), "長" * LOG_NOTE_MAX) for n in range(31)]
    return review, people, notes


@pytest.fixture(params=["en", "zh"])
def renderer(request: pytest.FixtureRequest) -> Iterator[Renderer]:
    i18n = make_i18n("en")
    with i18n.context(), i18n.use_locale(request.param):
        yield Renderer(make_env(i18n, ZoneInfo("Asia/Shanghai")))


@pytest.mark.parametrize(
    "template", ["review_ready", "review_to_grade", "review_graded", "review_commented"]
)
def test_each_message_fits_whole(renderer: Renderer, template: str) -> None:
    review, people, notes = widest()
    params = {
        **review_params(review, people, notes[:NOTES_IN_MESSAGE]),
        "notes_count": len(notes),
    }
    text = renderer.render(f"notifications/{template}", **params)
    assert visible_length(text) <= MESSAGE_LIMIT, visible_length(text)
    assert "¥999,999,999.99" in text or template == "review_commented"


def test_the_form_pages_every_note_whole(renderer: Renderer) -> None:
    review, people, notes = widest()
    params = review_params(review, people, notes)

    def render(items: Sequence[dict[str, Any]]) -> str:
        return renderer.render(
            "performance_review", **{**params, "notes": items, "page": 99, "pages": 99}
        )

    pages = pages_that_fit(params["notes"], render, WINDOW_LIMIT)
    assert len(pages) > 1
    assert sum(len(page) for page in pages) == 31
    for page in pages:
        text = render(page)
        assert visible_length(text) <= WINDOW_LIMIT, visible_length(text)
        assert all("長" * LOG_NOTE_MAX in text for _ in page)
