"""Every refusal the core can raise has its own sentence in both languages, never the generic
"That change is not possible."."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.core.errors import InvalidChange
from bot.core.orders import FORWARD, DealStage, StageOrder
from bot.i18n import make_i18n
from bot.ui.errors import explain

CORE = Path(__file__).resolve().parents[2] / "bot" / "core"
REASONS = sorted(
    {
        reason
        for source in CORE.rglob("*.py")
        for reason in re.findall(r'InvalidChange\("(\w+)"\)', source.read_text(encoding="utf-8"))
    }
)


def sentence(reason: str, locale: str) -> str:
    i18n = make_i18n("en")
    with i18n.context(), i18n.use_locale(locale):
        return explain(InvalidChange(reason))


def test_the_core_raises_the_reasons_we_expect() -> None:
    assert {"cycle", "empty_plan", "not_won", "target_amounts", "window"} <= set(REASONS)


@pytest.mark.parametrize("reason", REASONS)
def test_each_reason_has_its_own_sentence_in_both_languages(reason: str) -> None:
    english, chinese = sentence(reason, "en"), sentence(reason, "zh")
    assert english != sentence("no-such-reason", "en"), reason
    assert chinese != sentence("no-such-reason", "zh"), reason
    assert chinese != english


STAGE_REFUSALS = [StageOrder(DealStage.contracted, needs) for needs in FORWARD[1:]] + [
    StageOrder(DealStage.reserved, None),
    StageOrder(DealStage.reserved, None, over=True),
]


@pytest.mark.parametrize("locale", ["en", "zh"])
def test_each_deal_stage_refusal_says_what_must_happen_first(locale: str) -> None:
    i18n = make_i18n("en")
    with i18n.context(), i18n.use_locale(locale):
        said = [explain(error) for error in STAGE_REFUSALS]
        generic = explain(InvalidChange("no such reason"))
    assert len(set(said)) == len(said), "one sentence each"
    assert generic not in said
    if locale == "zh":
        assert all(re.search(r"[\u4e00-\u9fff]", text) for text in said), said
