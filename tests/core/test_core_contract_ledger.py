"""What is recorded against a contract: delivery notes capped at the ordered quantity and
booked only against the signed copy, payments capped at the amount, the ledger's figures,
the first-payment gate and work orders."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from itertools import product

import pytest
from routine_fakes import RoutineUnitOfWork
from test_core_contracts import LINE, NOW, TODAY, make_contract

from bot.core.contract_terms import ContractLine, Instalment, PaymentSchedule
from bot.core.contracts import Contract, ContractDraft, ContractNotInForce, ContractStatus
from bot.core.deals import InputProblem
from bot.core.deliveries import (
    DeliveryNote,
    DeliveryStatus,
    DeliveryStatusOrder,
    GoodsNotReady,
    OverDelivery,
    SignedCopyMissing,
    book_note,
    cancel_note,
    check_delivery,
    check_delivery_move,
    check_filing,
    delivered_quantities,
    receive_copy,
    ship_note,
    sign_note,
)
from bot.core.payments import (
    FirstPaymentMissing,
    OverPayment,
    Payment,
    PaymentDraft,
    PaymentMethod,
    check_first_payment,
    check_payment,
    ledger_figures,
    overdue,
)
from bot.core.work_orders import (
    WorkOrder,
    WorkOrderStatus,
    WorkOrderStatusOrder,
    accept_work_order,
    assign_work_order,
    check_work_order,
    check_work_order_move,
    sign_work_order,
)

D = Decimal
DS = DeliveryStatus
WS = WorkOrderStatus
BOLT = ContractLine("Bolt M8", D("2.5"), D("0.40"))
READY = make_contract(production_signed_at=NOW, production_signed_by=6, goods_ready_at=NOW)


def note(*lines: Decimal, status: DeliveryStatus = DS.filed, seq: int = 1) -> DeliveryNote:
    return DeliveryNote(seq, 1, seq, tuple(lines), status, 3, NOW)


def pay(amount: str, paid_on: date = TODAY, payment_id: int = 1) -> Payment:
    return Payment(payment_id, 1, D(amount), paid_on, PaymentMethod.bank_transfer, None, 9, NOW)


# ---- delivery notes ------------------------------------------------------------------------


def test_a_second_partial_note_may_deliver_exactly_what_is_left_and_no_more() -> None:
    lines = (LINE, BOLT)  # 10 pumps, 2.5 bolts
    first = note(D(6), D("1.5"))
    check_delivery(lines, (D(0), D(0)), first.lines)
    delivered = delivered_quantities(2, [first])
    assert delivered == (D(6), D("1.5"))

    check_delivery(lines, delivered, (D(4), D(1)))  # exactly the ordered quantity
    with pytest.raises(OverDelivery) as caught:
        check_delivery(lines, delivered, (D(4), D("1.001")))
    assert (caught.value.product, caught.value.ordered) == ("Bolt M8", D("2.5"))
    assert (caught.value.delivered, caught.value.asked) == (D("1.5"), D("1.001"))
    with pytest.raises(OverDelivery) as pumps:
        check_delivery(lines, delivered, (D(5), D(0)))
    assert pumps.value.details == {
        "product": "Pump P-100",
        "ordered": D(10),
        "delivered": D(6),
        "asked": D(5),
    }


def test_a_cancelled_note_counts_no_more_and_every_other_note_does() -> None:
    notes = [
        note(D(6), D(0), status=DS.cancelled, seq=1),
        note(D(3), D(1), status=DS.filed, seq=2),
        note(D(1), D(1), status=DS.booked, seq=3),
    ]
    assert delivered_quantities(2, notes) == (D(4), D(2))


@pytest.mark.parametrize(
    ("asked", "code"),
    [
        ((D(0), D(0)), "nothing_to_deliver"),
        ((D(-1), D(1)), "not_positive"),
        ((D("0.0001"), D(0)), "too_many_places"),
        ((D(1),), "bad_choice"),
    ],
)
def test_a_wrong_note_is_refused(asked: tuple[Decimal, ...], code: str) -> None:
    with pytest.raises(InputProblem) as caught:
        check_delivery((LINE, BOLT), (D(0), D(0)), asked)
    assert caught.value.code == code


def test_a_note_is_filed_only_for_a_contract_in_force_whose_goods_are_ready() -> None:
    check_filing(READY)
    with pytest.raises(GoodsNotReady) as caught:
        check_filing(replace(READY, goods_ready_at=None))
    assert caught.value.number == "HT-2026-0001"
    for status in set(ContractStatus) - {ContractStatus.in_force}:
        with pytest.raises(ContractNotInForce):
            check_filing(replace(READY, status=status))


NOTE_ALLOWED = {
    (DS.filed, DS.signed),
    (DS.signed, DS.shipped),
    (DS.shipped, DS.copy_received),
    (DS.copy_received, DS.booked),
    (DS.filed, DS.cancelled),
    (DS.signed, DS.cancelled),
}


@pytest.mark.parametrize(("status", "to"), list(product(DS, DS)))
def test_every_note_move(status: DeliveryStatus, to: DeliveryStatus) -> None:
    if (status, to) in NOTE_ALLOWED:
        check_delivery_move(status, to)
        return
    expected = SignedCopyMissing if (status, to) == (DS.shipped, DS.booked) else DeliveryStatusOrder
    with pytest.raises(expected) as caught:
        check_delivery_move(status, to)
    if isinstance(caught.value, DeliveryStatusOrder):
        assert caught.value.over == (status in (DS.booked, DS.cancelled))


def test_booking_without_the_signed_copy_is_refused_naming_it() -> None:
    shipped = ship_note(sign_note(note(D(1), seq=2), by=4, now=NOW), NOW)
    with pytest.raises(SignedCopyMissing) as caught:
        book_note(shipped, by=9, now=NOW)
    assert (caught.value.code, caught.value.seq) == ("signed_copy_missing", 2)

    with_copy = receive_copy(shipped, file_id="AgAD-file", now=NOW)
    booked = book_note(with_copy, by=9, now=NOW)
    assert (booked.status, booked.signed_copy, booked.booked_by) == (DS.booked, "AgAD-file", 9)


def test_a_note_skipping_a_step_names_it_and_goods_out_cannot_be_cancelled() -> None:
    with pytest.raises(DeliveryStatusOrder) as caught:
        check_delivery_move(DS.filed, DS.shipped)
    assert caught.value.needs is DS.signed
    with pytest.raises(DeliveryStatusOrder):
        cancel_note(note(D(1), status=DS.shipped), NOW)
    assert cancel_note(note(D(1)), NOW).cancelled_at == NOW


# ---- payments ------------------------------------------------------------------------------


def draft(amount: str, paid_on: date = TODAY, reference: str | None = None) -> PaymentDraft:
    return PaymentDraft(1, D(amount), paid_on, PaymentMethod.acceptance_bill, reference)


def test_a_payment_may_bring_the_collected_total_exactly_to_the_amount() -> None:
    check_payment(READY, D("6000.00"), draft("4000.00"), TODAY)
    with pytest.raises(OverPayment) as caught:
        check_payment(READY, D("6000.00"), draft("4000.01"), TODAY)
    assert caught.value.details == {
        "amount": D("10000.00"),
        "collected": D("6000.00"),
        "asked": D("4000.01"),
        "room": D("4000.00"),
    }


@pytest.mark.parametrize(
    ("payment", "code"),
    [
        (draft("0"), "not_positive"),
        (draft("0.001"), "too_many_places"),
        (draft("1", paid_on=TODAY + timedelta(days=1)), "future_date"),
        (draft("1", reference="x" * 65), "too_long"),
    ],
)
def test_a_wrong_payment_is_refused(payment: PaymentDraft, code: str) -> None:
    with pytest.raises(InputProblem) as caught:
        check_payment(READY, D(0), payment, TODAY)
    assert caught.value.code == code


def test_a_payment_needs_a_contract_in_force() -> None:
    check_payment(READY, D(0), draft("1", reference="x" * 64), TODAY)
    with pytest.raises(ContractNotInForce):
        check_payment(
            replace(READY, status=ContractStatus.awaiting_cosign), D(0), draft("1"), TODAY
        )


# ---- ledger figures ------------------------------------------------------------------------
# make_contract: 10,000.00 = deposit 3,000 + 4,000 due 2026-12-01 + 3,000 due 2027-01-01


@pytest.mark.parametrize(
    ("collected", "today", "late", "since"),
    [
        (D(0), date(2026, 12, 1), D(0), None),  # due today is not late yet
        (D(0), date(2026, 12, 2), D(4000), date(2026, 12, 1)),  # the first instalment
        (D(3000), date(2026, 12, 2), D(4000), date(2026, 12, 1)),
        (D(5000), date(2026, 12, 2), D(2000), date(2026, 12, 1)),
        (D(7000), date(2026, 12, 2), D(0), None),
        (D(5000), date(2027, 1, 2), D(5000), date(2026, 12, 1)),  # oldest first
        (D(8000), date(2027, 1, 2), D(2000), date(2027, 1, 1)),
        (D(10000), date(2027, 6, 1), D(0), None),
    ],
)
def test_overdue_is_allocated_deposit_first_then_oldest_first(
    collected: Decimal, today: date, late: Decimal, since: date | None
) -> None:
    assert overdue(READY.schedule, collected, today) == (late, since)


def test_the_docstring_example_of_overdue() -> None:
    schedule = PaymentSchedule(
        D(30000), (Instalment(date(2026, 3, 1), D(40000)), Instalment(date(2026, 4, 1), D(30000)))
    )
    assert overdue(schedule, D(50000), date(2026, 4, 15)) == (D(50000), date(2026, 3, 1))


def test_a_ledger_row_worked_through() -> None:
    contract = replace(READY, lines=(LINE, BOLT))  # 10,000.00 + 2.5 × 0.40 = 10,001.00
    contract = replace(
        contract,
        schedule=PaymentSchedule(
            D(3000), (Instalment(date(2026, 12, 1), D(4001)), Instalment(date(2027, 1, 1), D(3000)))
        ),
    )
    payments = [
        pay("2000.00", date(2026, 12, 5), 2),
        pay("1500.00", date(2026, 11, 30), 1),
    ]
    figures = ledger_figures(contract, payments, D("3000.00"), (D(4), D("1.5")), date(2026, 12, 10))

    assert figures.amount == D("10001.00")
    assert (figures.deposit_received, figures.paid, figures.collected) == (
        D("3000.00"),
        D("3500.00"),
        D("6500.00"),
    )
    assert figures.outstanding == D("3501.00")
    assert figures.delivered == (D(4), D("1.5"))
    assert figures.delivered_amount == D("4000.60")  # 4 × 1,000.00 + 1.5 × 0.40
    assert (figures.overdue, figures.overdue_since) == (D(501), date(2026, 12, 1))
    assert figures.first_payment == payments[1]  # paid first, though recorded second
    assert figures.collected_share == D("6500") / D("10001")


def test_an_empty_ledger_row() -> None:
    figures = ledger_figures(READY, [], D(0), (D(0),), TODAY)
    assert (figures.collected, figures.outstanding, figures.delivered_amount) == (
        D(0),
        D("10000.00"),
        D(0),
    )
    assert (figures.first_payment, figures.overdue, figures.collected_share) == (None, D(0), D(0))


def test_delivering_everything_is_worth_the_contract_amount() -> None:
    contract = replace(READY, lines=(ContractLine("A", D(3), D("1999.99"), D("12.5")),))
    figures = ledger_figures(contract, [], D(0), (D(3),), TODAY)
    assert figures.delivered_amount == contract.amount == D("5249.97")


# ---- the first-payment gate ----------------------------------------------------------------


def test_nothing_paid_refuses_follow_on_work_naming_the_first_instalment() -> None:
    with pytest.raises(FirstPaymentMissing) as caught:
        check_first_payment(READY, [], D("3000.00"))
    assert caught.value.details == {
        "number": "HT-2026-0001",
        "first_amount": D(4000),
        "first_due": date(2026, 12, 1),
        "received": D("3000.00"),  # the deposit, which does not count
    }


def test_one_payment_of_any_amount_opens_follow_on_work() -> None:
    check_first_payment(READY, [pay("0.01")], D(0))


def test_a_contract_paid_by_its_deposit_alone_waits_for_no_first_payment() -> None:
    prepaid = replace(READY, schedule=PaymentSchedule(D(10000)))
    check_first_payment(prepaid, [], D("10000.00"))
    with pytest.raises(FirstPaymentMissing) as caught:
        check_first_payment(prepaid, [], D("9999.99"))
    assert (caught.value.first_amount, caught.value.first_due) == (None, None)


# ---- work orders ---------------------------------------------------------------------------


def test_a_work_order_is_refused_by_the_first_payment_gate() -> None:
    with pytest.raises(FirstPaymentMissing):
        check_work_order(READY, [], D(3000), "Install the pumps")
    assert check_work_order(READY, [pay("1")], D(3000), "  Install the pumps ") == (
        "Install the pumps"
    )
    closed = replace(READY, status=ContractStatus.closed)
    assert check_work_order(closed, [pay("1")], D(0), "Service visit") == "Service visit"
    with pytest.raises(ContractNotInForce):
        check_work_order(replace(READY, status=ContractStatus.awaiting_cosign), [], D(0), "x")
    with pytest.raises(InputProblem):
        check_work_order(READY, [pay("1")], D(0), "x" * 501)


WORK_ALLOWED = {(WS.filed, WS.signed), (WS.signed, WS.assigned), (WS.assigned, WS.accepted)}


@pytest.mark.parametrize(("status", "to"), list(product(WS, WS)))
def test_every_work_order_move(status: WorkOrderStatus, to: WorkOrderStatus) -> None:
    if (status, to) in WORK_ALLOWED:
        check_work_order_move(status, to)
        return
    with pytest.raises(WorkOrderStatusOrder) as caught:
        check_work_order_move(status, to)
    assert caught.value.over == (status is WS.accepted)


def test_a_work_order_is_signed_assigned_and_closed_by_its_acceptance_report() -> None:
    order = WorkOrder(1, 1, "Install", WS.filed, 3, NOW)
    with pytest.raises(WorkOrderStatusOrder) as caught:
        assign_work_order(order, assignee_id=11, now=NOW)
    assert caught.value.needs is WS.signed
    later = NOW + timedelta(days=2)
    done = accept_work_order(
        assign_work_order(sign_work_order(order, by=4, now=NOW), assignee_id=11, now=NOW),
        acceptance=" Installed and tested ",
        now=later,
    )
    assert (done.status, done.signed_by, done.assignee_id) == (WS.accepted, 4, 11)
    assert (done.acceptance, done.accepted_at) == ("Installed and tested", later)


# ---- the fakes -----------------------------------------------------------------------------


async def test_the_fake_ledger_forgets_what_was_not_committed() -> None:
    uow = RoutineUnitOfWork()
    contract = await uow.contracts.apply(_draft_of(READY), filed_by=3, now=NOW)
    await uow.commit()
    committed = uow.snapshot()
    async with uow:
        await uow.payments.add(draft("1"), recorded_by=9, now=NOW)
        await uow.deliveries.add(contract.id, lines=[D(1)], filed_by=3, now=NOW)
        await uow.work_orders.add(contract.id, task="x", filed_by=3, now=NOW)
        assert await uow.contracts.next_number_seq(2026) == 1
    assert uow.snapshot() == committed
    assert await uow.deliveries.delivered([contract.id]) == {contract.id: (D(0),)}


async def test_a_fake_save_writes_only_from_the_status_read() -> None:
    uow = RoutineUnitOfWork()
    contract = await uow.contracts.apply(_draft_of(READY), filed_by=3, now=NOW)
    returned = replace(contract, status=ContractStatus.returned)
    assert await uow.contracts.save(returned, expected=ContractStatus.applied)
    assert not await uow.contracts.save(returned, expected=ContractStatus.applied)


def _draft_of(contract: Contract) -> ContractDraft:
    return ContractDraft(
        contract.deal_id,
        contract.customer_id,
        contract.owner_id,
        contract.lines,
        contract.schedule,
        contract.delivery_date,
    )
