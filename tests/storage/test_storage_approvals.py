"""The approval repositories on a migrated database (SQLite and PostgreSQL): customers, requests,
steps with their atomic claims, delegations and the digest log."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from dbtools import NOW, Sessions, add_person, row, statements
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.approvals import (
    ApprovalRequest,
    ApprovalStep,
    DeciderChange,
    Moved,
    NudgeClaim,
    RequestStatus,
    StepStatus,
)
from bot.core.deals import DealTerms
from bot.core.roles import Role
from bot.core.usecases.approvals import my_requests
from storage.tables import StepRow
from storage.uow import SqlUnitOfWork

HOUR = timedelta(hours=1)
RACERS = 10
SHANGHAI = ZoneInfo("Asia/Shanghai")
REASON = {"kind": "discount", "value": "12.50", "limit": "8"}


@pytest.fixture
async def org(sessionmaker: Sessions) -> dict[str, int]:
    """rep > sup > mgr, and sid, another supervisor who stands in."""
    mgr = await add_person(sessionmaker, 3, role=Role.sales_manager)
    sup = await add_person(sessionmaker, 2, role=Role.supervisor, reports_to=mgr.id)
    sid = await add_person(sessionmaker, 4, role=Role.supervisor, reports_to=mgr.id)
    rep = await add_person(sessionmaker, 1, role=Role.rep, reports_to=sup.id)
    return {"rep": rep.id, "sup": sup.id, "mgr": mgr.id, "sid": sid.id}


async def add_customer(
    sessionmaker: Sessions, owner_id: int, name: str = "Acme Trading", **extra: object
) -> int:
    fields: dict[str, object] = {"phone": None, "now": NOW, **extra}
    async with SqlUnitOfWork(sessionmaker) as uow:
        customer = await uow.customers.add(name=name, owner_id=owner_id, **fields)  # type: ignore[arg-type]
        await uow.commit()
    return customer.id


def terms(customer_id: int, **overrides: object) -> DealTerms:
    values: dict[str, object] = {
        "customer_id": customer_id,
        "product": "Steel pipes",
        "quantity": Decimal("1.234"),
        "amount": Decimal("12345678.90"),
        "discount": Decimal("12.50"),
        "payment_terms": "60 days",
        "deposit": Decimal("0.01"),
        "note": "备注",
    }
    return DealTerms(**{**values, **overrides})  # type: ignore[arg-type]


async def add_request(sessionmaker: Sessions, org: dict[str, int], **overrides: object) -> int:
    customer_id = await add_customer(sessionmaker, org["rep"])
    async with SqlUnitOfWork(sessionmaker) as uow:
        request = await uow.requests.add(
            kind="special_terms",
            requester_id=org["rep"],
            terms=terms(customer_id, **overrides),
            now=NOW,
        )
        await uow.commit()
    return request.id


def step(request_id: int, approver_id: int, **overrides: object) -> ApprovalStep:
    values: dict[str, object] = {
        "id": 0,
        "request_id": request_id,
        "round": 1,
        "position": 0,
        "role": Role.supervisor,
        "approver_id": approver_id,
        "reason": dict(REASON),
        "status": StepStatus.pending,
        "opened_at": NOW,
        "due_at": NOW + 8 * HOUR,
        "next_nudge_at": NOW + 7 * HOUR,
    }
    return ApprovalStep(**{**values, **overrides})  # type: ignore[arg-type]


async def add_steps(sessionmaker: Sessions, *steps: ApprovalStep) -> list[ApprovalStep]:
    async with SqlUnitOfWork(sessionmaker) as uow:
        added = [await uow.steps.add(s) for s in steps]
        await uow.commit()
    return added


async def get_step(sessionmaker: Sessions, step_id: int) -> ApprovalStep:
    async with SqlUnitOfWork(sessionmaker) as uow:
        found = await uow.steps.get(step_id)
    assert found is not None
    return found


# --- customers ------------------------------------------------------------------------------


async def test_customers_add_get_and_owned_by_with_search(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    rep, sup = org["rep"], org["sup"]
    acme = await add_customer(sessionmaker, rep, "ACME Trading Co.", phone="13955501234")
    await add_customer(sessionmaker, rep, "Beta Steel", now=NOW + HOUR)
    zhang = await add_customer(sessionmaker, rep, "张记五金", now=NOW + 2 * HOUR)
    other = await add_customer(sessionmaker, sup, "Acme Rival", now=NOW + 3 * HOUR)

    async with SqlUnitOfWork(sessionmaker) as uow:
        got = await uow.customers.get(acme)
        assert got is not None
        assert (got.name, got.owner_id, got.phone, got.created_at) == (
            "ACME Trading Co.",
            rep,
            "13955501234",
            NOW,
        )
        assert got.status.value == "prospect"
        assert await uow.customers.get(acme + 100) is None

        def names(found: object) -> list[str]:
            return [c.name for c in found]  # type: ignore[attr-defined]

        mine = await uow.customers.owned_by([rep])
        assert names(mine) == ["张记五金", "Beta Steel", "ACME Trading Co."]  # newest first
        assert names(await uow.customers.owned_by([rep], "acme")) == ["ACME Trading Co."]
        assert names(await uow.customers.owned_by([rep], "TRADING")) == ["ACME Trading Co."]
        assert names(await uow.customers.owned_by([rep], "五金")) == ["张记五金"]
        assert names(await uow.customers.owned_by([rep], "5550")) == ["ACME Trading Co."]
        assert names(await uow.customers.owned_by([rep], "nothing like it")) == []
        assert names(await uow.customers.owned_by([rep, sup], "acme")) == [
            "Acme Rival",
            "ACME Trading Co.",
        ]
        assert names(await uow.customers.owned_by([rep], limit=2)) == ["张记五金", "Beta Steel"]
        assert await uow.customers.owned_by([]) == []
        assert other not in {c.id for c in mine}
        assert zhang in {c.id for c in mine}


# --- requests -------------------------------------------------------------------------------


async def test_request_terms_round_trip_exactly(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    request_id = await add_request(sessionmaker, org)

    async with SqlUnitOfWork(sessionmaker) as uow:
        got = await uow.requests.get(request_id)
    assert got is not None
    money = got.terms
    assert (money.amount, money.discount, money.quantity, money.deposit) == (
        Decimal("12345678.90"),
        Decimal("12.50"),
        Decimal("1.234"),
        Decimal("0.01"),
    )
    # Exact, not merely equal: the cents survive as written (no float on the way).
    assert [str(v) for v in (money.amount, money.discount, money.quantity, money.deposit)] == [
        "12345678.90",
        "12.50",
        "1.234",
        "0.01",
    ]
    assert (money.product, money.payment_terms, money.note) == ("Steel pipes", "60 days", "备注")
    assert (got.kind, got.requester_id, got.status, got.round, got.created_at) == (
        "special_terms",
        org["rep"],
        RequestStatus.pending,
        1,
        NOW,
    )
    assert got.closed_at is None


@pytest.mark.parametrize(
    "amount", ["0.01", "0.10", "0.30", "999999999999.99", "1000000000000.00", "100000.05"]
)
async def test_amounts_keep_every_cent(
    sessionmaker: Sessions, org: dict[str, int], amount: str
) -> None:
    request_id = await add_request(sessionmaker, org, amount=Decimal(amount), discount=None)

    async with SqlUnitOfWork(sessionmaker) as uow:
        got = await uow.requests.get(request_id)
    assert got is not None
    assert got.terms.amount == Decimal(amount)
    assert str(got.terms.amount) == amount
    assert got.terms.discount is None


async def test_request_save_and_by_requester(sessionmaker: Sessions, org: dict[str, int]) -> None:
    first = await add_request(sessionmaker, org)
    second = await add_request(sessionmaker, org, amount=Decimal("500.00"))
    async with SqlUnitOfWork(sessionmaker) as uow:
        request = await uow.requests.get(first)
        assert request is not None
        changed: ApprovalRequest = replace(
            request,
            status=RequestStatus.returned,
            round=2,
            closed_at=NOW + HOUR,
            terms=replace(request.terms, discount=Decimal("8.75"), note=None),
            previous_terms=request.terms,
        )
        await uow.requests.save(changed)
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.requests.get(first) == changed
        assert list(await uow.requests.by_ids([first])) == [changed]
        mine = await uow.requests.by_requester(org["rep"])
        assert [r.id for r in mine] == [second, first]
        assert [r.id for r in await uow.requests.by_requester(org["rep"], limit=1)] == [second]
        assert await uow.requests.by_requester(org["sup"]) == []
        assert await uow.requests.get(second + 100) is None


# --- steps ----------------------------------------------------------------------------------


async def test_steps_add_read_back_in_chain_order_and_save(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    request_id = await add_request(sessionmaker, org)
    sup, mgr = org["sup"], org["mgr"]
    later, first, round_two = await add_steps(
        sessionmaker,
        step(request_id, mgr, position=1, role=Role.sales_manager, status=StepStatus.waiting),
        step(request_id, sup),
        step(request_id, sup, round=2),
    )

    async with SqlUnitOfWork(sessionmaker) as uow:
        steps = await uow.steps.for_request(request_id)
        assert [s.id for s in steps] == [first.id, later.id, round_two.id]
        assert steps[0] == first
        assert steps[0].reason == REASON
        assert steps[1].role is Role.sales_manager
        assert await uow.steps.for_request(request_id + 100) == []

        decided = replace(
            first,
            status=StepStatus.approved,
            decided_at=NOW + HOUR,
            decided_by=org["sid"],
            acting_id=org["sid"],
            moved=Moved.unreachable,
            comment="ok",
            reminders_sent=2,
            escalated_at=NOW + 2 * HOUR,
            next_nudge_at=None,
        )
        await uow.steps.save(decided)
        await uow.commit()

    assert await get_step(sessionmaker, first.id) == decided


async def test_ten_concurrent_decisions_of_one_step_have_one_winner(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    request_id = await add_request(sessionmaker, org)
    (open_step,) = await add_steps(sessionmaker, step(request_id, org["sup"]))

    async def claim(i: int) -> bool:
        async with SqlUnitOfWork(sessionmaker) as uow:
            won = await uow.steps.claim_decision(
                open_step.id,
                status=StepStatus.rejected if i % 2 else StepStatus.approved,
                actor_id=org["sup"],
                comment=f"tap {i}",
                now=NOW + i * timedelta(seconds=1),
            )
            await uow.commit()
            return won

    results = await asyncio.gather(*(claim(i) for i in range(RACERS)))

    assert results.count(True) == 1
    winner = results.index(True)
    decided = await get_step(sessionmaker, open_step.id)
    assert decided.comment == f"tap {winner}"
    assert decided.status is (StepStatus.rejected if winner % 2 else StepStatus.approved)
    assert decided.decided_at == NOW + winner * timedelta(seconds=1)


async def test_claim_decision_only_takes_a_pending_step(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    request_id = await add_request(sessionmaker, org)
    waiting, cancelled = await add_steps(
        sessionmaker,
        step(request_id, org["sup"], status=StepStatus.waiting),
        step(request_id, org["sup"], position=1, status=StepStatus.cancelled),
    )
    async with SqlUnitOfWork(sessionmaker) as uow:
        for s in (waiting, cancelled):
            assert not await uow.steps.claim_decision(
                s.id, status=StepStatus.approved, actor_id=org["sup"], comment=None, now=NOW
            )
        assert not await uow.steps.claim_decision(
            9999, status=StepStatus.approved, actor_id=org["sup"], comment=None, now=NOW
        )


async def test_open_for_follows_the_acting_delegate(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    request_id = await add_request(sessionmaker, org)
    sup, sid, mgr = org["sup"], org["sid"], org["mgr"]
    own_late, delegated, own_early, _decided, _waiting = await add_steps(
        sessionmaker,
        step(request_id, sup, due_at=NOW + 9 * HOUR),
        step(request_id, sup, position=1, acting_id=sid),
        step(request_id, sup, position=2, due_at=NOW + 2 * HOUR),
        step(request_id, sup, position=3, status=StepStatus.approved),
        step(request_id, mgr, position=4, status=StepStatus.waiting),
    )

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert [s.id for s in await uow.steps.open_for(sup)] == [own_early.id, own_late.id]
        assert [s.id for s in await uow.steps.open_for(sid)] == [delegated.id]
        assert await uow.steps.open_for(mgr) == []
        of_sup = {s.id for s in await uow.steps.open_of_approver(sup)}
        assert of_sup == {own_late.id, delegated.id, own_early.id}
        assert await uow.steps.open_deciders() == {sup: 2, sid: 1}


async def test_waiting_on_takes_the_undecided_steps_a_person_holds(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    """As approver unless the step moved away from them; as the stand-in it moved to; not as
    a delegate (the delegation decides where that step goes)."""
    request_id = await add_request(sessionmaker, org)
    sup, sid, mgr = org["sup"], org["sid"], org["mgr"]
    own, delegated, later, stood_in, moved_away, _decided = await add_steps(
        sessionmaker,
        step(request_id, sup),
        step(request_id, sup, position=1, acting_id=sid),
        step(request_id, sup, position=2, status=StepStatus.waiting),
        step(request_id, mgr, position=3, acting_id=sup, moved=Moved.deactivated),
        step(request_id, sup, position=4, acting_id=mgr, moved=Moved.unreachable),
        step(request_id, sup, position=5, status=StepStatus.approved),
    )

    async with SqlUnitOfWork(sessionmaker) as uow:
        held = [s.id for s in await uow.steps.waiting_on(sup)]
        assert held == [own.id, delegated.id, later.id, stood_in.id]
        assert [s.id for s in await uow.steps.waiting_on(mgr)] == [moved_away.id]
        assert await uow.steps.waiting_on(sid) == []


async def test_due_for_nudge_takes_open_steps_whose_nudge_is_due_oldest_first(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    request_id = await add_request(sessionmaker, org)
    sup = org["sup"]
    due_later, due_first, _future, _no_nudge, _closed = await add_steps(
        sessionmaker,
        step(request_id, sup, next_nudge_at=NOW),
        step(request_id, sup, position=1, next_nudge_at=NOW - HOUR),
        step(request_id, sup, position=2, next_nudge_at=NOW + timedelta(seconds=1)),
        step(request_id, sup, position=3, next_nudge_at=None),
        step(request_id, sup, position=4, next_nudge_at=NOW - HOUR, status=StepStatus.rejected),
    )

    async with SqlUnitOfWork(sessionmaker) as uow:
        due = await uow.steps.due_for_nudge(NOW)
        assert [s.id for s in due] == [due_first.id, due_later.id]
        # The same instant written in another zone is the same instant.
        assert [s.id for s in await uow.steps.due_for_nudge(NOW.astimezone(SHANGHAI))] == [
            due_first.id,
            due_later.id,
        ]


async def test_claim_nudges_records_once_for_the_nudge_time_it_saw(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    request_id = await add_request(sessionmaker, org)
    # A real clock has microseconds; a claim must still match what it read back.
    seen = datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=ZoneInfo("UTC"))
    (open_step,) = await add_steps(sessionmaker, step(request_id, org["sup"], next_nudge_at=seen))
    read_back = (await get_step(sessionmaker, open_step.id)).next_nudge_at
    assert read_back == seen

    async with SqlUnitOfWork(sessionmaker) as uow:
        first = NudgeClaim(open_step.id, seen.astimezone(SHANGHAI), seen + HOUR, True, None)
        assert await uow.steps.claim_nudges([first]) == {open_step.id}
        again = NudgeClaim(open_step.id, seen, None, reminded=True, escalated_at=None)
        assert await uow.steps.claim_nudges([again]) == set()
        await uow.commit()

    after = await get_step(sessionmaker, open_step.id)
    assert (after.reminders_sent, after.next_nudge_at, after.escalated_at) == (1, seen + HOUR, None)

    async with SqlUnitOfWork(sessionmaker) as uow:
        escalate = NudgeClaim(open_step.id, seen + HOUR, None, False, escalated_at=seen + HOUR)
        assert await uow.steps.claim_nudges([escalate]) == {open_step.id}
        await uow.commit()
    after = await get_step(sessionmaker, open_step.id)
    assert (after.reminders_sent, after.next_nudge_at, after.escalated_at) == (
        1,
        None,
        seen + HOUR,
    )


async def test_ten_concurrent_sweeps_claim_a_nudge_once(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    request_id = await add_request(sessionmaker, org)
    (open_step,) = await add_steps(sessionmaker, step(request_id, org["sup"]))
    seen = open_step.next_nudge_at
    assert seen is not None

    async def claim() -> bool:
        async with SqlUnitOfWork(sessionmaker) as uow:
            won = await uow.steps.claim_nudges(
                [NudgeClaim(open_step.id, seen, seen + HOUR, reminded=True, escalated_at=None)]
            )
            await uow.commit()
            return won == {open_step.id}

    results = await asyncio.gather(*(claim() for _ in range(RACERS)))

    assert results.count(True) == 1
    stored = await row(sessionmaker, StepRow, open_step.id)
    assert stored.reminders_sent == 1


async def test_claim_nudges_skips_a_closed_step(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    request_id = await add_request(sessionmaker, org)
    (closed,) = await add_steps(
        sessionmaker, step(request_id, org["sup"], status=StepStatus.cancelled)
    )
    async with SqlUnitOfWork(sessionmaker) as uow:
        claim = NudgeClaim(closed.id, closed.next_nudge_at, None, True, None)  # type: ignore[arg-type]
        assert await uow.steps.claim_nudges([claim]) == set()


# --- delegations ----------------------------------------------------------------------------


async def test_delegations_current_upcoming_and_cancel(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    sup, sid, mgr = org["sup"], org["sid"], org["mgr"]
    async with SqlUnitOfWork(sessionmaker) as uow:
        now_away = await uow.delegations.add(
            person_id=sup, delegate_id=sid, starts_at=NOW - HOUR, ends_at=NOW + HOUR, now=NOW
        )
        next_week = await uow.delegations.add(
            person_id=sup,
            delegate_id=mgr,
            starts_at=NOW + 168 * HOUR,
            ends_at=NOW + 192 * HOUR,
            now=NOW,
        )
        past = await uow.delegations.add(
            person_id=sup, delegate_id=sid, starts_at=NOW - 48 * HOUR, ends_at=NOW - HOUR, now=NOW
        )
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.delegations.current(sup, NOW) == now_away
        assert (await uow.delegations.current(sup, NOW - HOUR)) == now_away  # starts inclusive
        assert await uow.delegations.current(sup, NOW + HOUR) is None  # ends exclusive
        assert await uow.delegations.current(sup, NOW + 170 * HOUR) == next_week
        assert await uow.delegations.current(sid, NOW) is None
        upcoming = await uow.delegations.upcoming(sup, NOW)
        assert [d.id for d in upcoming] == [now_away.id, next_week.id]
        assert past.id not in {d.id for d in upcoming}

        await uow.delegations.cancel(now_away.id)
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.delegations.current(sup, NOW) is None
        assert [d.id for d in await uow.delegations.upcoming(sup, NOW)] == [next_week.id]


async def test_the_newest_of_two_overlapping_delegations_wins(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    sup, sid, mgr = org["sup"], org["sid"], org["mgr"]
    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.delegations.add(
            person_id=sup, delegate_id=sid, starts_at=NOW - HOUR, ends_at=NOW + 9 * HOUR, now=NOW
        )
        newer = await uow.delegations.add(
            person_id=sup, delegate_id=mgr, starts_at=NOW, ends_at=NOW + HOUR, now=NOW
        )
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:
        current = await uow.delegations.current(sup, NOW)
    assert current is not None
    assert (current.id, current.delegate_id) == (newer.id, mgr)


# --- digests --------------------------------------------------------------------------------


async def test_a_digest_is_claimed_once_per_person_kind_and_day(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    sup, mgr = org["sup"], org["mgr"]
    day = NOW.date()
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.digests.claim(sup, "approvals", day)
        assert not await uow.digests.claim(sup, "approvals", day)
        assert await uow.digests.claim(sup, "plans", day)
        assert await uow.digests.claim(mgr, "approvals", day)
        assert await uow.digests.claim(sup, "approvals", day + timedelta(days=1))
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert not await uow.digests.claim(sup, "approvals", day)


async def test_a_rolled_back_digest_claim_can_be_made_again(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.digests.claim(org["sup"], "approvals", NOW.date())
        # no commit: the sweep failed before its messages were stored

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.digests.claim(org["sup"], "approvals", NOW.date())


async def test_ten_concurrent_digest_claims_have_one_winner(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    async def claim() -> bool:
        async with SqlUnitOfWork(sessionmaker) as uow:
            won = await uow.digests.claim(org["sup"], "approvals", NOW.date())
            await uow.commit()
            return won

    results = await asyncio.gather(*(claim() for _ in range(RACERS)))

    assert results.count(True) == 1


# --- reading many at once, for the sweep and the digest -------------------------------------


async def test_by_ids_reads_requests_steps_customers_and_people_in_batches(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    first = await add_request(sessionmaker, org)
    second = await add_request(sessionmaker, org, product="Valves")
    sup, mgr = org["sup"], org["mgr"]
    later, own, other = await add_steps(
        sessionmaker,
        step(first, mgr, position=1, status=StepStatus.waiting),
        step(first, sup),
        step(second, sup),
    )
    missing = range(10_000, 10_600)  # more ids than one IN list takes

    async with SqlUnitOfWork(sessionmaker) as uow:
        requests = await uow.requests.by_ids([second, first, *missing])
        assert [(r.id, r.terms.product) for r in requests] == [
            (first, "Steel pipes"),
            (second, "Valves"),
        ]
        steps = await uow.steps.for_requests([second, first, *missing])
        assert [s.id for s in steps] == [own.id, later.id, other.id]
        customers = {r.terms.customer_id for r in requests}
        assert await uow.customers.names([*customers, 99]) == dict.fromkeys(
            customers, "Acme Trading"
        )
        people = await uow.people.by_ids([mgr, sup, *missing])
        assert [p.id for p in people] == sorted([mgr, sup])
        assert await uow.requests.by_ids([]) == []
        assert await uow.people.by_ids([]) == []


async def test_open_for_deciders_groups_every_decider_at_once(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    request_id = await add_request(sessionmaker, org)
    sup, sid, mgr = org["sup"], org["sid"], org["mgr"]
    own_late, delegated, own_early, _decided, of_mgr = await add_steps(
        sessionmaker,
        step(request_id, sup, due_at=NOW + 9 * HOUR),
        step(request_id, sup, position=1, acting_id=sid),
        step(request_id, sup, position=2, due_at=NOW + 2 * HOUR),
        step(request_id, sup, position=3, status=StepStatus.approved),
        step(request_id, mgr, position=4, acting_id=sup),
    )

    async with SqlUnitOfWork(sessionmaker) as uow:
        found = await uow.steps.open_for_deciders([sup, sid])
        assert [(s.decider_id, s.id) for s in found] == [
            (sup, own_early.id),
            (sid, delegated.id),
            (sup, of_mgr.id),
            (sup, own_late.id),
        ]
        assert await uow.steps.open_for_deciders([mgr]) == []


async def test_stale_deciders_finds_only_the_steps_that_disagree_with_the_delegations(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    """Away now → the delegate; back (ended or cancelled) → the approver; an inactive delegate
    → the approver; of two overlapping delegations the newest. Steps that agree, closed steps
    and delegations still to come are left alone."""
    sup, sid, mgr = org["sup"], org["sid"], org["mgr"]
    back, cancelled, left, twice, later = [
        (await add_person(sessionmaker, 10 + i, role=Role.supervisor)).id for i in range(5)
    ]
    gone = await add_person(sessionmaker, 20, role=Role.supervisor)
    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.people.save(replace(gone, active=False))
        windows = [
            (sup, sid, NOW - HOUR, NOW + HOUR),
            (back, sid, NOW - 9 * HOUR, NOW),
            (cancelled, sid, NOW - HOUR, NOW + HOUR),
            (left, gone.id, NOW - HOUR, NOW + HOUR),
            (twice, sid, NOW - HOUR, NOW + 9 * HOUR),
            (twice, mgr, NOW - HOUR, NOW + HOUR),
            (later, sid, NOW + HOUR, NOW + 9 * HOUR),
        ]
        for person_id, delegate_id, starts_at, ends_at in windows:
            added = await uow.delegations.add(
                person_id=person_id,
                delegate_id=delegate_id,
                starts_at=starts_at,
                ends_at=ends_at,
                now=NOW - 9 * HOUR,
            )
            if person_id == cancelled:
                await uow.delegations.cancel(added.id)
        await uow.commit()
    request_id = await add_request(sessionmaker, org)
    plan = [
        (sup, None, StepStatus.pending, sid),  # away now: to the delegate
        (sup, sid, StepStatus.pending, "agrees"),
        (sup, None, StepStatus.approved, "closed"),
        (back, sid, StepStatus.pending, None),  # the window ended at NOW (exclusive)
        (cancelled, sid, StepStatus.pending, None),
        (left, None, StepStatus.pending, "agrees"),  # an inactive delegate takes nothing
        (left, gone.id, StepStatus.pending, None),
        (twice, sid, StepStatus.pending, mgr),  # the newest delegation wins
        (later, None, StepStatus.pending, "agrees"),
        (mgr, None, StepStatus.pending, "agrees"),
    ]
    added = await add_steps(
        sessionmaker,
        *(
            step(request_id, approver, position=i, acting_id=acting, status=status)
            for i, (approver, acting, status, _) in enumerate(plan)
        ),
    )

    async with SqlUnitOfWork(sessionmaker) as uow:
        changes = await uow.steps.stale_deciders(NOW)

    expected = [
        DeciderChange(s, wanted)  # type: ignore[arg-type]
        for s, (*_, wanted) in zip(added, plan, strict=True)
        if wanted not in ("agrees", "closed")
    ]
    assert changes == expected


async def test_change_deciders_changes_only_steps_still_as_they_were_read(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    request_id = await add_request(sessionmaker, org)
    sup, sid = org["sup"], org["sid"]
    to_sid, back, raced, closed = await add_steps(
        sessionmaker,
        step(request_id, sup),
        step(request_id, sup, position=1, acting_id=sid),
        step(request_id, sup, position=2, acting_id=sid),
        step(request_id, sup, position=3, status=StepStatus.cancelled),
    )
    changes = [
        DeciderChange(to_sid, sid),
        DeciderChange(back, None),
        DeciderChange(replace(raced, acting_id=None), sid),  # read before another sweep moved it
        DeciderChange(closed, sid),
    ]

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.steps.change_deciders(changes) == {to_sid.id, back.id}
        assert await uow.steps.change_deciders(changes[:2]) == set()  # a second sweep: nothing
        await uow.commit()

    stored = [await get_step(sessionmaker, s.id) for s in (to_sid, back, raced, closed)]
    assert [s.acting_id for s in stored] == [sid, None, sid, None]


async def test_ten_concurrent_sweeps_move_a_step_once(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    request_id = await add_request(sessionmaker, org)
    (open_step,) = await add_steps(sessionmaker, step(request_id, org["sup"]))

    async def move() -> bool:
        async with SqlUnitOfWork(sessionmaker) as uow:
            moved = await uow.steps.change_deciders([DeciderChange(open_step, org["sid"])])
            await uow.commit()
            return moved == {open_step.id}

    results = await asyncio.gather(*(move() for _ in range(RACERS)))

    assert results.count(True) == 1
    assert (await get_step(sessionmaker, open_step.id)).acting_id == org["sid"]


async def test_claim_nudges_gives_each_step_its_own_values_in_one_go(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    request_id = await add_request(sessionmaker, org)
    seen = NOW - HOUR
    remind, escalate, postpone, raced = await add_steps(
        sessionmaker,
        *(step(request_id, org["sup"], position=i, next_nudge_at=seen) for i in range(4)),
    )
    claims = [
        NudgeClaim(remind.id, seen, NOW + HOUR, reminded=True, escalated_at=None),
        NudgeClaim(escalate.id, seen, None, reminded=True, escalated_at=NOW),
        NudgeClaim(postpone.id, seen, NOW + 23 * HOUR, reminded=False, escalated_at=None),
        NudgeClaim(raced.id, seen - HOUR, None, reminded=True, escalated_at=NOW),
    ]

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.steps.claim_nudges(claims) == {remind.id, escalate.id, postpone.id}
        await uow.commit()

    stored = [await get_step(sessionmaker, s.id) for s in (remind, escalate, postpone, raced)]
    assert [(s.next_nudge_at, s.reminders_sent, s.escalated_at) for s in stored] == [
        (NOW + HOUR, 1, None),
        (None, 1, NOW),
        (NOW + 23 * HOUR, 0, None),
        (seen, 0, None),
    ]


async def test_claim_many_digests_claims_each_person_once(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    sup, sid, mgr = org["sup"], org["sid"], org["mgr"]
    day = NOW.date()
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.digests.claim_many([sup, mgr], "approvals", day) == {sup, mgr}
        assert await uow.digests.claim_many([sup, sid, sid], "approvals", day) == {sid}
        assert await uow.digests.claim_many([sup], "plans", day) == {sup}
        assert await uow.digests.claim_many([], "approvals", day) == set()
        assert not await uow.digests.claim(mgr, "approvals", day)
        await uow.commit()


async def test_ten_concurrent_digest_batches_claim_each_person_once(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    people = [org["sup"], org["sid"], org["mgr"]]

    async def claim() -> set[int]:
        async with SqlUnitOfWork(sessionmaker) as uow:
            won = await uow.digests.claim_many(people, "approvals", NOW.date())
            await uow.commit()
            return won

    results = await asyncio.gather(*(claim() for _ in range(RACERS)))

    assert sorted(p for won in results for p in won) == sorted(people)


async def test_regression_a_delegation_does_not_take_back_a_step_moved_to_a_stand_in(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    """A step moved to a stand-in (its approver deactivated or unreachable) stays with them,
    whatever the approver's delegations say: the set-based sweep must not undo the move."""
    sup, sid, mgr = org["sup"], org["sid"], org["mgr"]
    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.delegations.add(
            person_id=sup, delegate_id=sid, starts_at=NOW - HOUR, ends_at=NOW + HOUR, now=NOW
        )
        await uow.commit()
    request_id = await add_request(sessionmaker, org)
    moved, plain = await add_steps(
        sessionmaker,
        step(request_id, sup, acting_id=mgr, moved=Moved.deactivated),
        step(request_id, sup, position=1),
    )
    async with SqlUnitOfWork(sessionmaker) as uow:
        changes = await uow.steps.stale_deciders(NOW)
        assert [(c.step.id, c.acting_id) for c in changes] == [(plain.id, sid)]
        forced = DeciderChange(moved, sid)
        assert await uow.steps.change_deciders([forced]) == set()


