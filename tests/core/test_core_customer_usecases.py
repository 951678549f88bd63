"""The customer register and visits with in-memory fakes: registering with the duplicate check,
the supervisor's confirm queue, status changes, reassignment and handover, who may see which
customer, logging visits and the morning follow-ups. Org (fakes.make_org): Rob (rep) > Sue
(supervisor) > Sam (sales manager) > Mia > Gus; Ray (rep) > Sid (supervisor) > Sam; Fay > Ace
on the finance side; Cat (customer service, routine_fakes) under Gus. Monday 2 March 2026,
Asia/Shanghai (UTC+8)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from approval_fakes import HOUR, MONDAY_10, local_utc, make_terms
from fakes import ACE, ADA, FAY, GUS, MIA, RAY, ROB, SAM, SID, SUE
from refusals import assert_refused
from routine_fakes import CAT, RoutineUnitOfWork, make_customer, routine_world

from bot.core.customers import CustomerDraft, CustomerStatus, VisitDraft
from bot.core.deals import InputProblem
from bot.core.errors import CustomerTaken, Deactivated, InvalidChange, NotAllowed, NotFound
from bot.core.plans import MonthlyTarget
from bot.core.policy import Policy, Visits
from bot.core.usecases.customer_register import (
    change_status,
    confirm,
    find_duplicates,
    hand_over,
    reassign,
    register,
    reject,
    unconfirmed_prospects,
)
from bot.core.usecases.customers import customer_view, my_customers, quick_add, visible_customers
from bot.core.usecases.visits import log_visit, send_follow_ups

POLICY = Policy()
E = TypeVar("E", bound=Exception)
P, Q, W, H, L = (
    CustomerStatus.prospect,
    CustomerStatus.qualified,
    CustomerStatus.won,
    CustomerStatus.handed_over,
    CustomerStatus.lost,
)
PHONE_1, PHONE_2, PHONE_3 = "+8613800138000", "+8613900139000", "+8613700137000"


def day(number: int, month: int = 3) -> date:
    return date(2026, month, number)


MON = day(2)


def deactivate(uow: RoutineUnitOfWork, *person_ids: int) -> None:
    for person_id in person_ids:
        uow.people[person_id].active = False
    uow.baseline()


def team_world() -> RoutineUnitOfWork:
    """1 Acme (Rob's prospect), 2 Bolt (Ray's prospect), 3 Sue's own prospect."""
    return routine_world(
        make_customer(1, ROB, "Acme Trading", phone=PHONE_1),
        make_customer(2, RAY, "Bolt Works", phone=PHONE_2),
        make_customer(3, SUE, "Sue's Own"),
    )


# --- register and the duplicate check -------------------------------------------------------


async def test_register_stores_the_draft_with_its_company_key_and_queues_it_for_the_supervisor() -> (
    None
):
    uow = routine_world()
    draft = CustomerDraft(
        name="Acme Trading Co., Ltd.", phone=PHONE_1, contact_name="Mr Li", region="east"
    )

    customer = await register(uow, actor_id=ROB, draft=draft, now=MONDAY_10)

    stored = uow.customers[customer.id]
    assert stored == customer
    assert (stored.owner_id, stored.status, stored.created_at) == (ROB, P, MONDAY_10)
    assert (stored.name, stored.phone, stored.contact_name, stored.region) == (
        "Acme Trading Co., Ltd.",
        PHONE_1,
        "Mr Li",
        "east",
    )
    assert stored.name_key == "acmetrading"
    assert stored.confirmed_at is None
    assert uow.customer_events.of(customer.id) == [("created", ROB, None, "prospect")]
    assert uow.customer_events.rows[0].at == MONDAY_10
    assert uow.queued() == [(SUE, "prospect_to_confirm")]
    assert uow.last_to(SUE, "prospect_to_confirm").params["waiting"] == [
        {
            "customer_id": customer.id,
            "name": "Acme Trading Co., Ltd.",
            "owner": "Rob",
            "distinct_from": [],
        }
    ]
    assert uow.audit.actions() == ["customer_registered"]
    assert uow.committed == 1
    assert [c.id for c in await unconfirmed_prospects(uow, SUE)] == [customer.id]


@pytest.mark.parametrize(
    ("actor", "inactive", "keeper"),
    [
        pytest.param(ROB, (), SUE, id="rep-to-own-supervisor"),
        pytest.param(RAY, (), SID, id="other-team-to-its-supervisor"),
        pytest.param(SUE, (), SAM, id="supervisor-to-nearest-manager"),
        pytest.param(ROB, (SUE,), SAM, id="absent-supervisor-walked-past"),
        pytest.param(SAM, (), MIA, id="manager-to-the-one-above"),
        pytest.param(ADA, (), None, id="nobody-above-nobody-asked"),
    ],
)
async def test_the_confirm_queue_notice_goes_to_the_nearest_supervisor_above(
    actor: int, inactive: tuple[int, ...], keeper: int | None
) -> None:
    uow = routine_world()
    deactivate(uow, *inactive)

    await register(uow, actor_id=actor, draft=CustomerDraft(name="Acme"), now=MONDAY_10)

    assert uow.queued() == ([(keeper, "prospect_to_confirm")] if keeper else [])


