"""The sender's pace on a fake monotonic clock whose sleep moves it: the overall limit is kept
in every one-second window, a late wake-up is made up, and a chat may burst a little."""

from __future__ import annotations

import itertools

import pytest

from bot.notifications.limiter import ChatLimits


class FakeTime:
    def __init__(self, oversleep: float = 0.0) -> None:
        self.now = 100.0
        self.oversleep = oversleep  # how late every wake-up is, like a busy event loop

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds + self.oversleep


def busiest_second(times: list[float]) -> int:
    """The most requests that started within any one second."""
    return max(sum(1 for t in times if start <= t < start + 1 - 1e-9) for start in times)


async def send_to_many_chats(limits: ChatLimits, time: FakeTime, count: int) -> list[float]:
    times = []
    for chat in range(count):
        await limits.acquire(chat)
        times.append(time.now)
    return times


async def test_other_chats_never_go_out_faster_than_the_overall_rate() -> None:
    time = FakeTime()
    limits = ChatLimits(overall_rate=30, monotonic=time, sleep=time.sleep)

    times = await send_to_many_chats(limits, time, 300)

    assert busiest_second(times) == 30, "no burst at the start, no second over 30"
    assert times[-1] - times[0] == pytest.approx(299 / 30)


async def test_a_late_wake_up_is_made_up_by_the_next_request() -> None:
    time = FakeTime(oversleep=0.004)
    limits = ChatLimits(overall_rate=100, monotonic=time, sleep=time.sleep)

    times = await send_to_many_chats(limits, time, 1000)

    rate = 999 / (times[-1] - times[0])
    assert rate > 99.5, "a fixed lateness of 4 ms per 10 ms would lose 29 % if it added up"
    assert busiest_second(times) <= 101


async def test_a_stall_is_not_echoed_as_a_burst_a_second_later() -> None:
    time = FakeTime()
    limits = ChatLimits(overall_rate=100, monotonic=time, sleep=time.sleep)
    times = await send_to_many_chats(limits, time, 150)
    time.now += 0.08  # the loop was busy elsewhere for eight slots
    resumed = time.now

    times += await send_to_many_chats(limits, time, 450)

    assert busiest_second(times) == 100
    gaps = [b - a for a, b in itertools.pairwise(t for t in times if t > resumed + 0.5)]
    assert min(gaps) == pytest.approx(0.01), "evenly spread again, no echo of the catch-up"
    assert times[-1] - times[0] <= 5.99 + 0.08, "the stall cost no more than itself"


async def test_after_a_quiet_spell_at_most_a_tenth_of_a_second_goes_at_once() -> None:
    time = FakeTime()
    limits = ChatLimits(overall_rate=100, monotonic=time, sleep=time.sleep)
    time.now += 60

    times = await send_to_many_chats(limits, time, 20)

    assert times[:11] == [times[0]] * 11
    assert times[11] - times[0] == pytest.approx(0.01)


async def test_one_chat_may_burst_three_then_gets_one_a_second() -> None:
    time = FakeTime()
    limits = ChatLimits(
        overall_rate=30, chat_rate=1, chat_burst=3, monotonic=time, sleep=time.sleep
    )
    start = time.now
    times = []

    for _ in range(6):
        await limits.acquire(7)
        times.append(time.now - start)

    assert times == pytest.approx([0, 1 / 30, 2 / 30, 1, 2, 3])
