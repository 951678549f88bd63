"""Follow-on work orders (issue 12, item 9): the first-payment gate at its boundary, who may
file, sign, assign and accept, double taps, who is told, and the queues."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from fakes import ACE, ADA, FAY, GUS, MIA, RAY, ROB, SAM, SID, SUE
from follow_on_world import DAN, DEE, NOW, TODAY, contract_world
from refusals import assert_refused
from routine_fakes import CAT, RoutineUnitOfWork

from bot.core.errors import NotAllowed, NotFound
from bot.core.orders import PaymentMethod
from bot.core.payments import FirstPaymentMissing, PaymentDraft
from bot.core.policy import FiledBy, Orders, Policy
from bot.core.usecases import follow_on
from bot.core.work_orders import WorkOrderStatus, WorkOrderStatusOrder

D = Decimal
DESK_FILES = Policy()
REPS_FILE = Policy(orders=Orders(filed_by=FiledBy.rep))
TASK = "Commission the pumps on site and train two operators"
EVERYONE = {
    "rep": ROB,
    "other rep": RAY,
    "supervisor": SUE,
    "other supervisor": SID,
    "sales manager": SAM,
    "marketing VP": MIA,
    "sales desk": DEE,
    "accountant": ACE,
    "finance VP": FAY,
    "GM": GUS,
    "customer service": CAT,
    "other customer service": DAN,
    "admin": ADA,
}


def others(*allowed: str) -> list[object]:
    return [pytest.param(i, id=name) for name, i in EVERYONE.items() if name not in allowed]


async def paid_world(amount: str = "0.01") -> tuple[RoutineUnitOfWork, int]:
    uow, contract_id = await contract_world()
    draft = PaymentDraft(contract_id, D(amount), TODAY, PaymentMethod.bank_transfer)
    await uow.payments.add(draft, recorded_by=ACE, now=NOW)
    uow.baseline()
    return uow, contract_id


async def file(
    uow: RoutineUnitOfWork, contract_id: int, actor: int = DEE, policy: Policy = DESK_FILES
) -> object:
    return await follow_on.file_work_order(
        uow, actor_id=actor, contract_id=contract_id, task=TASK, policy=policy, now=NOW
    )


async def filed_world() -> tuple[RoutineUnitOfWork, int]:
    uow, contract_id = await paid_world()
    await file(uow, contract_id)
    uow.outbox.queued.clear()
    uow.baseline()
    return uow, 1


async def signed_world() -> tuple[RoutineUnitOfWork, int]:
    uow, order_id = await filed_world()
    await follow_on.sign(uow, actor_id=SAM, order_id=order_id, now=NOW)
    uow.outbox.queued.clear()
    uow.baseline()
    return uow, order_id


async def assigned_world() -> tuple[RoutineUnitOfWork, int]:
    uow, order_id = await signed_world()
    await follow_on.assign(uow, actor_id=DEE, order_id=order_id, assignee_id=CAT, now=NOW)
    uow.outbox.queued.clear()
    uow.baseline()
    return uow, order_id


# ---- the first-payment gate ------------------------------------------------------------------


async def test_no_work_order_before_the_first_payment_even_with_the_deposit_in() -> None:
    uow, contract_id = await contract_world()  # the 3,000.00 deposit received, nothing paid

    refused = await assert_refused(uow, file(uow, contract_id), FirstPaymentMissing)

    assert (refused.number, refused.first_amount, refused.first_due, refused.received) == (
        "HT-2026-0007",
        D(4000),
        TODAY.replace(month=12, day=1),
        D(3000),
    )
    with pytest.raises(FirstPaymentMissing):
        await follow_on.work_order_contract(uow, DEE, contract_id, DESK_FILES)


async def test_one_cent_paid_against_the_contract_opens_the_gate() -> None:
    uow, contract_id = await paid_world("0.01")

    picked = await follow_on.work_order_contract(uow, DEE, contract_id, DESK_FILES)
    order = await file(uow, contract_id)

    assert picked.contract.id == contract_id
    assert uow.work_orders.rows[1] == order
    assert (order.status, order.task, order.filed_by) == (WorkOrderStatus.filed, TASK, DEE)  # type: ignore[attr-defined]
    [card] = uow.outbox.sent_to(SAM)  # Rob > Sue > Sam: the nearest sales manager
    assert (card.template, card.ref) == ("work_order_to_sign", "work_order:1")
    assert uow.outbox.recipients() == [SAM]


# ---- who files --------------------------------------------------------------------------------


@pytest.mark.parametrize("someone", others("sales desk"))
async def test_the_desk_files_work_orders(someone: int) -> None:
    uow, contract_id = await paid_world()

    await assert_refused(uow, file(uow, contract_id, someone), NotAllowed)


async def test_where_reps_file_the_rep_files_for_their_own_contract_only() -> None:
    uow, contract_id = await paid_world()

    await assert_refused(uow, file(uow, contract_id, RAY, REPS_FILE), NotFound)
    await assert_refused(uow, file(uow, contract_id, SUE, REPS_FILE), NotAllowed)
    order = await file(uow, contract_id, ROB, REPS_FILE)

    assert order.filed_by == ROB  # type: ignore[attr-defined]
    assert [
        f.contract.id for f in await follow_on.serviceable_contracts(uow, ROB, "acme", REPS_FILE)
    ] == [contract_id]
    assert await follow_on.serviceable_contracts(uow, RAY, "acme", REPS_FILE) == []


# ---- signing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("someone", others("sales manager"))
async def test_only_the_nearest_sales_manager_signs(someone: int) -> None:
    uow, order_id = await filed_world()

    await assert_refused(
        uow, follow_on.sign(uow, actor_id=someone, order_id=order_id, now=NOW), NotAllowed
    )


async def test_the_sales_manager_signs_and_the_desk_is_told_to_assign() -> None:
    uow, order_id = await filed_world()

    signed = await follow_on.sign(uow, actor_id=SAM, order_id=order_id, now=NOW)

    assert (signed.status, signed.signed_by) == (WorkOrderStatus.signed, SAM)
    assert uow.work_orders.rows[order_id].status is WorkOrderStatus.signed
    [edit] = uow.outbox.sent_to(SAM)
    assert (edit.edit, edit.params["status"], edit.params["signed_by"]) == (True, "signed", "Sam")
    assert [n.template for n in uow.outbox.sent_to(DEE)] == ["work_order_signed"]


async def test_a_second_tap_on_sign_is_refused() -> None:
    uow, order_id = await filed_world()
    stale = uow.work_orders.rows[order_id]
    await follow_on.sign(uow, actor_id=SAM, order_id=order_id, now=NOW)
    uow.baseline()

    await assert_refused(
        uow, follow_on.sign(uow, actor_id=SAM, order_id=order_id, now=NOW), WorkOrderStatusOrder
    )
    # two taps at once: both read it filed, the compare-and-set lets one through
    uow.work_orders.rows[order_id] = replace(uow.work_orders.rows[order_id])
    reads = uow.work_orders.get

    async def stale_read(order_id: int) -> object:
        return stale

    uow.work_orders.get = stale_read  # type: ignore[method-assign]
    refused = await assert_refused(
        uow, follow_on.sign(uow, actor_id=SAM, order_id=order_id, now=NOW), WorkOrderStatusOrder
    )
    uow.work_orders.get = reads  # type: ignore[method-assign]
    assert refused.needs is None


# ---- assigning --------------------------------------------------------------------------------


@pytest.mark.parametrize("someone", others("sales manager", "sales desk"))
async def test_the_signer_or_the_desk_assigns(someone: int) -> None:
    uow, order_id = await signed_world()

    await assert_refused(
        uow,
        follow_on.assign(uow, actor_id=someone, order_id=order_id, assignee_id=CAT, now=NOW),
        NotAllowed,
    )


@pytest.mark.parametrize("assigner", [SAM, DEE], ids=["signer", "desk"])
async def test_customer_service_is_assigned_and_told(assigner: int) -> None:
    uow, order_id = await signed_world()

    assigned = await follow_on.assign(
        uow, actor_id=assigner, order_id=order_id, assignee_id=CAT, now=NOW
    )

    assert (assigned.status, assigned.assignee_id) == (WorkOrderStatus.assigned, CAT)
    assert [n.template for n in uow.outbox.sent_to(CAT)] == ["work_order_assigned"]
    assert await follow_on.customer_service(uow) == [uow.people.rows[CAT], uow.people.rows[DAN]]


async def test_only_customer_service_is_assigned_and_only_once() -> None:
    uow, order_id = await signed_world()

    await assert_refused(
        uow,
        follow_on.assign(uow, actor_id=DEE, order_id=order_id, assignee_id=ROB, now=NOW),
        NotFound,
    )
    await follow_on.assign(uow, actor_id=DEE, order_id=order_id, assignee_id=CAT, now=NOW)
    uow.baseline()
    await assert_refused(
        uow,
        follow_on.assign(uow, actor_id=SAM, order_id=order_id, assignee_id=DAN, now=NOW),
        WorkOrderStatusOrder,
    )


# ---- the acceptance report ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("someone", "error"),
    [
        pytest.param(i, NotFound if i == DAN else NotAllowed, id=name)
        for name, i in EVERYONE.items()
        if i != CAT
    ],
)
async def test_only_the_assignee_records_the_acceptance_report(
    someone: int, error: type[Exception]
) -> None:
    uow, order_id = await assigned_world()

    await assert_refused(
        uow,
        follow_on.accept(uow, actor_id=someone, order_id=order_id, acceptance="Done", now=NOW),
        error,
    )


async def test_the_acceptance_report_closes_it_and_the_rep_and_desk_are_told() -> None:
    uow, order_id = await assigned_world()

    accepted = await follow_on.accept(
        uow,
        actor_id=CAT,
        order_id=order_id,
        acceptance="  Pumps running; operators trained. ",
        now=NOW,
    )

    assert (accepted.status, accepted.acceptance) == (
        WorkOrderStatus.accepted,
        "Pumps running; operators trained.",
    )
    assert sorted(uow.outbox.recipients()) == sorted([ROB, DEE])
    assert {q.notification.template for q in uow.outbox.queued} == {"work_order_accepted"}
    await assert_refused(
        uow,
        follow_on.accept(uow, actor_id=CAT, order_id=order_id, acceptance="Again", now=NOW),
        WorkOrderStatusOrder,
    )


# ---- queues and the screen ----------------------------------------------------------------------


async def test_each_finds_their_work_in_the_queue() -> None:
    uow, order_id = await filed_world()
    assert [v.order.id for v in (await follow_on.follow_on_queue(uow, SAM)).to_sign] == [order_id]
    assert (await follow_on.follow_on_queue(uow, SID)).to_sign == []

    await follow_on.sign(uow, actor_id=SAM, order_id=order_id, now=NOW)
    for assigner in (SAM, DEE):
        queue = await follow_on.follow_on_queue(uow, assigner)
        assert [v.order.id for v in queue.to_assign] == [order_id]

    await follow_on.assign(uow, actor_id=DEE, order_id=order_id, assignee_id=CAT, now=NOW)
    assert [v.order.id for v in (await follow_on.follow_on_queue(uow, CAT)).to_accept] == [order_id]
    assert (await follow_on.follow_on_queue(uow, DAN)).to_accept == []


async def test_the_screen_shows_each_what_they_may_do() -> None:
    uow, order_id = await filed_world()

    screen = await follow_on.work_order_screen(uow, SAM, order_id)
    assert (screen.may_sign, screen.may_assign, screen.may_accept) == (True, False, False)
    assert screen.view.file.customer_name == "Acme Trading"
    desk = await follow_on.work_order_screen(uow, DEE, order_id)
    assert (desk.may_sign, desk.may_assign) == (False, False)
    for outsider in (RAY, SID, ACE, DAN):
        with pytest.raises(NotFound):
            await follow_on.work_order_screen(uow, outsider, order_id)
