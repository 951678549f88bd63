"""Customers kept up to date (issue 11, item 6): editing a customer's file, its status history,
the rep recording the deal (成交), a visit's photos, and customer service reading the customers
handed to them. Org as in test_core_customer_usecases: Rob (rep) > Sue (supervisor) > Sam;
Ray (rep) > Sid > Sam; Cat (customer service) under Gus; Ada the admin."""

from __future__ import annotations

from dataclasses import replace

import pytest
from approval_fakes import HOUR, MONDAY_10
from fakes import ADA, GUS, RAY, ROB, SAM, SID, SUE
from refusals import assert_refused
from routine_fakes import CAT, H, L, P, Q, RoutineUnitOfWork, W, make_customer, routine_world

from bot.core.customers import CustomerDraft, CustomerStatus, VisitDraft
from bot.core.deals import InputProblem
from bot.core.errors import InvalidChange, NotFound
from bot.core.policy import Policy
from bot.core.usecases.customer_register import (
    change_status,
    edit,
    find_duplicates,
    hand_over,
    mark_won,
)
from bot.core.usecases.customers import (
    customer_view,
    handed_to_me,
    visible_customers,
    visit_photos,
)
from bot.core.usecases.visits import log_visit

PHONE = "+8613800138000"
DAN = 12  # a second customer service person


def world(*, status: CustomerStatus = P, confirmed: bool = False) -> RoutineUnitOfWork:
    """1 Acme (Rob's), 2 Bolt (Ray's, phone PHONE); Dan in customer service beside Cat."""
    uow = routine_world(
        make_customer(
            1,
            ROB,
            "Acme Trading",
            status=status,
            contact_name="Mr Li",
            confirmed_at=MONDAY_10 if confirmed else None,
        ),
        make_customer(2, RAY, "Bolt Works", phone=PHONE),
    )
    uow.people.rows[DAN] = replace(uow.people[CAT], id=DAN, full_name="Dan")
    uow.baseline()
    return uow


def acme(**changes: object) -> CustomerDraft:
    base = CustomerDraft(name="Acme Trading", contact_name="Mr Li")
    return replace(base, **changes)  # type: ignore[arg-type]


# --- editing -----------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", [ROB, SUE, SAM, GUS, ADA])
async def test_the_owner_the_line_above_and_an_admin_edit_with_the_changed_fields_audited(
    actor: int,
) -> None:
    uow = world()

    edited = await edit(
        uow,
        actor_id=actor,
        customer_id=1,
        draft=acme(name=" Acme Trade Ltd ", phone="139 1234 5678", note="Pays late"),
        now=MONDAY_10,
    )

    stored = uow.customers[1]
    assert stored == edited
    assert (stored.name, stored.phone, stored.note, stored.contact_name) == (
        "Acme Trade Ltd",
        "+8613912345678",
        "Pays late",
        "Mr Li",
    )
    assert stored.name_key == "acmetrade", "the duplicate check finds the new name"
    assert [(e.action, e.actor_id, e.comment) for e in uow.audit.entries] == [
        ("customer_edited", actor, "name, phone, note")
    ]
    assert uow.customer_events.of(1) == [("edited", actor, None, None)]
    assert uow.committed == 1


async def test_an_edit_that_changes_nothing_records_nothing() -> None:
    uow = world()
    before = uow.snapshot()

    await edit(uow, actor_id=ROB, customer_id=1, draft=acme(), now=MONDAY_10)

    assert uow.snapshot() == before
    assert uow.committed == 0


@pytest.mark.parametrize(
    ("actor", "error"),
    [
        pytest.param(RAY, NotFound, id="another-rep"),
        pytest.param(SID, NotFound, id="another-team-s-supervisor"),
        pytest.param(CAT, NotFound, id="customer-service"),
    ],
)
async def test_others_may_not_edit(actor: int, error: type[Exception]) -> None:
    uow = world()

    await assert_refused(
        uow, edit(uow, actor_id=actor, customer_id=1, draft=acme(), now=MONDAY_10), error
    )


async def test_customer_service_may_not_edit_even_a_customer_handed_to_them() -> None:
    uow = world(status=W)
    await hand_over(uow, actor_id=SUE, customer_id=1, recipient_id=CAT, now=MONDAY_10)
    uow.baseline()

    await assert_refused(
        uow, edit(uow, actor_id=CAT, customer_id=1, draft=acme(), now=MONDAY_10), NotFound
    )


