"""Measuring a message as Telegram counts it, and shortening it without breaking the HTML."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pytest

from bot.ui.fit import clip, fits, pages_that_fit, shorten_html, visible_length, visible_text
from botapi_emulator._html import parse_html, utf16_len


def telegram_length(markup: str) -> int:
    """What the emulator (Telegram's rules) counts: the parsed text in UTF-16 units."""
    text, _entities = parse_html(markup)
    return utf16_len(text)


def test_tags_do_not_count_and_entities_count_as_the_character_they_stand_for() -> None:
    markup = "<b>Acme &amp; Sons</b> &lt;3 &#169; &#x4e2d;"
    assert visible_text(markup) == "Acme & Sons <3 © 中"
    assert visible_length(markup) == telegram_length(markup) == 18


def test_an_emoji_outside_the_basic_plane_counts_twice_as_telegram_counts_it() -> None:
    assert visible_length("📨 ok") == telegram_length("📨 ok") == 5


def test_a_message_within_the_limit_is_left_alone() -> None:
    markup = "<b>Title</b>\n" + "x" * 4000
    assert fits(markup)
    assert shorten_html(markup) is markup


def test_a_long_message_is_cut_to_the_limit_and_still_parses() -> None:
    markup = "<b>Plan</b>\n" + "".join(f"<i>line {n}</i> &amp; more\n" for n in range(600))
    assert not fits(markup)
    short = shorten_html(markup)
    assert telegram_length(short) <= 4096
    assert visible_length(short) == telegram_length(short)
    assert short.startswith("<b>Plan</b>\n<i>line 0</i>")


def test_the_cut_ends_whole_lines_when_a_line_break_is_near() -> None:
    markup = "".join(f"<b>row {n:04}</b> · {'y' * 30}\n" for n in range(300))
    short = shorten_html(markup, 1000)
    assert short.endswith("\n…")
    assert all(line.endswith("y" * 30) for line in short.splitlines()[:-1])
    assert visible_length(short) <= 1000


@pytest.mark.parametrize("limit", range(2, 21))
def test_a_cut_never_falls_inside_a_tag_or_an_entity_and_closes_what_is_open(limit: int) -> None:
    markup = (
        '<b>Bold <i>it&amp;alic</i></b> <a href="https://example.com/?a=1&amp;b=2">link</a> end'
    )
    short = shorten_html(markup, limit)
    parse_html(short)  # raises on a broken tag or entity, as Telegram would refuse it
    assert visible_length(short) <= limit
    assert short.endswith("…") or "…</" in short
    assert short.count("<b>") == short.count("</b>")
    assert short.count("<i>") == short.count("</i>")


def test_a_cut_inside_a_long_text_keeps_the_tags_around_it_balanced() -> None:
    markup = "<b>Note</b>: <i>" + "Lorem ipsum " * 500 + "</i>"
    short = shorten_html(markup, 200)
    parse_html(short)
    assert short.endswith("…</i>")
    assert visible_length(short) == 200


def test_clip_shortens_plain_text_with_an_ellipsis() -> None:
    assert clip("short", 10) == "short"
    assert clip("x" * 10, 10) == "x" * 10
    assert clip("word " * 10, 12) == "word word w…"
    assert len(clip("y" * 200, 80)) == 80
    assert clip(None, 5) == ""


def test_pages_hold_as_many_items_as_fit_and_each_fits() -> None:
    items = [f"{n:03} " + "z" * (20 + n % 7 * 30) for n in range(60)]

    def render(chunk: Sequence[str]) -> str:
        return "<b>Header · page 99 of 99</b>\n" + "\n".join(f"• {i}" for i in chunk)

    pages = pages_that_fit(items, render, 1000)
    assert [i for page in pages for i in page] == items, "every item once, in order"
    assert all(fits(render(page), 1000) for page in pages)
    for page, following in itertools.pairwise(pages):
        assert not fits(render([*page, following[0]]), 1000), "a page takes all that fits"


def test_an_item_too_long_alone_gets_a_page_of_its_own() -> None:
    items = ["a", "b" * 5000, "c"]
    pages = pages_that_fit(items, lambda chunk: "".join(chunk), 100)
    assert pages == [["a"], ["b" * 5000], ["c"]]


def test_no_items_is_one_empty_page() -> None:
    assert pages_that_fit([], lambda chunk: "header", 100) == [[]]
