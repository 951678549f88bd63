"""Every user-visible string is translated into Simplified Chinese, placeholders intact."""

from __future__ import annotations

import re
from configparser import ConfigParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "N_": None,
    "Tr": None,
    "Label": None,
    "edit_button": None,  # its label, as the Makefile's `locales` extracts it
}
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{[\w\[\]]+\}|</?\w+>")


def _source_messages() -> set[str]:
    config = ConfigParser()
    config.read(ROOT / "babel.cfg")
    method_map = []
    options_map = {}
    for section in config.sections():
        method, pattern = section.split(":", 1)
        method_map.append((pattern.strip(), method.strip()))
        options_map[pattern.strip()] = dict(config.items(section))
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _catalog(language: str) -> dict[str, str]:
    with (ROOT / "locales" / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = {}
        for m in read_po(po):
            if not m.id or "fuzzy" in m.flags:
                continue
            plural = isinstance(m.id, tuple | list)
            key = m.id[0] if plural else m.id
            catalog[key] = m.string[0] if plural else m.string
        return catalog


@pytest.fixture(scope="module")
def source() -> set[str]:
    messages = _source_messages()
    assert len(messages) > 50  # the extraction itself works
    return messages


@pytest.mark.parametrize("language", ["en", "zh"])
def test_catalog_has_every_source_string(source: set[str], language: str) -> None:
    missing = sorted(source - set(_catalog(language)))
    assert not missing, f"run `make locales` and translate: {missing}"


def test_chinese_catalog_is_complete_with_the_same_placeholders(source: set[str]) -> None:
    zh = _catalog("zh")
    untranslated = sorted(m for m in source if not zh.get(m))
    assert not untranslated, f"missing Chinese: {untranslated}"
    for message in source:
        assert sorted(PLACEHOLDER.findall(message)) == sorted(PLACEHOLDER.findall(zh[message])), (
            message
        )