async def test_regression_my_requests_reads_the_same_statements_for_2_or_12_requests(
    engine: AsyncEngine, sessionmaker: Sessions, org: dict[str, int]
) -> None:
    """Before: /my loaded each request's view on its own, four queries per request."""

    async def counted() -> int:
        async with SqlUnitOfWork(sessionmaker) as uow:
            with statements(engine) as seen:
                views = await my_requests(uow, org["rep"])
        assert len(views) == len(await _requests_of(sessionmaker, org["rep"]))
        return len(seen)

    for _ in range(2):
        await add_request(sessionmaker, org)
    few = await counted()
    for _ in range(10):
        await add_request(sessionmaker, org)
    assert await counted() == few


async def _requests_of(sessionmaker: Sessions, person_id: int) -> list[ApprovalRequest]:
    async with SqlUnitOfWork(sessionmaker) as uow:
        return list(await uow.requests.by_requester(person_id))


async def test_ten_concurrent_urges_of_one_step_have_one_winner_and_save_keeps_it(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    request_id = await add_request(sessionmaker, org)
    open_step, waiting = await add_steps(
        sessionmaker,
        step(request_id, org["sup"]),
        step(request_id, org["mgr"], position=1, status=StepStatus.waiting),
    )

    async def claim(i: int) -> bool:
        async with SqlUnitOfWork(sessionmaker) as uow:
            won = await uow.steps.claim_urge(
                open_step.id, seen=None, now=NOW + i * timedelta(seconds=1)
            )
            await uow.commit()
            return won

    results = await asyncio.gather(*(claim(i) for i in range(RACERS)))

    assert results.count(True) == 1
    urged_at = NOW + results.index(True) * timedelta(seconds=1)
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert not await uow.steps.claim_urge(open_step.id, seen=None, now=NOW + HOUR)
        assert not await uow.steps.claim_urge(waiting.id, seen=None, now=NOW + HOUR)
        await uow.steps.save(replace(open_step, reminders_sent=1))  # a reminder meanwhile
        assert await uow.steps.claim_urge(open_step.id, seen=urged_at, now=NOW + HOUR)
        await uow.commit()
    assert (await get_step(sessionmaker, open_step.id)).urged_at == NOW + HOUR


async def test_a_transfer_and_a_decision_at_once_have_one_winner(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    request_id = await add_request(sessionmaker, org)
    (open_step,) = await add_steps(sessionmaker, step(request_id, org["sup"]))

    async def hand_over() -> bool:
        async with SqlUnitOfWork(sessionmaker) as uow:
            won = await uow.steps.claim_transfer(open_step.id, seen_acting=None, to_id=org["sid"])
            await uow.commit()
            return won

    async def approve() -> bool:
        async with SqlUnitOfWork(sessionmaker) as uow:
            won = await uow.steps.claim_decision(
                open_step.id, status=StepStatus.approved, actor_id=org["sup"], comment=None, now=NOW
            )
            await uow.commit()
            return won

    results = await asyncio.gather(hand_over(), approve(), hand_over())

    assert results.count(True) == 1
    stored = await get_step(sessionmaker, open_step.id)
    if results[1]:
        assert (stored.status, stored.acting_id) == (StepStatus.approved, None)
    else:
        assert (stored.status, stored.acting_id, stored.moved) == (
            StepStatus.pending,
            org["sid"],
            Moved.transferred,
        )


@pytest.mark.parametrize("hold", [True, False])
async def test_an_added_approver_and_a_decision_at_once_have_one_winner(
    sessionmaker: Sessions, org: dict[str, int], hold: bool
) -> None:
    request_id = await add_request(sessionmaker, org)
    (open_step,) = await add_steps(sessionmaker, step(request_id, org["sup"]))

    async def add_one() -> bool:
        async with SqlUnitOfWork(sessionmaker) as uow:
            won = await uow.steps.claim_add_approver(open_step.id, seen_acting=None, hold=hold)
            await uow.commit()
            return won

    async def approve() -> bool:
        async with SqlUnitOfWork(sessionmaker) as uow:
            won = await uow.steps.claim_decision(
                open_step.id, status=StepStatus.approved, actor_id=org["sup"], comment=None, now=NOW
            )
            await uow.commit()
            return won

    results = await asyncio.gather(add_one(), approve())

    stored = await get_step(sessionmaker, open_step.id)
    if hold:  # holding takes the step out of pending: exactly one of the two lands
        assert results.count(True) == 1
        expected = StepStatus.approved if results[1] else StepStatus.waiting
        assert stored.status is expected
        if not results[1]:
            assert (stored.due_at, stored.next_nudge_at, stored.opened_at) == (None, None, None)
    else:  # adding after leaves the step open: the decision lands too, after the add
        assert results == [True, True] or results == [False, True]
        assert stored.status is StepStatus.approved


async def test_make_room_moves_the_round_down_from_a_position(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    request_id = await add_request(sessionmaker, org)
    first, second, earlier = await add_steps(
        sessionmaker,
        step(request_id, org["sup"]),
        step(request_id, org["mgr"], position=1, status=StepStatus.waiting),
        step(request_id, org["mgr"], round=0, position=1, status=StepStatus.returned),
    )
    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.steps.make_room(request_id, 1, 1)
        await uow.commit()
    positions = [(await get_step(sessionmaker, s.id)).position for s in (first, second, earlier)]
    assert positions == [0, 2, 1], "only this round, only from the position on"


async def test_the_people_a_requester_informs_are_kept_by_request(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    first, second = await add_request(sessionmaker, org), await add_request(sessionmaker, org)
    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.requests.add_cc(first, [org["sid"], org["mgr"], org["sid"]])
        await uow.requests.add_cc(second, [])
        await uow.commit()
    async with SqlUnitOfWork(sessionmaker) as uow:
        found = await uow.requests.cc_of([first, second])
    assert found == {first: tuple(sorted((org["sid"], org["mgr"])))}