@pytest.mark.parametrize(
    ("actor", "name", "phone", "hits"),
    [
        pytest.param(
            ROB, "ACME trading co., ltd.", None, [(1, "Ray", False, False)], id="name-variant"
        ),
        pytest.param(ROB, "Zenith", PHONE_1, [(1, "Ray", True, False)], id="same-phone"),
        pytest.param(ROB, "Acme Trading", PHONE_1, [(1, "Ray", True, False)], id="both-one-hit"),
        pytest.param(SID, "Acme Trading", None, [(1, "Ray", False, True)], id="visible-to-team"),
        pytest.param(ROB, "Bolt Works Ltd", None, [(2, "Rob", False, True)], id="own"),
        pytest.param(
            ROB, "Acme", PHONE_2, [(2, "Rob", True, True)], id="phone-only-when-name-differs"
        ),
        pytest.param(ROB, "Bolt Work", PHONE_3, [], id="near-name-other-phone"),
        pytest.param(ROB, "Acme Trading", None, [(1, "Ray", False, False)], id="exact"),
    ],
)
async def test_duplicates_show_the_existing_record_and_its_owner_even_out_of_sight(
    actor: int, name: str, phone: str | None, hits: list[tuple[int, str, bool, bool]]
) -> None:
    uow = routine_world()
    await register(uow, actor_id=RAY, draft=CustomerDraft("Acme Trading", PHONE_1), now=MONDAY_10)
    await register(uow, actor_id=ROB, draft=CustomerDraft("Bolt Works", PHONE_2), now=MONDAY_10)

    found = await find_duplicates(uow, actor_id=actor, name=name, phone=phone)

    assert [(h.customer.id, h.owner_name, h.by_phone, h.visible) for h in found] == hits


async def test_declaring_a_different_customer_is_kept_in_its_history() -> None:
    uow = team_world()

    customer = await register(
        uow,
        actor_id=ROB,
        draft=CustomerDraft("Acme Trading (Suzhou)", PHONE_3),
        distinct_from=(1, 2),
        now=MONDAY_10,
    )

    events = await uow.customer_events.for_customer(customer.id)
    assert [(e.action, e.actor_id, e.at, e.comment) for e in events] == [
        ("created", ROB, MONDAY_10, None),
        ("declared_distinct", ROB, MONDAY_10, "customer:1"),
        ("declared_distinct", ROB, MONDAY_10, "customer:2"),
    ]
    assert await uow.customer_events.for_customer(1) == []  # the other record is left alone


async def test_a_customer_added_from_a_form_is_registered_like_any_other() -> None:
    uow = routine_world()

    added = await quick_add(uow, owner_id=RAY, name="  Acme Trading  ", now=MONDAY_10)

    assert (added.name, added.owner_id, added.name_key, added.status) == (
        "Acme Trading",
        RAY,
        "acmetrading",
        P,
    )
    assert uow.queued() == [(SID, "prospect_to_confirm")]
    assert uow.customer_events.of(added.id) == [("created", RAY, None, "prospect")]
    found = await find_duplicates(uow, actor_id=ROB, name="Acme Trading Co., Ltd.", phone=None)
    assert [(h.customer.id, h.owner_name) for h in found] == [(added.id, "Ray")]


async def test_a_form_add_of_an_own_company_reuses_the_record() -> None:
    uow = team_world()
    before = uow.snapshot()

    again = await quick_add(uow, owner_id=ROB, name="ACME trading ltd", now=MONDAY_10)

    assert again.id == 1
    assert uow.snapshot() == before


async def test_a_form_add_of_another_rep_s_company_is_refused_with_the_owner() -> None:
    uow = team_world()

    error = await assert_refused(
        uow, quick_add(uow, owner_id=ROB, name="Bolt Works Co.", now=MONDAY_10), CustomerTaken
    )

    assert (error.name, error.owner) == ("Bolt Works", "Ray")


async def test_registering_needs_an_active_person() -> None:
    uow = routine_world()
    deactivate(uow, ROB)

    await assert_refused(
        uow, register(uow, actor_id=ROB, draft=CustomerDraft("Acme"), now=MONDAY_10), Deactivated
    )


# --- the confirm queue ----------------------------------------------------------------------


async def test_the_supervisor_confirms_a_prospect_and_the_rep_hears_of_it() -> None:
    uow = team_world()
    at = MONDAY_10 + HOUR

    confirmed = await confirm(uow, actor_id=SUE, customer_id=1, now=at)

    stored = uow.customers[1]
    assert stored == confirmed
    assert (stored.status, stored.confirmed_by, stored.confirmed_at) == (P, SUE, at)
    assert uow.customer_events.of(1) == [("confirmed", SUE, None, None)]
    assert uow.customer_events.rows[-1].at == at
    assert uow.audit.actions() == ["customer_confirmed"]
    # the supervisor's "to confirm" message is edited to show the outcome (issue 11)
    assert uow.queued() == [(ROB, "prospect_confirmed"), (SUE, "prospect_to_confirm")]
    assert await unconfirmed_prospects(uow, SUE) == []
    assert (await customer_view(uow, ROB, 1))["confirmed_by"] == "Sue"


