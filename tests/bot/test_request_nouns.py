"""A reminder, an overdue notice and a digest line name what waits: a request (special terms),
a contract application or an invoice request, in both languages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import make_i18n
from bot.rendering import Renderer, make_env


@pytest.fixture(params=["en", "zh"])
def reader(request: pytest.FixtureRequest) -> Iterator[tuple[str, Renderer]]:
    i18n = make_i18n("en")
    with i18n.context(), i18n.use_locale(request.param):
        yield request.param, Renderer(make_env(i18n, ZoneInfo("Asia/Shanghai")))


def headline(kind: str, role: str = "finance_vp") -> dict[str, Any]:
    return {
        "request_id": 3,
        "kind": kind,
        "customer": "Minghua",
        "product": "HT-2026-0001",
        "amount": "105600.00",
        "discount": None,
        "step": {
            "role": role,
            "approver": "Qian Hong",
            "acting": None,
            "due_at": "2027-02-05T10:00:00+00:00",
        },
    }


NOUNS = {
    "en": {
        "special_terms": "request #3",
        "contract": "contract application #3",
        "invoice": "invoice request #3",
    },
    "zh": {"special_terms": "的申请 #3", "contract": "的合同申报单 #3", "invoice": "的开票申请 #3"},
}


DIGEST = {
    "en": ["1. Request #3", "2. Contract application #3", "3. Invoice request #3"],
    "zh": ["1. 申请 #3", "2. 合同申报单 #3", "3. 开票申请 #3"],
}


@pytest.mark.parametrize("kind", ["special_terms", "contract", "invoice"])
@pytest.mark.parametrize("late", [False, True])
def test_a_reminder_and_an_overdue_notice_name_what_waits(
    reader: tuple[str, Renderer], kind: str, late: bool
) -> None:
    language, renderer = reader
    reminder = renderer.render("notifications/step_reminder", **headline(kind), late=late)
    overdue = renderer.render("notifications/step_overdue", **headline(kind))
    assert NOUNS[language][kind] in reminder
    assert NOUNS[language][kind] in overdue


def test_the_digest_names_each_kind(reader: tuple[str, Renderer]) -> None:
    language, renderer = reader
    items = [headline(kind) for kind in ("special_terms", "contract", "invoice")]
    text = renderer.render(
        "notifications/approvals_digest", items=items, now="2027-02-05T01:00:00+00:00"
    )
    lines = text.splitlines()
    for start in DIGEST[language]:
        assert any(line.startswith(start) for line in lines), (start, text)


@pytest.mark.parametrize("kind", ["special_terms", "contract", "invoice"])
def test_an_urge_names_who_urges_and_what_waits(reader: tuple[str, Renderer], kind: str) -> None:
    language, renderer = reader
    text = renderer.render("notifications/step_urged", **headline(kind), urged_by="Zhao Lei")
    assert NOUNS[language][kind] in text
    assert "Zhao Lei" in text
    assert "/pending" in text
    assert "📣" in text


def test_the_requester_reads_who_transferred_the_step_to_whom(
    reader: tuple[str, Renderer],
) -> None:
    _language, renderer = reader
    note = {"by": "Chen Jing", "to": "Liu Yang", "reason": "at the fair"}
    text = renderer.render(
        "notifications/step_moved", **headline("special_terms"), why="transferred", transfer=note
    )
    assert text.startswith("↪️ ")
    for part in note.values():
        assert part in text
