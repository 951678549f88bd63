"""The production notice and the delivery notes through the bot (dispatcher tier): the marketing
VP signs the notice from its card, the desk marks the goods ready and files two notes, the sales
manager signs, the desk ships and sends the customer's signed copy, the accountant books; the
deal is delivered when all is booked; the note prints as a PDF in the reader's language."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from io import BytesIO

from aiogram.methods import SendDocument
from aiogram.types import BufferedInputFile
from feed import ACCOUNTANT, MANAGER, REP, REP_ZH, VP, Fed
from order_builders import DESK_ID, SIGNED, contract_in_force
from pypdf import PdfReader
from test_forms_dispatcher import buttons, window_text

from bot.core.usecases import delivery, production
from bot.ui.cards import NoteAct, NoteCb, ProductionAct, ProductionCb

DESK = 1008
COPY = "AgACAgIAAxkBAAIBcustomercopy"


def queued(fed: Fed, template: str) -> list[int]:
    with sqlite3.connect(fed.db_path) as db:
        return [
            r
            for (r,) in db.execute(
                "SELECT recipient_id FROM outbox WHERE template = ?", (template,)
            )
        ]


def one(fed: Fed, sql: str) -> tuple[object, ...]:
    with sqlite3.connect(fed.db_path) as db:
        return db.execute(sql).fetchone()  # type: ignore[no-any-return]


async def in_force_and_called(fed: Fed) -> int:
    contract = await contract_in_force(fed)
    async with fed.uow() as uow:
        await production.production_notice_due(uow, contract, SIGNED, fed.app.policy)
        await uow.commit()
    return contract.id


async def signed_and_ready(fed: Fed) -> int:
    contract_id = await in_force_and_called(fed)
    await fed.tap(VP, ProductionCb(contract=contract_id, act=ProductionAct.sign).pack())
    await fed.send(DESK, "/pending")
    await fed.click(DESK, "📦 HT-2026-0001")
    await fed.click(DESK, "📦 The goods are ready")
    return contract_id


async def file_note(fed: Fed, *typed: str) -> None:
    await fed.send(DESK, "/pending")
    await fed.click(DESK, "📦 HT-2026-0001")
    await fed.click(DESK, "📝 File a delivery note")
    for answer in typed:
        await fed.send(DESK, answer)
    await fed.click(DESK, "💾 File the note")


async def through_to_booked(fed: Fed, note_id: int) -> None:
    await fed.tap(MANAGER, NoteCb(note=note_id, act=NoteAct.sign).pack())
    await fed.tap(DESK, NoteCb(note=note_id, act=NoteAct.open).pack())
    await fed.click(DESK, "🚚 Goods out")
    await fed.click(DESK, "📷 The customer's signed copy")
    await fed.send_photo(DESK, COPY)
    await fed.tap(ACCOUNTANT, NoteCb(note=note_id, act=NoteAct.open).pack())
    await fed.click(ACCOUNTANT, "📒")


async def test_the_vp_signs_the_production_notice_in_chinese(fed: Fed) -> None:
    contract_id = await in_force_and_called(fed)
    assert queued(fed, "production_to_sign") == [3]  # Zhang Wei, up Zhao Lei's line

    await fed.send(VP, "/pending")
    assert "待签生产通知单：1" in window_text(fed, VP)
    await fed.click(VP, "📦 HT-2026-0001")
    screen = window_text(fed, VP)
    assert "生产通知单：⏳ 尚未签发" in screen
    assert "Steel pipes DN50：订货 100 · 已开单 0 · 剩余 100" in screen
    await fed.click(VP, "✍️ 签发生产通知单")

    assert "生产通知单：✅" in window_text(fed, VP)
    signed_by, goods = one(
        fed, f"SELECT production_signed_by, goods_ready_at FROM contracts WHERE id = {contract_id}"
    )
    assert (signed_by, goods) == (3, None)
    assert sorted(queued(fed, "production_signed")) == [6, 9]  # the rep and the desk
    assert queued(fed, "production_to_sign_done") == [3]


async def test_only_the_vp_may_tap_sign_on_the_production_card(fed: Fed) -> None:
    contract_id = await in_force_and_called(fed)
    data = ProductionCb(contract=contract_id, act=ProductionAct.sign).pack()
    before = fed.rows()

    for someone in (REP, REP_ZH, MANAGER, DESK, ACCOUNTANT):
        answer = fed.answer(await fed.tap(someone, data))
        assert answer is not None
        assert answer.show_alert
    assert fed.rows() == before, "nothing changed"


async def test_two_notes_deliver_the_contract_and_the_accountant_books_them(fed: Fed) -> None:
    await signed_and_ready(fed)
    assert "Goods: ✅" in window_text(fed, DESK)

    await fed.send(DESK, "/pending")
    assert "Goods ready to deliver: 1" in window_text(fed, DESK)
    await fed.click(DESK, "📦 HT-2026-0001")
    await fed.click(DESK, "📝 File a delivery note")
    assert "Line 1 of 2: <b>Steel pipes DN50</b>" in window_text(fed, DESK)
    assert "Ordered 100 · on notes so far 0 · left 100" in window_text(fed, DESK)
    await fed.send(DESK, "sixty")
    assert "Please type a number" in fed.replies(DESK)[-1]
    await fed.send(DESK, "60")
    assert "Line 2 of 2: <b>Flanges</b>" in window_text(fed, DESK)
    await fed.send(DESK, "51")
    assert fed.replies(DESK)[-1] == (
        "Too much of “Flanges”: 50 ordered, 0 on notes so far, 51 asked. "
        "At most 50 more can go on a note."
    )
    await fed.send(DESK, "50")
    assert "Steel pipes DN50: <b>60</b>" in window_text(fed, DESK)
    await fed.click(DESK, "💾 File the note")
    assert "Delivery note No. 1 filed." in window_text(fed, DESK)
    assert queued(fed, "delivery_note_to_sign") == [4]  # Liu Yang, the sales manager

    await fed.send(MANAGER, "/pending")
    assert "Delivery notes to sign: 1" in window_text(fed, MANAGER)
    await fed.tap(MANAGER, NoteCb(note=1, act=NoteAct.sign).pack())
    assert "signed, waiting for the goods to go out" in window_text(fed, MANAGER)

    await fed.send(DESK, "/pending")
    assert "Delivery notes to ship: 1" in window_text(fed, DESK)
    await fed.click(DESK, "🚚 HT-2026-0001-1")
    await fed.click(DESK, "🚚 Goods out")
    await fed.click(DESK, "📷 The customer's signed copy")
    await fed.send(DESK, "here it is")
    assert (
        fed.replies(DESK)[-1] == "Please send a photo of the customer's signed copy, or the file."
    )
    await fed.send_photo(DESK, COPY)
    assert one(fed, "SELECT status, signed_copy FROM delivery_notes WHERE id = 1") == (
        "copy_received",
        COPY,
    )
    assert queued(fed, "delivery_copy_to_book") == [8]

    await fed.send(ACCOUNTANT, "/pending")  # the accountant reads Chinese
    assert "待入账的签收回单：1" in window_text(fed, ACCOUNTANT)
    await fed.click(ACCOUNTANT, "🚚 HT-2026-0001-1")
    await fed.click(ACCOUNTANT, "📒")
    assert "财务已入账" in window_text(fed, ACCOUNTANT)
    assert one(fed, "SELECT stage FROM deals WHERE id = 1") == ("contracted",)

    await file_note(fed, "41", "40")
    assert "Too much of “Steel pipes DN50”: 100 ordered, 60 on notes so far, 41 asked." in (
        "\n".join(fed.replies(DESK))
    )
    assert one(fed, "SELECT seq, status FROM delivery_notes WHERE id = 2") == (2, "filed")
    await through_to_booked(fed, 2)
    assert one(fed, "SELECT stage FROM deals WHERE id = 1") == ("delivered",)


async def test_a_third_note_for_one_more_pipe_is_refused(fed: Fed) -> None:
    """The desk's form for one more pipe is at its summary while the second note takes all
    that was left (filed from another device): filing the third is refused, nothing changes."""
    await signed_and_ready(fed)
    await file_note(fed, "60", "50")
    await fed.send(DESK, "/pending")
    await fed.click(DESK, "📦 HT-2026-0001")
    await fed.click(DESK, "📝 File a delivery note")
    await fed.send(DESK, "1")  # the flanges are all on note 1: the form goes to its summary
    assert "Steel pipes DN50: <b>1</b>" in window_text(fed, DESK)
    async with fed.uow() as uow:
        await delivery.file_note(
            uow,
            actor_id=DESK_ID,
            contract_id=1,
            quantities=[Decimal(40), Decimal(0)],
            policy=fed.app.policy,
            now=SIGNED,
        )
    before = fed.rows()

    answer = fed.answer(await fed.click(DESK, "💾 File the note"))

    assert answer is not None
    assert answer.text == (
        "Too much of “Steel pipes DN50”: 100 ordered, 100 on notes so far, 1 asked. "
        "At most 0 more can go on a note."
    )
    after = fed.rows()
    for table in ("delivery_notes", "delivery_lines", "outbox", "audit_log"):
        assert after[table] == before[table], f"{table} changed"


async def test_the_note_prints_as_a_pdf_in_the_readers_language(fed: Fed) -> None:
    await signed_and_ready(fed)
    await file_note(fed, "60", "50")
    await fed.tap(ACCOUNTANT, NoteCb(note=1, act=NoteAct.open).pack())
    assert "📄 PDF" in buttons(fed, ACCOUNTANT)

    await fed.click(ACCOUNTANT, "📄 PDF")

    (sent,) = [c for c in fed.session.calls if isinstance(c, SendDocument)]
    assert sent.chat_id == ACCOUNTANT
    assert isinstance(sent.document, BufferedInputFile)
    assert sent.document.filename == "发货单 HT-2026-0001-1.pdf"
    text = "".join(PdfReader(BytesIO(sent.document.data)).pages[0].extract_text().split())
    for expected in ("发货单", "HT-2026-0001", "本单数量", "SteelpipesDN50", "60", "仓库", "WuHua"):
        assert expected in text