async def test_a_prospect_is_confirmed_once() -> None:
    uow = team_world()
    await confirm(uow, actor_id=SUE, customer_id=1, now=MONDAY_10)

    error = await assert_refused(
        uow, confirm(uow, actor_id=SAM, customer_id=1, now=MONDAY_10 + HOUR), InvalidChange
    )

    assert error.reason == "already_confirmed"
    assert uow.customers[1].confirmed_by == SUE


@pytest.mark.parametrize("reason", ["duplicate", "invalid"])
async def test_rejecting_closes_the_prospect_as_lost_with_the_reason(reason: str) -> None:
    uow = team_world()

    closed = await reject(
        uow,
        actor_id=SUE,
        customer_id=1,
        reason=reason,
        comment="Same as Ray's Acme",
        now=MONDAY_10,
    )

    assert uow.customers[1].status is L
    assert closed.status is L
    assert uow.customer_events.of(1) == [("rejected", SUE, "prospect", "lost")]
    note = f"{reason}: Same as Ray's Acme"
    assert uow.customer_events.rows[-1].comment == note
    assert [(a.action, a.actor_id, a.comment) for a in uow.audit.entries] == [
        ("customer_rejected", SUE, note)
    ]
    assert uow.queued() == [(ROB, "prospect_rejected"), (SUE, "prospect_to_confirm")]
    assert uow.last_to(ROB, "prospect_rejected").params == {
        "name": "Acme Trading",
        "reason": reason,
        "comment": "Same as Ray's Acme",
    }
    assert await unconfirmed_prospects(uow, SUE) == []


async def test_only_a_prospect_can_be_rejected() -> None:
    uow = team_world()
    await change_status(uow, actor_id=SUE, customer_id=1, status=Q, now=MONDAY_10)

    error = await assert_refused(
        uow,
        reject(uow, actor_id=SUE, customer_id=1, reason="invalid", comment="x", now=MONDAY_10),
        InvalidChange,
    )

    assert error.reason == "not_a_prospect"


CONFIRM_OR_REJECT: dict[str, Callable[[RoutineUnitOfWork, int, int], Awaitable[object]]] = {
    "confirm": lambda uow, actor, cid: confirm(uow, actor_id=actor, customer_id=cid, now=MONDAY_10),
    "reject": lambda uow, actor, cid: reject(
        uow, actor_id=actor, customer_id=cid, reason="invalid", comment="no", now=MONDAY_10
    ),
}


@pytest.mark.parametrize("action", sorted(CONFIRM_OR_REJECT))
@pytest.mark.parametrize(
    ("actor", "customer_id", "error"),
    [
        pytest.param(ROB, 1, NotAllowed, id="rep-on-own"),
        pytest.param(RAY, 1, NotFound, id="other-rep"),
        pytest.param(SID, 1, NotFound, id="other-supervisor"),
        pytest.param(FAY, 1, NotFound, id="outside-the-line"),
        pytest.param(ACE, 1, NotFound, id="accountant"),
        pytest.param(SUE, 3, NotAllowed, id="supervisor-on-own"),
        pytest.param(SUE, 99, NotFound, id="unknown"),
    ],
)
async def test_only_a_manager_above_the_owner_confirms_or_rejects(
    action: str, actor: int, customer_id: int, error: type[Exception]
) -> None:
    uow = team_world()

    await assert_refused(uow, CONFIRM_OR_REJECT[action](uow, actor, customer_id), error)


async def test_the_manager_above_confirms_a_supervisor_s_own_prospect() -> None:
    uow = team_world()

    await confirm(uow, actor_id=SAM, customer_id=3, now=MONDAY_10)

    assert uow.customers[3].confirmed_by == SAM


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        pytest.param(SUE, [1], id="supervisor-team-not-own"),
        pytest.param(SID, [2], id="other-supervisor"),
        pytest.param(SAM, [1, 2, 3], id="manager-subtree-oldest-first"),
        pytest.param(ADA, [1, 2, 3], id="admin"),
        pytest.param(ROB, [], id="rep-has-no-queue"),
        pytest.param(FAY, [], id="outside-the-line"),
    ],
)
async def test_the_confirm_queue_lists_unconfirmed_prospects_of_the_team(
    viewer: int, expected: list[int]
) -> None:
    uow = routine_world(
        make_customer(1, ROB, "Rob's new"),
        make_customer(2, RAY, "Ray's new"),
        make_customer(3, SUE, "Sue's new"),
        make_customer(4, ROB, "Confirmed", confirmed_by=SUE, confirmed_at=MONDAY_10),
        make_customer(5, ROB, "Rejected", status=L),
        make_customer(6, ROB, "Qualified", status=Q),
    )

    assert [c.id for c in await unconfirmed_prospects(uow, viewer)] == expected


# --- status, handover, reassignment ---------------------------------------------------------


