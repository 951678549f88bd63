"""抄送 (CC) on a phone (dispatcher tier): with the accountant CC'd on special terms, her forged
decision taps on the demo's request #1 are refused and change nothing; when the chain approves
it she is told the outcome once."""

from __future__ import annotations

from pathlib import Path

import pytest
from feed import ACCOUNTANT, GM, MANAGER, REP_ZH, SUPERVISOR, VP, Fed
from test_forms_dispatcher import buttons, window_text
from test_transfer_dispatcher import open_step, sql

from bot.ui.cards import Act, ApprovalCb, RequestCb


@pytest.fixture
def cc_accountant(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "policy.toml"
    path.write_text('[approval.special_terms]\ncc = ["accountant"]\n', encoding="utf-8")
    monkeypatch.setenv("POLICY_FILE", str(path))


def records(fed: Fed) -> dict[str, object]:
    return {table: rows for table, rows in fed.rows().items() if table != "fsm_storage"}


def told_cc(fed: Fed) -> list[tuple[object, ...]]:
    return sql(
        fed,
        "SELECT p.telegram_id FROM outbox o JOIN people p ON p.id = o.recipient_id "
        "WHERE o.template = 'request_cc'",
    )


@pytest.mark.parametrize("act", [Act.approve, Act.opinion, Act.reject])
async def test_a_ccd_person_cannot_decide_even_with_forged_data(
    cc_accountant: None, fed: Fed, act: Act
) -> None:
    before = fed.rows()

    callback = await fed.tap(ACCOUNTANT, ApprovalCb(step=open_step(fed), act=act).pack())

    answer = fed.answer(callback)
    assert answer is not None
    assert answer.text == "该申请不在等待您审核。"  # the demo accountant reads Chinese
    assert fed.rows() == before


async def test_the_ccd_person_hears_the_outcome_once(cc_accountant: None, fed: Fed) -> None:
    for approver in (SUPERVISOR, MANAGER, VP, GM):
        await fed.tap(approver, ApprovalCb(step=open_step(fed), act=Act.approve).pack())

    assert sql(fed, "SELECT status FROM approval_requests WHERE id = 1") == [("approved",)]
    assert told_cc(fed) == [(ACCOUNTANT,)]


async def test_the_ccd_person_opens_the_request_read_only(cc_accountant: None, fed: Fed) -> None:
    for approver in (SUPERVISOR, MANAGER, VP, GM):
        await fed.tap(approver, ApprovalCb(step=open_step(fed), act=Act.approve).pack())
    before = records(fed)

    await fed.tap(ACCOUNTANT, RequestCb(request=1).pack())

    assert "#1" in window_text(fed, ACCOUNTANT)
    assert buttons(fed, ACCOUNTANT) == ["📜 全部审批记录", "✖ 关闭"], "read-only: no decisions"
    assert records(fed) == before, "nothing but the form's own state changed"


async def test_someone_else_cannot_open_the_request(cc_accountant: None, fed: Fed) -> None:
    windows = len(fed.mm.sent_messages)
    callback = await fed.tap(REP_ZH, RequestCb(request=1).pack())  # another rep's request

    answer = fed.answer(callback)
    assert answer is not None
    assert answer.show_alert
    assert len(fed.mm.sent_messages) == windows, "no form opened"
