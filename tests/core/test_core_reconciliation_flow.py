"""The monthly reconciliation through its use cases (issue 13, item 6), on the contract world
(follow_on_world): Rob's contract of 10,000.00 co-signed on 2026-11-23 with its deposit of
3,000.00, and 1,000.00 paid on 11-25. November's totals; the desk and the accountant confirm,
the second with a figure of its own; the differences and the department's accrual; who may
confirm, once; and the prompt on the month's last working day, sent once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from fakes import ACE, FAY, GUS, ROB
from follow_on_world import DEE, contract_world
from refusals import assert_refused
from routine_fakes import RoutineUnitOfWork

from bot.core.deliveries import DeliveryNote, DeliveryStatus
from bot.core.errors import NotAllowed
from bot.core.orders import PaymentMethod
from bot.core.payments import PaymentDraft
from bot.core.policy import Policy
from bot.core.reconciliation import AlreadyConfirmed, LedgerTotals, MonthNotDue
from bot.core.usecases import reconciliation

D = Decimal
POLICY = Policy()
NOVEMBER = date(2026, 11, 1)
DEC_1 = datetime(2026, 12, 1, 2, tzinfo=UTC)


def booked_note(note_id: int, contract_id: int, pumps: int, at: datetime) -> DeliveryNote:
    return DeliveryNote(
        note_id, contract_id, note_id, (D(pumps),), DeliveryStatus.booked, DEE, at, booked_at=at
    )


async def november() -> RoutineUnitOfWork:
    """Two notes booked: 4 pumps on 11-28, and 3 at 01:00 on 12-01 in Shanghai (17:00 UTC on
    11-30), which is December's."""
    uow, contract_id = await contract_world()
    draft = PaymentDraft(contract_id, D(1000), date(2026, 11, 25), PaymentMethod.cash, "C-1")
    await uow.payments.add(draft, recorded_by=ACE, now=DEC_1)
    for note in (
        booked_note(1, contract_id, 4, datetime(2026, 11, 28, 2, tzinfo=UTC)),
        booked_note(2, contract_id, 3, datetime(2026, 11, 30, 17, tzinfo=UTC)),
    ):
        uow.deliveries.rows[note.id] = note
    uow.baseline()
    return uow


def confirm(uow: RoutineUnitOfWork, actor: int, **figures: Decimal) -> object:
    return reconciliation.confirm(
        uow, actor_id=actor, month=NOVEMBER, figures=figures, policy=POLICY, now=DEC_1
    )


async def test_the_month_s_totals_come_from_the_ledger() -> None:
    uow = await november()
    totals = await reconciliation.month_totals(uow, NOVEMBER, POLICY)
    # delivered: 4 pumps × 1,000.00 booked in November (the second note is December's);
    # outstanding at 11-30: 10,000 - 3,000 - 1,000; nothing due before December
    assert totals == LedgerTotals(D(1), D(10000), D(4000), D(3000), D(1000), D(6000), D(0))


async def test_both_sides_confirm_the_differences_are_told_and_the_department_accrues() -> None:
    uow = await november()
    await confirm(uow, DEE)
    assert not uow.reconciliations.rows[NOVEMBER].reconciled
    told = {n.recipient_id: n.template for n in (q.notification for q in uow.outbox.queued)}
    assert told == {DEE: "ledger_confirmed", ACE: "ledger_confirmed", FAY: "ledger_confirmed"}

    await confirm(uow, ACE, collected=D(900))

    record = uow.reconciliations.rows[NOVEMBER]
    assert record.reconciled
    # 0.5 % × (3,000.00 deposit + 1,000.00 paid) this year × 100 % (no targets set) = 20.00:
    # collected as the collection targets count it
    assert (record.accrual, record.accrued_total) == (D("20.00"), D("20.00"))
    done = uow.outbox.sent_to(FAY)[-1]
    assert done.template == "ledger_reconciled"
    accountant = done.params["sides"][1]  # type: ignore[index]
    assert accountant["differences"] == [["collected", "1000.00", "900"]]