async def test_status_walks_to_handover_with_who_and_when_and_customer_service_gets_the_file() -> (
    None
):
    uow = routine_world(
        make_customer(1, ROB, "Acme Trading", phone=PHONE_1, contact_name="Mr Li", address="1 Rd")
    )
    for visited in (day(23, 2), day(25, 2), day(27, 2), day(1)):
        draft = VisitDraft(1, "revisit", visited, f"Talked on {visited}", "high")
        await uow.visits.add(draft, rep_id=ROB, now=MONDAY_10, distance_m=None, far=False)
    uow.baseline()
    times = [MONDAY_10 + HOUR * n for n in (1, 2, 3)]

    await change_status(uow, actor_id=SUE, customer_id=1, status=Q, now=times[0])
    await change_status(uow, actor_id=SAM, customer_id=1, status=W, now=times[1])
    done = await hand_over(uow, actor_id=SUE, customer_id=1, recipient_id=CAT, now=times[2])

    assert uow.customers[1].status is H
    assert done.status is H
    assert uow.customer_events.of(1) == [
        ("status", SUE, "prospect", "qualified"),
        ("status", SAM, "qualified", "won"),
        ("handed_over", SUE, "won", "handed_over"),
    ]
    assert [e.at for e in uow.customer_events.rows] == times
    assert uow.audit.actions() == ["customer_status", "customer_status", "customer_handed_over"]
    assert uow.queued() == [(CAT, "customer_handover")]
    assert uow.customers[1].service_id == CAT
    assert uow.last_to(CAT, "customer_handover").params == {
        "customer_id": 1,
        "name": "Acme Trading",
        "contact": "Mr Li",
        "phone": PHONE_1,
        "address": "1 Rd",
        "owner": "Rob",
        "by": "Sue",
        "visits": [
            {"on": "2026-03-01", "outcome": "Talked on 2026-03-01"},
            {"on": "2026-02-27", "outcome": "Talked on 2026-02-27"},
            {"on": "2026-02-25", "outcome": "Talked on 2026-02-25"},
        ],
    }
    await assert_refused(
        uow,
        change_status(uow, actor_id=SUE, customer_id=1, status=L, now=times[2]),
        InvalidChange,
    )


@pytest.mark.parametrize("start", [P, Q, W])
async def test_lost_is_kept_with_who_and_when_and_a_lost_customer_can_be_reopened(
    start: CustomerStatus,
) -> None:
    uow = routine_world(make_customer(1, ROB, "Acme", status=start))

    await change_status(uow, actor_id=SAM, customer_id=1, status=L, now=MONDAY_10)
    await change_status(uow, actor_id=SUE, customer_id=1, status=P, now=MONDAY_10 + HOUR)

    assert uow.customer_events.of(1) == [
        ("status", SAM, start.value, "lost"),
        ("status", SUE, "lost", "prospect"),
    ]
    assert [e.at for e in uow.customer_events.rows] == [MONDAY_10, MONDAY_10 + HOUR]
    assert uow.customers[1].status is P


@pytest.mark.parametrize(
    ("start", "to"),
    [(P, W), (P, H), (Q, P), (W, Q), (W, H), (H, L), (H, P), (L, Q), (P, P)],
    ids=lambda s: s.value,
)
async def test_status_cannot_jump(start: CustomerStatus, to: CustomerStatus) -> None:
    uow = routine_world(make_customer(1, ROB, "Acme", status=start))

    error = await assert_refused(
        uow,
        change_status(uow, actor_id=SUE, customer_id=1, status=to, now=MONDAY_10),
        InvalidChange,
    )

    assert error.reason == "status"


@pytest.mark.parametrize(
    ("actor", "error"),
    [(ROB, NotAllowed), (RAY, NotFound), (SID, NotFound), (FAY, NotFound), (CAT, NotFound)],
)
async def test_status_is_changed_by_a_manager_above_the_owner_only(
    actor: int, error: type[Exception]
) -> None:
    uow = team_world()

    await assert_refused(
        uow, change_status(uow, actor_id=actor, customer_id=1, status=Q, now=MONDAY_10), error
    )


@pytest.mark.parametrize(
    ("status", "actor", "recipient", "inactive", "error"),
    [
        pytest.param(Q, SUE, CAT, (), InvalidChange, id="not-won-yet"),
        pytest.param(W, SUE, ACE, (), NotFound, id="not-customer-service"),
        pytest.param(W, SUE, CAT, (CAT,), NotFound, id="customer-service-gone"),
        pytest.param(W, ROB, CAT, (), NotAllowed, id="rep"),
        pytest.param(W, SID, CAT, (), NotFound, id="other-team"),
    ],
)
async def test_handover_is_refused(
    status: CustomerStatus,
    actor: int,
    recipient: int,
    inactive: tuple[int, ...],
    error: type[Exception],
) -> None:
    uow = routine_world(make_customer(1, ROB, "Acme", status=status))
    deactivate(uow, *inactive)

    await assert_refused(
        uow,
        hand_over(uow, actor_id=actor, customer_id=1, recipient_id=recipient, now=MONDAY_10),
        error,
    )


@pytest.mark.parametrize(("actor", "owner"), [(SAM, RAY), (SUE, SUE), (ADA, RAY)])
async def test_a_manager_reassigns_a_customer_within_their_team(actor: int, owner: int) -> None:
    uow = team_world()

    moved = await reassign(uow, actor_id=actor, customer_id=1, owner_id=owner, now=MONDAY_10)

    assert uow.customers[1].owner_id == owner
    assert moved.owner_id == owner
    assert uow.customer_events.of(1) == [("reassigned", actor, None, None)]
    assert uow.customer_events.rows[-1].comment == f"from:{ROB} to:{owner}"
    assert uow.audit.actions() == ["customer_reassigned"]
    assert uow.queued() == [(owner, "customer_assigned"), (ROB, "customer_taken_over")]
    told = uow.last_to(ROB, "customer_taken_over").params
    assert told["name"] == "Acme Trading"
    assert told["owner"] == {SAM: "Ray", SUE: "Sue", ADA: "Ray"}[actor]
    assert [c.id for c in await my_customers(uow, owner)] == ([3, 1] if owner == SUE else [2, 1])
    assert await my_customers(uow, ROB) == []


