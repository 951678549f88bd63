"""Bar charts as photos (no bot): Chinese labels drawn in a real CJK face, not as boxes; the
picture's size for a phone; the "others" bar; labels shortened; a machine without a Chinese
font; two renders at once."""

from __future__ import annotations

import asyncio
import logging
import os
import warnings
from dataclasses import replace
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from bot.documents.charts import (
    HEADER_PX,
    LEGEND_PX,
    MAX_BARS,
    MAX_HEIGHT_PX,
    ROW_PX,
    SERIES_PX,
    WIDTH_PX,
    BarChart,
    ChartFont,
    Series,
    default_font,
    fold,
    load_font,
    render,
    render_png,
    settle_config_dir,
    shorten,
    system_font,
    value_label,
)
from bot.documents.fonts import FONT_PACKAGE

D = Decimal
MISSING_GLYPH = "missing from font"


@pytest.fixture(scope="module")
def cjk() -> ChartFont:
    font = system_font()
    assert font.family, f"no Chinese font: install the Debian package {FONT_PACKAGE} (make fonts)"
    return font


def one_bar(label: str, title: str = "回款") -> BarChart:
    return BarChart(title, (label,), (Series("应收", (D(5000),)),), "¥")


def pixels(png: bytes) -> Image.Image:
    image = Image.open(BytesIO(png))
    assert image.format == "PNG"
    return image.convert("RGB")


def differ(a: Image.Image, b: Image.Image) -> bool:
    return a.size != b.size or ImageChops.difference(a, b).getbbox() is not None


