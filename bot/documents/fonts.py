"""The typeface a document is printed in: a Chinese-capable TrueType font found on the system.

fpdf2 parses a font file afresh for every document and subsets it at the end; for a CJK font of
30,000 glyphs that costs about 0.4 s a document. So the font is parsed once per process and each
document gets a font cut to exactly its own characters, which fpdf2 then reads in milliseconds.
Only TrueType outlines are used: fpdf2 writes CFF-based CJK fonts (Noto CJK) with a custom
encoding that pypdf and pdfminer read back wrong, i.e. text that is not reliably searchable.
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Protocol

from fontTools.fontBuilder import FontBuilder
from fontTools.ttLib import TTFont
from fpdf import FPDF

logger = logging.getLogger(__name__)

FONT_PACKAGE = "fonts-wqy-microhei"
# Glyphs every document needs besides its own text: page numbers ("{nb}" is fpdf2's alias for
# the page count) and the stand-in for a character the font lacks.
ALWAYS = "0123456789 /{nb}?"
MISSING = "?"


@dataclass(frozen=True)
class FontFile:
    path: Path
    index: int = 0  # the face inside a .ttc collection


WELL_KNOWN = (
    FontFile(Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")),
    FontFile(Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")),
    FontFile(Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")),
    FontFile(Path("/usr/share/fonts/truetype/arphic/uming.ttc")),
)


class Typeface(Protocol):
    family: str

    def covers(self, char: str) -> bool: ...

    def install(self, pdf: FPDF, text: str, folder: Path) -> None: ...


class CutFont:
    """A TrueType font parsed once; `install` embeds a font of just the given text's glyphs."""

    family = "body"

    def __init__(self, font: TTFont) -> None:
        self._font = font
        self._cmap: dict[int, str] = font.getBestCmap()
        self._glyphs = font["glyf"]
        self._metrics: dict[str, tuple[int, int]] = font["hmtx"].metrics
        self._lock = threading.Lock()  # fontTools expands glyphs lazily, not thread-safe

    def covers(self, char: str) -> bool:
        return ord(char) in self._cmap

    def install(self, pdf: FPDF, text: str, folder: Path) -> None:
        path = folder / "body.ttf"
        with self._lock:
            path.write_bytes(self._cut(set(text) | set(ALWAYS)))
        pdf.add_font(self.family, fname=path)

    def _cut(self, chars: set[str]) -> bytes:
        cmap = {ord(c): self._cmap[ord(c)] for c in chars if self.covers(c)}
        order = [".notdef", *sorted(self._closure(set(cmap.values())) - {".notdef"})]
        builder = FontBuilder(self._font["head"].unitsPerEm, isTTF=True)
        builder.setupGlyphOrder(order)
        builder.setupCharacterMap(cmap)
        builder.setupGlyf({name: self._glyphs[name] for name in order})
        builder.setupHorizontalMetrics({name: self._metrics[name] for name in order})
        self._copy_metrics(builder)
        output = BytesIO()
        builder.save(output)
        return output.getvalue()

    def _closure(self, names: set[str]) -> set[str]:
        """The glyphs plus the components that composite glyphs are drawn from."""
        todo, found = list(names), {".notdef", *names}
        while todo:
            for part in self._glyphs[todo.pop()].getComponentNames(self._glyphs):
                if part not in found:
                    found.add(part)
                    todo.append(part)
        return found

    def _copy_metrics(self, builder: FontBuilder) -> None:
        hhea, os2, post = self._font["hhea"], self._font["OS/2"], self._font["post"]
        builder.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent)
        family = self._font["name"].getBestFamilyName() or "CJK"
        builder.setupNameTable({"familyName": family, "styleName": "Regular", "fullName": family})
        builder.setupOS2(
            sTypoAscender=os2.sTypoAscender,
            sTypoDescender=os2.sTypoDescender,
            usWinAscent=os2.usWinAscent,
            usWinDescent=os2.usWinDescent,
            sCapHeight=getattr(os2, "sCapHeight", hhea.ascent),
            usWeightClass=os2.usWeightClass,
        )
        builder.setupPost(
            underlinePosition=post.underlinePosition, underlineThickness=post.underlineThickness
        )


class CoreHelvetica:
    """The PDF viewer's own Helvetica, for a machine without a CJK font: Latin text only."""

    family = "helvetica"

    def covers(self, char: str) -> bool:
        try:
            char.encode("cp1252")
        except UnicodeEncodeError:
            return False
        return True

    def install(self, pdf: FPDF, text: str, folder: Path) -> None:
        pdf.core_fonts_encoding = "cp1252"  # what fpdf2 declares core fonts in: WinAnsiEncoding


def load_typeface(candidates: Iterable[FontFile]) -> Typeface:
    for candidate in candidates:
        font = _open(candidate)
        if font is not None:
            logger.info("Documents are printed in %s", candidate.path)
            return CutFont(font)
    logger.warning(
        "No Chinese font found: documents print Chinese characters as '?'. "
        "Install the Debian/Ubuntu package %s.",
        FONT_PACKAGE,
    )
    return CoreHelvetica()


@functools.cache
def system_typeface() -> Typeface:
    """The process's typeface, found and parsed on first use (about 0.2 s), then kept."""
    return load_typeface(system_fonts())


def system_fonts() -> Iterator[FontFile]:
    yield from WELL_KNOWN
    yield from _fontconfig_fonts()


def _open(candidate: FontFile) -> TTFont | None:
    if not candidate.path.is_file():
        return None
    font = TTFont(BytesIO(candidate.path.read_bytes()), fontNumber=candidate.index, lazy=True)
    if "glyf" not in font or ord("中") not in font.getBestCmap():
        return None
    return font


def _fontconfig_fonts() -> list[FontFile]:
    """Chinese TrueType fonts that fontconfig knows, for a system laid out differently."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    query = [fc_list, "-f", "%{file}\t%{index}\n", ":lang=zh-cn:fontformat=TrueType"]
    found = subprocess.run(query, capture_output=True, text=True, timeout=10, check=False)
    rows = (line.partition("\t") for line in found.stdout.splitlines())
    return [FontFile(Path(path), int(index or 0)) for path, _, index in rows if path]
