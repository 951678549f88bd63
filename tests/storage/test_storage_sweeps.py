"""The deadline sweep and the digest on a real database: how many SQL statements they run.

Issue 8: the sweep read every open step every minute and looked up each one's delegation and
request one query at a time (100,000 open steps: 77 s a sweep). Now storage returns only what
is due or disagrees with the delegations, and the due steps are claimed and shown in batches.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from dbtools import Sessions, add_person, statements
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.approvals import ApprovalStep, StepStatus
from bot.core.deals import DealTerms
from bot.core.policy import Policy
from bot.core.roles import Role
from bot.core.usecases.reminders import send_digests, sweep_deadlines
from storage.tables import Base
from storage.uow import SqlUnitOfWork

POLICY = Policy()
TUESDAY_10 = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # 10:00 in Asia/Shanghai, a working day
MINUTE, HOUR = timedelta(minutes=1), timedelta(hours=1)


def pending(request_id: int, approver_id: int, **changes: Any) -> ApprovalStep:
    """An open step due in eight hours, its first reminder in seven."""
    values: dict[str, Any] = {
        "id": 0,
        "request_id": request_id,
        "round": 1,
        "position": 0,
        "role": Role.supervisor,
        "approver_id": approver_id,
        "reason": {"kind": "chain", "value": None, "limit": None},
        "status": StepStatus.pending,
        "opened_at": TUESDAY_10 - HOUR,
        "due_at": TUESDAY_10 + 8 * HOUR,
        "next_nudge_at": TUESDAY_10 + 7 * HOUR,
        **changes,
    }
    return ApprovalStep(**values)


async def add_requests(
    sessionmaker: Sessions, requester_id: int, steps: list[dict[str, Any]]
) -> None:
    """One request per step, its step made from the keyword arguments of `pending`."""
    async with SqlUnitOfWork(sessionmaker) as uow:
        customer = await uow.customers.add(
            name="Acme Trading", owner_id=requester_id, phone=None, now=TUESDAY_10
        )
        for fields in steps:
            terms = DealTerms(customer.id, "Steel pipes", Decimal(100), Decimal("1200.00"))
            request = await uow.requests.add(
                kind="special_terms", requester_id=requester_id, terms=terms, now=TUESDAY_10
            )
            await uow.steps.add(pending(request.id, **fields))
        await uow.commit()


async def sweep_world(sessionmaker: Sessions, idle: int) -> None:
    """Two steps due (a reminder, an escalation), a delegation that just started and one that
    just ended (a step to move each way), and `idle` open steps with nothing to do."""
    gm = await add_person(sessionmaker, 1, role=Role.general_manager)
    sup = await add_person(sessionmaker, 2, role=Role.supervisor, reports_to=gm.id)
    sid = await add_person(sessionmaker, 3, role=Role.supervisor, reports_to=gm.id)
    leaving = await add_person(sessionmaker, 4, role=Role.supervisor, reports_to=gm.id)
    back = await add_person(sessionmaker, 5, role=Role.supervisor, reports_to=gm.id)
    rep = await add_person(sessionmaker, 6, role=Role.rep, reports_to=sup.id)
    async with SqlUnitOfWork(sessionmaker) as uow:
        for person, starts, ends in (
            (leaving.id, TUESDAY_10 - MINUTE, TUESDAY_10 + 48 * HOUR),
            (back.id, TUESDAY_10 - 48 * HOUR, TUESDAY_10 - MINUTE),
        ):
            await uow.delegations.add(
                person_id=person, delegate_id=sid.id, starts_at=starts, ends_at=ends, now=starts
            )
        await uow.commit()
    due = TUESDAY_10 - MINUTE
    await add_requests(
        sessionmaker,
        rep.id,
        [
            {"approver_id": sup.id, "next_nudge_at": due, "due_at": TUESDAY_10 + HOUR},
            {"approver_id": sup.id, "next_nudge_at": due, "due_at": due},
            {"approver_id": leaving.id},
            {"approver_id": back.id, "acting_id": sid.id},
            *({"approver_id": (sup.id, sid.id)[i % 2]} for i in range(idle)),
        ],
    )


async def empty(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            await conn.execute(table.delete())


async def sweep_over(
    engine: AsyncEngine, sessionmaker: Sessions, idle: int
) -> tuple[int, int, list[str]]:
    """On the world of `sweep_world`: (messages the sweep queued, messages a second sweep
    queued, the statements of the first)."""
    await empty(engine)
    await sweep_world(sessionmaker, idle)
    with statements(engine) as seen:
        async with SqlUnitOfWork(sessionmaker) as uow:
            queued = await sweep_deadlines(uow, policy=POLICY, now=TUESDAY_10)
    async with SqlUnitOfWork(sessionmaker) as uow:
        again = await sweep_deadlines(uow, policy=POLICY, now=TUESDAY_10)
    return queued, again, seen


async def test_regression_a_sweep_over_200_open_steps_runs_the_statements_of_one_over_10(
    engine: AsyncEngine, sessionmaker: Sessions
) -> None:
    """Before: a query per open step for its delegation and one for its delegate, then four
    per due step (100,000 open steps: 77 s). After: the same statements whatever is open,
    and none per due step either: steps are moved with one UPDATE per (acting person read,
    acting person wanted) and claimed with one per outcome (next nudge, reminded,
    escalated: the sweep's moment and the few deadlines reminded for), 500 steps a
    statement; their requests, customers and people are read 500 at a time, and their
    messages written in one go. Here 22: the mismatches, the kinds and roles that say whether
    a delegate is trusted with each (2), 2 moves, the moved steps' 5 reads (the colleagues
    each requester informs among them), their customers' contracts for the credit line (1)
    and cards, the due steps, 2 claims, their 4 reads, the approvers' managers, the messages
    and the audit entries."""
    small_queued, small_again, small = await sweep_over(engine, sessionmaker, idle=10)
    big_queued, big_again, big = await sweep_over(engine, sessionmaker, idle=200)

    # a reminder (1); an escalation (requester, manager, the approver's reminder: 3); the
    # cards of the two moved steps (2); and nothing the second time
    assert (small_queued, small_again) == (big_queued, big_again) == (6, 0)
    assert len(big) == len(small), big
    assert len(small) <= 22, small


async def digest_world(sessionmaker: Sessions, deciders: int) -> None:
    """`deciders` supervisors with two open steps each."""
    rep = await add_person(sessionmaker, 1, role=Role.rep)
    approvers = [
        (await add_person(sessionmaker, 100 + i, role=Role.supervisor)).id for i in range(deciders)
    ]
    await add_requests(sessionmaker, rep.id, [{"approver_id": a} for a in approvers * 2])


async def digest_over(
    engine: AsyncEngine, sessionmaker: Sessions, deciders: int
) -> tuple[int, int, list[str]]:
    await empty(engine)
    await digest_world(sessionmaker, deciders)
    with statements(engine) as seen:
        async with SqlUnitOfWork(sessionmaker) as uow:
            sent = await send_digests(uow, policy=POLICY, now=TUESDAY_10)
    async with SqlUnitOfWork(sessionmaker) as uow:
        again = await send_digests(uow, policy=POLICY, now=TUESDAY_10)
    return sent, again, seen


async def test_regression_the_digest_for_200_deciders_runs_the_statements_of_one_for_10(
    engine: AsyncEngine, sessionmaker: Sessions
) -> None:
    """Before: per decider a query for their steps and a claim, then four per step (one of
    them every person). After: deciders in batches of about 5,000 open steps, and per batch
    one query for their steps, one for the claims, three for the requests, customers and
    people, one INSERT for the digests. Here 7, with the query for the deciders."""
    small_sent, small_again, small = await digest_over(engine, sessionmaker, deciders=10)
    big_sent, big_again, big = await digest_over(engine, sessionmaker, deciders=200)

    assert (small_sent, small_again, big_sent, big_again) == (10, 0, 200, 0)
    assert len(big) == len(small), big
    assert len(small) <= 7, small
