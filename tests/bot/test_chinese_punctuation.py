"""Chinese text uses Chinese punctuation: "客户：" not "客户: ", “…” not «…»."""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po

from bot.i18n import make_i18n
from bot.rendering import make_env

ROOT = Path(__file__).resolve().parents[2]
CJK = r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]"
ASCII_BESIDE_CHINESE = re.compile(rf"{CJK}\s?[:;!?,]|[:;!?,]\s?{CJK}|{CJK}\s?\(|\)\s?{CJK}|[«»]")
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")


def _chinese_strings() -> list[tuple[str, str]]:
    with (ROOT / "locales/zh/LC_MESSAGES/messages.po").open("rb") as po:
        pairs = []
        for message in read_po(po):
            strings = [message.string] if isinstance(message.string, str) else message.string
            pairs += [(str(message.id), text) for text in strings if message.id and text]
        return pairs


def test_no_ascii_punctuation_beside_chinese_in_the_catalog() -> None:
    wrong = [
        (msgid, text)
        for msgid, text in _chinese_strings()
        if ASCII_BESIDE_CHINESE.search(PLACEHOLDER.sub("X", text))
    ]
    assert wrong == []


@pytest.mark.parametrize("template", sorted((ROOT / "templates").rglob("*.html")), ids=str)
def test_a_template_puts_no_ascii_colon_after_a_translated_label(template: Path) -> None:
    """A colon after a translated label goes through the `colon` filter, which picks the
    reader's punctuation; a literal ": " would be ASCII in the Chinese text too. Quotes are
    “…”, right in both languages, never «…»."""
    text = template.read_text(encoding="utf-8")
    assert "}}: " not in text
    assert "«" not in text
    assert "»" not in text


@pytest.mark.parametrize(("language", "shown"), [("en", "Owner: Li Lei"), ("zh", "：Li Lei")])
def test_the_colon_follows_the_reader_s_language(language: str, shown: str) -> None:
    i18n = make_i18n("en")
    env = make_env(i18n, ZoneInfo("Asia/Shanghai"))
    with i18n.context(), i18n.use_locale(language):
        text = env.from_string('{{ _("Owner")|colon }}{{ name }}').render(name="Li Lei")
    assert text.endswith(shown)
    assert ": " not in text if language == "zh" else "：" not in text
