"""The production notice (生产通知单) and the delivery notes (发货单) through their use cases
(issue 12, items 6–7): who signs, files, ships, receives the copy and books; the quantity cap
across notes; booking only against the signed copy; the deal delivered when all is booked."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from approval_fakes import MONDAY_10
from fakes import ACE, FAY, GUS, MIA, RAY, ROB, SAM, SUE, make_person
from refusals import assert_refused
from routine_fakes import RoutineUnitOfWork, make_customer, routine_world

from bot.core.contract_terms import ContractLine, PaymentSchedule
from bot.core.contracts import (
    AlreadyRecorded,
    Contract,
    ContractStatus,
    NoProductionNotice,
)
from bot.core.deliveries import (
    DeliveryStatus,
    DeliveryStatusOrder,
    GoodsNotReady,
    OverDelivery,
    SignedCopyMissing,
)
from bot.core.errors import DomainError, NotAllowed, NotFound
from bot.core.orders import DealStage
from bot.core.policy import FiledBy, Orders, Policy
from bot.core.roles import Role
from bot.core.usecases import delivery, production
from bot.core.usecases.delivery_queue import delivery_queue

D = Decimal
DS = DeliveryStatus
DEE = 20  # the sales desk, under Sam
NOW = MONDAY_10
POLICY = Policy()
LINES = (
    ContractLine("Steel pipes DN50", D(100), D("1000.00"), D(10)),
    ContractLine("Flanges", D(50), D("240.00")),
)
PHOTO = "AgACAgIAAxkBAAIBcopy"


async def world(*, desk: bool = True) -> tuple[RoutineUnitOfWork, Contract]:
    """Rob's customer with a contract in force (100 pipes, 50 flanges), its deal contracted;
    Dee at the sales desk unless `desk` is False."""
    uow = routine_world(make_customer(1, ROB, "Acme Trading"))
    if desk:
        uow.people.rows[DEE] = make_person(
            id=DEE, full_name="Dee", role=Role.sales_desk, reports_to=SAM
        )
    deal = await uow.deals.open(customer_id=1, owner_id=ROB, request_id=None, now=NOW)
    uow.deals._replace(deal.id, stage=DealStage.contracted)
    contract = Contract(
        id=1,
        deal_id=deal.id,
        customer_id=1,
        owner_id=ROB,
        filed_by=DEE,
        status=ContractStatus.in_force,
        lines=LINES,
        schedule=PaymentSchedule(D("102000.00")),
        delivery_date=date(2026, 4, 1),
        created_at=NOW,
        number="HT-2026-0001",
    )
    uow.contracts.rows[1] = contract
    uow.baseline()
    return uow, contract


async def ready_world() -> RoutineUnitOfWork:
    uow, _contract = await world()
    await production.sign_production(uow, actor_id=MIA, contract_id=1, policy=POLICY, now=NOW)
    await production.record_goods_ready(uow, actor_id=DEE, contract_id=1, policy=POLICY, now=NOW)
    uow.clear_outbox()
    uow.baseline()
    return uow


async def file(uow: RoutineUnitOfWork, pipes: str, flanges: str, actor: int = DEE) -> int:
    note = await delivery.file_note(
        uow,
        actor_id=actor,
        contract_id=1,
        quantities=[D(pipes), D(flanges)],
        policy=POLICY,
        now=NOW,
    )
    return note.id


async def shipped(uow: RoutineUnitOfWork, pipes: str, flanges: str) -> int:
    note_id = await file(uow, pipes, flanges)
    args = {"note_id": note_id, "policy": POLICY, "now": NOW}
    await delivery.sign_delivery(uow, actor_id=SAM, **args)  # type: ignore[arg-type]
    await delivery.ship_delivery(uow, actor_id=DEE, **args)  # type: ignore[arg-type]
    return note_id


async def copy_back(uow: RoutineUnitOfWork, note_id: int, actor: int = DEE) -> None:
    await delivery.receive_signed_copy(
        uow, actor_id=actor, note_id=note_id, file_id=PHOTO, policy=POLICY, now=NOW
    )


async def book(uow: RoutineUnitOfWork, note_id: int, actor: int = ACE) -> None:
    await delivery.book_delivery(uow, actor_id=actor, note_id=note_id, policy=POLICY, now=NOW)


# ---- the production notice --------------------------------------------------------------------


async def test_a_contract_in_force_calls_the_vp_up_the_reps_line_to_sign() -> None:
    uow, contract = await world()

    await production.production_notice_due(uow, contract, NOW, POLICY)
    await uow.commit()

    (card,) = uow.outbox.sent_to(MIA)
    assert (card.template, card.ref) == ("production_to_sign", "production:1")
    assert card.params["number"] == "HT-2026-0001"
    assert card.params["customer"] == "Acme Trading"
    assert uow.outbox.recipients() == [MIA]
    assert [c.contract.id for c in await production.production_to_sign(uow, MIA, POLICY)] == [1]
    assert await production.production_to_sign(uow, GUS, POLICY) == []


@pytest.mark.parametrize(
    ("actor", "refusal"),
    [
        (ROB, NotAllowed),
        (RAY, NotFound),  # another rep's contract names nothing
        (SUE, NotAllowed),
        (SAM, NotAllowed),
        (DEE, NotAllowed),
        (ACE, NotAllowed),
        (FAY, NotAllowed),
        (GUS, NotAllowed),
    ],
)
async def test_only_the_vp_in_charge_of_sales_signs_the_production_notice(
    actor: int, refusal: type[DomainError]
) -> None:
    uow, _contract = await world()
    call = production.sign_production(uow, actor_id=actor, contract_id=1, policy=POLICY, now=NOW)
    await assert_refused(uow, call, refusal)


async def test_the_signed_notice_tells_the_desk_and_the_rep_and_signs_once() -> None:
    uow, _contract = await world()

    signed = await production.sign_production(
        uow, actor_id=MIA, contract_id=1, policy=POLICY, now=NOW
    )

    assert (signed.production_signed_by, signed.production_signed_at) == (MIA, NOW)
    [(desk, desk_params)] = [(n.template, n.params) for n in uow.outbox.sent_to(DEE)]
    [(rep, rep_params)] = [(n.template, n.params) for n in uow.outbox.sent_to(ROB)]
    assert desk == rep == "production_signed"
    assert "watching" not in desk_params, "the desk marks the goods ready"
    assert rep_params["watching"], "the rep only hears of it"
    (done,) = uow.outbox.sent_to(MIA)
    assert (done.template, done.edit, done.edit_only) == ("production_to_sign_done", True, True)
    assert "production_signed" in uow.audit.actions()
    again = production.sign_production(uow, actor_id=MIA, contract_id=1, policy=POLICY, now=NOW)
    await assert_refused(uow, again, AlreadyRecorded)  # the second tap


async def test_the_production_signer_is_the_policys_role() -> None:
    uow, _contract = await world()
    policy = replace(
        POLICY, contracts=replace(POLICY.contracts, production_signer=Role.general_manager)
    )

    refused = production.sign_production(uow, actor_id=MIA, contract_id=1, policy=policy, now=NOW)
    await assert_refused(uow, refused, NotAllowed)
    await production.sign_production(uow, actor_id=GUS, contract_id=1, policy=policy, now=NOW)


@pytest.mark.parametrize(
    ("actor", "refusal"),
    [(ROB, NotAllowed), (RAY, NotFound), (SUE, NotAllowed), (SAM, NotAllowed), (ACE, NotAllowed)],
)
async def test_the_desk_marks_the_goods_ready_after_the_notice(
    actor: int, refusal: type[DomainError]
) -> None:
    uow, _contract = await world()
    early = production.record_goods_ready(uow, actor_id=DEE, contract_id=1, policy=POLICY, now=NOW)
    await assert_refused(uow, early, NoProductionNotice)
    await production.sign_production(uow, actor_id=MIA, contract_id=1, policy=POLICY, now=NOW)
    assert [c.contract.id for c in await production.goods_to_mark_ready(uow, DEE, POLICY)] == [1]

    call = production.record_goods_ready(uow, actor_id=actor, contract_id=1, policy=POLICY, now=NOW)
    await assert_refused(uow, call, refusal)
    ready = await production.record_goods_ready(
        uow, actor_id=DEE, contract_id=1, policy=POLICY, now=NOW
    )

    assert ready.goods_ready_at == NOW
    assert [n.template for n in uow.outbox.sent_to(ROB)][-1] == "goods_ready"
    assert await production.goods_to_mark_ready(uow, DEE, POLICY) == []


async def test_without_a_sales_desk_the_rep_files_the_papers() -> None:
    uow, _contract = await world(desk=False)
    await production.sign_production(uow, actor_id=MIA, contract_id=1, policy=POLICY, now=NOW)
    [told] = uow.outbox.sent_to(ROB)
    assert told.template == "production_signed"
    assert "watching" not in told.params, "the rep files, so the rep marks the goods ready"

    await production.record_goods_ready(uow, actor_id=ROB, contract_id=1, policy=POLICY, now=NOW)
    note_id = await file(uow, "10", "0", actor=ROB)

    assert (await uow.deliveries.get(note_id)) is not None


async def test_the_policy_may_have_the_reps_file_beside_the_desk() -> None:
    uow, _contract = await world()
    policy = replace(POLICY, orders=Orders(filed_by=FiledBy.rep))
    await production.sign_production(uow, actor_id=MIA, contract_id=1, policy=policy, now=NOW)

    await production.record_goods_ready(uow, actor_id=ROB, contract_id=1, policy=policy, now=NOW)


# ---- delivery notes ---------------------------------------------------------------------------


async def test_a_note_needs_the_goods_ready() -> None:
    uow, _contract = await world()
    await production.sign_production(uow, actor_id=MIA, contract_id=1, policy=POLICY, now=NOW)

    await assert_refused(uow, file(uow, "1", "0"), GoodsNotReady)


@pytest.mark.parametrize(
    ("actor", "refusal"),
    [(ROB, NotAllowed), (RAY, NotFound), (SAM, NotAllowed), (ACE, NotAllowed), (MIA, NotAllowed)],
)
async def test_the_desk_files_the_note_and_the_sales_manager_is_called(
    actor: int, refusal: type[DomainError]
) -> None:
    uow = await ready_world()
    await assert_refused(uow, file(uow, "60", "50", actor=actor), refusal)

    note_id = await file(uow, "60", "50")

    (card,) = uow.outbox.sent_to(SAM)
    assert (card.template, card.ref) == ("delivery_note_to_sign", f"note_sign:{note_id}")
    assert card.params["note_lines"] == [
        {"product": "Steel pipes DN50", "quantity": "60"},
        {"product": "Flanges", "quantity": "50"},
    ]
    assert uow.outbox.recipients() == [SAM]
    assert uow.contracts.held[-1] == 1, "the contract is held while the notes are added up"


async def test_two_partial_notes_deliver_exactly_the_order_and_not_one_more() -> None:
    uow = await ready_world()
    await file(uow, "60", "50")
    await file(uow, "40", "0")  # exactly what is left

    error = await assert_refused(uow, file(uow, "0.001", "0"), OverDelivery)

    assert (error.product, error.ordered, error.delivered, error.asked) == (
        "Steel pipes DN50",
        D(100),
        D(100),
        D("0.001"),
    )
    files = (await delivery_queue(uow, DEE, POLICY)).ready_to_deliver
    assert files == [], "nothing is left to put on a note"


async def test_a_cancelled_note_gives_its_quantities_back_until_the_goods_leave() -> None:
    uow = await ready_world()
    first = await file(uow, "100", "50")
    args = {"note_id": first, "policy": POLICY, "now": NOW}
    await delivery.cancel_delivery(uow, actor_id=DEE, **args)  # type: ignore[arg-type]
    second = await shipped(uow, "100", "50")

    late = delivery.cancel_delivery(uow, actor_id=DEE, note_id=second, policy=POLICY, now=NOW)
    await assert_refused(uow, late, DeliveryStatusOrder)
    assert (await uow.deliveries.get(first)).status is DS.cancelled  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("actor", "refusal"),
    [
        (ROB, NotAllowed),
        (RAY, NotFound),
        (SUE, NotAllowed),
        (DEE, NotAllowed),
        (MIA, NotAllowed),
        (GUS, NotAllowed),
        (ACE, NotAllowed),
    ],
)
async def test_the_nearest_sales_manager_signs_the_note(
    actor: int, refusal: type[DomainError]
) -> None:
    uow = await ready_world()
    note_id = await file(uow, "60", "50")
    call = delivery.sign_delivery(uow, actor_id=actor, note_id=note_id, policy=POLICY, now=NOW)
    await assert_refused(uow, call, refusal)

    note = await delivery.sign_delivery(uow, actor_id=SAM, note_id=note_id, policy=POLICY, now=NOW)

    assert (note.status, note.signed_by) == (DS.signed, SAM)
    done = [n for n in uow.outbox.sent_to(SAM) if n.edit]
    assert [(n.template, n.ref) for n in done] == [
        ("delivery_note_to_sign_done", f"note_sign:{note_id}")
    ]
    assert {n.template for n in uow.outbox.sent_to(DEE)} == {"delivery_note_moved"}


async def test_of_two_taps_on_sign_one_signs_and_the_other_is_refused() -> None:
    uow = await ready_world()
    note_id = await file(uow, "60", "50")
    stale = await uow.deliveries.get(note_id)
    await delivery.sign_delivery(uow, actor_id=SAM, note_id=note_id, policy=POLICY, now=NOW)

    again = delivery.sign_delivery(uow, actor_id=SAM, note_id=note_id, policy=POLICY, now=NOW)
    await assert_refused(uow, again, DeliveryStatusOrder)
    # read before the first tap wrote: the compare-and-set refuses the second write
    real_get = uow.deliveries.get

    async def stale_get(_note_id: int) -> object:
        return stale

    uow.deliveries.get = stale_get  # type: ignore[method-assign,assignment]
    raced = delivery.sign_delivery(uow, actor_id=SAM, note_id=note_id, policy=POLICY, now=NOW)
    error = await assert_refused(uow, raced, DeliveryStatusOrder)
    uow.deliveries.get = real_get  # type: ignore[method-assign]
    assert error.needs is None


@pytest.mark.parametrize(
    ("actor", "refusal"),
    [(ROB, NotAllowed), (RAY, NotFound), (SAM, NotAllowed), (ACE, NotAllowed)],
)
async def test_the_desk_records_the_goods_out(actor: int, refusal: type[DomainError]) -> None:
    uow = await ready_world()
    note_id = await file(uow, "60", "50")
    early = delivery.ship_delivery(uow, actor_id=DEE, note_id=note_id, policy=POLICY, now=NOW)
    await assert_refused(uow, early, DeliveryStatusOrder)  # not signed yet
    await delivery.sign_delivery(uow, actor_id=SAM, note_id=note_id, policy=POLICY, now=NOW)

    call = delivery.ship_delivery(uow, actor_id=actor, note_id=note_id, policy=POLICY, now=NOW)
    await assert_refused(uow, call, refusal)
    note = await delivery.ship_delivery(uow, actor_id=DEE, note_id=note_id, policy=POLICY, now=NOW)

    assert (note.status, note.shipped_at) == (DS.shipped, NOW)


@pytest.mark.parametrize("actor", [DEE, ROB])
async def test_the_desk_or_the_rep_brings_the_signed_copy_back(actor: int) -> None:
    uow = await ready_world()
    note_id = await shipped(uow, "60", "50")
    for someone, refusal in ((RAY, NotFound), (SAM, NotAllowed), (ACE, NotAllowed)):
        call = delivery.receive_signed_copy(
            uow, actor_id=someone, note_id=note_id, file_id=PHOTO, policy=POLICY, now=NOW
        )
        await assert_refused(uow, call, refusal)

    await copy_back(uow, note_id, actor)

    note = await uow.deliveries.get(note_id)
    assert note is not None
    assert (note.status, note.signed_copy) == (DS.copy_received, PHOTO)
    (card,) = uow.outbox.sent_to(ACE)
    assert (card.template, card.ref) == ("delivery_copy_to_book", f"note_book:{note_id}")


async def test_booking_without_the_signed_copy_is_refused() -> None:
    uow = await ready_world()
    note_id = await shipped(uow, "60", "50")

    error = await assert_refused(uow, book(uow, note_id), SignedCopyMissing)

    assert error.seq == 1


@pytest.mark.parametrize(
    ("actor", "refusal"),
    [
        (ROB, NotAllowed),
        (RAY, NotFound),
        (SUE, NotAllowed),
        (SAM, NotAllowed),
        (DEE, NotAllowed),
        (FAY, NotAllowed),
        (GUS, NotAllowed),
        (MIA, NotAllowed),
    ],
)
async def test_only_the_accountant_books(actor: int, refusal: type[DomainError]) -> None:
    uow = await ready_world()
    note_id = await shipped(uow, "60", "50")
    await copy_back(uow, note_id)

    await assert_refused(uow, book(uow, note_id, actor), refusal)
    await book(uow, note_id)

    note = await uow.deliveries.get(note_id)
    assert note is not None
    assert (note.status, note.booked_by) == (DS.booked, ACE)
    await assert_refused(uow, book(uow, note_id), DeliveryStatusOrder)  # the second tap


async def test_the_deal_is_delivered_only_when_every_line_is_booked() -> None:
    uow = await ready_world()
    first = await shipped(uow, "60", "50")
    second = await shipped(uow, "40", "0")
    await copy_back(uow, first)
    await copy_back(uow, second)

    await book(uow, first)
    assert uow.deals.rows[0].stage is DealStage.contracted
    told = [n for n in uow.outbox.sent_to(ROB) if n.template == "delivery_note_moved"]
    assert told[-1].params["all_delivered"] is False

    await book(uow, second)
    assert uow.deals.rows[0].stage is DealStage.delivered
    told = [n for n in uow.outbox.sent_to(ROB) if n.template == "delivery_note_moved"]
    assert told[-1].params["all_delivered"] is True


async def test_a_deal_past_contracted_is_left_where_it_is() -> None:
    uow = await ready_world()
    uow.deals._replace(1, stage=DealStage.paid)
    note_id = await shipped(uow, "100", "50")
    await copy_back(uow, note_id)

    await book(uow, note_id)

    assert uow.deals.rows[0].stage is DealStage.paid


async def test_each_person_sees_their_own_delivery_work_in_pending() -> None:
    uow, contract = await world()
    await production.production_notice_due(uow, contract, NOW, POLICY)
    assert len((await delivery_queue(uow, MIA, POLICY)).production_to_sign) == 1
    assert (await delivery_queue(uow, GUS, POLICY)).empty
    await production.sign_production(uow, actor_id=MIA, contract_id=1, policy=POLICY, now=NOW)
    assert len((await delivery_queue(uow, DEE, POLICY)).goods_to_mark_ready) == 1
    assert (await delivery_queue(uow, ROB, POLICY)).empty, "the desk files, not the rep"
    await production.record_goods_ready(uow, actor_id=DEE, contract_id=1, policy=POLICY, now=NOW)
    assert len((await delivery_queue(uow, DEE, POLICY)).ready_to_deliver) == 1

    note_id = await file(uow, "60", "50")
    assert [n.note.id for n in (await delivery_queue(uow, SAM, POLICY)).notes_to_sign] == [note_id]
    await delivery.sign_delivery(uow, actor_id=SAM, note_id=note_id, policy=POLICY, now=NOW)
    assert len((await delivery_queue(uow, DEE, POLICY)).notes_to_ship) == 1
    await delivery.ship_delivery(uow, actor_id=DEE, note_id=note_id, policy=POLICY, now=NOW)
    assert len((await delivery_queue(uow, ROB, POLICY)).copies_to_receive) == 1
    await copy_back(uow, note_id)
    queue = await delivery_queue(uow, ACE, POLICY)
    assert [n.note.id for n in queue.copies_to_book] == [note_id]
    assert queue.copies_to_book[0].filed_by == "Dee"
    assert (await delivery_queue(uow, FAY, POLICY)).empty


async def test_the_note_screen_offers_each_reader_only_their_own_step() -> None:
    uow = await ready_world()
    note_id = await file(uow, "60", "50")

    async def actions(actor: int) -> tuple[delivery.NoteAction, ...]:
        return (await delivery.note_sheet(uow, actor, note_id, POLICY)).actions

    act = delivery.NoteAction
    assert await actions(SAM) == (act.sign,)
    assert await actions(DEE) == (act.cancel,)
    assert await actions(ROB) == ()
    with pytest.raises(NotFound):
        await actions(RAY)
    sheet = await delivery.contract_sheet(uow, DEE, 1, POLICY)
    assert (sheet.file.delivered, sheet.file.remaining) == ((D(60), D(50)), (D(40), D(0)))
    assert sheet.may_file
    assert not sheet.may_mark_ready
    assert [n.filed_at for n in sheet.notes] == [NOW]