async def test_after_reassignment_the_old_owner_no_longer_sees_the_customer() -> None:
    uow = team_world()

    await reassign(uow, actor_id=SAM, customer_id=1, owner_id=RAY, now=MONDAY_10)

    await assert_refused(uow, customer_view(uow, ROB, 1), NotFound)
    assert (await customer_view(uow, RAY, 1))["owner"] == "Ray"


@pytest.mark.parametrize(
    ("actor", "owner", "inactive", "error"),
    [
        pytest.param(SUE, RAY, (), NotFound, id="new-owner-outside-the-team"),
        pytest.param(SAM, FAY, (), NotFound, id="new-owner-outside-the-subtree"),
        pytest.param(SAM, RAY, (RAY,), NotFound, id="new-owner-gone"),
        pytest.param(SAM, 99, (), NotFound, id="nobody"),
        pytest.param(SID, RAY, (), NotFound, id="customer-outside-the-team"),
        pytest.param(ROB, RAY, (), NotAllowed, id="rep"),
    ],
)
async def test_reassignment_is_refused(
    actor: int, owner: int, inactive: tuple[int, ...], error: type[Exception]
) -> None:
    uow = team_world()
    deactivate(uow, *inactive)

    await assert_refused(
        uow, reassign(uow, actor_id=actor, customer_id=1, owner_id=owner, now=MONDAY_10), error
    )


# --- who sees what --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        pytest.param(ROB, {1}, id="rep-own"),
        pytest.param(RAY, {2}, id="other-rep-own"),
        pytest.param(SUE, {1, 3}, id="supervisor-team-and-own"),
        pytest.param(SID, {2}, id="other-supervisor"),
        pytest.param(SAM, {1, 2, 3}, id="manager-subtree"),
        pytest.param(GUS, {1, 2, 3}, id="top"),
        pytest.param(ADA, {1, 2, 3}, id="admin"),
        pytest.param(FAY, set(), id="finance"),
        pytest.param(CAT, set(), id="customer-service"),
    ],
)
async def test_a_person_sees_their_own_and_their_subtree_s_customers(
    viewer: int, expected: set[int]
) -> None:
    uow = team_world()

    assert {c.id for c in await visible_customers(uow, viewer)} == expected


@pytest.mark.parametrize(
    ("viewer", "error"),
    [
        (ROB, None),
        (SUE, None),
        (SAM, None),
        (MIA, None),
        (GUS, None),
        (ADA, None),
        (RAY, NotFound),
        (SID, NotFound),
        (FAY, NotFound),
        (ACE, NotFound),
        (CAT, NotFound),
    ],
)
async def test_the_customer_card_is_for_the_owner_and_the_line_above(
    viewer: int, error: type[Exception] | None
) -> None:
    uow = team_world()

    if error is None:
        assert (await customer_view(uow, viewer, 1))["customer"].id == 1
    else:
        caught = await assert_refused(uow, customer_view(uow, viewer, 1), error)
        assert caught.details == {"what": "customer"}  # type: ignore[attr-defined]


async def test_a_deactivated_person_sees_no_customer() -> None:
    uow = team_world()
    deactivate(uow, ROB)

    await assert_refused(uow, customer_view(uow, ROB, 1), Deactivated)
    await assert_refused(uow, my_customers(uow, ROB), Deactivated)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param(None, [3, 1, 4, 2], id="visited-newest-first-then-newest-created"),
        pytest.param("acme", [1, 4], id="name-fragment-any-case"),
        pytest.param("  ACME  ", [1, 4], id="trimmed"),
        pytest.param("13800", [1], id="phone-digits"),
        pytest.param("6888", [3], id="landline-digits"),
        pytest.param("86", [], id="two-digits-match-names-only"),
        pytest.param("100%", [3], id="percent-is-a-character"),
        pytest.param("ACMETRADING", [1], id="company-key-ignores-spaces"),
        pytest.param("acme-trading", [], id="typed-punctuation-is-literal"),
        pytest.param("138 0013 8000", [1], id="number-as-dialled"),
        pytest.param("021 6888 8888", [3], id="landline-as-dialled"),
        pytest.param("zzz", [], id="nothing"),
    ],
)
async def test_my_customers_searches_own_customers_by_name_or_phone(
    query: str | None, expected: list[int]
) -> None:
    uow = routine_world(
        make_customer(1, ROB, "Acme Trading", phone=PHONE_1, last_visit_on=day(20, 2)),
        make_customer(2, ROB, "Bolt Works"),
        make_customer(3, ROB, "Crane 100% Ltd", phone="+862168888888", last_visit_on=day(25, 2)),
        make_customer(4, ROB, "Delta ACME"),
        make_customer(5, RAY, "Acme East", phone=PHONE_2),
    )

    assert [c.id for c in await my_customers(uow, ROB, query)] == expected


