"""The exports' pure parts: a period from two days in either order, the window collections
are read in (overdue as of the day after the period, or today while it runs), and the keyset
loop that reads batches until one comes short, cut at MAX_ROWS."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest

from bot.core.usecases import exports
from bot.core.usecases.exports import Period, collection_window


def test_a_period_takes_its_days_in_either_order() -> None:
    assert Period.of(date(2026, 11, 30), date(2026, 11, 1)) == Period(
        date(2026, 11, 1), date(2026, 11, 30)
    )


@pytest.mark.parametrize(
    ("today", "as_of"),
    [(date(2026, 12, 5), date(2026, 12, 1)), (date(2026, 11, 20), date(2026, 11, 20))],
)
def test_collections_are_read_the_day_after_the_period_or_today(today: date, as_of: date) -> None:
    window = collection_window(Period(date(2026, 11, 1), date(2026, 11, 30)), today)
    assert (window.first, window.last, window.as_of) == (
        date(2026, 11, 1),
        date(2026, 11, 30),
        as_of,
    )


async def test_keyset_reads_after_the_last_key_until_a_short_batch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(exports, "BATCH", 3)
    rows = list(range(1, 8))
    asked: list[tuple[int | None, int]] = []

    async def fetch(after: int | None, limit: int) -> Sequence[int]:
        asked.append((after, limit))
        return [r for r in rows if after is None or r > after][:limit]

    found, cut = await exports._keyset(fetch, lambda r: r)
    assert (found, cut) == (rows, False)
    assert asked == [(None, 3), (3, 3), (6, 3)]

    monkeypatch.setattr(exports, "MAX_ROWS", 4)
    asked.clear()
    found, cut = await exports._keyset(fetch, lambda r: r)
    assert (found, cut) == ([1, 2, 3, 4], True)
    assert asked == [(None, 3), (3, 2)], "one more than MAX_ROWS tells that it was cut"
