"""Who may act on each of the order flow's buttons (dispatcher tier): every role of the demo
company and a stranger taps each one-tap button (co-sign, sign the production notice, sign a
delivery note, sign a work order); only its owner's role acts, everyone else is refused with
a sentence and nothing in the database changes. And the commands each role is offered."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from feed import ACCOUNTANT, GM, MANAGER, REP, REP_ZH, SUPERVISOR, VP, Fed
from order_builders import contract_in_force

from bot.commands import commands_for
from bot.core.contracts import ContractStatus
from bot.core.roles import Role
from bot.ui.cards import (
    ContractAct,
    ContractCb,
    NoteAct,
    NoteCb,
    ProductionAct,
    ProductionCb,
    WorkOrderAct,
    WorkOrderCb,
)

DESK, FINANCE_VP, SERVICE, STRANGER = 1008, 1009, 1010, 1200
EVERYONE = (REP, REP_ZH, SUPERVISOR, MANAGER, VP, GM, DESK, ACCOUNTANT, FINANCE_VP, SERVICE)
AT = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)


async def records(fed: Fed) -> dict[str, str]:
    """One record waiting at each button: a contract to co-sign, one whose production notice
    waits, a delivery note and a work order to sign."""
    in_force = await contract_in_force(fed)
    waiting = await contract_in_force(fed, number="HT-2026-0002")
    async with fed.uow() as uow:
        from dataclasses import replace

        back = replace(waiting, status=ContractStatus.awaiting_cosign, cosigned_by=None)
        assert await uow.contracts.save(back, expected=ContractStatus.in_force)
        note = await uow.deliveries.add(
            in_force.id, lines=[Decimal(10), Decimal(0)], filed_by=9, now=AT
        )
        order = await uow.work_orders.add(in_force.id, task="Install", filed_by=9, now=AT)
        await uow.commit()
    return {
        "cosign": ContractCb(contract=waiting.id, act=ContractAct.cosign).pack(),
        "production": ProductionCb(contract=in_force.id, act=ProductionAct.sign).pack(),
        "note": NoteCb(note=note.id, act=NoteAct.sign).pack(),
        "work_order": WorkOrderCb(order=order.id, act=WorkOrderAct.sign).pack(),
    }


ALLOWED = {
    "cosign": {ACCOUNTANT, FINANCE_VP},
    "production": {VP},
    "note": {MANAGER},
    "work_order": {MANAGER},
}


@pytest.mark.parametrize("button", sorted(ALLOWED))
async def test_only_the_role_the_seed_names_acts_on_the_button(fed: Fed, button: str) -> None:
    data = (await records(fed))[button]
    before = fed.rows()
    for someone in (*EVERYONE, STRANGER):
        if someone in ALLOWED[button]:
            continue
        answer = fed.answer(await fed.tap(someone, data))
        assert answer is not None, f"{someone} got no answer"
        assert answer.show_alert, f"{someone}: {answer.text}"
        assert fed.rows() == before, f"{someone} changed something"

    acting = sorted(ALLOWED[button])[0]
    await fed.tap(acting, data)
    assert fed.rows() != before, f"{acting} may act on {button}"


def test_each_role_is_offered_the_order_flow_s_commands() -> None:
    def names(role: Role) -> set[str]:
        return {c.name for c in commands_for(role)}

    for role in Role:
        assert ("contract" in names(role)) is (role is not Role.customer_service), role
    for role in (Role.sales_desk, Role.accountant, Role.finance_vp, Role.customer_service):
        assert "pending" in names(role), role
    assert "pending" not in names(Role.rep), "a rep's requests are in /my"


async def test_help_says_where_each_role_s_order_work_waits(fed: Fed) -> None:
    await fed.send(DESK, "/help")
    assert "In /pending: contract applications, goods to mark ready" in fed.replies(DESK)[-1]
    await fed.send(ACCOUNTANT, "/help")  # the demo's accountant reads Chinese
    assert "在 /pending 中：待收定金、待会签合同" in fed.replies(ACCOUNTANT)[-1]
    assert "/contract" in fed.replies(ACCOUNTANT)[-1]
