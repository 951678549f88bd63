"""The customer picker shared by /deal, /visit and /plan: the person's customers, a search by
part of the name and back to all; a rep never sees another rep's customer in it."""

from __future__ import annotations

from feed import REP, SUPERVISOR, Fed

MINE = {"Minghua Trading Co., Ltd.", "Golden Dragon Pipes"}
OTHERS = "华东五金有限公司"


def labels(fed: Fed, user_id: int) -> list[str]:
    markup = fed.window(user_id).reply_markup
    assert markup is not None
    return [button.text for row in markup.inline_keyboard for button in row]


async def test_a_search_narrows_the_list_and_show_all_brings_it_back(fed: Fed) -> None:
    await fed.send(REP, "/deal")
    assert set(labels(fed, REP)) >= MINE

    await fed.send(REP, "dragon")
    assert "Matches for “dragon”:" in (fed.window(REP).text or "")
    shown = labels(fed, REP)
    assert "Golden Dragon Pipes" in shown
    assert "Minghua Trading Co., Ltd." not in shown

    await fed.click(REP, "Show all my customers")
    assert set(labels(fed, REP)) >= MINE
    assert "Show all my customers" not in labels(fed, REP)


async def test_each_form_offers_a_rep_only_his_own_customers(fed: Fed) -> None:
    for command in ("/deal", "/visit"):
        await fed.send(REP, "/cancel")
        await fed.send(REP, command)
        shown = set(labels(fed, REP))
        assert shown >= MINE, command
        assert OTHERS not in shown, command


async def test_a_supervisor_logs_a_visit_to_any_customer_of_the_team(fed: Fed) -> None:
    await fed.send(SUPERVISOR, "/visit")
    assert {*MINE, OTHERS} <= set(labels(fed, SUPERVISOR))


async def test_a_search_with_no_match_says_so(fed: Fed) -> None:
    await fed.send(REP, "/visit")
    await fed.send(REP, "zzz")
    text = fed.window(REP).text or ""
    assert "Matches for “zzz”:" in text
    assert "No customers found." in text