@pytest.mark.parametrize(
    ("draft", "problem"),
    [
        pytest.param(acme(name="x" * 101), "too_long", id="name-over-100"),
        pytest.param(acme(name="  "), "empty", id="empty-name"),
        pytest.param(acme(phone="12345"), "bad_phone", id="phone"),
        pytest.param(acme(note="n" * 501), "too_long", id="note-over-500"),
        pytest.param(acme(contact_name="c" * 65), "too_long", id="contact-over-64"),
        pytest.param(acme(shop_url="ftp://shop.example.com"), "bad_url", id="shop-link"),
        pytest.param(acme(latitude=91.0, longitude=0.0), "bad_location", id="latitude"),
        pytest.param(acme(latitude=30.0), "bad_location", id="half-a-place"),
    ],
)
async def test_an_edit_is_checked_as_registration_checks(
    draft: CustomerDraft, problem: str
) -> None:
    uow = world()

    error = await assert_refused(
        uow, edit(uow, actor_id=ROB, customer_id=1, draft=draft, now=MONDAY_10), InputProblem
    )

    assert error.code == problem


async def test_a_renamed_customer_meets_the_duplicate_check_but_not_itself() -> None:
    uow = world()

    hits = await find_duplicates(uow, actor_id=ROB, name="Acme Trading", phone=PHONE, exclude=1)

    assert [(h.customer.id, h.owner_name, h.by_phone) for h in hits] == [(2, "Ray", True)]


async def test_an_edit_past_a_duplicate_records_it_as_another_company() -> None:
    uow = world()

    await edit(
        uow,
        actor_id=ROB,
        customer_id=1,
        draft=acme(phone=PHONE),
        distinct_from=(2,),
        now=MONDAY_10,
    )

    assert [(e.action, e.comment) for e in uow.customer_events.rows] == [
        ("edited", "phone"),
        ("declared_distinct", "customer:2"),
    ]


# --- the status history on the card ------------------------------------------------------------


async def test_the_card_s_status_history_is_every_status_change_newest_first() -> None:
    uow = world()
    for n, status in enumerate((Q, L, P), start=1):
        await change_status(
            uow, actor_id=SUE, customer_id=1, status=status, now=MONDAY_10 + HOUR * n
        )
    await edit(uow, actor_id=ROB, customer_id=1, draft=acme(note="x"), now=MONDAY_10)

    history = (await customer_view(uow, SAM, 1))["history"]

    assert [(e.to_status, e.actor_id, e.at) for e in history] == [
        ("prospect", SUE, MONDAY_10 + HOUR * 3),
        ("lost", SUE, MONDAY_10 + HOUR * 2),
        ("qualified", SUE, MONDAY_10 + HOUR),
    ]


# --- the rep records the deal (成交) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "confirmed"), [(P, True), (Q, False), (Q, True)], ids=["confirmed", "qualified", "q"]
)
async def test_the_owning_rep_marks_a_registered_customer_won_and_the_supervisor_hears(
    status: CustomerStatus, confirmed: bool
) -> None:
    uow = world(status=status, confirmed=confirmed)

    won = await mark_won(uow, actor_id=ROB, customer_id=1, now=MONDAY_10)

    assert won.status is W
    assert uow.customers[1].status is W
    assert uow.customer_events.of(1) == [("status", ROB, status.value, "won")]
    assert uow.audit.actions() == ["customer_status"]
    assert uow.queued() == [(SUE, "customer_won")]
    assert uow.last_to(SUE, "customer_won").params == {
        "customer_id": 1,
        "name": "Acme Trading",
        "by": "Rob",
    }


async def test_the_supervisor_marking_it_won_is_not_told_of_her_own_tap() -> None:
    uow = world(status=Q)

    await mark_won(uow, actor_id=SUE, customer_id=1, now=MONDAY_10)

    assert uow.customers[1].status is W
    assert uow.queued() == []


