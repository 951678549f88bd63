"""Every status and pick-list value reads as a label in both languages, never as a raw code."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.i18n import make_i18n
from bot.labels import (
    INTENT_LABELS,
    KIND_LABELS,
    LABELS,
    STATUS_LABELS,
    intent_label,
    kind_label,
    pick_label,
    status_label,
)

SHOWN = [
    *((code, status_label) for code in STATUS_LABELS),
    *((code, kind_label) for code in KIND_LABELS),
    *((code, intent_label) for code in INTENT_LABELS),
    *((code, pick_label) for code in LABELS),
]


@pytest.mark.parametrize(("code", "label"), SHOWN, ids=[code for code, _ in SHOWN])
def test_a_value_is_shown_as_a_label_in_both_languages(
    code: str, label: Callable[[str], str]
) -> None:
    i18n = make_i18n("en")
    with i18n.context():
        with i18n.use_locale("en"):
            english = label(code)
        with i18n.use_locale("zh"):
            chinese = label(code)
    assert english != code, "a raw code is shown"
    assert english[:1].isupper(), english
    assert chinese != english, f"{english!r} is not translated"


def test_no_two_values_share_a_chinese_label() -> None:
    """The visit kind 'call' and the customer source 'phone' once both read 电话."""
    i18n = make_i18n("en")
    with i18n.context(), i18n.use_locale("zh"):
        chinese = [label(code) for code, label in SHOWN]
    assert sorted(chinese) == sorted(set(chinese))
