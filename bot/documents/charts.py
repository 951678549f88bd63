"""Bar charts as PNG photos for the chat: horizontal bars (long Chinese names read best that
way), a value on each bar with thousands separators, sized for a phone (1,080 px wide, large
type), in the system's Chinese-capable font.

No domain knowledge: a caller turns its figures into `BarChart`s in the reader's language and
sends `render(...)`'s bytes. matplotlib is imported on the first render, not at start (about
0.3 s), and only its object API is used (a Figure on an Agg canvas, no pyplot state); renders
take a lock, since matplotlib's font caches are shared by the process's threads."""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.documents.fonts import FONT_PACKAGE, MISSING, FontFile, system_fonts

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.font_manager import FontProperties

logger = logging.getLogger(__name__)

MAX_BARS = 15  # categories in one chart; the caller folds the rest into one "others" bar
LABEL_WIDTH = 18  # columns of a category label; a Chinese character takes two
TITLE_WIDTH = 40  # columns of a title, which starts above the bars
WIDTH_PX, DPI = 1080, 120
MAX_HEIGHT_PX = 1920  # a phone screen's proportions: taller gets shrunk in the chat
HEADER_PX, LEGEND_PX = 110, 60
ROW_PX, SERIES_PX = 40, 28  # a category's row: room between bars, plus each series' bar
TITLE_PT, TEXT_PT = 22, 17
PALETTE = ("#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#B279A2")
ELLIPSIS = "…"

_RENDERING = threading.Lock()


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: tuple[Decimal, ...]


@dataclass(frozen=True, slots=True)
class BarChart:
    """Categories top to bottom, each with one bar per series; `unit` is written before each
    value ("¥" → "¥50,000"). With `rest` the last category sums many others ("286 more
    reps"): it is drawn paler and does not set the scale, so the bars named stay readable
    beside it; cut at the edge, it keeps its true value written inside."""

    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = ""
    rest: bool = False

    def __post_init__(self) -> None:
        if not 1 <= len(self.categories) <= MAX_BARS:
            raise ValueError(f"a chart has 1 to {MAX_BARS} categories: fold the rest")
        if not self.series or len(self.series) > len(PALETTE):
            raise ValueError(f"a chart has 1 to {len(PALETTE)} series")
        if any(len(s.values) != len(self.categories) for s in self.series):
            raise ValueError("each series has one value per category")


def fold(
    title: str,
    rows: Sequence[tuple[str, Sequence[Decimal]]],
    names: Sequence[str],
    others: Callable[[int], str],
    *,
    counts: Sequence[int] | None = None,
    unit: str = "",
    keep: int = MAX_BARS,
) -> BarChart:
    """A chart of `rows` (a category and its value in each series, in the order shown) where
    the rows past `keep` - 1 are summed into one last bar labelled `others(n)`, n being how many
    things it stands for. `counts` says how many each row stands for when a row is itself a sum
    (the caller's own "12 more reps"); one each otherwise.

    20 reps, keep 15: the first 14 and "6 more reps" (their values summed)."""
    weights = list(counts) if counts is not None else [1] * len(rows)
    if len(rows) > keep:
        weights = [*weights[: keep - 1], sum(weights[keep - 1 :])]
        rest = rows[keep - 1 :]
        summed = tuple(
            sum(column, Decimal(0)) for column in zip(*(v for _c, v in rest), strict=True)
        )
        rows = [*rows[: keep - 1], (others(weights[-1]), summed)]
    return BarChart(
        title,
        tuple(category for category, _v in rows),
        tuple(
            Series(name, tuple(Decimal(values[i]) for _c, values in rows))
            for i, name in enumerate(names)
        ),
        unit,
        rest=len(rows) > 1 and weights[-1] > 1,
    )


