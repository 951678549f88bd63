"""Telegram-flavoured HTML: parse to plain text + entities, and render for a terminal.

The parser follows tdlib's ``parse_html`` (the code behind Bot API ``parse_mode=HTML``):
same allowed tags, same error texts, offsets in UTF-16 code units.
One deliberate difference: a bare ``&`` that does not start ``&lt; &gt; &amp; &quot;``
or a numeric reference is refused by default (Telegram keeps it literally), so tests catch
forgotten ``html.escape`` calls. Pass ``strict_ampersand=False`` for Telegram's behaviour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["HtmlParseError", "parse_html", "render_for_terminal", "utf16_len"]

_TAG_TYPES: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(lt|gt|amp|quot));")
_SPACES = " \t\r\n\f"


class HtmlParseError(ValueError):
    """The text after "Bad Request: can't parse entities: "."""


@dataclass
class _Open:
    tag: str
    attrs: dict[str, str]
    start: int  # UTF-16 offset in the plain text
    language: str | None = None
    children_code_language: list[str] = field(default_factory=list)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units (what Telegram counts for limits and entity offsets)."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _decode_entity(match: re.Match[str]) -> str | None:
    dec, hexa, named = match.groups()
    if named:
        return _NAMED[named]
    code = int(dec) if dec else int(hexa, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


def _unescape(value: str) -> str:
    def repl(match: re.Match[str]) -> str:
        decoded = _decode_entity(match)
        return match.group(0) if decoded is None else decoded

    return _ENTITY_RE.sub(repl, value)


class _Parser:
    def __init__(self, text: str, strict_ampersand: bool) -> None:
        self.text = text
        self.strict = strict_ampersand
        self.out: list[str] = []
        self.pos16 = 0
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def error(self, message: str) -> HtmlParseError:
        return HtmlParseError(message)

    def emit(self, chunk: str) -> None:
        self.out.append(chunk)
        self.pos16 += utf16_len(chunk)

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        text, i, n = self.text, 0, len(self.text)
        while i < n:
            char = text[i]
            if char == "&":
                match = _ENTITY_RE.match(text, i)
                decoded = _decode_entity(match) if match else None
                if match and decoded is not None:
                    self.emit(decoded)
                    i = match.end()
                    continue
                if self.strict:
                    raise self.error(
                        f'Unescaped "&" at byte offset {_byte_offset(text, i)}; '
                        "use &amp; (the sandbox is stricter than Telegram here)"
                    )
                self.emit(char)
                i += 1
            elif char == "<":
                i = self.end_tag(i) if text.startswith("</", i) else self.start_tag(i)
            else:
                j = i + 1
                while j < n and text[j] not in "&<":
                    j += 1
                self.emit(text[i:j])
                i = j
        if self.stack:
            raise self.error(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"'
            )
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def start_tag(self, begin: int) -> int:
        text, n = self.text, len(self.text)
        offset = _byte_offset(text, begin)
        j = begin + 1
        while j < n and text[j] not in _SPACES and text[j] != ">":
            j += 1
        if j >= n:
            raise self.error(f"Unclosed start tag at byte offset {offset}")
        tag = text[begin + 1 : j].lower()
        if tag not in _TAG_TYPES:
            raise self.error(f'Unsupported start tag "{tag}" at byte offset {offset}')
        attrs: dict[str, str] = {}
        i = j
        while True:
            while i < n and text[i] in _SPACES:
                i += 1
            if i >= n:
                raise self.error(f"Unclosed start tag at byte offset {offset}")
            if text[i] == ">":
                break
            name_start = i
            while i < n and text[i] not in _SPACES and text[i] not in "=>":
                i += 1
            name = text[name_start:i].lower()
            if not name:
                raise self.error(f'Empty attribute name in the tag "{tag}" at byte offset {offset}')
            while i < n and text[i] in _SPACES:
                i += 1
            if i >= n or text[i] != "=":
                if tag == "blockquote" and name == "expandable":
                    attrs[name] = ""
                    continue
                raise self.error(
                    "Expected equal sign in declaration of an attribute of the tag "
                    f'"{tag}" at byte offset {offset}'
                )
            i += 1
            while i < n and text[i] in _SPACES:
                i += 1
            if i >= n:
                raise self.error(f"Unclosed start tag at byte offset {offset}")
            if text[i] in "\"'":
                close = text.find(text[i], i + 1)
                if close < 0:
                    raise self.error(f"Unclosed start tag at byte offset {offset}")
                value = text[i + 1 : close]
                i = close + 1
            else:
                value_start = i
                while i < n and text[i] not in _SPACES and text[i] != ">":
                    i += 1
                value = text[value_start:i]
            attrs[name] = _unescape(value)
        if tag == "span" and attrs.get("class") != "tg-spoiler":
            raise self.error(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
        if tag == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
            raise self.error(
                f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {offset}'
            )
        self.stack.append(_Open(tag=tag, attrs=attrs, start=self.pos16))
        return i + 1

    def end_tag(self, begin: int) -> int:
        text = self.text
        offset = _byte_offset(text, begin)
        if not self.stack:
            raise self.error(f"Unexpected end tag at byte offset {offset}")
        close = text.find(">", begin + 2)
        if close < 0:
            raise self.error(f"Unclosed end tag at byte offset {offset}")
        name = text[begin + 2 : close].strip().lower()
        current = self.stack[-1]
        if name and name != current.tag:
            raise self.error(
                f'Unmatched end tag at byte offset {offset}, expected "</{current.tag}>", '
                f'found "</{name}>"'
            )
        self.stack.pop()
        self.add_entity(current)
        return close + 1

    def add_entity(self, node: _Open) -> None:
        length = self.pos16 - node.start
        language = None
        if node.tag == "code":
            css = node.attrs.get("class", "")
            if self.stack and self.stack[-1].tag == "pre" and css.startswith("language-"):
                self.stack[-1].children_code_language.append(css.removeprefix("language-"))
                return
        if node.tag == "pre" and node.children_code_language:
            language = node.children_code_language[0]
        if length <= 0:
            return
        entity: dict[str, Any] = {"type": _TAG_TYPES[node.tag], "offset": node.start}
        entity["length"] = length
        if node.tag == "a":
            href = node.attrs.get("href", "")
            if not href:
                return
            entity["url"] = href
        elif node.tag == "pre" and language:
            entity["language"] = language
        elif node.tag == "blockquote" and "expandable" in node.attrs:
            entity["type"] = "expandable_blockquote"
        elif node.tag == "tg-emoji":
            entity["custom_emoji_id"] = node.attrs["emoji-id"]
        self.entities.append(entity)


def parse_html(text: str, *, strict_ampersand: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML. Returns (plain text, Bot API entity dicts).

    Raises HtmlParseError with Telegram's wording on malformed or unsupported markup.
    """
    return _Parser(text, strict_ampersand).run()


_ANSI_BOLD, _ANSI_NORMAL = "\x1b[1m", "\x1b[22m"


def render_for_terminal(text: str, entities: list[dict[str, Any]], *, ansi: bool) -> str:
    """Plain text with bold entities turned into ANSI bold (when ``ansi``), others dropped."""
    if not ansi:
        return text
    marks: dict[int, int] = {}
    for entity in entities:
        if entity.get("type") == "bold":
            start = int(entity["offset"])
            marks[start] = marks.get(start, 0) + 1
            end = start + int(entity["length"])
            marks[end] = marks.get(end, 0) - 1
    if not marks:
        return text
    out: list[str] = []
    depth = 0
    pos16 = 0

    def apply(position: int) -> None:
        nonlocal depth
        delta = marks.pop(position, 0)
        if delta == 0:
            return
        before, depth = depth, depth + delta
        if before <= 0 < depth:
            out.append(_ANSI_BOLD)
        elif depth <= 0 < before:
            out.append(_ANSI_NORMAL)

    for char in text:
        apply(pos16)
        out.append(char)
        pos16 += 2 if ord(char) > 0xFFFF else 1
    apply(pos16)
    if depth > 0:
        out.append(_ANSI_NORMAL)
    return "".join(out)