def drawn_quietly(chart: BarChart, font: ChartFont) -> Image.Image:
    """The chart's picture; no warning of a glyph the font lacks may be raised meanwhile."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        image = pixels(render(chart, font=font))
    assert [str(w.message) for w in caught if MISSING_GLYPH in str(w.message)] == []
    return image


def test_chinese_labels_are_drawn_as_glyphs_not_boxes(cjk: ChartFont) -> None:
    zhong, guo = drawn_quietly(one_bar("中"), cjk), drawn_quietly(one_bar("国"), cjk)
    assert differ(zhong, guo), "two different characters drew alike: boxes"

    # The same charts in a face without Chinese, told it has them: matplotlib draws its
    # .notdef box for each and says so, and the two pictures are the same.
    plain = default_font()
    tofu_font = replace(plain, chars=plain.chars | {ord("中"), ord("国")})
    with pytest.warns(UserWarning, match=MISSING_GLYPH):
        tofu_zhong, tofu_guo = (pixels(render(one_bar(c), font=tofu_font)) for c in "中国")
    assert not differ(tofu_zhong, tofu_guo), "boxes look alike: the check above means glyphs"
    assert differ(zhong, tofu_zhong)


def test_the_system_font_is_the_installed_chinese_one(cjk: ChartFont) -> None:
    assert cjk.family == "WenQuanYi Micro Hei"
    assert {ord(c) for c in "回款率合同台账客户"} <= cjk.chars


def test_a_character_no_font_has_is_a_question_mark_never_a_box(cjk: ChartFont) -> None:
    assert cjk.text("客户\ue000😀") == "客户??"
    question = drawn_quietly(one_bar("客户?"), cjk)
    assert not differ(drawn_quietly(one_bar("客户\ue000"), cjk), question)


def test_a_phone_sized_picture_growing_with_the_bars_up_to_a_cap(cjk: ChartFont) -> None:
    def chart(bars: int, series: int = 2) -> BarChart:
        return BarChart(
            "Due and collected by rep · 2026-10",
            tuple(f"Rep {i}" for i in range(bars)),
            tuple(Series(f"S{s}", tuple(D(1000 * i) for i in range(bars))) for s in range(series)),
        )

    def height(bars: int, series: int = 2) -> int:
        image = drawn_quietly(chart(bars, series), cjk)
        assert image.size[0] == WIDTH_PX
        return image.size[1]

    assert height(1) == HEADER_PX + LEGEND_PX + ROW_PX + 2 * SERIES_PX
    assert height(MAX_BARS) > height(8) > height(4) > height(1)
    assert height(4, series=1) < height(4)
    two = height(1) + height(1, series=1)
    assert pixels(render(chart(1), chart(1, series=1), font=cjk)).size == (WIDTH_PX, two)
    tallest = pixels(render(chart(MAX_BARS), chart(MAX_BARS), font=cjk))
    assert tallest.size == (WIDTH_PX, MAX_HEIGHT_PX)


def test_the_rest_folds_into_one_bar_summed_and_counted() -> None:
    rows = [(f"Rep {i}", (D(100 + i), D(i))) for i in range(20)]
    chart = fold("Due", rows, ("Due", "Collected"), lambda n: f"{n} more reps")
    assert len(chart.categories) == MAX_BARS
    assert chart.categories[:2] == ("Rep 0", "Rep 1")
    assert chart.categories[-1] == "6 more reps"
    due, collected = chart.series
    assert (due.name, due.values[-1]) == ("Due", sum(D(100 + i) for i in range(14, 20)))
    assert collected.values[-1] == sum(D(i) for i in range(14, 20))

    # the caller's own remainder already stands for 12: it counts as 12, not 1
    counted = fold(
        "Due", rows[:16], ("Due", "Collected"), lambda n: f"{n} more", counts=[1] * 15 + [12]
    )
    assert counted.categories[-1] == "13 more"
    few = fold("Due", rows[:3], ("Due", "Collected"), lambda n: f"{n} more")
    assert few.categories == ("Rep 0", "Rep 1", "Rep 2")


@pytest.mark.parametrize(
    ("label", "shown"),
    [
        ("Zhao Lei", "Zhao Lei"),
        ("北京华夏农业科技有限公司", "北京华夏农业科技…"),
        ("Wang Fang-Long Name Example Ltd", "Wang Fang-Long Na…"),
        ("上海东方 Machinery", "上海东方 Machinery"),  # 18 columns: fits
        ("上海东方机械 Machinery Co", "上海东方机械 Mach…"),
    ],
)
def test_a_long_label_is_shortened_by_its_width(label: str, shown: str) -> None:
    assert shorten(label) == shown


def test_values_are_written_with_thousands_separators() -> None:
    assert value_label(D("1234567.80"), "¥") == "¥1,234,568"
    assert value_label(D(0)) == "0"


def test_a_chart_refuses_more_bars_than_fit_or_values_that_do_not_match() -> None:
    with pytest.raises(ValueError, match="fold the rest"):
        BarChart("T", tuple(str(i) for i in range(MAX_BARS + 1)), (Series("s", (D(1),) * 16),))
    with pytest.raises(ValueError, match="one value per category"):
        BarChart("T", ("a", "b"), (Series("s", (D(1),)),))


def test_without_a_chinese_font_one_warning_and_question_marks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.documents.charts"):
        font = load_font([])
    assert [r.getMessage() for r in caplog.records] == [
        "No Chinese font found: charts draw Chinese characters as '?'. "
        f"Install the Debian/Ubuntu package {FONT_PACKAGE}."
    ]
    assert font.family is None
    assert font.text("Zhao 赵") == "Zhao ?"
    assert drawn_quietly(one_bar("客户 Acme"), font).size[0] == WIDTH_PX


async def test_two_renders_at_once_draw_what_each_draws_alone(cjk: ChartFont) -> None:
    first, second = one_bar("甲", title="一"), one_bar("乙", title="二")
    together = await asyncio.gather(render_png(first), render_png(second))
    assert not differ(pixels(together[0]), pixels(render(first)))
    assert not differ(pixels(together[1]), pixels(render(second)))


def test_a_home_matplotlib_cannot_write_to_sends_its_font_list_to_a_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MPLCONFIGDIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    settle_config_dir()
    assert "MPLCONFIGDIR" not in os.environ, "a writable cache is left to matplotlib"
    assert (tmp_path / "cache" / "matplotlib").is_dir()

    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file" / "cache"))
    settle_config_dir()
    folder = Path(os.environ["MPLCONFIGDIR"])
    assert folder.is_dir()
    assert folder.name.startswith("salesbot-matplotlib-")
    folder.rmdir()


def test_a_large_rest_bar_is_cut_at_the_edge_and_leaves_the_named_bars_their_scale(
    cjk: ChartFont,
) -> None:
    def chart(rest: int) -> BarChart:
        rows = [("甲", (D(100),)), ("乙", (D(50),)), ("7 more", (D(rest),))]
        return fold("T", rows, ("S",), str, counts=[1, 1, 7])

    assert chart(1).rest
    small, huge = drawn_quietly(chart(1_000), cjk), drawn_quietly(chart(1_000_000), cjk)
    width, height = small.size
    named = (0, 0, width, height * 6 // 10)  # the title and the two named bars
    assert not differ(small.crop(named), huge.crop(named))
    assert differ(small, huge), "the rest bar itself says its value"
    assert not fold("T", [("甲", (D(1),))], ("S",), str).rest
