"""Customers kept up to date, at the dispatcher tier (issue 11, item 6): editing from the card
with the register form's questions, the status history on the card, a visit's photos sent on a
tap, the rep recording the deal (成交) and customer service opening the customers handed to
them. The demo: Zhao Lei (REP) owns Minghua (confirmed prospect) and Golden Dragon (not yet
confirmed, a visit yesterday); Chen Jing (SUPERVISOR) keeps the register."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from aiogram.methods import SendMediaGroup, SendPhoto
from aiogram_dialog.utils import CB_SEP
from feed import REP, SUPERVISOR, Fed
from harness import FakeClock

from bot.core.customers import CustomerStatus, VisitDraft
from bot.core.policy import Policy
from bot.core.roles import Role
from bot.core.usecases import customer_register, visits
from bot.ui.cards import CustomerCb

NOW = FakeClock()()
CS = 3001
REFUSAL = "This button is no longer active."


def text(fed: Fed, user_id: int) -> str:
    return fed.window(user_id).text or ""


def buttons(fed: Fed, user_id: int) -> list[str]:
    markup = fed.window(user_id).reply_markup
    assert markup is not None
    return [button.text for row in markup.inline_keyboard for button in row]


def query(fed: Fed, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(fed.db_path) as db:
        return list(db.execute(sql))


async def ids(fed: Fed, *telegram_ids: int) -> list[int]:
    async with fed.uow() as uow:
        people = [await uow.people.by_telegram_id(t) for t in telegram_ids]
    return [p.id for p in people if p is not None]


async def customer_id(fed: Fed, name: str) -> int:
    ((found,),) = query(fed, f"SELECT id FROM customers WHERE name = '{name}'")
    assert isinstance(found, int)
    return found


async def open_card(fed: Fed, user_id: int, label: str) -> None:
    await fed.send(user_id, "/customer")
    await fed.click(user_id, "📋 My customers")
    await fed.click(user_id, label)


# --- editing ------------------------------------------------------------------------------------


async def test_the_owner_edits_a_field_and_the_card_shows_it_with_an_audit_entry(fed: Fed) -> None:
    await open_card(fed, REP, "🌱 Golden Dragon Pipes")
    await fed.click(REP, "✏️ Edit")
    summary = text(fed, REP)
    assert summary.startswith("<b>Edit customer</b>")
    assert "Company: Golden Dragon Pipes" in summary
    assert "Phone: +86 21 6888 8888" in summary, "the saved record, ready to change"
    assert "Save the changes?" in summary

    await fed.click(REP, "✏️ Contact person")
    await fed.send(REP, "Ms Wu")
    await fed.click(REP, "✏️ Note")
    await fed.send(REP, "x" * 501)
    assert fed.replies(REP)[-1] == "That is 501 characters; please keep it to 500."
    await fed.send(REP, "Buys in spring")
    await fed.click(REP, "💾 Save")

    card = text(fed, REP)
    assert card.startswith("<b>Golden Dragon Pipes</b>")
    assert "Contact person: Ms Wu" in card
    assert "Note: <i>Buys in spring</i>" in card
    assert query(fed, "SELECT action, comment FROM audit_log WHERE action = 'customer_edited'") == [
        ("customer_edited", "contact_name, note")
    ]


async def test_a_rename_to_another_customer_s_name_meets_the_duplicate_check(fed: Fed) -> None:
    await open_card(fed, REP, "🌱 Golden Dragon Pipes")
    await fed.click(REP, "✏️ Edit")
    await fed.click(REP, "✏️ Company")
    await fed.send(REP, "Minghua Trading")
    assert "This customer may already be registered:" in text(fed, REP)
    assert "Minghua Trading Co., Ltd." in text(fed, REP)
    assert "Golden Dragon" not in text(fed, REP), "not a duplicate of itself"

    await fed.click(REP, "➡️ It is a different customer")
    await fed.click(REP, "💾 Save")
    assert text(fed, REP).startswith("<b>Minghua Trading</b>")
    minghua = await customer_id(fed, "Minghua Trading Co., Ltd.")
    assert query(fed, "SELECT comment FROM customer_events WHERE action = 'declared_distinct'")[
        -1
    ] == (f"customer:{minghua}",)


async def test_cancel_on_an_edit_asks_about_the_changes_and_keeps_the_record(fed: Fed) -> None:
    await open_card(fed, REP, "🌱 Golden Dragon Pipes")
    before = query(fed, "SELECT * FROM customers")
    await fed.click(REP, "✏️ Edit")
    await fed.click(REP, "✖ Cancel")
    assert text(fed, REP) == "Discard your changes? The record stays as it was."
    await fed.click(REP, "🗑 Discard")
    assert query(fed, "SELECT * FROM customers") == before


# --- the status history ------------------------------------------------------------------------


async def test_the_card_shows_the_status_history_newest_first_and_shortened(fed: Fed) -> None:
    (supervisor,) = await ids(fed, SUPERVISOR)
    dragon = await customer_id(fed, "Golden Dragon Pipes")
    await open_card(fed, REP, "🌱 Golden Dragon Pipes")
    assert "<b>Status history</b>\nMon 11-23 10:00 · Prospect · Zhao Lei" in text(fed, REP)

    async with fed.uow() as uow:
        for n in range(12):  # lost and reopened, six times
            status = CustomerStatus.lost if n % 2 == 0 else CustomerStatus.prospect
            at = NOW + timedelta(hours=1, minutes=n)
            await customer_register.change_status(
                uow, actor_id=supervisor, customer_id=dragon, status=status, now=at
            )
    await open_card(fed, REP, "🌱 Golden Dragon Pipes")

    lines = text(fed, REP).split("<b>Status history</b>\n")[1].splitlines()
    assert lines[0] == "Mon 11-23 11:11 · Prospect · Chen Jing", "newest first"
    assert lines[1] == "Mon 11-23 11:10 · Not won · Chen Jing"
    assert lines[10] == "… and 3 earlier", "the last 10 of 13"


# --- the rep records the deal ------------------------------------------------------------------


async def test_the_rep_marks_a_confirmed_prospect_won_after_confirming(fed: Fed) -> None:
    await open_card(fed, REP, "🌱 Golden Dragon Pipes")
    assert not any(b.startswith("🏆") for b in buttons(fed, REP)), "not confirmed yet"
    await fed.click(REP, "◀ Back")
    await fed.click(REP, "🌱 Minghua Trading")

    await fed.click(REP, "🏆 Mark as won")
    assert text(fed, REP).startswith("Mark <b>Minghua Trading Co., Ltd.</b> as won?")
    await fed.click(REP, "🏆 Yes, it is won")

    assert text(fed, REP).startswith("<b>Minghua Trading Co., Ltd.</b> · Won")
    assert "· Won · Zhao Lei" in text(fed, REP), "in the history"
    (supervisor,) = await ids(fed, SUPERVISOR)
    assert query(fed, "SELECT recipient_id FROM outbox WHERE template = 'customer_won'") == [
        (supervisor,)
    ]
    # 成交 opens the deal; the demo's request #1 still waits for approval, so none is carried
    assert query(fed, "SELECT stage, request_id FROM deals") == [("negotiating", None)]
    assert "🤝 Agreed, reservation to sign · since Mon 11-23" in text(fed, REP).splitlines()


# --- photos ------------------------------------------------------------------------------------


async def log_photos(fed: Fed, *photos: str, at: str = "Golden Dragon Pipes") -> None:
    (rep,) = await ids(fed, REP)
    customer = await customer_id(fed, at)
    draft = VisitDraft(customer, "revisit", NOW.date(), "Saw the plant", "low", photos=photos)
    async with fed.uow() as uow:
        await visits.log_visit(uow, actor_id=rep, draft=draft, policy=Policy(), now=NOW)


@pytest.mark.parametrize(
    ("photos", "method"),
    [(("AgAD-1", "AgAD-2"), SendMediaGroup), (("AgAD-1",), SendPhoto)],
    ids=["an album", "one photo"],
)
async def test_a_visit_s_photos_are_sent_to_the_viewer_on_a_tap(
    fed: Fed, photos: tuple[str, ...], method: type
) -> None:
    await log_photos(fed, *photos)
    await open_card(fed, SUPERVISOR, "🌱 Golden Dragon Pipes")
    label = f"🖼 Photos ({len(photos)}) · Mon 11-23"
    assert label in buttons(fed, SUPERVISOR)

    await fed.click(SUPERVISOR, label)

    (sent,) = [call for call in fed.session.calls if isinstance(call, SendMediaGroup | SendPhoto)]
    assert isinstance(sent, method)
    assert sent.chat_id == SUPERVISOR
    if isinstance(sent, SendMediaGroup):
        assert [m.media for m in sent.media] == list(photos)
    else:
        assert sent.photo == photos[0]
    assert text(fed, SUPERVISOR).startswith("<b>Golden Dragon Pipes</b>"), "the card again"


# --- customer service --------------------------------------------------------------------------


async def add_service_person(fed: Fed, telegram_id: int, name: str) -> int:
    async with fed.uow() as uow:
        person = await uow.people.add(
            telegram_id=telegram_id,
            full_name=name,
            role=Role.customer_service,
            reports_to=None,
            language="en",
            joined_at=NOW,
        )
        await uow.commit()
    return person.id


async def hand_minghua_to_service(fed: Fed) -> int:
    rep, supervisor = await ids(fed, REP, SUPERVISOR)
    minghua = await customer_id(fed, "Minghua Trading Co., Ltd.")
    await log_photos(fed, "AgAD-1", "AgAD-2", at="Minghua Trading Co., Ltd.")
    service = await add_service_person(fed, CS, "Qian Hui")
    async with fed.uow() as uow:
        await customer_register.mark_won(uow, actor_id=rep, customer_id=minghua, now=NOW)
        await customer_register.hand_over(
            uow, actor_id=supervisor, customer_id=minghua, recipient_id=service, now=NOW
        )
    return minghua


async def test_customer_service_opens_a_handed_customer_read_only(fed: Fed) -> None:
    await hand_minghua_to_service(fed)

    await fed.send(CS, "/customer")
    menu = buttons(fed, CS)
    assert "🤝 Handed to me" in menu
    assert "➕ Register a customer" not in menu
    await fed.click(CS, "🤝 Handed to me")
    assert buttons(fed, CS)[0] == "🤝 Minghua Trading Co., Ltd."
    assert "Golden Dragon Pipes" not in " ".join(buttons(fed, CS))

    await fed.click(CS, "🤝 Minghua Trading")
    assert text(fed, CS).startswith("<b>Minghua Trading Co., Ltd.</b> · Handed over")
    assert buttons(fed, CS) == [
        "🖼 Photos (2) · Mon 11-23",
        "🖨 Reception record",  # printing the visits changes nothing
        "◀ Back",
    ], "read-only"

    await fed.click(CS, "🖼 Photos (2)")
    (album,) = [call for call in fed.session.calls if isinstance(call, SendMediaGroup)]
    assert (album.chat_id, [m.media for m in album.media]) == (CS, ["AgAD-1", "AgAD-2"])


async def test_the_handover_message_opens_the_customer_for_customer_service(fed: Fed) -> None:
    minghua = await hand_minghua_to_service(fed)

    await fed.tap(CS, CustomerCb(customer=minghua).pack())

    assert text(fed, CS).startswith("<b>Minghua Trading Co., Ltd.</b>")


async def test_customer_service_with_nothing_handed_is_told_so(fed: Fed) -> None:
    await hand_minghua_to_service(fed)
    await add_service_person(fed, CS + 1, "Wu Xin")

    await fed.send(CS + 1, "/customer")
    await fed.click(CS + 1, "🤝 Handed to me")
    assert "No customer has been handed over to you yet." in text(fed, CS + 1)


@pytest.mark.parametrize(
    "forged", ["edit", "win", "visit", "status", "ph:1"], ids=lambda f: f.replace(":", " ")
)
async def test_forged_card_buttons_of_customer_service_are_refused(fed: Fed, forged: str) -> None:
    await hand_minghua_to_service(fed)
    await fed.send(CS, "/customer")
    await fed.click(CS, "🤝 Handed to me")
    await fed.click(CS, "🤝 Minghua Trading")
    window = fed.window(CS)
    before, shown = query(fed, "SELECT * FROM customers"), len(fed.mm.sent_messages)

    callback_id = await fed.tap(CS, f"{fed.intent(window)}{CB_SEP}{forged}", message=window)

    answer = fed.answer(callback_id)
    assert answer is not None
    assert (answer.text, answer.show_alert) == (REFUSAL, True)
    assert query(fed, "SELECT * FROM customers") == before
    assert len(fed.mm.sent_messages) == shown
    assert not any(isinstance(c, SendMediaGroup | SendPhoto) for c in fed.session.calls)