@pytest.mark.parametrize("actor", [ROB, FAY, GUS])
async def test_only_the_desk_and_the_accountant_confirm(actor: int) -> None:
    uow = await november()
    await assert_refused(uow, confirm(uow, actor), NotAllowed)


async def test_each_side_confirms_once() -> None:
    uow = await november()
    await confirm(uow, DEE)
    await assert_refused(uow, confirm(uow, DEE), AlreadyConfirmed)


async def test_a_month_other_than_the_one_due_is_refused() -> None:
    uow = await november()
    october = reconciliation.confirm(
        uow, actor_id=DEE, month=date(2026, 10, 1), figures={}, policy=POLICY, now=DEC_1
    )
    await assert_refused(uow, october, MonthNotDue)


async def test_a_payment_recorded_after_a_side_confirmed_shows_as_its_difference() -> None:
    """The desk confirmed November's ¥1,000.00 collected; a ¥500.00 payment dated 11-30 is
    recorded afterwards: the desk's side now differs from the ledger, not silently agrees."""
    uow = await november()
    await confirm(uow, DEE)
    contract_id = next(iter(uow.contracts.rows))
    late = PaymentDraft(contract_id, D(500), date(2026, 11, 30), PaymentMethod.cash, "C-2")
    await uow.payments.add(late, recorded_by=ACE, now=DEC_1)
    await confirm(uow, ACE)
    desk = uow.outbox.sent_to(FAY)[-1].params["sides"][0]  # type: ignore[index]
    assert ["collected", "1500.00", "1000.00"] in desk["differences"]


async def test_the_prompt_comes_on_the_last_working_day_once() -> None:
    uow = await november()
    friday = datetime(2026, 11, 27, 2, tzinfo=UTC)
    last = datetime(2026, 11, 30, 2, tzinfo=UTC)  # a Monday
    prompt = reconciliation.prompt_reconciliation
    assert await prompt(uow, policy=POLICY, now=friday) == 0
    assert await prompt(uow, policy=POLICY, now=last) == 2
    assert await prompt(uow, policy=POLICY, now=last) == 0
    assert sorted(uow.outbox.recipients()) == [ACE, DEE]
    assert await reconciliation.reconciliation_due(uow, DEE, last.date(), POLICY) == NOVEMBER
    assert await prompt(uow, policy=POLICY, now=last + timedelta(days=1)) == 0, "December 1st"


async def test_a_worker_down_on_the_last_working_day_prompts_in_the_next_week_once() -> None:
    uow = await november()
    prompt = reconciliation.prompt_reconciliation
    december_2 = datetime(2026, 12, 2, 2, tzinfo=UTC)
    december_8 = datetime(2026, 12, 8, 2, tzinfo=UTC)
    assert await prompt(uow, policy=POLICY, now=december_8) == 0, "too late: stale news"
    assert await prompt(uow, policy=POLICY, now=december_2) == 2
    assert await prompt(uow, policy=POLICY, now=december_2) == 0
    assert {n.params["month"] for n in (q.notification for q in uow.outbox.queued)} == {"2026-11"}


async def test_a_month_already_reconciled_is_not_prompted() -> None:
    uow = await november()
    await confirm(uow, DEE)
    await confirm(uow, ACE)
    before = len(uow.outbox.queued)
    december_2 = datetime(2026, 12, 2, 2, tzinfo=UTC)
    assert await reconciliation.prompt_reconciliation(uow, policy=POLICY, now=december_2) == 0
    assert len(uow.outbox.queued) == before


async def test_nothing_to_reconcile_before_the_ledger_holds_a_contract() -> None:
    """October, before the first contract was co-signed (11-23): neither in /pending nor
    prompted."""
    uow = await november()
    october_31 = datetime(2026, 10, 31, 2, tzinfo=UTC)  # a Saturday, October's last working day
    assert await reconciliation.reconciliation_due(uow, DEE, date(2026, 11, 2), POLICY) is None
    assert await reconciliation.prompt_reconciliation(uow, policy=POLICY, now=october_31) == 0