def shorten(label: str, width: int = LABEL_WIDTH) -> str:
    """The label in at most `width` columns (a Chinese character is two), ending in "…" when
    cut: "北京华夏农业科技有限公司" → "北京华夏农业科技…"."""
    if _columns(label) <= width:
        return label
    kept, used = [], _columns(ELLIPSIS)
    for char in label:
        used += _columns(char)
        if used > width:
            break
        kept.append(char)
    return "".join(kept).rstrip() + ELLIPSIS


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def value_label(value: Decimal, unit: str = "") -> str:
    """1234567.8 → "1,234,568"; with the unit "¥": "¥1,234,568"."""
    return f"{unit}{value:,.0f}"


@dataclass(frozen=True, slots=True)
class ChartFont:
    """A face registered with matplotlib (None: matplotlib's default) and the characters it
    has; a character it lacks is drawn as "?", never as an empty box."""

    family: str | None
    chars: frozenset[int]

    def text(self, value: str) -> str:
        return "".join(c if ord(c) in self.chars else MISSING for c in value)


def load_font(candidates: Iterable[FontFile]) -> ChartFont:
    """The first candidate with Chinese glyphs, registered with matplotlib's font manager (whose
    font list, built once and cached on disk, may predate the font's installation); without
    one, matplotlib's default face and one warning."""
    _font_manager()
    for candidate in candidates:
        font = _register(candidate)
        if font is not None:
            logger.info("Charts are drawn in %s", candidate.path)
            return font
    logger.warning(
        "No Chinese font found: charts draw Chinese characters as '?'. "
        "Install the Debian/Ubuntu package %s.",
        FONT_PACKAGE,
    )
    return default_font()


@functools.cache
def system_font() -> ChartFont:
    """The process's chart font, found and registered on first use, then kept."""
    with _RENDERING:
        return load_font(system_fonts())


def default_font() -> ChartFont:
    font_manager = _font_manager()
    path = font_manager.findfont(font_manager.FontProperties())
    return ChartFont(None, _chars(path, 0))


def _register(candidate: FontFile) -> ChartFont | None:
    from matplotlib.ft2font import FT2Font

    if not candidate.path.is_file():
        return None
    face = FT2Font(str(candidate.path), face_index=candidate.index)
    chars = frozenset(face.get_charmap())
    if ord("中") not in chars:
        return None
    _font_manager().fontManager.addfont(str(candidate.path))
    return ChartFont(face.family_name, chars)


def _chars(path: str, index: int) -> frozenset[int]:
    from matplotlib.ft2font import FT2Font

    return frozenset(FT2Font(path, face_index=index).get_charmap())


@functools.cache
def _font_manager() -> Any:
    """matplotlib's font manager, imported once. On import matplotlib builds its font list
    (about 0.2 s) and caches it under ~/.cache; where that cannot be written (a read-only home)
    matplotlib would fall back to a temporary directory with a long warning on every start, so
    it is told to use one quietly."""
    settle_config_dir()
    from matplotlib import font_manager

    return font_manager


def settle_config_dir() -> None:
    if "MPLCONFIGDIR" in os.environ:
        return
    try:
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "matplotlib"
        cache.mkdir(parents=True, exist_ok=True)
        writable = os.access(cache, os.W_OK)
    except (OSError, RuntimeError):
        writable = False
    if not writable:
        os.environ["MPLCONFIGDIR"] = tempfile.mkdtemp(prefix="salesbot-matplotlib-")


def height_of(charts: Sequence[BarChart]) -> int:
    """The picture's height in pixels: a header per chart and a row per category, growing with
    the bars up to MAX_HEIGHT_PX (the rows then get thinner)."""
    wanted = sum(
        HEADER_PX
        + (LEGEND_PX if len(c.series) > 1 else 0)
        + len(c.categories) * (ROW_PX + SERIES_PX * len(c.series))
        for c in charts
    )
    return min(wanted, MAX_HEIGHT_PX)


