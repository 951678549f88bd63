"""Render time of a chart photo: `.venv/bin/python -m bench.charts [--rounds 21]`.

Cold is this fresh process: matplotlib's import and its font manager (on the first chart, not at
start), registering the system's CJK font, the first render. Warm is the median of the following
renders: 15 bars of two series (the collection analysis's reps at their most), and that chart with
the four ageing bars under it (the analysis's whole photo)."""

from __future__ import annotations

import argparse
import time
from decimal import Decimal

from bench.documents import median_ms
from bot.documents.charts import BarChart, Series, fold, render, system_font


def by_rep(reps: int = 40) -> BarChart:
    rows = [
        (f"上海华东精密机械销售{n}部 Zhang Wei", (Decimal(987654321 - n), Decimal(123456789 + n)))
        for n in range(reps)
    ]
    return fold(
        "按销售员：应收与已回款 · 2026-10",
        rows,
        ("本月应收", "已回款"),
        lambda n: f"另有 {n} 名销售员",
        unit="¥",
    )


def by_age() -> BarChart:
    values = tuple(Decimal(v) for v in (120000, 50000, 0, 300000))
    return BarChart(
        "逾期账龄", ("1–30 天", "31–60 天", "61–90 天", "90 天以上"), (Series("逾期", values),), "¥"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=21)
    rounds = parser.parse_args().rounds
    start = time.perf_counter()
    font = system_font()
    loaded = time.perf_counter()
    assert font.family, "no Chinese font: see README, deployment"
    reps, ages = by_rep(), by_age()
    render(reps)
    first = time.perf_counter()
    print(
        f"import and font {1000 * (loaded - start):.0f} ms, first render {1000 * (first - loaded):.0f} ms"
    )
    for label, draw in (
        ("15 bars × 2 series", lambda: render(reps)),
        ("15 bars × 2 series + 4 ageing bars", lambda: render(reps, ages)),
    ):
        print(f"{label}: {median_ms(draw, rounds):.1f} ms warm")
    print(f"photo: {len(render(reps, ages)) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
