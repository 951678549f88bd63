"""The supervisor's "new prospect to confirm" message: it names the records the rep declared
a different customer, and it is edited to show the outcome once someone settles it."""

from __future__ import annotations

from approval_fakes import MONDAY_10
from fakes import RAY, ROB, SAM, SUE
from routine_fakes import RoutineUnitOfWork, make_customer, routine_world

from bot.core.customers import CustomerDraft
from bot.core.usecases.customer_register import confirm, prospect_ref, register, reject

PHONE = "13800138003"


def world() -> RoutineUnitOfWork:
    return routine_world(
        make_customer(1, ROB, "Acme Trading", phone="13800138001"),
        make_customer(2, RAY, "Bolt Works", phone="13800138002"),
    )


async def test_a_declared_duplicate_tells_the_supervisor_which_records_it_clashes_with() -> None:
    uow = world()
    draft = CustomerDraft("Acme Trading (Suzhou)", PHONE)

    customer = await register(uow, actor_id=ROB, draft=draft, distinct_from=(1, 2), now=MONDAY_10)

    notice = uow.last_to(SUE, "prospect_to_confirm")
    assert notice.params["distinct_from"] == ["Acme Trading", "Bolt Works"]
    assert notice.ref == prospect_ref(customer.id)
    assert not notice.edit


async def test_confirming_edits_the_supervisor_s_message_to_say_who_confirmed() -> None:
    uow = world()
    await confirm(uow, actor_id=SAM, customer_id=1, now=MONDAY_10)

    notice = uow.last_to(SUE, "prospect_to_confirm")
    assert (notice.ref, notice.edit, notice.edit_only) == (prospect_ref(1), True, True)
    assert notice.params == {
        "customer_id": 1,
        "name": "Acme Trading",
        "owner": "Rob",
        "outcome": "confirmed",
        "by": "Sam",
    }


async def test_rejecting_edits_the_supervisor_s_message_to_say_who_rejected() -> None:
    uow = world()
    await reject(
        uow, actor_id=SUE, customer_id=1, reason="duplicate", comment="Ray's", now=MONDAY_10
    )

    notice = uow.last_to(SUE, "prospect_to_confirm")
    assert (notice.params["outcome"], notice.params["by"], notice.edit_only) == (
        "rejected",
        "Sue",
        True,
    )