def render(*charts: BarChart, font: ChartFont | None = None) -> bytes:
    """The charts one above the other, as one PNG 1,080 px wide."""
    if not charts:
        raise ValueError("nothing to draw")
    font = font or system_font()
    _font_manager()  # matplotlib's cache folder settled before any of it is imported
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with _RENDERING:
        figure = Figure(figsize=(WIDTH_PX / DPI, height_of(charts) / DPI), dpi=DPI)
        figure.set_layout_engine("constrained")
        FigureCanvasAgg(figure)
        ratios = [height_of([c]) for c in charts]
        axes = figure.subplots(len(charts), 1, squeeze=False, height_ratios=ratios)
        for ax, chart in zip(axes[:, 0], charts, strict=True):
            _draw(ax, chart, font)
        output = BytesIO()
        figure.savefig(output, format="png", dpi=DPI)
    return output.getvalue()


async def render_png(*charts: BarChart) -> bytes:
    """`render` off the event loop (a 15-bar chart takes 0.15–0.3 s)."""
    return await asyncio.to_thread(render, *charts)


def _properties(font: ChartFont, size: float) -> FontProperties:
    from matplotlib.font_manager import FontProperties

    return (
        FontProperties(family=font.family, size=size) if font.family else FontProperties(size=size)
    )


def _draw(ax: Axes, chart: BarChart, font: ChartFont) -> None:
    text = _properties(font, TEXT_PT)
    low, high = _bounds(chart)
    thickness = 0.8 / len(chart.series)
    for index, series in enumerate(chart.series):
        offset = (index - (len(chart.series) - 1) / 2) * thickness
        for row, value in enumerate(series.values):
            pale = chart.rest and row == len(chart.categories) - 1
            ax.barh(
                row + offset,
                float(value),
                height=thickness,
                color=PALETTE[index],
                alpha=0.55 if pale else 1.0,
                label=font.text(series.name) if row == 0 else None,
            )
            _value(ax, (value, row + offset), value_label(value, chart.unit), (low, high), text)
    rows = range(len(chart.categories))
    labels = [font.text(shorten(c)) for c in chart.categories]
    ax.set_yticks(list(rows), labels, fontproperties=text, parse_math=False)
    ax.set_ylim(len(chart.categories) - 0.5, -0.5)  # the first category on top
    ax.set_xlim(low, high)
    _frame(ax, chart, font, text)


def _bounds(chart: BarChart) -> tuple[float, float]:
    """The value axis: from the smallest to the largest value (0 included), with room after
    for the value labels; a `rest` bar does not count."""
    scaled = len(chart.categories) - 1 if chart.rest else len(chart.categories)
    values = [float(v) for s in chart.series for v in s.values[:scaled]]
    low, high = min([*values, 0.0]), max([*values, 0.0])
    room = max(high - low, 1.0) * 0.35
    return (low - room if low < 0 else 0.0), high + room


def _value(
    ax: Axes,
    at: tuple[Decimal, float],
    label: str,
    bounds: tuple[float, float],
    text: FontProperties,
) -> None:
    """A value written after its bar's end, or inside the bar when the bar (a pale `rest`
    one: the others set the scale) is cut at the edge."""
    value, y = at
    low, high = bounds
    x = min(max(float(value), low), high)
    cut = x != float(value)
    ahead = (value >= 0) != cut  # written to the right of the point
    ax.annotate(
        label,
        (x, y),
        xytext=(4 if ahead else -4, 0),
        textcoords="offset points",
        ha="left" if ahead else "right",
        va="center",
        fontproperties=text,
        parse_math=False,
        annotation_clip=False,
    )


def _frame(ax: Axes, chart: BarChart, font: ChartFont, text: FontProperties) -> None:
    ax.xaxis.set_visible(False)
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.set_title(
        font.text(shorten(chart.title, TITLE_WIDTH)),
        loc="left",
        fontproperties=_properties(font, TITLE_PT),
        parse_math=False,
        pad=LEGEND_PX * 0.9 if len(chart.series) > 1 else 12,
    )
    if len(chart.series) > 1:
        legend = ax.legend(
            loc="lower left",
            bbox_to_anchor=(0.0, 1.0),
            ncols=len(chart.series),
            frameon=False,
            prop=text,
            borderaxespad=0.2,
        )
        for entry in legend.get_texts():
            entry.set_parse_math(False)
