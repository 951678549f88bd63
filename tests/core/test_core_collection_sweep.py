"""The daily collections sweep (issue 13, points 1–2) over the fake world of
`follow_on_world.contract_world`: Rob's contract of 10,000.00, deposit 3,000.00 received,
4,000.00 due Tue 2026-12-01 and 3,000.00 due Fri 2027-01-01. Rob reports to Sue (supervisor),
Sue to Sam (sales manager). Policy: due soon within 7 days, overdue told again every 7 days
three times, legal after 90 days; Asia/Shanghai, working days Monday to Saturday."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from fakes import ACE, GUS, ROB, SAM, SID, SUE
from follow_on_world import contract_world

from bot.core.collection_dues import DueKind, due_items, legal_due, overdue_stage
from bot.core.collections import CreditStanding
from bot.core.deals import DealTerms
from bot.core.payments import PaymentDraft, PaymentMethod
from bot.core.policy import Collections, Policy, PolicyError, parse_policy
from bot.core.usecases import approvals
from bot.core.usecases.collection_sweep import LISTED, sweep_collections
from bot.core.usecases.credit import credit_of, ledger_totals
from bot.core.usecases.ledger import LedgerQuery

POLICY = Policy()
RULES = POLICY.collections


def at(day: date, hour_utc: int = 2) -> datetime:
    """10:00 in Shanghai at hour_utc 2."""
    return datetime(day.year, day.month, day.day, hour_utc, tzinfo=UTC)


async def sweep(uow: object, day: date, hour_utc: int = 2) -> int:
    return await sweep_collections(uow, policy=POLICY, now=at(day, hour_utc))  # type: ignore[arg-type]


def items_to(uow: object, person_id: int, template: str = "collections_due") -> list[dict]:  # type: ignore[type-arg]
    sent = [n for n in uow.outbox.sent_to(person_id) if n.template == template]  # type: ignore[attr-defined]
    assert len(sent) <= 1, "one message per person and sweep"
    return sent[0].params["items"] if sent else []


# --- the pure rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("late", "stage"), [(0, None), (1, 0), (7, 0), (8, 1), (14, 1), (15, 2), (400, 2)]
)
def test_overdue_reminders_every_seven_days_three_in_all(late: int, stage: int | None) -> None:
    assert overdue_stage(late, RULES) == stage


def test_no_overdue_reminders_when_the_policy_says_none() -> None:
    assert overdue_stage(5, Collections(overdue_reminders=0)) is None


@pytest.mark.parametrize(
    ("today", "since", "flagged"),
    [(date(2027, 4, 1), date(2027, 1, 1), False), (date(2027, 4, 2), date(2027, 1, 1), True)],
)
def test_legal_after_more_than_ninety_days(today: date, since: date, flagged: bool) -> None:
    assert legal_due(since, today, RULES) is flagged
    assert legal_due(None, today, RULES) is False


async def test_due_soon_starts_seven_days_ahead_and_counts_what_is_unpaid() -> None:
    uow, cid = await contract_world()
    contract = uow.contracts[cid]
    assert due_items(contract, Decimal(3000), date(2026, 11, 23), RULES) == []
    (soon,) = due_items(contract, Decimal(5000), date(2026, 11, 24), RULES)
    assert (soon.kind, soon.days, soon.unpaid) == (DueKind.due_soon, 7, Decimal(2000))
    (today,) = due_items(contract, Decimal(3000), date(2026, 12, 1), RULES)
    assert (today.kind, today.days) == (DueKind.due_soon, 0)
    (late,) = due_items(contract, Decimal(3000), date(2026, 12, 2), RULES)
    assert (late.kind, late.days, late.stage) == (DueKind.overdue, 1, 0)
    assert due_items(contract, Decimal(7000), date(2026, 12, 2), RULES) == []


# --- the sweep ------------------------------------------------------------------------------


async def test_due_soon_tells_the_rep_and_the_supervisor_once() -> None:
    uow, _cid = await contract_world()
    assert await sweep(uow, date(2026, 11, 23)) == 0  # eight days ahead: not yet
    assert await sweep(uow, date(2026, 11, 25)) == 2
    for person in (ROB, SUE):
        (item,) = items_to(uow, person)
        assert item | {"kind": "due_soon", "days": 6, "unpaid": "4000.00"} == item
        assert (item["number"], item["customer"]) == ("HT-2026-0007", "Acme Trading")
    assert uow.outbox.sent_to(SAM) == []
    assert uow.committed == 2  # each run commits its claims with its messages
    assert await sweep(uow, date(2026, 11, 25)) == 0  # the same run again sends nothing
    assert await sweep(uow, date(2026, 11, 26)) == 0  # told once, not daily


async def test_quiet_hours_and_days_off_send_and_claim_nothing() -> None:
    uow, _cid = await contract_world()
    assert await sweep(uow, date(2026, 11, 25), hour_utc=14) == 0  # 22:00 in Shanghai
    assert await sweep(uow, date(2026, 11, 29)) == 0  # Sunday
    assert uow.collection_claims.claimed == set()
    assert await sweep(uow, date(2026, 11, 30)) == 2  # the next working morning catches up


async def test_overdue_is_told_again_every_seven_days_then_stops() -> None:
    uow, _cid = await contract_world()
    sent = {d: await sweep(uow, date(2026, 12, d)) for d in (2, 3, 9, 10, 16, 23)}
    assert sent == {2: 2, 3: 0, 9: 2, 10: 0, 16: 2, 23: 0}
    last = uow.outbox.sent_to(ROB)[-1].params["items"]
    assert [(i["kind"], i["days"], i["again"]) for i in last] == [("overdue", 15, True)]


async def test_a_paid_instalment_is_not_told() -> None:
    uow, cid = await contract_world()
    draft = PaymentDraft(cid, Decimal(4000), date(2026, 11, 24), PaymentMethod.bank_transfer)
    await uow.payments.add(draft, recorded_by=ACE, now=at(date(2026, 11, 24)))
    assert await sweep(uow, date(2026, 12, 2)) == 0


async def test_one_message_per_person_lists_all_their_items_most_overdue_first() -> None:
    uow, _cid = await contract_world()
    assert await sweep(uow, date(2027, 1, 2)) == 2
    assert [(i["due"], i["days"]) for i in items_to(uow, ROB)] == [
        ("2026-12-01", 32),
        ("2027-01-01", 1),
    ]


async def test_a_long_list_is_cut_and_counted() -> None:
    uow, cid = await contract_world()
    contract = uow.contracts[cid]
    for extra in range(LISTED + 2):
        uow.contracts.rows[cid + 1 + extra] = replace(contract, id=cid + 1 + extra)
    assert await sweep(uow, date(2026, 12, 2)) == 2
    (message,) = uow.outbox.sent_to(ROB)
    assert (len(message.params["items"]), message.params["more"]) == (LISTED, 3)


async def test_the_supervisor_gets_their_team_only() -> None:
    uow, _cid = await contract_world()
    await sweep(uow, date(2026, 12, 2))
    assert uow.outbox.sent_to(SID) == []


async def test_legal_flag_set_once_and_the_sales_manager_told_once() -> None:
    uow, cid = await contract_world()
    now = at(date(2027, 3, 2))  # the first instalment 91 days late
    assert await sweep(uow, date(2027, 3, 1)) == 2  # 90 days: reminders, no flag
    assert uow.contracts[cid].legal_flagged_at is None
    await sweep_collections(uow, policy=POLICY, now=now)
    assert uow.contracts[cid].legal_flagged_at == now
    (case,) = items_to(uow, SAM, "collections_legal")
    assert (case["number"], case["owner"]) == ("HT-2026-0007", "Rob")
    # 4,000.00 due 2026-12-01 and 3,000.00 due 2027-01-01, both unpaid: 91 days for the oldest
    assert (case["overdue"], case["days"]) == ("7000.00", 91)
    assert "legal_flagged" in uow.audit.actions()
    assert await sweep(uow, date(2027, 3, 3)) == 0
    assert uow.contracts[cid].legal_flagged_at == now
    assert len([n for n in uow.outbox.sent_to(SAM) if n.template == "collections_legal"]) == 1


async def test_legal_goes_to_every_sales_manager_when_none_is_above() -> None:
    uow, _cid = await contract_world()
    uow.people.rows[SUE] = replace(uow.people.rows[SUE], reports_to=None)
    await sweep(uow, date(2027, 3, 2))
    assert items_to(uow, SAM, "collections_legal") != []


async def test_legal_goes_to_the_general_manager_in_a_company_without_a_sales_manager() -> None:
    uow, _cid = await contract_world()
    uow.people.rows[SAM] = replace(uow.people.rows[SAM], active=False)
    await sweep(uow, date(2027, 3, 2))
    assert items_to(uow, GUS, "collections_legal") != []


# --- credit on the approval cards -----------------------------------------------------------


async def file_for_acme(uow: object, day: date) -> list[dict]:  # type: ignore[type-arg]
    terms = DealTerms(1, "Pump P-100", Decimal(1), Decimal(1000), Decimal(20))
    await approvals.file_request(
        uow,  # type: ignore[arg-type]
        kind="special_terms",
        requester_id=ROB,
        terms=terms,
        policy=POLICY,
        now=at(day),
    )
    return [
        q.notification.params
        for q in uow.outbox.queued  # type: ignore[attr-defined]
        if q.notification.template == "approval_card"
    ]


async def test_a_request_for_a_customer_on_hold_says_so_to_its_approver() -> None:
    uow, _cid = await contract_world()
    # 2027-01-02: 4,000 overdue 32 days and 3,000 one day: all of the 7,000 outstanding → hold
    (card,) = await file_for_acme(uow, date(2027, 1, 2))
    assert card["credit"] == {"standing": "hold", "overdue": "7000.00", "days": 32}


async def test_a_good_customer_adds_nothing_to_the_card() -> None:
    uow, _cid = await contract_world()
    (card,) = await file_for_acme(uow, date(2026, 11, 25))
    assert card["credit"] is None


# --- credit_of and the ledger's totals ------------------------------------------------------


async def test_credit_of_many_customers_at_once() -> None:
    uow, _cid = await contract_world()
    found = await credit_of(uow, [1, 2], date(2027, 1, 2), POLICY)  # customer 2 has none
    acme, other = found[1], found[2]
    assert (acme.standing, acme.contracts, acme.overdue, acme.days_late) == (
        CreditStanding.hold,
        1,
        Decimal(7000),
        32,
    )
    assert (acme.amount, acme.collected, acme.percent) == (
        Decimal(10000),
        Decimal(3000),
        Decimal("30.00"),
    )
    assert (other.standing, other.contracts) == (CreditStanding.good, 0)


@pytest.mark.parametrize(("who", "sees"), [(ROB, True), (SUE, True), (ACE, True), (SID, False)])
async def test_the_ledger_totals_stay_within_the_readers_sight(who: int, sees: bool) -> None:
    uow, _cid = await contract_world()
    query = LedgerQuery(customer="Acme")
    totals = await ledger_totals(uow, who, query, date(2027, 1, 2), POLICY)
    assert (totals is not None) is sees
    if totals is not None:
        assert totals.outstanding == Decimal(7000)


async def test_the_ledger_totals_need_a_customer() -> None:
    uow, _cid = await contract_world()
    assert await ledger_totals(uow, ROB, LedgerQuery(), date(2027, 1, 2), POLICY) is None


def test_the_policy_file_sets_the_sweep_and_refuses_a_bad_interval() -> None:
    rules = parse_policy(
        {"collections": {"sweep_at": "10:15", "overdue_every_days": 3, "overdue_reminders": 5}}
    ).collections
    assert (rules.sweep_at, rules.overdue_every_days, rules.overdue_reminders) == (
        time(10, 15),
        3,
        5,
    )
    with pytest.raises(PolicyError) as caught:
        parse_policy({"collections": {"overdue_every_days": 0}})
    assert "collections.overdue_every_days" in str(caught.value)
