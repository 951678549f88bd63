"""抄送 (CC) added by the requester (dispatcher tier): on the /deal summary the rep taps
👥 Inform colleagues, searches, picks the accountant and the sales desk, and submits; the
request keeps them, they may read it, and they hear the outcome once. The pick is capped,
and a colleague who cannot be informed is refused with one sentence."""

from __future__ import annotations

from feed import ACCOUNTANT, GM, MANAGER, REP, SUPERVISOR, VP, Fed
from test_forms_dispatcher import buttons, window_text
from test_transfer_dispatcher import name_of, sql

from bot.ui.cards import Act, ApprovalCb, RequestCb

DESK = 1008


async def to_summary(fed: Fed) -> None:
    await fed.send(REP, "/deal")
    await fed.click(REP, "Golden Dragon Pipes")
    for answer in ("Steel pipes", "100", "120000", "12"):
        await fed.send(REP, answer)
    assert buttons(fed, REP)[0] == "📨 Submit"


def labelled(fed: Fed, start: str) -> str:
    (label,) = [b for b in buttons(fed, REP) if b.startswith(start)]
    return label


def chosen(fed: Fed) -> list[str]:
    return [b for b in buttons(fed, REP) if b.startswith("☑️")]


async def test_the_rep_informs_two_colleagues_and_they_hear_the_outcome(fed: Fed) -> None:
    await to_summary(fed)
    accountant, desk = name_of(fed, ACCOUNTANT), name_of(fed, DESK)
    await fed.click(REP, "👥 Inform colleagues (CC)")
    assert window_text(fed, REP).startswith("Whom should I inform of the outcome (CC)?")
    await fed.send(REP, accountant.split()[0])  # search by part of the name
    await fed.click(REP, labelled(fed, f"▫️ {accountant}"))
    await fed.send(REP, desk.split()[0])  # a new search keeps whom was chosen, on top
    assert chosen(fed) == [labelled(fed, f"☑️ {accountant}")]
    await fed.click(REP, labelled(fed, f"▫️ {desk}"))
    await fed.click(REP, "✖ Clear the search")
    assert len(chosen(fed)) == 2
    await fed.click(REP, "✅ Done · 2 chosen")

    assert f"👥 Informed (CC): {accountant}, {desk}" in window_text(fed, REP)
    await fed.click(REP, "📨 Submit")

    (request_id,) = sql(fed, "SELECT max(id) FROM approval_requests")[0]
    informed = sql(
        fed,
        "SELECT p.telegram_id FROM request_cc c JOIN people p ON p.id = c.person_id "
        "WHERE c.request_id = ? ORDER BY p.telegram_id",
        request_id,
    )
    assert informed == [(ACCOUNTANT,), (DESK,)]
    while steps := sql(
        fed,
        "SELECT s.id, p.telegram_id FROM approval_steps s JOIN people p ON p.id = s.approver_id "
        "WHERE s.request_id = ? AND s.status = 'pending'",
        request_id,
    ):
        ((step_id, who),) = steps
        assert who in (SUPERVISOR, MANAGER, VP, GM)
        await fed.tap(int(str(who)), ApprovalCb(step=int(str(step_id)), act=Act.approve).pack())
    told = sql(
        fed,
        "SELECT p.telegram_id FROM outbox o JOIN people p ON p.id = o.recipient_id "
        "WHERE o.template = 'request_cc' ORDER BY p.telegram_id",
    )
    assert told == [(ACCOUNTANT,), (DESK,)]
    await fed.tap(DESK, RequestCb(request=int(str(request_id))).pack())
    assert f"#{request_id}" in window_text(fed, DESK)


async def test_the_pick_is_capped_and_a_tap_again_unpicks(fed: Fed) -> None:
    await to_summary(fed)
    await fed.click(REP, "👥 Inform colleagues (CC)")
    names = [b for b in buttons(fed, REP) if b.startswith("▫️")]
    for name in names[:5]:
        await fed.click(REP, name)
    callback = await fed.click(REP, names[5])
    answer = fed.answer(callback)
    assert answer is not None
    assert answer.text == "You can inform up to 5 colleagues."
    assert len(chosen(fed)) == 5
    await fed.click(REP, chosen(fed)[0])
    assert len(chosen(fed)) == 4


async def test_a_long_search_is_re_asked(fed: Fed) -> None:
    await to_summary(fed)
    await fed.click(REP, "👥 Inform colleagues (CC)")
    await fed.send(REP, "x" * 41)
    assert fed.replies(REP)[-1] == "That is 41 characters; please keep it to 40."
