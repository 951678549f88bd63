"""The customer register's repositories on a migrated database (SQLite and PostgreSQL):
customers with their search, duplicate check, confirm queue and follow-ups; the status history;
visits."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dbtools import NOW, Sessions, add_person, count

from bot.core.customer_rules import company_key
from bot.core.customers import (
    Customer,
    CustomerDraft,
    CustomerEvent,
    CustomerStatus,
    Visit,
    VisitDraft,
)
from bot.core.roles import Role
from storage.tables import CustomerEventRow, CustomerRow, VisitRow
from storage.uow import SqlUnitOfWork

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
TODAY = date(2026, 3, 2)  # NOW's day


@pytest.fixture
async def org(sessionmaker: Sessions) -> dict[str, int]:
    """rep and ann report to sup."""
    sup = await add_person(sessionmaker, 1, role=Role.supervisor)
    rep = await add_person(sessionmaker, 2, role=Role.rep, reports_to=sup.id)
    ann = await add_person(sessionmaker, 3, role=Role.rep, reports_to=sup.id)
    return {"sup": sup.id, "rep": rep.id, "ann": ann.id}


async def add_customer(
    sessionmaker: Sessions,
    owner_id: int,
    name: str = "Acme Trading",
    *,
    phone: str | None = None,
    now: datetime = NOW,
    name_key: str | None = None,
    **changes: Any,
) -> Customer:
    """Add a customer with its company key, then save `changes` (status, dates …) the way a
    use case would."""
    async with SqlUnitOfWork(sessionmaker) as uow:
        customer = await uow.customers.add(
            name=name,
            owner_id=owner_id,
            phone=phone,
            now=now,
            name_key=company_key(name) if name_key is None else name_key,
        )
        if changes:
            customer = replace(customer, **changes)
            await uow.customers.save(customer)
        await uow.commit()
    return customer


async def get_customer(sessionmaker: Sessions, customer_id: int) -> Customer:
    async with SqlUnitOfWork(sessionmaker) as uow:
        found = await uow.customers.get(customer_id)
    assert found is not None
    return found


def names(found: object) -> list[str]:
    return [c.name for c in found]  # type: ignore[attr-defined]


# --- add, get, save -------------------------------------------------------------------------

FULL_DRAFT = CustomerDraft(
    name="上海明华贸易有限公司",
    phone="+862168888888",
    contact_name="王经理",
    address="上海市浦东新区世纪大道 100 号",
    latitude=31.230416,
    longitude=121.473701,
    industry="wholesale",
    size="medium",
    region="east",
    source="exhibition",
    shop_url="https://minghua.taobao.com/shop/123",
    note="每周三进货",
)


async def test_a_customer_from_a_draft_reads_back_field_for_field(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    created = datetime(2026, 3, 2, 18, 30, 15, 123456, tzinfo=SHANGHAI)
    async with SqlUnitOfWork(sessionmaker) as uow:
        added = await uow.customers.add(
            name=FULL_DRAFT.name,
            owner_id=org["rep"],
            phone=FULL_DRAFT.phone,
            now=created,
            draft=FULL_DRAFT,
            name_key="上海明华贸易",
        )
        await uow.commit()

    got = await get_customer(sessionmaker, added.id)
    assert got == added
    assert got == Customer(
        id=added.id,
        name="上海明华贸易有限公司",
        owner_id=org["rep"],
        status=CustomerStatus.prospect,
        created_at=created,
        phone="+862168888888",
        contact_name="王经理",
        address="上海市浦东新区世纪大道 100 号",
        latitude=31.230416,
        longitude=121.473701,
        industry="wholesale",
        size="medium",
        region="east",
        source="exhibition",
        shop_url="https://minghua.taobao.com/shop/123",
        note="每周三进货",
        name_key="上海明华贸易",
        taken_at=created,  # the owner took it when registering it (the pool's idle days)
    )
    assert got.status is CustomerStatus.prospect
    assert got.created_at.tzinfo is UTC
    assert got.created_at == datetime(2026, 3, 2, 10, 30, 15, 123456, tzinfo=UTC)
    assert (got.confirmed_by, got.confirmed_at, got.next_follow_up, got.last_visit_on) == (
        None,
        None,
        None,
        None,
    )


async def test_a_customer_added_without_a_draft_has_only_a_name_and_its_key(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    added = await add_customer(sessionmaker, org["rep"], "Beta Steel", phone="+8613800138000")

    got = await get_customer(sessionmaker, added.id)
    assert (got.name, got.phone, got.name_key, got.owner_id) == (
        "Beta Steel",
        "+8613800138000",
        "betasteel",
        org["rep"],
    )
    assert (got.contact_name, got.address, got.latitude, got.industry, got.note) == (
        None,
        None,
        None,
        None,
        None,
    )
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.customers.get(added.id + 100) is None


async def test_save_changes_every_field(sessionmaker: Sessions, org: dict[str, int]) -> None:
    first = await add_customer(sessionmaker, org["rep"], "Old Name", phone="+8613800138000")
    other = await add_customer(sessionmaker, org["rep"], "Untouched")
    confirmed = datetime(2026, 3, 3, 9, 15, 0, 654321, tzinfo=SHANGHAI)
    changed = replace(
        first,
        name="新名字 & Co.",
        owner_id=org["ann"],
        status=CustomerStatus.handed_over,
        created_at=NOW - DAY,
        phone="+4930123456",
        name_key="新名字",
        contact_name="Li",
        address="Beijing",
        latitude=-33.8688,
        longitude=151.2093,
        industry="retail",
        size="large",
        region="north",
        source="referral",
        shop_url="https://shop.example.cn",
        note="moved",
        confirmed_by=org["sup"],
        confirmed_at=confirmed,
        next_follow_up=date(2026, 12, 31),
        last_visit_on=date(2026, 2, 28),
        service_id=org["sup"],
    )

    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.customers.save(changed)
        await uow.commit()

    got = await get_customer(sessionmaker, first.id)
    assert got == changed
    assert got.status is CustomerStatus.handed_over
    assert got.confirmed_at is not None
    assert got.confirmed_at.tzinfo is UTC
    assert got.confirmed_at == datetime(2026, 3, 3, 1, 15, 0, 654321, tzinfo=UTC)
    assert await get_customer(sessionmaker, other.id) == other


@pytest.mark.parametrize("status", list(CustomerStatus))
async def test_every_status_round_trips(
    sessionmaker: Sessions, org: dict[str, int], status: CustomerStatus
) -> None:
    added = await add_customer(sessionmaker, org["rep"], status=status)

    assert (await get_customer(sessionmaker, added.id)).status is status


# --- owned_by: the list and the search ------------------------------------------------------


async def test_owned_by_lists_the_most_recently_visited_first(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    rep = org["rep"]
    await add_customer(sessionmaker, rep, "Never visited, old", now=NOW)
    await add_customer(sessionmaker, rep, "Visited long ago", now=NOW + HOUR, last_visit_on=TODAY)
    await add_customer(sessionmaker, rep, "Never visited, new", now=NOW + 2 * HOUR)
    await add_customer(
        sessionmaker, rep, "Visited yesterday", now=NOW - DAY, last_visit_on=TODAY + 5 * DAY
    )
    await add_customer(
        sessionmaker, rep, "Visited the same day, newer", now=NOW + 3 * HOUR, last_visit_on=TODAY
    )
    await add_customer(sessionmaker, org["ann"], "Ann's", last_visit_on=TODAY + 9 * DAY)

    async with SqlUnitOfWork(sessionmaker) as uow:
        mine = await uow.customers.owned_by([rep])
        assert names(mine) == [
            "Visited yesterday",
            "Visited the same day, newer",  # same day: the newer customer first
            "Visited long ago",
            "Never visited, new",  # never visited: after every visited one, newest first
            "Never visited, old",
        ]
        assert names(await uow.customers.owned_by([rep], limit=2)) == [
            "Visited yesterday",
            "Visited the same day, newer",
        ]
        both = names(await uow.customers.owned_by([rep, org["ann"]]))
        assert both[0] == "Ann's"
        assert len(both) == 6
        assert await uow.customers.owned_by([]) == []
        assert await uow.customers.owned_by([org["sup"]]) == []


SEARCHABLE = [
    # name, phone
    ("ACME Trading Co.", "+8613955501234"),
    ("100% Cotton", None),
    ("100 Cotton", None),
    ("a_b Hardware", None),
    ("aXb Hardware", None),
    ("Back\\slash Ltd", None),
    ("张记五金", "+862168888888"),
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("acme", ["ACME Trading Co."]),
        ("TRADING", ["ACME Trading Co."]),
        ("aCmE tRaDiNg", ["ACME Trading Co."]),
        ("五金", ["张记五金"]),
        ("张记五金", ["张记五金"]),
        # % and _ are the characters they are, not LIKE wildcards
        ("%", ["100% Cotton"]),
        ("0%", ["100% Cotton"]),
        ("% cot", ["100% Cotton"]),
        ("_", ["a_b Hardware"]),
        ("a_b", ["a_b Hardware"]),
        ("a_", ["a_b Hardware"]),
        ("\\", ["Back\\slash Ltd"]),
        ("k\\s", ["Back\\slash Ltd"]),
        ("cotton", ["100% Cotton", "100 Cotton"]),
        ("hardware", ["a_b Hardware", "aXb Hardware"]),
        # a phone fragment: three digits or more, whatever separates them
        ("5550", ["ACME Trading Co."]),
        ("139-5550-1234", ["ACME Trading Co."]),
        ("+86 139 555", ["ACME Trading Co."]),
        ("6888 8888", ["张记五金"]),
        ("8613", ["ACME Trading Co."]),
        ("55", []),  # two digits are too few to search phones by
        ("nothing like it", []),
    ],
)
async def test_owned_by_search(
    sessionmaker: Sessions, org: dict[str, int], query: str, expected: list[str]
) -> None:
    for minutes, (name, phone) in enumerate(SEARCHABLE):
        await add_customer(
            sessionmaker, org["rep"], name, phone=phone, now=NOW - minutes * timedelta(minutes=1)
        )
    # Another owner's customers never show up in a search over the rep's own.
    await add_customer(sessionmaker, org["ann"], f"Ann's {query}", phone="+8613955501234")

    async with SqlUnitOfWork(sessionmaker) as uow:
        found = await uow.customers.owned_by([org["rep"]], query)

    assert names(found) == expected  # newest first, which is SEARCHABLE's order


async def test_owned_by_search_is_limited_to_the_given_owners(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    rep, ann = org["rep"], org["ann"]
    await add_customer(sessionmaker, rep, "ACME Trading", phone="+8613955501234")
    await add_customer(sessionmaker, ann, "Acme Rival", phone="+8613955509999", now=NOW + HOUR)
    await add_customer(sessionmaker, org["sup"], "ACME Boss", now=NOW + 2 * HOUR)

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert names(await uow.customers.owned_by([rep], "acme")) == ["ACME Trading"]
        assert names(await uow.customers.owned_by([ann], "acme")) == ["Acme Rival"]
        assert names(await uow.customers.owned_by([rep, ann], "acme")) == [
            "Acme Rival",
            "ACME Trading",
        ]
        assert names(await uow.customers.owned_by([rep], "1395550")) == ["ACME Trading"]
        assert names(await uow.customers.owned_by([rep, ann], "acme", limit=1)) == ["Acme Rival"]
        assert await uow.customers.owned_by([], "acme") == []


@pytest.mark.parametrize(
    ("name", "phone", "query"),
    [
        pytest.param("ACME", "+8613955501234", "１３９５５５０", id="full-width-digits"),
        # normalize_phone("(021) 6888 8888") == "+862168888888": the rep types it the same way
        pytest.param("张记五金", "+862168888888", "(021) 6888 8888", id="landline-area-code"),
        pytest.param("Müller Straße GmbH", None, "Straße", id="own-text-with-sharp-s"),
        # SQLite's lower() knows only ASCII; the company key (folded in Python) still finds it.
        pytest.param("ÄPFEL Import", None, "äpfel", id="case-beyond-ascii"),
    ],
)
async def test_owned_by_finds_a_customer_as_the_rep_types_it(
    sessionmaker: Sessions, org: dict[str, int], name: str, phone: str | None, query: str
) -> None:
    await add_customer(sessionmaker, org["rep"], name, phone=phone)

    async with SqlUnitOfWork(sessionmaker) as uow:
        found = await uow.customers.owned_by([org["rep"]], query)

    assert names(found) == [name]


# --- matching (the duplicate check), unconfirmed, follow-ups ---------------------------------


async def test_handed_to_lists_one_service_person_s_customers_searchable(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    cat = await add_person(sessionmaker, 4, role=Role.customer_service)
    dan = await add_person(sessionmaker, 5, role=Role.customer_service)
    acme = await add_customer(sessionmaker, org["rep"], "Acme", service_id=cat.id)
    bolt = await add_customer(sessionmaker, org["ann"], "Bolt", now=NOW + HOUR, service_id=cat.id)
    await add_customer(sessionmaker, org["rep"], "Crane", service_id=dan.id)
    await add_customer(sessionmaker, org["rep"], "Delta")

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert [c.id for c in await uow.customers.handed_to(cat.id)] == [bolt.id, acme.id]
        assert [c.id for c in await uow.customers.handed_to(cat.id, "acm")] == [acme.id]
        assert await uow.customers.handed_to(org["rep"]) == []


async def test_matching_finds_a_phone_or_a_company_key_company_wide(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    by_phone = await add_customer(
        sessionmaker, org["rep"], "Acme Co", phone="+8613800138000", name_key="acme"
    )
    by_key = await add_customer(
        sessionmaker, org["ann"], "ACME Ltd.", phone="+8613900139000", name_key="acme"
    )
    phone_only = await add_customer(
        sessionmaker, org["sup"], "Other", phone="+8613800138000", name_key="other"
    )
    await add_customer(sessionmaker, org["rep"], "Quick one")  # name_key "" and no phone
    await add_customer(sessionmaker, org["rep"], "Quick two")

    async with SqlUnitOfWork(sessionmaker) as uow:

        async def ids(phone: str | None, name_key: str) -> list[int]:
            return [c.id for c in await uow.customers.matching(phone=phone, name_key=name_key)]

        assert await ids("+8613800138000", "acme") == [by_phone.id, by_key.id, phone_only.id]
        assert await ids("+8613800138000", "") == [by_phone.id, phone_only.id]
        assert await ids(None, "acme") == [by_phone.id, by_key.id]
        assert await ids("+8613900139000", "nothing") == [by_key.id]
        assert await ids("+8613700137000", "nothing") == []
        assert await ids("13800138000", "") == []  # exact normalised phone, not a fragment
        assert await ids(None, "acm") == []  # exact key, not a prefix
        # An empty key or phone matches nothing: quick customers are not all duplicates.
        assert await ids(None, "") == []
        assert await ids("", "") == []


async def test_unconfirmed_lists_new_prospects_oldest_first(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    rep, ann, sup = org["rep"], org["ann"], org["sup"]
    newer = await add_customer(sessionmaker, rep, "Newer", now=NOW + HOUR)
    older = await add_customer(sessionmaker, ann, "Older", now=NOW - HOUR)
    await add_customer(
        sessionmaker, rep, "Confirmed", confirmed_by=sup, confirmed_at=NOW + 2 * HOUR
    )
    await add_customer(sessionmaker, rep, "Qualified", status=CustomerStatus.qualified)
    await add_customer(sessionmaker, rep, "Lost", status=CustomerStatus.lost)
    await add_customer(sessionmaker, sup, "Someone else's")

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert [c.id for c in await uow.customers.unconfirmed([rep, ann])] == [older.id, newer.id]
        assert [c.id for c in await uow.customers.unconfirmed([rep])] == [newer.id]
        assert await uow.customers.unconfirmed([]) == []


async def test_follow_ups_due_takes_today_and_overdue_of_open_customers(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    rep, ann = org["rep"], org["ann"]

    async def due_on(name: str, owner: int, day: date | None, **changes: Any) -> int:
        customer = await add_customer(sessionmaker, owner, name, next_follow_up=day, **changes)
        return customer.id

    today = await due_on("today", rep, TODAY)
    overdue = await due_on("overdue", rep, TODAY - 30 * DAY, status=CustomerStatus.qualified)
    won = await due_on("won", rep, TODAY - DAY, status=CustomerStatus.won)
    ann_today = await due_on("ann", ann, TODAY)
    ann_overdue = await due_on("ann overdue", ann, TODAY - DAY)
    await due_on("tomorrow", rep, TODAY + DAY)
    await due_on("none", rep, None)
    await due_on("lost", rep, TODAY - DAY, status=CustomerStatus.lost)
    await due_on("handed over", rep, TODAY, status=CustomerStatus.handed_over)

    async with SqlUnitOfWork(sessionmaker) as uow:
        due = await uow.customers.follow_ups_due(TODAY)
        tomorrow = await uow.customers.follow_ups_due(TODAY + DAY)
        long_ago = await uow.customers.follow_ups_due(TODAY - 31 * DAY)

    # by owner, then the oldest follow-up first
    assert [c.id for c in due] == [overdue, won, today, ann_overdue, ann_today]
    assert "tomorrow" in names(tomorrow)
    assert "lost" not in names(tomorrow)
    assert "handed over" not in names(tomorrow)
    assert long_ago == []


# --- customer events ------------------------------------------------------------------------


async def test_customer_events_are_kept_in_the_order_written(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    acme = await add_customer(sessionmaker, org["rep"], "Acme")
    beta = await add_customer(sessionmaker, org["rep"], "Beta")
    events = [
        CustomerEvent(acme.id, "created", org["rep"], NOW, to_status="prospect"),
        CustomerEvent(beta.id, "created", org["rep"], NOW),
        CustomerEvent(
            acme.id,
            "status",
            org["sup"],
            datetime(2026, 3, 2, 20, 0, tzinfo=SHANGHAI),
            from_status="prospect",
            to_status="qualified",
            comment="签了意向书",
        ),
        CustomerEvent(acme.id, "declared_distinct", None, NOW - HOUR, comment="customer:9"),
    ]
    async with SqlUnitOfWork(sessionmaker) as uow:
        for event in events:
            await uow.customer_events.add(event)
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:
        history = await uow.customer_events.for_customer(acme.id)
        assert await uow.customer_events.for_customer(beta.id) == [events[1]]
        assert await uow.customer_events.for_customer(beta.id + 100) == []

    assert history == [events[0], events[2], events[3]]  # insertion order, not time order
    assert history[1].at == datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    assert history[1].at.tzinfo is UTC
    assert (history[1].from_status, history[1].to_status, history[1].comment) == (
        "prospect",
        "qualified",
        "签了意向书",
    )
    assert history[2].actor_id is None


# --- visits ---------------------------------------------------------------------------------


def visit_draft(customer_id: int, visited_on: date = TODAY, **overrides: Any) -> VisitDraft:
    values: dict[str, Any] = {
        "customer_id": customer_id,
        "kind": "first",
        "visited_on": visited_on,
        "outcome": "Met the buyer",
        "intent": "medium",
        **overrides,
    }
    return VisitDraft(**values)


async def add_visits(
    sessionmaker: Sessions, rep_id: int, *drafts: VisitDraft, now: datetime = NOW
) -> list[Visit]:
    async with SqlUnitOfWork(sessionmaker) as uow:
        added = [
            await uow.visits.add(d, rep_id=rep_id, now=now, distance_m=None, far=False)
            for d in drafts
        ]
        await uow.commit()
    return added


async def test_a_visit_reads_back_field_for_field(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    acme = await add_customer(sessionmaker, org["rep"], "Acme")
    logged = datetime(2026, 3, 2, 19, 45, 1, 250000, tzinfo=SHANGHAI)
    draft = visit_draft(
        acme.id,
        kind="revisit",
        visited_on=date(2026, 2, 27),
        outcome="谈了价格，下周报价",
        intent="high",
        next_step="Send the quote",
        next_follow_up=date(2026, 3, 9),
        latitude=31.2304,
        longitude=121.4737,
        photos=("AgACAgIAAxkBAAI1", "AgACAgIAAxkBAAI2"),
    )
    async with SqlUnitOfWork(sessionmaker) as uow:
        added = await uow.visits.add(
            draft, rep_id=org["rep"], now=logged, distance_m=1234.5, far=True
        )
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:
        (got,) = await uow.visits.for_customer(acme.id)
        assert await uow.visits.get(added.id) == added
        assert await uow.visits.get(added.id + 1) is None

    assert got == added
    assert got == Visit(
        id=added.id,
        customer_id=acme.id,
        rep_id=org["rep"],
        kind="revisit",
        visited_on=date(2026, 2, 27),
        logged_at=logged,
        outcome="谈了价格，下周报价",
        intent="high",
        next_step="Send the quote",
        next_follow_up=date(2026, 3, 9),
        latitude=31.2304,
        longitude=121.4737,
        distance_m=1234.5,
        far=True,
        photos=["AgACAgIAAxkBAAI1", "AgACAgIAAxkBAAI2"],
    )
    assert got.logged_at.tzinfo is UTC
    assert got.logged_at == datetime(2026, 3, 2, 11, 45, 1, 250000, tzinfo=UTC)


async def test_a_bare_visit_reads_back_with_its_defaults(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    acme = await add_customer(sessionmaker, org["rep"], "Acme")
    (added,) = await add_visits(sessionmaker, org["rep"], visit_draft(acme.id, kind="call"))

    async with SqlUnitOfWork(sessionmaker) as uow:
        (got,) = await uow.visits.for_customer(acme.id)
        assert await uow.visits.get(added.id) == added
        assert await uow.visits.get(added.id + 1) is None

    assert got == added
    assert (got.kind, got.next_step, got.next_follow_up, got.latitude, got.distance_m) == (
        "call",
        None,
        None,
        None,
        None,
    )
    assert got.photos == []
    assert got.far is False


async def test_visits_for_a_customer_are_newest_first_and_limited(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    acme = await add_customer(sessionmaker, org["rep"], "Acme")
    beta = await add_customer(sessionmaker, org["rep"], "Beta")
    days = [TODAY - 3 * DAY, TODAY, TODAY - 10 * DAY, TODAY, TODAY - DAY, TODAY - 2 * DAY]
    added = await add_visits(sessionmaker, org["rep"], *(visit_draft(acme.id, d) for d in days))
    await add_visits(sessionmaker, org["ann"], visit_draft(beta.id, TODAY + DAY))
    by_day = {(v.visited_on, v.id): v.id for v in added}
    newest_first = [by_day[key] for key in sorted(by_day, reverse=True)]

    async with SqlUnitOfWork(sessionmaker) as uow:
        default = await uow.visits.for_customer(acme.id)
        two = await uow.visits.for_customer(acme.id, limit=2)
        every = await uow.visits.for_customer(acme.id, limit=50)
        assert await uow.visits.for_customer(beta.id + 100) == []

    assert [v.id for v in every] == newest_first
    # the same day: the visit logged later comes first
    assert [v.id for v in two] == [added[3].id, added[1].id]
    assert [v.id for v in default] == newest_first[:5]  # five by default
    assert added[2].id not in {v.id for v in default}  # the oldest is left out
    assert {v.customer_id for v in every} == {acme.id}


async def test_visits_by_rep_between_includes_both_bounds(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    rep, ann = org["rep"], org["ann"]
    acme = await add_customer(sessionmaker, rep, "Acme")
    monday, sunday = date(2026, 3, 2), date(2026, 3, 8)
    last_day, first_day, before, after, middle = await add_visits(
        sessionmaker,
        rep,
        visit_draft(acme.id, sunday),
        visit_draft(acme.id, monday),
        visit_draft(acme.id, monday - DAY),
        visit_draft(acme.id, sunday + DAY),
        visit_draft(acme.id, monday + 3 * DAY),
    )
    (anns,) = await add_visits(sessionmaker, ann, visit_draft(acme.id, monday + DAY))

    async with SqlUnitOfWork(sessionmaker) as uow:
        week = await uow.visits.by_rep_between(rep, monday, sunday)
        one_day = await uow.visits.by_rep_between(rep, monday, monday)
        assert await uow.visits.by_rep_between(rep, sunday, monday) == []  # reversed bounds
        assert [v.id for v in await uow.visits.by_rep_between(ann, monday, sunday)] == [anns.id]

    assert [v.id for v in week] == [first_day.id, middle.id, last_day.id]  # oldest first
    assert [v.id for v in one_day] == [first_day.id]
    assert before.id not in {v.id for v in week}
    assert after.id not in {v.id for v in week}
    assert {v.rep_id for v in week} == {rep}


# --- the unit of work -----------------------------------------------------------------------


async def test_leaving_without_commit_forgets_customers_events_and_visits(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    kept = await add_customer(sessionmaker, org["rep"], "Kept")

    async with SqlUnitOfWork(sessionmaker) as uow:
        dropped = await uow.customers.add(
            name="Dropped", owner_id=org["rep"], phone="+8613800138000", now=NOW + HOUR
        )
        await uow.customers.save(replace(kept, name="Renamed", status=CustomerStatus.lost))
        await uow.customer_events.add(CustomerEvent(kept.id, "status", org["rep"], NOW))
        await uow.visits.add(
            visit_draft(kept.id), rep_id=org["rep"], now=NOW, distance_m=None, far=False
        )
        # visible inside the unit of work …
        assert names(await uow.customers.owned_by([org["rep"]])) == ["Dropped", "Renamed"]
        # … and gone after it: no commit

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.customers.get(dropped.id) is None
        assert await uow.customers.get(kept.id) == kept
        assert await uow.customer_events.for_customer(kept.id) == []
        assert await uow.visits.for_customer(kept.id) == []
    assert await count(sessionmaker, CustomerRow) == 1
    assert await count(sessionmaker, CustomerEventRow) == 0
    assert await count(sessionmaker, VisitRow) == 0
