"""加签 (add an approver) on a phone (dispatcher tier): the supervisor taps ➕ Add approver on
the card of the demo's request #1, picks the finance VP, chooses "before me", types what to
look at; the finance VP's step opens first. A tap by someone who does not decide the step is
refused and changes nothing."""

from __future__ import annotations

from feed import REP, SUPERVISOR, Fed
from test_forms_dispatcher import buttons, window_text
from test_transfer_dispatcher import name_of, open_step, sql

from bot.ui.cards import Act, ApprovalCb

FINANCE_VP = 1009


def chain(fed: Fed) -> list[tuple[object, ...]]:
    return sql(
        fed,
        "SELECT p.telegram_id, s.status FROM approval_steps s JOIN people p "
        "ON p.id = s.approver_id WHERE s.request_id = 1 ORDER BY s.round, s.position",
    )


async def test_the_supervisor_asks_the_finance_vp_to_review_first(fed: Fed) -> None:
    step_id = open_step(fed)
    rest = chain(fed)[1:]
    await fed.tap(SUPERVISOR, ApprovalCb(step=step_id, act=Act.add).pack())
    assert window_text(fed, SUPERVISOR) == "Whom do you want to ask to review this request?"
    listed = " ".join(buttons(fed, SUPERVISOR))
    assert name_of(fed, REP) not in listed, "never the requester"

    vp = name_of(fed, FINANCE_VP)
    await fed.click(SUPERVISOR, vp)
    assert window_text(fed, SUPERVISOR) == f"Should {vp} review it before you or after you?"
    await fed.click(SUPERVISOR, "⬆️ Before me")
    await fed.send(SUPERVISOR, "x" * 301)
    assert fed.replies(SUPERVISOR)[-1] == "That is 301 characters; please keep it to 300."
    assert chain(fed)[1:] == rest
    await fed.send(SUPERVISOR, "Please check the payment terms")

    assert chain(fed) == [(FINANCE_VP, "pending"), (SUPERVISOR, "waiting"), *rest]
    assert sql(fed, "SELECT count(*) FROM audit_log WHERE action = 'approver_added'") == [(1,)]
    assert fed.replies(SUPERVISOR)[-1].startswith(f"{vp} reviews it first")


async def test_someone_not_deciding_the_step_cannot_add_an_approver(fed: Fed) -> None:
    before = fed.rows()
    callback = await fed.tap(REP, ApprovalCb(step=open_step(fed), act=Act.add).pack())
    answer = fed.answer(callback)
    assert answer is not None
    assert answer.text == "This request is not waiting for your decision."
    assert fed.rows() == before


async def test_pending_offers_add_approver_after_me(fed: Fed) -> None:
    rest = chain(fed)[1:]
    await fed.send(SUPERVISOR, "/pending")
    await fed.click(SUPERVISOR, "#1")
    await fed.click(SUPERVISOR, "➕ Add approver")
    await fed.click(SUPERVISOR, name_of(fed, FINANCE_VP))
    await fed.click(SUPERVISOR, "⬇️ After me")
    assert window_text(fed, SUPERVISOR).startswith(f"What should {name_of(fed, FINANCE_VP)}")
    await fed.send(SUPERVISOR, "The deposit is low")
    assert chain(fed) == [(SUPERVISOR, "pending"), (FINANCE_VP, "waiting"), *rest]
