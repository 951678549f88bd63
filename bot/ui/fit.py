"""Telegram refuses a message longer than 4,096 characters, counted after HTML parsing: the
visible text, tags gone and entities decoded, in UTF-16 code units (an emoji outside the basic
plane counts twice). Here: measuring text as Telegram does, shortening it without breaking the
markup, and splitting a list into pages that each fit."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from typing import TypeVar

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024  # a photo's or document's caption, counted the same way
# A dialog window adds its own prompt lines to a rendered text; this leaves room for them.
WINDOW_LIMIT = MESSAGE_LIMIT - 300
ELLIPSIS = "…"
# A button label beyond this is cut on a phone screen anyway.
BUTTON_TEXT_MAX = 40

_TOKEN = re.compile(
    r"(?P<tag><(?P<close>/)?(?P<name>[a-zA-Z][\w-]*)[^>]*>)"
    r"|(?P<entity>&(?:#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);)"
    r"|(?P<text>[^<&]+|[<&])"
)
T = TypeVar("T")


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def visible_text(markup: str) -> str:
    """What the reader sees of an HTML message: tags stripped, entities unescaped."""
    return "".join(
        html.unescape(m["entity"]) if m["entity"] else (m["text"] or "")
        for m in _TOKEN.finditer(markup)
    )


def visible_length(markup: str) -> int:
    """The length Telegram checks against its limit."""
    return _units(visible_text(markup))


def fits(markup: str, limit: int = MESSAGE_LIMIT) -> bool:
    return visible_length(markup) <= limit


def clip(text: object, limit: int) -> str:
    """Plain text of at most `limit` characters, ending in "…" when it was longer (for one
    line of a list: the full text is shown where the item itself is opened)."""
    value = "" if text is None else str(text)
    if len(value) <= limit:
        return value
    return value[: max(limit - 1, 0)].rstrip() + ELLIPSIS


class _Cut:
    """Walks the markup keeping what fits; remembers the last line break as a neater place to
    stop, with the tags open there."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.kept: list[str] = []
        self.used = 0
        self.open: list[str] = []
        self.at_break: tuple[int, list[str], int] | None = None

    def tag(self, raw: str, name: str, closing: bool) -> None:
        self.kept.append(raw)
        if not closing:
            self.open.append(name.lower())
        elif name.lower() in self.open:
            index = len(self.open) - 1 - self.open[::-1].index(name.lower())
            del self.open[index]

    def take(self, raw: str, shown: str) -> bool:
        """Keep one character (or entity); False when it no longer fits."""
        width = _units(shown)
        if self.used + width > self.budget:
            return False
        self.kept.append(raw)
        self.used += width
        if shown == "\n":
            self.at_break = (len(self.kept), list(self.open), self.used)
        return True

    def result(self) -> str:
        kept, still_open = self.kept, self.open
        if self.at_break is not None and self.at_break[2] * 2 >= self.budget:
            end, still_open, _used = self.at_break
            kept = kept[:end]
        text = "".join(kept).rstrip(" ")
        closing = "".join(f"</{name}>" for name in reversed(still_open))
        return f"{text}{ELLIPSIS}{closing}"


def shorten_html(markup: str, limit: int = MESSAGE_LIMIT) -> str:
    """The markup cut to at most `limit` visible characters, "…" included: never inside a tag
    or an entity, every tag left open closed again; at the last line break when one is in the
    second half, so a list loses whole lines rather than half of one."""
    if fits(markup, limit):
        return markup
    cut = _Cut(limit - _units(ELLIPSIS))
    for match in _TOKEN.finditer(markup):
        if match["tag"]:
            cut.tag(match["tag"], match["name"], bool(match["close"]))
        elif match["entity"]:
            if not cut.take(match["entity"], html.unescape(match["entity"])):
                break
        elif not all(cut.take(char, char) for char in match["text"]):
            break
    return cut.result()


def pages_that_fit(
    items: Sequence[T], render: Callable[[Sequence[T]], str], limit: int = MESSAGE_LIMIT
) -> list[Sequence[T]]:
    """Consecutive runs of `items`, each as long as still fits when rendered by `render` (which
    should render the page's header at its longest, e.g. "page 99 of 99"). A page holds at least
    one item even when that one alone is too long; the caller shortens that page. No items:
    one empty page."""
    pages: list[Sequence[T]] = []
    start = 0
    while start < len(items):
        size = _largest_fitting(items, start, render, limit)
        pages.append(items[start : start + size])
        start += size
    return pages or [items[:0]]


def _largest_fitting(
    items: Sequence[T], start: int, render: Callable[[Sequence[T]], str], limit: int
) -> int:
    left = len(items) - start
    if fits(render(items[start:]), limit):
        return left
    low, high = 1, left - 1  # `low` items are taken anyway; `left` do not fit
    while low < high:
        middle = (low + high + 1) // 2
        if fits(render(items[start : start + middle]), limit):
            low = middle
        else:
            high = middle - 1
    return low