async def test_the_card_shows_owner_confirmer_recent_visits_history_and_own_deals() -> None:
    uow = routine_world()
    customer = await register(uow, actor_id=ROB, draft=CustomerDraft("Acme"), now=MONDAY_10)
    other = await register(uow, actor_id=ROB, draft=CustomerDraft("Bolt"), now=MONDAY_10)
    await confirm(uow, actor_id=SUE, customer_id=customer.id, now=MONDAY_10)
    for status in (Q, W, L, P):
        await change_status(
            uow, actor_id=SUE, customer_id=customer.id, status=status, now=MONDAY_10
        )
    for visited in (day(24, 2), day(1), day(26, 2), day(28, 2)):
        draft = VisitDraft(customer.id, "revisit", visited, "ok", "low")
        await uow.visits.add(draft, rep_id=ROB, now=MONDAY_10, distance_m=None, far=False)
    deal = await uow.requests.add(
        kind="special_terms", requester_id=ROB, terms=make_terms(customer.id), now=MONDAY_10
    )
    await uow.requests.add(
        kind="special_terms", requester_id=ROB, terms=make_terms(other.id), now=MONDAY_10
    )

    card = await customer_view(uow, SAM, customer.id)

    assert (card["owner"], card["confirmed_by"]) == ("Rob", "Sue")
    assert [v.visited_on for v in card["visits"]] == [day(1), day(28, 2), day(26, 2)]
    assert [(e.action, e.to_status) for e in card["events"]] == [
        ("confirmed", None),
        ("status", "qualified"),
        ("status", "won"),
        ("status", "lost"),
        ("status", "prospect"),
    ]
    assert [r.id for r in card["deals"]] == [deal.id]


async def test_the_card_keeps_the_customer_s_deals_after_reassignment() -> None:
    uow = team_world()
    deal = await uow.requests.add(
        kind="special_terms", requester_id=ROB, terms=make_terms(1), now=MONDAY_10
    )
    uow.baseline()

    await reassign(uow, actor_id=SAM, customer_id=1, owner_id=RAY, now=MONDAY_10)

    assert [r.id for r in (await customer_view(uow, SAM, 1))["deals"]] == [deal.id]


# --- visits ---------------------------------------------------------------------------------


def draft(**overrides: Any) -> VisitDraft:
    defaults: dict[str, Any] = {
        "customer_id": 1,
        "kind": "first",
        "visited_on": MON,
        "outcome": "Met the buyer",
        "intent": "low",
    }
    return VisitDraft(**{**defaults, **overrides})


async def visit(
    uow: RoutineUnitOfWork,
    actor: int = ROB,
    *,
    now: datetime = MONDAY_10,
    policy: Policy = POLICY,
    **overrides: Any,
) -> int:
    logged = await log_visit(uow, actor_id=actor, draft=draft(**overrides), policy=policy, now=now)
    return logged.id


async def test_a_visit_is_stored_and_moves_the_customer_s_follow_up() -> None:
    uow = team_world()

    visit_id = await visit(uow, next_follow_up=day(5), next_step="Send the quote")

    stored = uow.visits[visit_id]
    assert (stored.customer_id, stored.rep_id, stored.visited_on, stored.logged_at) == (
        1,
        ROB,
        MON,
        MONDAY_10,
    )
    assert (stored.next_step, stored.next_follow_up, stored.far, stored.distance_m) == (
        "Send the quote",
        day(5),
        False,
        None,
    )
    assert (uow.customers[1].last_visit_on, uow.customers[1].next_follow_up) == (MON, day(5))
    assert uow.audit.actions() == ["visit_logged"]
    assert uow.queued() == []  # low intent asks nobody
    assert uow.committed == 1


# Monday 00:30 in Shanghai is still Sunday in UTC: "today" is the company's day.
JUST_AFTER_MIDNIGHT = local_utc(2, 0, 30)


@pytest.mark.parametrize(
    ("visited_on", "policy", "problem"),
    [
        pytest.param(MON, POLICY, None, id="today-local"),
        pytest.param(day(23, 2), POLICY, None, id="seven-days-back"),
        pytest.param(day(22, 2), POLICY, "too_old", id="eight-days-back"),
        pytest.param(day(3), POLICY, "future_date", id="tomorrow"),
        pytest.param(day(1), Policy(visits=Visits(backdate_days=0)), "too_old", id="policy-0"),
        pytest.param(day(28, 2), Policy(visits=Visits(backdate_days=2)), None, id="policy-2"),
    ],
)
async def test_a_visit_may_be_back_dated_only_as_far_as_the_policy_allows(
    visited_on: date, policy: Policy, problem: str | None
) -> None:
    uow = team_world()
    call = visit(uow, visited_on=visited_on, policy=policy, now=JUST_AFTER_MIDNIGHT)

    if problem is None:
        visit_id = await call
        assert uow.visits[visit_id].visited_on == visited_on
    else:
        error = await assert_refused(uow, call, InputProblem)
        assert error.code == problem


