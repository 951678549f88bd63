"""Render time of a printable document: `.venv/bin/python -m bench.documents [--rounds 21]`.

Cold is this fresh process: importing fpdf2, finding and parsing the system's CJK font, the first
render. Warm is the median of the following renders. The baseline renders the same one-page
document the way fpdf2 is usually called, `add_font` on the whole font file for each document.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

T0 = time.perf_counter()
from fpdf import FPDF  # noqa: E402  (timed: the import is part of a cold start)

from bot.documents.fonts import CutFont, system_fonts, system_typeface  # noqa: E402
from bot.documents.layout import Align, Field, PrintDocument, Signature, Table  # noqa: E402
from bot.documents.pdf import render_pdf  # noqa: E402

IMPORTED = time.perf_counter()


def one_page(rows: int = 5, name: str = "不锈钢精密轴承组件 SKF-6205") -> PrintDocument:
    return PrintDocument(
        title="合同申报单",
        number=Field("编号", "HT-2026-0012"),
        issued=Field("日期", "2026-11-29"),
        fields=tuple(Field(f"字段{n}", "上海华东精密机械有限公司 ¥360,000.00") for n in range(8)),
        tables=(
            Table(
                ("品名", "数量", "单价", "金额"),
                tuple((f"{name} #{n}", "12", "¥1,500.00", "¥18,000.00") for n in range(rows)),
                ("合计", "60", "", "¥90,000.00"),
                (Align.LEFT, Align.RIGHT, Align.RIGHT, Align.RIGHT),
            ),
        ),
        paragraphs=("本合同一式两份，双方各执一份，自双方签字盖章之日起生效。",),
        signatures=(Signature("销售经理审签"), Signature("财务审核"), Signature("总经理审批")),
    )


def whole_font_baseline(doc: PrintDocument) -> bytes:
    font = next(f for f in system_fonts() if f.path.is_file())
    pdf = FPDF(format="A4")
    pdf.add_font("body", fname=font.path, collection_font_number=font.index)
    pdf.add_page()
    pdf.set_font("body", size=10)
    for text in doc.texts():
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def median_ms(render: Callable[[], bytes], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        render()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=21)
    rounds = parser.parse_args().rounds
    start = time.perf_counter()
    typeface = system_typeface()
    loaded = time.perf_counter()
    assert isinstance(typeface, CutFont), "no Chinese font: see README, deployment"
    doc = one_page()
    render_pdf(doc)
    first = time.perf_counter()
    print(
        f"import {1000 * (IMPORTED - T0):.0f} ms, font {1000 * (loaded - start):.0f} ms, ", end=""
    )
    print(f"first render {1000 * (first - loaded):.0f} ms")
    long = one_page(rows=20, name="不锈钢精密轴承组件" * 22)
    for label, render in (
        ("one page, cut font", lambda: render_pdf(doc)),
        ("one page, whole font (baseline)", lambda: whole_font_baseline(doc)),
        ("20 rows × 200 characters, cut font", lambda: render_pdf(long)),
    ):
        print(f"{label}: {median_ms(render, rounds):.1f} ms warm")
    print(
        f"one page: {len(render_pdf(doc)) / 1024:.0f} KiB, {len(render_pdf(long)) / 1024:.0f} KiB long"
    )


if __name__ == "__main__":
    main()
