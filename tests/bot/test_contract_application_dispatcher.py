"""The contract application and the co-signature through the bot (dispatcher tier): the sales
desk files from /pending with the approved terms already a line, the schedule laid until
nothing remains, a wrong number re-asked; approved up the chain, the accountant co-signs with
one tap on her message; other people's taps change nothing."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from decimal import Decimal

from feed import ACCOUNTANT, GM, MANAGER, REP, Fed
from test_contract_ledger_dispatcher import documents, pdf_text
from test_forms_dispatcher import buttons, window_text

from bot.core.approvals import Decision
from bot.core.orders import DealStage, Deposit, PaymentMethod, Reservation
from bot.core.usecases import approvals
from bot.ui.cards import ContractAct, ContractCb

DESK = 1008
FINANCE_VP = 1009
AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


async def deposit_in(fed: Fed) -> int:
    """The demo's request #1 approved and won on, reserved, its deposit of ¥20,000 in."""
    with sqlite3.connect(fed.db_path) as db:
        db.execute("UPDATE approval_requests SET status = 'approved' WHERE id = 1")
    async with fed.uow() as uow:
        request = await uow.requests.get(1)
        assert request is not None
        deal = await uow.deals.open(
            customer_id=request.terms.customer_id, owner_id=6, request_id=1, now=AT
        )
        for seen, to in (
            (DealStage.negotiating, DealStage.reserved),
            (DealStage.reserved, DealStage.deposit_paid),
        ):
            assert await uow.deals.move(deal.id, seen, to, AT)
        await uow.deals.reserve(
            deal.id, Reservation(Decimal(300000), Decimal(20000), "p", True, AT)
        )
        await uow.deals.add_deposit(
            deal.id,
            Deposit(Decimal(20000), AT.date(), PaymentMethod.cash, "SJ-1", None, 8, AT),
        )
        await uow.commit()
    return deal.id


async def filed(fed: Fed) -> None:
    await deposit_in(fed)
    await fed.send(DESK, "/pending")
    await fed.click(DESK, "📄")
    await fed.click(DESK, "Next: the payment schedule")
    await fed.click(DESK, "➕ Add an instalment")
    await fed.click(DESK, "↩️")  # all that is left
    await fed.click(DESK, "30")  # Mon 11-30
    await fed.click(DESK, "Next ▶")
    await fed.click(DESK, "27")  # delivery on Fri 11-27
    await fed.click(DESK, "📨 Submit")


def contracts(fed: Fed) -> list[tuple[object, ...]]:
    with sqlite3.connect(fed.db_path) as db:
        return db.execute("SELECT id, status, number, filed_by FROM contracts").fetchall()


async def test_the_desk_files_the_application_from_the_approved_terms(fed: Fed) -> None:
    await deposit_in(fed)
    await fed.send(DESK, "/pending")
    assert "Contract applications to file" in window_text(fed, DESK)
    await fed.click(DESK, "📄")

    lines = window_text(fed, DESK)
    assert "Deposit received: ¥20,000.00" in lines
    assert "1. " in lines, "the approved terms are the first line"
    await fed.click(DESK, "➕ Add a line")
    await fed.send(DESK, "Flanges")
    await fed.send(DESK, "fifty")
    assert fed.replies(DESK)[-1] == "Please type a number, for example 12000 or 12,000.50."
    await fed.send(DESK, "50")
    await fed.send(DESK, "240")
    await fed.click(DESK, "No discount")
    assert "2. Flanges × 50 @ ¥240.00 = ¥12,000.00" in window_text(fed, DESK)

    await fed.click(DESK, "Next: the payment schedule")
    assert "Still to schedule:" in window_text(fed, DESK)
    await fed.click(DESK, "➕ Add an instalment")
    await fed.click(DESK, "↩️")
    await fed.click(DESK, "30")
    assert "Next ▶" in buttons(fed, DESK), "nothing left to schedule"
    await fed.click(DESK, "Next ▶")
    await fed.click(DESK, "27")
    assert "Delivery date: Fri 11-27" in window_text(fed, DESK)
    await fed.click(DESK, "📨 Submit")

    assert "is on its way: Liu Yang decides first." in window_text(fed, DESK)
    [(_id, status, number, filed_by)] = contracts(fed)
    assert (status, number, filed_by) == ("applied", None, 9)


async def test_approved_the_accountant_co_signs_with_one_tap(fed: Fed) -> None:
    await filed(fed)
    [(contract_id, *_rest)] = contracts(fed)
    async with fed.uow() as uow:
        request_id = (await uow.contracts.get(contract_id)).request_id  # type: ignore[union-attr]
    for person_id in (4, 2):  # the sales manager, then the general manager
        async with fed.uow() as uow:
            [step] = [s for s in await uow.steps.open_for(person_id) if s.request_id == request_id]
        async with fed.uow() as uow:
            await approvals.decide(
                uow,
                step_id=step.id,
                actor_id=person_id,
                decision=Decision.approve,
                comment=None,
                policy=fed.app.policy,
                now=AT,
            )
    assert [row[1:3] for row in contracts(fed)] == [("awaiting_cosign", "HT-2026-0001")]
    data = ContractCb(contract=contract_id, act=ContractAct.cosign).pack()

    before = fed.rows()
    for someone in (REP, MANAGER, GM, DESK):
        answer = fed.answer(await fed.tap(someone, data))
        assert answer is not None
        assert answer.show_alert
    assert fed.rows() == before, "nothing changed"

    answer = fed.answer(await fed.tap(ACCOUNTANT, data))
    assert answer is not None
    assert answer.text == "已会签 ✅ HT-2026-0001 已入台帐。"  # the demo's accountant reads Chinese
    assert [row[1] for row in contracts(fed)] == ["in_force"]
    again = fed.answer(await fed.tap(FINANCE_VP, data))
    assert again is not None
    assert again.text == "该合同已过此步骤。", "co-signed once"


async def test_the_approver_prints_the_application_from_pending(fed: Fed) -> None:
    await filed(fed)

    await fed.send(MANAGER, "/pending")
    await fed.click(MANAGER, "#")
    card = window_text(fed, MANAGER)
    assert "Contract application #" in card
    assert "Instalment 1: " in card, "the approver decides with the schedule on the card"
    assert "Delivery date: Fri 11-27" in card
    await fed.click(MANAGER, "📄 Application PDF")

    [sent] = documents(fed, MANAGER)
    text = pdf_text(sent)
    assert "Contract application" in text
    assert "Sales manager (审签)" in text
    assert "General manager (签批)" in text