@pytest.mark.parametrize(
    ("intent", "status", "asked"),
    [
        ("medium", P, True),
        ("high", P, True),
        ("low", P, False),
        ("none", P, False),
        ("high", Q, False),
        ("high", W, False),
    ],
)
async def test_intent_on_a_prospect_sends_the_customer_file_to_the_supervisor_once(
    intent: str, status: CustomerStatus, asked: bool
) -> None:
    uow = routine_world(
        make_customer(1, ROB, "Acme", status=status, contact_name="Mr Li", phone=PHONE_1)
    )

    await visit(uow, intent=intent, outcome="Wants 100 t", next_step="Quote")

    assert uow.queued() == ([(SUE, "customer_file")] if asked else [])
    if asked:
        assert uow.last_to(SUE, "customer_file").params == {
            "customer_id": 1,
            "name": "Acme",
            "contact": "Mr Li",
            "phone": PHONE_1,
            "industry": None,
            "region": None,
            "rep": "Rob",
            "intent": intent,
            "outcome": "Wants 100 t",
            "next_step": "Quote",
        }


async def test_the_customer_file_goes_to_the_owner_s_supervisor() -> None:
    uow = team_world()

    await visit(uow, RAY, customer_id=2, intent="high")

    assert uow.queued() == [(SID, "customer_file")]


async def test_a_supervisor_s_visit_to_his_rep_s_prospect_sends_him_no_file() -> None:
    uow = team_world()

    await visit(uow, SUE, customer_id=1, intent="high")

    assert uow.queued() == []


async def test_a_manager_s_visit_files_to_the_owner_s_supervisor_not_his_own_manager() -> None:
    uow = team_world()

    await visit(uow, SAM, customer_id=2, intent="medium")

    assert uow.queued() == [(SID, "customer_file")]


PEOPLES_SQUARE = (31.2304, 121.4737)
THE_BUND = (31.2400, 121.4900)  # about 1 880 m away


@pytest.mark.parametrize(
    ("where", "policy", "far", "metres"),
    [
        pytest.param(THE_BUND, POLICY, True, 1880, id="beyond-500m"),
        pytest.param(PEOPLES_SQUARE, POLICY, False, 0, id="on-site"),
        pytest.param((31.2330, 121.4737), POLICY, False, 289, id="within-500m"),
        pytest.param(THE_BUND, Policy(visits=Visits(radius_m=2000)), False, 1880, id="radius-2km"),
        pytest.param(None, POLICY, False, None, id="no-location"),
    ],
)
async def test_a_visit_far_from_the_customer_is_flagged_not_refused(
    where: tuple[float, float] | None, policy: Policy, far: bool, metres: int | None
) -> None:
    lat, lon = PEOPLES_SQUARE
    uow = routine_world(make_customer(1, ROB, "Acme", latitude=lat, longitude=lon))
    coordinates = {"latitude": where[0], "longitude": where[1]} if where else {}

    visit_id = await visit(uow, kind="revisit", policy=policy, **coordinates)

    stored = uow.visits[visit_id]
    assert stored.far is far
    if metres is None:
        assert stored.distance_m is None
    else:
        assert stored.distance_m == pytest.approx(metres, abs=15)
    assert (uow.customers[1].latitude, uow.customers[1].longitude) == PEOPLES_SQUARE


@pytest.mark.parametrize(("kind", "adopted"), [("first", True), ("revisit", True), ("call", False)])
async def test_the_first_on_site_location_becomes_the_customer_s(kind: str, adopted: bool) -> None:
    uow = team_world()

    visit_id = await visit(uow, kind=kind, latitude=THE_BUND[0], longitude=THE_BUND[1])

    assert (uow.visits[visit_id].distance_m, uow.visits[visit_id].far) == (None, False)
    location = (uow.customers[1].latitude, uow.customers[1].longitude)
    assert location == (THE_BUND if adopted else (None, None))


async def test_the_follow_up_is_due_from_its_day_and_the_latest_visit_sets_it() -> None:
    uow = team_world()

    await visit(uow, visited_on=day(27, 2), next_follow_up=day(5))
    assert await uow.customers.follow_ups_due(day(4)) == []
    assert [c.id for c in await uow.customers.follow_ups_due(day(5))] == [1]
    assert [c.id for c in await uow.customers.follow_ups_due(day(9))] == [1]  # overdue stays

    await visit(uow, visited_on=MON, next_follow_up=day(10))
    await visit(uow, visited_on=day(28, 2), next_follow_up=day(4))  # back-dated: older news

    assert (uow.customers[1].last_visit_on, uow.customers[1].next_follow_up) == (MON, day(10))
    assert await uow.customers.follow_ups_due(day(9)) == []


@pytest.mark.parametrize(
    ("actor", "overrides", "error", "code"),
    [
        pytest.param(RAY, {}, NotFound, None, id="another-rep-s-customer"),
        pytest.param(SID, {}, NotFound, None, id="another-team-s-customer"),
        pytest.param(ROB, {"customer_id": 99}, NotFound, None, id="unknown-customer"),
        pytest.param(ROB, {"kind": "teleport"}, InputProblem, "bad_choice", id="forged-kind"),
        pytest.param(ROB, {"intent": "urgent"}, InputProblem, "bad_choice", id="forged-intent"),
        pytest.param(
            ROB,
            {"next_follow_up": day(1)},
            InputProblem,
            "follow_up_before_visit",
            id="follow-up-before-visit",
        ),
        pytest.param(
            ROB, {"latitude": 91.0, "longitude": 0.0}, InputProblem, "bad_location", id="bad-lat"
        ),
    ],
)
async def test_a_visit_is_refused(
    actor: int, overrides: dict[str, Any], error: type[Exception], code: str | None
) -> None:
    uow = team_world()

    caught = await assert_refused(uow, visit(uow, actor, **overrides), error)

    if code is not None:
        assert caught.code == code  # type: ignore[attr-defined]


