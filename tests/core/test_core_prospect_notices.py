"""The keeper's one living "prospects to confirm" message: it lists what waits (naming the
records a rep declared a different customer), new prospects edit it within the bundle window,
and a confirmation or rejection edits it to say who settled what."""

from __future__ import annotations

from approval_fakes import MONDAY_10
from fakes import RAY, ROB, SAM, SUE
from routine_fakes import RoutineUnitOfWork, make_customer, routine_world

from bot.core.customers import CustomerDraft
from bot.core.usecases.customer_register import (
    PROSPECTS_SHOWN,
    confirm,
    edit,
    prospects_ref,
    register,
    reject,
)

PHONE = "13800138003"


def world() -> RoutineUnitOfWork:
    return routine_world(
        make_customer(1, ROB, "Acme Trading", phone="13800138001"),
        make_customer(2, RAY, "Bolt Works", phone="13800138002"),
    )


def waiting(uow: RoutineUnitOfWork, keeper: int = SUE) -> list[str]:
    return [p["name"] for p in uow.last_to(keeper, "prospect_to_confirm").params["waiting"]]


async def test_a_declared_duplicate_tells_the_supervisor_which_records_it_clashes_with() -> None:
    uow = world()
    draft = CustomerDraft("Acme Trading (Suzhou)", PHONE)

    customer = await register(uow, actor_id=ROB, draft=draft, distinct_from=(1, 2), now=MONDAY_10)

    notice = uow.last_to(SUE, "prospect_to_confirm")
    listed = {p["customer_id"]: p for p in notice.params["waiting"]}
    assert listed[customer.id]["distinct_from"] == ["Acme Trading", "Bolt Works"]
    assert listed[customer.id]["owner"] == "Rob"
    assert (notice.ref, notice.edit, notice.edit_only) == (prospects_ref(SUE), True, False)


async def test_a_new_prospect_lists_every_one_waiting_for_the_keeper() -> None:
    uow = world()
    await register(uow, actor_id=ROB, draft=CustomerDraft("Cedar Foods"), now=MONDAY_10)
    await register(uow, actor_id=ROB, draft=CustomerDraft("Delta Steel"), now=MONDAY_10)

    assert waiting(uow) == ["Acme Trading", "Cedar Foods", "Delta Steel"]
    assert uow.last_to(SUE, "prospect_to_confirm").params["count"] == 3


async def test_a_long_queue_shows_the_first_ones_and_counts_the_rest() -> None:
    uow = world()
    for n in range(PROSPECTS_SHOWN + 2):
        await register(uow, actor_id=ROB, draft=CustomerDraft(f"Shop {n}"), now=MONDAY_10)

    params = uow.last_to(SUE, "prospect_to_confirm").params
    assert len(params["waiting"]) == PROSPECTS_SHOWN
    assert (params["count"], params["more"]) == (PROSPECTS_SHOWN + 3, 3)


async def test_confirming_edits_the_supervisor_s_message_to_say_who_confirmed() -> None:
    uow = world()
    await confirm(uow, actor_id=SAM, customer_id=1, now=MONDAY_10)

    notice = uow.last_to(SUE, "prospect_to_confirm")
    assert (notice.ref, notice.edit, notice.edit_only) == (prospects_ref(SUE), True, True)
    assert notice.params["settled"] == {"name": "Acme Trading", "outcome": "confirmed", "by": "Sam"}
    assert (notice.params["count"], notice.params["waiting"]) == (0, [])


async def test_rejecting_edits_the_supervisor_s_message_to_say_who_rejected() -> None:
    uow = world()
    await reject(
        uow, actor_id=SUE, customer_id=1, reason="duplicate", comment="Ray's", now=MONDAY_10
    )

    notice = uow.last_to(SUE, "prospect_to_confirm")
    assert notice.params["settled"] == {"name": "Acme Trading", "outcome": "rejected", "by": "Sue"}
    assert notice.edit_only


async def test_renaming_a_waiting_prospect_edits_the_keeper_s_list_without_a_new_message() -> None:
    uow = world()
    draft = CustomerDraft("Acme Trading (Suzhou)", "13800138001")

    await edit(uow, actor_id=ROB, customer_id=1, draft=draft, now=MONDAY_10)

    notice = uow.last_to(SUE, "prospect_to_confirm")
    assert waiting(uow) == ["Acme Trading (Suzhou)"]
    assert (notice.edit, notice.edit_only) == (True, True), "an edit, never a new message"
