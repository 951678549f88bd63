"""转交 (transfer) on a phone (dispatcher tier): the supervisor taps 🔀 Transfer on the card of
the demo's request #1, picks her sales manager, types why; the step is his. A tap by someone who
does not decide the step is refused and changes nothing."""

from __future__ import annotations

import sqlite3

from feed import REP, SUPERVISOR, Fed
from test_forms_dispatcher import buttons, window_text

from bot.ui.cards import Act, ApprovalCb

MANAGER = 1003


def sql(fed: Fed, query: str, *args: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(fed.db_path) as db:
        return db.execute(query, args).fetchall()


def open_step(fed: Fed) -> int:
    ((step_id,),) = sql(
        fed, "SELECT id FROM approval_steps WHERE request_id = 1 AND status = 'pending'"
    )
    return int(str(step_id))


def name_of(fed: Fed, telegram_id: int) -> str:
    ((name,),) = sql(fed, "SELECT full_name FROM people WHERE telegram_id = ?", telegram_id)
    return str(name)


async def test_the_supervisor_transfers_the_step_to_her_manager(fed: Fed) -> None:
    step_id = open_step(fed)
    manager = name_of(fed, MANAGER)
    await fed.tap(SUPERVISOR, ApprovalCb(step=step_id, act=Act.transfer).pack())
    assert window_text(fed, SUPERVISOR) == "Who should decide this step instead of you?"
    assert name_of(fed, REP) not in " ".join(buttons(fed, SUPERVISOR)), "never the requester"

    await fed.click(SUPERVISOR, manager)
    await fed.send(SUPERVISOR, "I am at the trade fair all week")

    assert sql(
        fed,
        "SELECT moved, acting_id = (SELECT id FROM people WHERE telegram_id = ?), status "
        "FROM approval_steps WHERE id = ?",
        MANAGER,
        step_id,
    ) == [("transferred", 1, "pending")]
    assert sql(fed, "SELECT count(*) FROM audit_log WHERE action = 'transferred'") == [(1,)]
    assert fed.replies(SUPERVISOR)[-1].startswith(f"Transferred to {manager}")


async def test_someone_not_deciding_the_step_cannot_transfer_it(fed: Fed) -> None:
    before = fed.rows()
    callback = await fed.tap(REP, ApprovalCb(step=open_step(fed), act=Act.transfer).pack())
    answer = fed.answer(callback)
    assert answer is not None
    assert answer.text == "This request is not waiting for your decision."
    assert fed.rows() == before


async def test_pending_offers_the_transfer_too(fed: Fed) -> None:
    await fed.send(SUPERVISOR, "/pending")
    await fed.click(SUPERVISOR, "#1")
    await fed.click(SUPERVISOR, "🔀 Transfer")
    assert window_text(fed, SUPERVISOR) == "Who should decide this step instead of you?"
    await fed.click(SUPERVISOR, name_of(fed, MANAGER))
    assert window_text(fed, SUPERVISOR).startswith(f"Why hand it to {name_of(fed, MANAGER)}?")