async def test_a_supervisor_may_log_a_visit_to_a_team_customer() -> None:
    uow = team_world()

    visit_id = await visit(uow, SUE)

    assert uow.visits[visit_id].rep_id == SUE


# --- the morning follow-ups -----------------------------------------------------------------

# 07:00 on Tuesday 3 March in Shanghai is still Monday in UTC.
TUESDAY_7 = local_utc(3, 7)
TUE = day(3)


def follow_up_world() -> RoutineUnitOfWork:
    return routine_world(
        make_customer(1, ROB, "Due today", next_follow_up=TUE),
        make_customer(2, ROB, "Overdue", next_follow_up=day(1), status=Q),
        make_customer(3, ROB, "Tomorrow", next_follow_up=day(4)),
        make_customer(4, ROB, "Lost", next_follow_up=day(1), status=L),
        make_customer(5, ROB, "Handed over", next_follow_up=day(1), status=H),
        make_customer(6, ROB, "No follow-up"),
        make_customer(7, RAY, "Ray's next week", next_follow_up=day(10)),
        make_customer(8, SID, "Sid's overdue", next_follow_up=MON),
    )


def entry(
    customer_id: int, name: str, due: date | None, *, overdue: bool, planned: bool
) -> dict[str, Any]:
    return {
        "customer_id": customer_id,
        "name": name,
        "due": due.isoformat() if due else None,
        "overdue": overdue,
        "planned": planned,
    }


async def test_each_rep_gets_one_message_with_follow_ups_due_today_and_overdue() -> None:
    uow = follow_up_world()
    deactivate(uow, SID)

    sent = await send_follow_ups(uow, policy=POLICY, now=TUESDAY_7)

    assert sent == 1
    assert uow.queued() == [(ROB, "followups_digest")]  # none for Ray, none for a leaver
    assert uow.last_to(ROB, "followups_digest").params["items"] == [
        entry(2, "Overdue", day(1), overdue=True, planned=False),
        entry(1, "Due today", TUE, overdue=False, planned=False),
    ]
    assert uow.committed == 1


async def test_the_morning_message_goes_once_when_the_job_runs_twice() -> None:
    uow = follow_up_world()

    first = await send_follow_ups(uow, policy=POLICY, now=TUESDAY_7)
    second = await send_follow_ups(uow, policy=POLICY, now=TUESDAY_7 + HOUR)

    assert (first, second) == (2, 0)
    assert uow.queued() == [(ROB, "followups_digest"), (SID, "followups_digest")]


async def test_visits_planned_for_today_join_the_morning_message() -> None:
    uow = follow_up_world()
    rob_plan = await uow.plans.add(ROB, MON)
    for customer_id, planned_on in ((3, TUE), (1, TUE), (6, day(4)), (4, TUE)):
        await uow.plans.add_item(rob_plan.id, customer_id=customer_id, day=planned_on, purpose="x")
    ray_plan = await uow.plans.add(RAY, MON)
    await uow.plans.add_item(ray_plan.id, customer_id=7, day=TUE, purpose="x")
    next_week = await uow.plans.add(RAY, day(9))
    await uow.plans.add_item(next_week.id, customer_id=7, day=day(10), purpose="x")
    uow.baseline()

    sent = await send_follow_ups(uow, policy=POLICY, now=TUESDAY_7)

    assert sent == 3
    assert uow.last_to(ROB, "followups_digest").params["items"] == [
        entry(2, "Overdue", day(1), overdue=True, planned=False),
        entry(1, "Due today", TUE, overdue=False, planned=True),
        entry(3, "Tomorrow", day(4), overdue=False, planned=True),
    ]
    assert uow.last_to(RAY, "followups_digest").params["items"] == [
        entry(7, "Ray's next week", day(10), overdue=False, planned=True)
    ]


async def test_no_follow_ups_no_message() -> None:
    uow = routine_world(make_customer(1, ROB, "Later", next_follow_up=day(20)))

    assert await send_follow_ups(uow, policy=POLICY, now=TUESDAY_7) == 0
    assert uow.queued() == []


async def test_leaving_without_commit_forgets_routine_writes() -> None:
    uow = team_world()
    before = uow.snapshot()

    async with uow:
        await uow.visits.add(draft(), rep_id=ROB, now=MONDAY_10, distance_m=None, far=False)
        await uow.customers.save(replace(uow.customers[1], status=L))
        plan = await uow.plans.add(ROB, MON)
        await uow.plans.add_item(plan.id, customer_id=1, day=MON, purpose="x")
        await uow.targets.assign(
            MonthlyTarget(0, ROB, MON, Decimal(1), Decimal(0), set_by=SUE, set_at=MONDAY_10)
        )
        await uow.work_logs.set_note(ROB, MON, "note", MONDAY_10)

    assert uow.snapshot() == before
    assert uow.customers[1].status is P
    assert await uow.plans.for_week(ROB, MON) is None
