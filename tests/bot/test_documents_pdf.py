"""Printable documents: rendered to PDF, opened again with pypdf, read back as text."""

from __future__ import annotations

import logging
from io import BytesIO
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from pypdf import PdfReader

from bot.documents.files import pdf_file
from bot.documents.fonts import FONT_PACKAGE, CutFont, Typeface, load_typeface, system_typeface
from bot.documents.layout import Align, Field, PrintDocument, Signature, Table
from bot.documents.pdf import column_widths, render_pdf
from botapi_emulator.emulator import BotApiEmulator

TOKEN = "123456789:AAF-documents-test-token"
ALICE = 1001
R = Align.RIGHT


@pytest.fixture(scope="module")
def typeface() -> Typeface:
    found = system_typeface()
    assert isinstance(found, CutFont), f"no Chinese font: install {FONT_PACKAGE}"
    return found


def products(stem: str, rows: int, length: int) -> tuple[tuple[str, ...], ...]:
    """`rows` lines whose names are `length` characters long, each ending in its marker E<n>."""
    return tuple(
        ((f"P{n:02d}-" + stem * 200)[:length] + f"-E{n:02d}", "12", "¥18,000.00")
        for n in range(rows)
    )


def application(*, rows: int = 2, name_length: int = 30, note: str = "无") -> PrintDocument:
    return PrintDocument(
        title="合同申报单",
        number=Field("编号", "HT-2026-0012"),
        issued=Field("日期", "2026-11-29"),
        fields=(Field("客户", "上海华东精密机械有限公司"), Field("备注", note)),
        tables=(
            Table(
                ("品名", "数量", "金额"),
                products("不锈钢精密轴承组件", rows, name_length),
                ("合计", "24", "¥360,000.00"),
                (Align.LEFT, R, R),
            ),
        ),
        signatures=(
            Signature("销售经理审签", date=Field("日期", "")),
            Signature("销售代表", "李伟"),
        ),
    )


def english(*, rows: int = 2, name_length: int = 30, note: str = "None") -> PrintDocument:
    return PrintDocument(
        title="Contract application",
        number=Field("No.", "HT-2026-0012"),
        issued=Field("Issued", "2026-11-29"),
        fields=(Field("Customer", "Shanghai Precision Machinery"), Field("Note", note)),
        tables=(
            Table(
                ("Product", "Qty", "Amount"),
                products("stainless bearing assembly ", rows, name_length),
                ("Total", "24", "¥360,000.00"),
                (Align.LEFT, R, R),
            ),
        ),
        signatures=(Signature("Sales manager's approval", date=Field("Date", "")),),
    )


def pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def squeezed(text: str) -> str:
    return "".join(text.split())


def embedded_fonts(pdf: bytes) -> list[Any]:
    page = PdfReader(BytesIO(pdf)).pages[0]
    fonts = page["/Resources"]["/Font"].values()
    return [font.get_object()["/DescendantFonts"][0].get_object() for font in fonts]


def test_chinese_comes_back_out_as_text(typeface: Typeface) -> None:
    pdf = render_pdf(application(), typeface)
    (text,) = pages(pdf)
    for printed in (
        "合同申报单",
        "销售经理审签",
        "¥360,000.00",
        "上海华东精密机械有限公司",
        "1 / 1",
    ):
        assert printed in text
    assert "?" not in text


def test_the_embedded_font_holds_only_the_document_s_glyphs(typeface: Typeface) -> None:
    pdf = render_pdf(application(), typeface)
    (font,) = embedded_fonts(pdf)
    program = font["/FontDescriptor"]["/FontFile2"].get_object().get_data()
    assert font["/Subtype"] == "/CIDFontType2"  # TrueType outlines, embedded
    assert len(program) < 100_000  # the whole system font is megabytes


def test_english_document(typeface: Typeface) -> None:
    (text,) = pages(render_pdf(english(), typeface))
    for printed in (
        "Contract application",
        "Sales manager's approval",
        "¥360,000.00",
        "No. HT-2026-0012",
    ):
        assert printed in text


@pytest.mark.parametrize(
    ("build", "stem"),
    [(application, "交货期为合同签订后三十个工作日内。"), (english, "delivery in two lots, ")],
)
def test_a_long_table_runs_over_pages_with_its_headings_on_each(
    build: Any, stem: str, typeface: Typeface
) -> None:
    note = (stem * 100)[:497] + "END"
    doc = build(rows=20, name_length=200, note=note)
    texts = pages(render_pdf(doc, typeface))
    assert len(texts) >= 2
    for number, text in enumerate(texts, start=1):
        assert f"{number} / {len(texts)}" in text
        assert doc.title in text
        assert all(heading in text for heading in doc.tables[0].headers)
    whole = squeezed("".join(texts))
    for row in doc.tables[0].rows:
        assert squeezed(row[0]) in whole  # every name whole: wrapped, never clipped
    assert squeezed(note) in whole


def test_without_a_chinese_font_latin_prints_and_chinese_turns_to_question_marks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        fallback = load_typeface(())
    assert FONT_PACKAGE in caplog.text
    (english_text,) = pages(render_pdf(english(), fallback))
    assert "Contract application" in english_text
    assert "¥360,000.00" in english_text
    (chinese_text,) = pages(render_pdf(application(), fallback))
    assert "?????" in chinese_text  # 合同申报单
    assert "HT-2026-0012" in chinese_text


def test_a_character_the_font_lacks_prints_as_a_question_mark(
    typeface: Typeface, caplog: pytest.LogCaptureFixture
) -> None:
    doc = PrintDocument("客户 🙂 档案", Field("编号", "1"), Field("日期", "2026-11-29"))
    (text,) = pages(render_pdf(doc, typeface))
    assert "客户 ? 档案" in text
    assert "missing" not in caplog.text  # fpdf2's warning about glyphs it could not draw


@pytest.mark.parametrize(
    ("natural", "room", "widths"),
    [
        ([10, 20, 10], 80, [20, 40, 20]),  # everything fits: grow in proportion
        ([300, 15, 25], 170, [130, 15, 25]),  # the long name wraps, the numbers keep their width
        ([300, 100, 20], 170, [112.5, 37.5, 20]),  # two wide columns share what is left
    ],
)
def test_column_widths(natural: list[float], room: float, widths: list[float]) -> None:
    assert column_widths(natural, room) == pytest.approx(widths)
    assert sum(column_widths(natural, room)) == pytest.approx(room)


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("合同申报单 HT-12", "合同申报单 HT-12.pdf"),
        ("delivery/note.PDF", "delivery-note.PDF"),
        ("  ", "document.pdf"),
    ],
)
def test_the_file_name_the_chat_shows(given: str, shown: str) -> None:
    assert pdf_file(b"%PDF", given).filename == shown


async def test_a_document_sent_into_the_chat_arrives_whole(typeface: Typeface) -> None:
    pdf = render_pdf(application(), typeface)
    async with BotApiEmulator(TOKEN) as emulator:
        url = emulator.url
        emulator.add_user(ALICE, "Alice")
        emulator.send_text(ALICE, "/start")
        bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(url)))
        try:
            sent = await bot.send_document(ALICE, pdf_file(pdf, "合同申报单 HT-2026-0012"))
        finally:
            await bot.session.close()
        stored = emulator.transcript(ALICE)[-1].document
    assert sent.document is not None
    assert sent.document.file_name == "合同申报单 HT-2026-0012.pdf"
    assert stored is not None
    assert stored.data == pdf
    assert "销售经理审签" in pages(stored.data)[0]
