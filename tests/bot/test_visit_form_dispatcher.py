"""The /visit form on a phone (dispatcher tier): the required answers first; on site, the
location asked with Telegram's one-tap request button and its distance to the customer shown
before saving; everything optional one tap away on the summary."""

from __future__ import annotations

from dataclasses import replace

from aiogram.types import ReplyKeyboardMarkup
from feed import REP, Fed

DRAGON = "Golden Dragon Pipes"
AT_DRAGON = (31.2304, 121.4737)


def window_text(fed: Fed) -> str:
    return fed.window(REP).text or ""


async def place_dragon(fed: Fed) -> None:
    async with fed.uow() as uow:
        rep = await uow.people.by_telegram_id(REP)
        assert rep is not None
        dragon = (await uow.customers.owned_by([rep.id], query=DRAGON))[0]
        await uow.customers.save(replace(dragon, latitude=AT_DRAGON[0], longitude=AT_DRAGON[1]))
        await uow.commit()


async def start_on_site_visit(fed: Fed) -> None:
    await fed.send(REP, "/visit")
    await fed.click(REP, DRAGON)
    await fed.click(REP, "First visit")
    await fed.send(REP, "Met the buyer.")
    await fed.click(REP, "Medium")


async def test_the_location_is_asked_with_the_one_tap_request_button(fed: Fed) -> None:
    await start_on_site_visit(fed)
    assert window_text(fed).startswith("Where are you?")
    markup = fed.window(REP).reply_markup
    assert isinstance(markup, ReplyKeyboardMarkup)
    request = [b for row in markup.keyboard for b in row if b.request_location]
    assert [b.text for b in request] == ["📍 Send my location"]
    assert fed.reply_buttons(REP)[1:] == ["Skip", "✖ Cancel"]


async def test_the_distance_is_told_before_saving_and_far_is_said(fed: Fed) -> None:
    await place_dragon(fed)
    await start_on_site_visit(fed)
    await fed.share_location(REP, AT_DRAGON[0] + 0.01, AT_DRAGON[1])  # about 1.1 km north
    lines = window_text(fed).splitlines()
    assert "Location: 📍 1.1 km from the customer" in lines
    assert (
        "⚠️ That is far from the customer's location: the visit will be marked for the supervisor."
        in lines
    )
    assert "Save this visit? Tap a field to change it." in lines


async def test_a_location_near_the_customer_is_told_in_metres_without_a_warning(fed: Fed) -> None:
    await place_dragon(fed)
    await start_on_site_visit(fed)
    await fed.share_location(REP, AT_DRAGON[0] + 0.001, AT_DRAGON[1])
    text = window_text(fed)
    assert "Location: 📍 111 m from the customer" in text.splitlines()
    assert "⚠️" not in text


async def test_skipping_the_location_leads_to_the_summary_with_the_optional_fields(
    fed: Fed,
) -> None:
    await start_on_site_visit(fed)
    await fed.click(REP, "Skip")
    summary = window_text(fed)
    assert "Location: —" in summary.splitlines()
    assert "Follow-up: —" in summary.splitlines()
    await fed.click(REP, "✏️ Follow-up")
    await fed.click(REP, "In 3 days")
    assert "Follow-up: Thu 11-26" in window_text(fed).splitlines()
