"""A rendered document as the file a handler sends into the chat."""

from __future__ import annotations

from aiogram.types import BufferedInputFile


def pdf_file(data: bytes, filename: str) -> BufferedInputFile:
    """`bot.send_document(chat_id, pdf_file(render_pdf(doc), "合同申报单 HT-12"))`.

    The name is what the reader sees in the chat: ".pdf" is added when missing, and path
    separators become dashes (Telegram keeps the name as given).
    """
    name = filename.replace("/", "-").replace("\\", "-").strip() or "document"
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    return BufferedInputFile(data, filename=name)
