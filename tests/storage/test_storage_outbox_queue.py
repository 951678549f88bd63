"""The sender's side of the outbox: claim, lease, mark sent, postpone, retry, fail, and the
admin's list of failed rows. `attempts` counts real failures only."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from dbtools import NOW, Sessions, add_person, row
from sqlalchemy import select, update

from bot.core.models import Notification, OutboxItem
from storage.outbox_queue import SqlOutboxQueue
from storage.tables import OutboxRow, PersonRow
from storage.uow import SqlUnitOfWork

MINUTE = timedelta(minutes=1)
LEASE = NOW + 5 * MINUTE


@pytest.fixture
def queue(sessionmaker: Sessions) -> SqlOutboxQueue:
    return SqlOutboxQueue(sessionmaker)


async def enqueue(
    sessionmaker: Sessions, recipient_id: int, n: int = 1, at: datetime = NOW
) -> None:
    async with SqlUnitOfWork(sessionmaker) as uow:
        for i in range(n):
            await uow.outbox.add(Notification(recipient_id, "hello", {"i": i}), at)
        await uow.commit()


def ids(items: list[OutboxItem]) -> list[int]:
    return [item.id for item in items]


async def test_claim_due_takes_due_rows_in_id_order_with_what_the_sender_needs(
    sessionmaker: Sessions, queue: SqlOutboxQueue
) -> None:
    ann = await add_person(sessionmaker, 7_000_000_001, language="zh")
    bob = await add_person(sessionmaker, 2)
    await enqueue(sessionmaker, ann.id)
    await enqueue(sessionmaker, bob.id)
    await enqueue(sessionmaker, ann.id)

    items = await queue.claim_due(NOW, 10, LEASE)

    assert ids(items) == [1, 2, 3]
    first = items[0]
    assert (first.chat_id, first.language, first.template, first.params) == (
        7_000_000_001,
        "zh",
        "hello",
        {"i": 0},
    )
    assert (first.ref, first.attempts) == (None, 0), "a claim costs no attempt"
    assert items[1].chat_id == 2
    stored = await row(sessionmaker, OutboxRow, 1)
    assert (stored.status, stored.claimed_until) == ("sending", LEASE)


async def test_claim_due_respects_the_limit(sessionmaker: Sessions, queue: SqlOutboxQueue) -> None:
    for telegram_id in range(1, 6):
        person = await add_person(sessionmaker, telegram_id)
        await enqueue(sessionmaker, person.id)

    assert ids(await queue.claim_due(NOW, 3, LEASE)) == [1, 2, 3]
    assert ids(await queue.claim_due(NOW, 3, LEASE)) == [4, 5]
    assert await queue.claim_due(NOW, 3, LEASE) == []


async def test_claim_due_skips_rows_not_yet_due(
    sessionmaker: Sessions, queue: SqlOutboxQueue
) -> None:
    ann = await add_person(sessionmaker, 1)
    bob = await add_person(sessionmaker, 2)
    await enqueue(sessionmaker, ann.id, at=NOW + MINUTE)
    await enqueue(sessionmaker, bob.id, at=NOW)

    assert ids(await queue.claim_due(NOW, 10, LEASE)) == [2]
    assert ids(await queue.claim_due(NOW + MINUTE, 10, NOW + 6 * MINUTE)) == [1]


async def test_a_later_message_to_the_same_person_waits_for_an_earlier_one(
    sessionmaker: Sessions, queue: SqlOutboxQueue
) -> None:
    person = await add_person(sessionmaker, 1)
    await enqueue(sessionmaker, person.id, at=NOW + MINUTE)  # postponed, e.g. after a 429
    await enqueue(sessionmaker, person.id, at=NOW)

    assert await queue.claim_due(NOW, 10, LEASE) == [], "the chat keeps its order"
    assert ids(await queue.claim_due(NOW + MINUTE, 10, LEASE)) == [1, 2]


async def test_a_message_waits_while_an_earlier_one_is_being_sent(
    sessionmaker: Sessions, queue: SqlOutboxQueue
) -> None:
    person = await add_person(sessionmaker, 1)
    await enqueue(sessionmaker, person.id)
    assert ids(await queue.claim_due(NOW, 10, LEASE)) == [1]
    await enqueue(sessionmaker, person.id)

    assert await queue.claim_due(NOW, 10, LEASE) == []
    await queue.mark_sent({1: 10}, NOW)
    assert ids(await queue.claim_due(NOW, 10, LEASE)) == [2]


async def test_a_row_is_taken_again_only_after_its_lease_runs_out(
    sessionmaker: Sessions, queue: SqlOutboxQueue
) -> None:
    person = await add_person(sessionmaker, 1)
    await enqueue(sessionmaker, person.id)
    assert ids(await queue.claim_due(NOW, 10, LEASE)) == [1]

    assert await queue.claim_due(NOW + MINUTE, 10, LEASE + MINUTE) == []
    assert await queue.claim_due(LEASE, 10, LEASE + MINUTE) == []  # the lease covers its end
    again = await queue.claim_due(LEASE + timedelta(seconds=1), 10, LEASE + 5 * MINUTE)

    assert ids(again) == [1]
    assert again[0].attempts == 0, "the dead sender's claim was no failure of the message"


async def test_concurrent_claimers_never_share_a_row(
    sessionmaker: Sessions, queue: SqlOutboxQueue
) -> None:
    for telegram_id in range(1, 21):  # twenty chats: order within a chat is another test
        person = await add_person(sessionmaker, telegram_id)
        await enqueue(sessionmaker, person.id)

    async def drain() -> list[int]:
        taken: list[int] = []
        while batch := await queue.claim_due(NOW, 3, LEASE):
            assert len(batch) <= 3
            taken += ids(batch)
        return taken

    batches = await asyncio.gather(*(drain() for _ in range(5)))
    everything = [item for batch in batches for item in batch]

    assert sorted(everything) == list(range(1, 21))  # all of them, none twice


async def test_mark_sent_records_the_message(sessionmaker: Sessions, queue: SqlOutboxQueue) -> None:
    person = await add_person(sessionmaker, 7_000_000_001)
    await enqueue(sessionmaker, person.id)
    [item] = await queue.claim_due(NOW, 10, LEASE)

    await queue.mark_sent({item.id: 555}, NOW + MINUTE)

    stored = await row(sessionmaker, OutboxRow, item.id)
    assert (stored.status, stored.message_id, stored.chat_id) == ("sent", 555, 7_000_000_001)
    assert (stored.sent_at, stored.error) == (NOW + MINUTE, None)
    assert await queue.claim_due(LEASE + MINUTE, 10, LEASE + 2 * MINUTE) == []


async def test_mark_sent_records_many_in_one_call(
    sessionmaker: Sessions, queue: SqlOutboxQueue
) -> None:
    ann = await add_person(sessionmaker, 1)
    bob = await add_person(sessionmaker, 2)
    async with sessionmaker() as session:
        await session.execute(update(PersonRow).values(unreachable=True))
        await session.commit()
    await enqueue(sessionmaker, ann.id)
    await enqueue(sessionmaker, bob.id)
    await enqueue(sessionmaker, ann.id)
    first, to_bob, _held_back = await queue.claim_due(NOW, 10, LEASE)

    await queue.mark_sent({first.id: 11, to_bob.id: 22}, NOW)

    stored = [await row(sessionmaker, OutboxRow, i) for i in (1, 2, 3)]
    assert [(r.status, r.message_id, r.chat_id) for r in stored] == [
        ("sent", 11, 1),
        ("sent", 22, 2),
        ("sending", None, None),
    ]
    assert not (await row(sessionmaker, PersonRow, bob.id)).unreachable, "a message got through"
    assert (await row(sessionmaker, PersonRow, ann.id)).unreachable is False
    await queue.mark_sent({}, NOW)


async def test_regression_a_429_or_a_wait_behind_an_earlier_message_spent_an_attempt(
    sessionmaker: Sessions, queue: SqlOutboxQueue
) -> None:
    """Every claim used to add an attempt, so a message that waited out 429s or an earlier
    message of its chat ran out of attempts without failing once. Postponing puts rows back
    for later at no cost."""
    person = await add_person(sessionmaker, 1)
    await enqueue(sessionmaker, person.id, n=3)
    first, second, third = await queue.claim_due(NOW, 10, LEASE)
    later = NOW + 2 * MINUTE

    await queue.postpone([first.id], later, "429: retry after 120")
    await queue.postpone([second.id, third.id], later, "waits for an earlier one")

    stored = await row(sessionmaker, OutboxRow, first.id)
    assert (stored.status, stored.next_attempt_at, stored.claimed_until) == ("pending", later, None)
    assert stored.error == "429: retry after 120"
    assert (await row(sessionmaker, OutboxRow, third.id)).next_attempt_at == later
    assert await queue.claim_due(later - timedelta(seconds=1), 10, LEASE) == []
    again = await queue.claim_due(later, 10, later + 5 * MINUTE)
    assert [(item.id, item.attempts) for item in again] == [(first.id, 0), (second.id, 0), (3, 0)]


async def test_retry_after_failure_spends_one_attempt(
    sessionmaker: Sessions, queue: SqlOutboxQueue
) -> None:
    person = await add_person(sessionmaker, 1)
    await enqueue(sessionmaker, person.id)
    [item] = await queue.claim_due(NOW, 10, LEASE)

    await queue.retry_after_failure(item.id, NOW + MINUTE, "502: Bad Gateway")
    [again] = await queue.claim_due(NOW + MINUTE, 10, LEASE + MINUTE)
    await queue.retry_after_failure(item.id, NOW + 2 * MINUTE, "502: Bad Gateway")

    stored = await row(sessionmaker, OutboxRow, item.id)
    assert (again.attempts, stored.attempts) == (1, 2)
    assert (stored.status, stored.next_attempt_at) == ("pending", NOW + 2 * MINUTE)
    assert stored.error == "502: Bad Gateway"


async def test_fail_unreachable_marks_the_person_until_a_message_gets_through(
    sessionmaker: Sessions, queue: SqlOutboxQueue
) -> None:
    person = await add_person(sessionmaker, 1)
    await enqueue(sessionmaker, person.id)
    [blocked] = await queue.claim_due(NOW, 10, LEASE)

    await queue.fail(blocked.id, "403: bot was blocked by the user", unreachable=True, now=NOW)

    stored = await row(sessionmaker, OutboxRow, blocked.id)
    assert (stored.status, stored.error, stored.claimed_until) == (
        "failed",
        "403: bot was blocked by the user",
        None,
    )
    assert (stored.failed_at, stored.attempts) == (NOW, 1)
    assert (await row(sessionmaker, PersonRow, person.id)).unreachable
    assert await queue.claim_due(LEASE + MINUTE, 10, LEASE + 2 * MINUTE) == []  # failed is final

    await enqueue(sessionmaker, person.id)
    [later] = await queue.claim_due(NOW, 10, LEASE)
    await queue.mark_sent({later.id: 777}, NOW)

    assert not (await row(sessionmaker, PersonRow, person.id)).unreachable


async def test_fail_without_unreachable_leaves_the_person_alone(
    sessionmaker: Sessions, queue: SqlOutboxQueue
) -> None:
    person = await add_person(sessionmaker, 1)
    await enqueue(sessionmaker, person.id)
    [item] = await queue.claim_due(NOW, 10, LEASE)

    await queue.fail(item.id, "x" * 2000, unreachable=False, now=NOW)

    stored = await row(sessionmaker, OutboxRow, item.id)
    assert (stored.status, len(stored.error)) == ("failed", 500)
    assert not (await row(sessionmaker, PersonRow, person.id)).unreachable


async def outbox_and_people(sessionmaker: Sessions) -> list[tuple[object, ...]]:
    async with sessionmaker() as session:
        outbox = (await session.execute(select(OutboxRow.__table__))).all()
        people = (await session.execute(select(PersonRow.__table__))).all()
    return [tuple(r) for r in (*outbox, *people)]


async def test_unknown_ids_are_ignored(sessionmaker: Sessions, queue: SqlOutboxQueue) -> None:
    """A row the sender holds may be pruned meanwhile: acting on its id changes nothing, and
    in particular no other row and no person (`fail(unreachable=True)` marks its recipient)."""
    person = await add_person(sessionmaker, 1)
    await enqueue(sessionmaker, person.id)
    before = await outbox_and_people(sessionmaker)

    await queue.mark_sent({999: 1}, NOW)
    await queue.fail(999, "gone", unreachable=True, now=NOW)
    await queue.postpone([999], NOW, "gone")
    await queue.retry_after_failure(999, NOW, "gone")

    assert await outbox_and_people(sessionmaker) == before
    assert [i.id for i in await queue.claim_due(NOW, 10, LEASE)] == [before[0][0]]


async def test_sent_rows_are_never_claimed_again(
    sessionmaker: Sessions, queue: SqlOutboxQueue
) -> None:
    person = await add_person(sessionmaker, 1)
    await enqueue(sessionmaker, person.id)
    [item] = await queue.claim_due(NOW, 10, LEASE)
    await queue.mark_sent({item.id: 1}, NOW)
    async with sessionmaker() as session:  # even with a stale lease left behind
        await session.execute(update(OutboxRow).values(claimed_until=NOW))
        await session.commit()

    assert await queue.claim_due(NOW + MINUTE, 10, LEASE) == []


async def test_an_edit_names_the_last_message_sent_under_its_ref(
    sessionmaker: Sessions, queue: SqlOutboxQueue
) -> None:
    ann = await add_person(sessionmaker, 1)
    bob = await add_person(sessionmaker, 2)
    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.outbox.add(Notification(ann.id, "card", ref="request:1"), NOW)
        await uow.outbox.add(Notification(bob.id, "card", ref="request:1"), NOW)
        await uow.outbox.add(Notification(ann.id, "card", ref="request:1", edit=True), NOW)
        await uow.commit()
    first, to_bob, edit = await queue.claim_due(NOW, 10, LEASE)
    assert (first.edit, edit.edit, edit.ref) == (False, True, "request:1")
    assert await queue.last_sent("request:1", ann.telegram_id) is None  # nothing sent yet

    await queue.mark_sent({first.id: 501}, NOW)
    await queue.mark_sent({to_bob.id: 502}, NOW)
    await queue.mark_sent({edit.id: 503}, NOW)

    assert await queue.last_sent("request:1", ann.telegram_id) == 503
    assert await queue.last_sent("request:1", bob.telegram_id) == 502
    assert await queue.last_sent("request:2", ann.telegram_id) is None


async def test_a_bundle_edits_the_last_message_only_while_it_is_recent(
    sessionmaker: Sessions, queue: SqlOutboxQueue
) -> None:
    ann = await add_person(sessionmaker, 1)
    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.outbox.add(Notification(ann.id, "list", ref="prospects:1"), NOW)
        await uow.outbox.add(Notification(ann.id, "list", ref="prospects:1"), NOW)
        await uow.commit()
    older, newer = await queue.claim_due(NOW, 10, LEASE)
    await queue.mark_sent({older.id: 601}, NOW)
    await queue.mark_sent({newer.id: 602}, NOW + 5 * MINUTE)

    assert await queue.last_sent("prospects:1", ann.telegram_id, since=NOW) == 602
    assert await queue.last_sent("prospects:1", ann.telegram_id, since=NOW + 5 * MINUTE) == 602
    # the last one is too old: nothing to bundle into, even though an older one exists
    assert await queue.last_sent("prospects:1", ann.telegram_id, since=NOW + 6 * MINUTE) is None


async def test_recent_failures_lists_failed_rows_newest_first_with_their_recipient(
    sessionmaker: Sessions, queue: SqlOutboxQueue
) -> None:
    ann = await add_person(sessionmaker, 1, full_name="Ann Li")
    bob = await add_person(sessionmaker, 2, full_name="Bob Wu")
    await enqueue(sessionmaker, ann.id)
    await enqueue(sessionmaker, bob.id)
    await enqueue(sessionmaker, ann.id)
    await enqueue(sessionmaker, bob.id)
    first, to_bob, second, sent = await queue.claim_due(NOW, 10, LEASE)
    await queue.fail(second.id, "502: Bad Gateway", unreachable=False, now=NOW)
    await queue.fail(first.id, "400: chat not found", unreachable=False, now=NOW + MINUTE)
    await queue.fail(to_bob.id, "403: blocked", unreachable=True, now=NOW + 2 * MINUTE)
    await queue.mark_sent({sent.id: 10}, NOW)

    failures = await queue.recent_failures(2)

    assert [(f.id, f.failed_at, f.recipient_id, f.recipient_name) for f in failures] == [
        (to_bob.id, NOW + 2 * MINUTE, bob.id, "Bob Wu"),
        (first.id, NOW + MINUTE, ann.id, "Ann Li"),
    ]
    assert (failures[1].template, failures[1].error) == ("hello", "400: chat not found")
    assert [f.id for f in await queue.recent_failures(10)] == [to_bob.id, first.id, second.id]