@pytest.mark.parametrize(
    ("status", "confirmed", "reason"),
    [
        pytest.param(P, False, "not_confirmed", id="unconfirmed-prospect"),
        pytest.param(W, False, "status", id="already-won"),
        pytest.param(H, False, "status", id="handed-over"),
        pytest.param(L, False, "status", id="lost"),
    ],
)
async def test_won_follows_the_status_rules(
    status: CustomerStatus, confirmed: bool, reason: str
) -> None:
    uow = world(status=status, confirmed=confirmed)

    error = await assert_refused(
        uow, mark_won(uow, actor_id=ROB, customer_id=1, now=MONDAY_10), InvalidChange
    )

    assert error.reason == reason


async def test_the_manager_s_status_list_offers_won_for_a_confirmed_prospect_too() -> None:
    uow = world(confirmed=True)

    await change_status(uow, actor_id=SUE, customer_id=1, status=W, now=MONDAY_10)

    assert uow.customers[1].status is W


@pytest.mark.parametrize(("actor", "error"), [(RAY, NotFound), (CAT, NotFound), (SID, NotFound)])
async def test_only_the_owner_or_the_line_above_marks_won(
    actor: int, error: type[Exception]
) -> None:
    uow = world(status=Q)

    await assert_refused(uow, mark_won(uow, actor_id=actor, customer_id=1, now=MONDAY_10), error)


# --- customer service and the customers handed to them ------------------------------------------


async def handed(uow: RoutineUnitOfWork) -> None:
    await hand_over(uow, actor_id=SUE, customer_id=1, recipient_id=CAT, now=MONDAY_10)
    uow.clear_outbox()
    uow.baseline()


async def test_customer_service_reads_and_lists_the_customers_handed_to_them() -> None:
    uow = world(status=W)
    assert [c.id for c in await handed_to_me(uow, CAT)] == []
    await handed(uow)

    view = await customer_view(uow, CAT, 1)

    assert view["customer"].id == 1
    assert not any(vars(view["actions"]).values()), "read-only"
    assert [c.id for c in await handed_to_me(uow, CAT)] == [1]
    assert [c.id for c in await handed_to_me(uow, CAT, "acme")] == [1]
    assert [c.id for c in await handed_to_me(uow, CAT, "bolt")] == []
    assert [c.id for c in await visible_customers(uow, CAT, "acme")] == [1]
    assert [c.id for c in await handed_to_me(uow, DAN)] == []
    await assert_refused(uow, customer_view(uow, DAN, 1), NotFound)


async def test_customer_service_only_reads_a_handed_customer() -> None:
    uow = world(status=W)
    await handed(uow)

    await assert_refused(
        uow, change_status(uow, actor_id=CAT, customer_id=1, status=L, now=MONDAY_10), NotFound
    )
    await assert_refused(uow, mark_won(uow, actor_id=CAT, customer_id=1, now=MONDAY_10), NotFound)
    visit = VisitDraft(1, "call", MONDAY_10.date(), "After-sales call", "none")
    await assert_refused(
        uow, log_visit(uow, actor_id=CAT, draft=visit, policy=Policy(), now=MONDAY_10), NotFound
    )


# --- a visit's photos --------------------------------------------------------------------------


async def photographed(uow: RoutineUnitOfWork, customer_id: int = 1) -> int:
    draft = VisitDraft(customer_id, "first", MONDAY_10.date(), "ok", "low", photos=("a", "b"))
    visit = await uow.visits.add(draft, rep_id=ROB, now=MONDAY_10, distance_m=None, far=False)
    uow.baseline()
    return visit.id


@pytest.mark.parametrize("viewer", [ROB, SUE, SAM, ADA])
async def test_a_visit_s_photos_are_for_whoever_reads_the_customer(viewer: int) -> None:
    uow = world()
    visit_id = await photographed(uow)

    assert await visit_photos(uow, viewer, visit_id) == ["a", "b"]


@pytest.mark.parametrize(
    ("viewer", "visit"), [(RAY, 1), (CAT, 1), (ROB, 99)], ids=["other-rep", "cs", "no-such-visit"]
)
async def test_a_visit_s_photos_are_refused_to_others(viewer: int, visit: int) -> None:
    uow = world()
    await photographed(uow)

    await assert_refused(uow, visit_photos(uow, viewer, visit), NotFound)


async def test_customer_service_sees_the_photos_of_a_customer_handed_to_them() -> None:
    uow = world(status=W)
    visit_id = await photographed(uow)
    await handed(uow)

    assert await visit_photos(uow, CAT, visit_id) == ["a", "b"]
