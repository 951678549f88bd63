"""Forged taps: every callback payload is parsed and range-checked before it reaches a use case
or the database, and a forged one gets the same polite refusal as a stale button.

Before: `ap:<59 digits>:a` (inside Telegram's 64 bytes) reached the database and crashed with
OverflowError; a plan card's unknown action code opened the comment form; inside a form, a
forged `i:urgent` was taken as the visit's purchase intent and the save ended in "Something went
wrong" with a traceback. After: the refusal "This button is no longer active.", no traceback,
nothing changed."""

from __future__ import annotations

import logging
from enum import Enum

import pytest
from aiogram.filters.callback_data import CallbackData
from aiogram_dialog.utils import CB_SEP
from feed import REP, SUPERVISOR, Fed
from pool_builders import pool_minghua

import bot.main  # noqa: F401 (every router, so every CallbackData class is defined)
from bot.core.models import MAX_ID
from dialogs.picker import CUSTOMER_LIST
from dialogs.visit.dialog import INTENT, KIND, VISIT_DAY

REFUSAL = "This button is no longer active."
FORGED_IDS = {
    "59 digits": "9" * 59,
    "just above the id range": str(MAX_ID + 1),
    "zero": "0",
    "negative": "-1",
    "not a number": "abc",
}


def _card_classes() -> list[type[CallbackData]]:
    found: list[type[CallbackData]] = []
    todo = list(CallbackData.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted(found, key=lambda c: c.__prefix__)


def _kind(cls: type[CallbackData], name: str) -> str:
    """ "id" for a record id bounded to 1..MAX_ID, "enum" for a code from a set; a field of any
    other kind would let a forged value through, so it fails the test run."""
    field = cls.model_fields[name]
    if isinstance(field.annotation, type) and issubclass(field.annotation, Enum):
        return "enum"
    bounds = {type(m).__name__: m for m in field.metadata}
    if field.annotation is int and "Ge" in bounds and "Le" in bounds:
        ge, le = bounds["Ge"].ge, bounds["Le"].le
        if ge >= 1 and le <= MAX_ID:
            return "id"
    raise TypeError(f"{cls.__name__}.{name}: use a bounded record id or an enum")


def _valid(cls: type[CallbackData], name: str) -> str:
    annotation = cls.model_fields[name].annotation
    if _kind(cls, name) == "enum" and isinstance(annotation, type) and issubclass(annotation, Enum):
        return str(next(iter(annotation)).value)
    return "1"


def _forged(cls: type[CallbackData]) -> list[tuple[str, str]]:
    """Every forged payload of one button kind, with what is forged in it."""
    cases = []
    names = list(cls.model_fields)
    for name in names:
        forged = FORGED_IDS if _kind(cls, name) == "id" else {"an unknown code": "zz", "empty": ""}
        for label, value in forged.items():
            parts = [value if n == name else _valid(cls, n) for n in names]
            cases.append((cls.__separator__.join([cls.__prefix__, *parts]), f"{name}: {label}"))
    return cases


def _button_kinds() -> list[object]:
    return [pytest.param(cls, id=cls.__prefix__) for cls in _card_classes()]


def test_every_card_button_kind_is_covered() -> None:
    prefixes = [
        "ap",
        "cm",
        "ct",
        "cu",
        "dl",
        "dn",
        "fv",
        "iv",
        "mt",
        "pl",
        "pn",
        "rq",
        "rv",
        "tg",
        "wo",
    ]
    assert [c.__prefix__ for c in _card_classes()] == prefixes


def errors_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("form_open", [False, True], ids=["no form open", "a form open"])
@pytest.mark.parametrize("kind", _button_kinds())
async def test_regression_oversized_and_out_of_range_callback_numbers_are_refused(
    fed: Fed, caplog: pytest.LogCaptureFixture, kind: type[CallbackData], form_open: bool
) -> None:
    """Every kind of card button, every forged number or code, tapped one after the other in
    one chat; with a form open the tap meets the form first (aiogram-dialog takes taps without
    a form id for the open form), and the form stays as it was after each of them."""
    if form_open:
        await fed.send(SUPERVISOR, "/customer")
    for data, forged in _forged(kind):
        before, windows = fed.rows(), len(fed.mm.sent_messages)

        callback_id = await fed.tap(SUPERVISOR, data)

        answer = fed.answer(callback_id)
        assert answer is not None, f"{forged}: the tap is answered"
        assert (answer.text, answer.show_alert) == (REFUSAL, True), forged
        assert fed.rows() == before, f"{forged}: nothing changed"
        assert len(fed.mm.sent_messages) == windows, f"{forged}: no form opened or redrawn"
        assert errors_logged(caplog) == [], forged


# ---- inside forms ------------------------------------------------------------------------------


async def to_visit_intent(fed: Fed) -> None:
    await fed.send(REP, "/visit")
    await fed.click(REP, "Golden Dragon Pipes")
    await fed.click(REP, "First visit")
    await fed.send(REP, "Met the buyer")
    assert fed.window(REP).text == "Purchase intent?"


async def to_visit_customers(fed: Fed) -> None:
    await fed.send(REP, "/visit")


async def to_visit_kind(fed: Fed) -> None:
    await fed.send(REP, "/visit")
    await fed.click(REP, "Golden Dragon Pipes")


async def to_visit_day_picker(fed: Fed) -> None:
    await to_visit_kind(fed)
    await fed.click(REP, "Phone call")
    await fed.send(REP, "Asked for the catalogue")
    await fed.click(REP, "Low")
    await fed.click(REP, "✏️ Date")
    await fed.click(REP, "📅 Another day")


async def to_own_prospect_card(fed: Fed) -> None:
    """The rep's own prospect: Confirm and Reject are the supervisor's, hidden here."""
    await fed.send(REP, "/customer")
    await fed.click(REP, "📋 My customers")
    await fed.click(REP, "🌱 Golden Dragon Pipes")


async def to_pool(fed: Fed) -> None:
    await pool_minghua(fed)
    await fed.send(REP, "/pool")


async def to_pooled_card(fed: Fed) -> None:
    """The last owner on a pooled card: a rep claims (refused until the block ends), never
    assigns."""
    await to_pool(fed)
    await fed.click(REP, "Minghua")


@pytest.mark.parametrize(
    ("reach", "forged"),
    [
        pytest.param(to_pool, "pc:" + "9" * 59, id="pooled customer id of 59 digits"),
        pytest.param(to_pool, "pc:2", id="an owned customer the pool list does not show"),
        pytest.param(to_pooled_card, "assign", id="assign from the pool, hidden for a rep"),
        pytest.param(to_visit_intent, f"{INTENT}:urgent", id="visit intent not in the list"),
        pytest.param(to_visit_kind, f"{KIND}:meeting", id="visit kind not in the list"),
        pytest.param(
            to_visit_customers, f"{CUSTOMER_LIST}:" + "9" * 59, id="customer id of 59 digits"
        ),
        pytest.param(to_visit_customers, f"{CUSTOMER_LIST}:abc", id="customer id not a number"),
        pytest.param(to_visit_customers, f"{CUSTOMER_LIST}:0", id="customer id zero"),
        pytest.param(
            to_visit_customers, f"{CUSTOMER_LIST}s:" + "9" * 40, id="page number of 40 digits"
        ),
        pytest.param(
            to_visit_day_picker, f"{VISIT_DAY}:" + "9" * 40, id="calendar day of 40 digits"
        ),
        pytest.param(to_own_prospect_card, "confirm", id="a hidden button"),
        pytest.param(to_own_prospect_card, "win", id="won for an unconfirmed prospect"),
        pytest.param(to_own_prospect_card, "ph:1", id="photos of a visit with none"),
        pytest.param(to_own_prospect_card, "ph:" + "9" * 59, id="visit id of 59 digits"),
    ],
)
async def test_regression_forged_form_buttons_are_refused(
    fed: Fed, caplog: pytest.LogCaptureFixture, reach: object, forged: str
) -> None:
    """Before: aiogram-dialog handed any data with a widget's id to the widget: `i:urgent` became
    the visit's intent (the save then crashed), `int()` of letters or 59 digits raised or reached
    the database, a hidden manager button still ran. After: only what the window shows is
    taken."""
    await reach(fed)  # type: ignore[operator]
    window = fed.window(REP)
    before, windows = fed.rows(), len(fed.mm.sent_messages)

    callback_id = await fed.tap(REP, f"{fed.intent(window)}{CB_SEP}{forged}", message=window)

    answer = fed.answer(callback_id)
    assert answer is not None
    assert (answer.text, answer.show_alert) == (REFUSAL, True)
    assert fed.rows() == before, "nothing changed, the form's state included"
    assert len(fed.mm.sent_messages) == windows
    assert errors_logged(caplog) == []


async def test_the_visit_form_goes_on_after_a_refused_intent(fed: Fed) -> None:
    await to_visit_intent(fed)
    window = fed.window(REP)
    await fed.tap(REP, f"{fed.intent(window)}{CB_SEP}{INTENT}:urgent", message=window)

    await fed.click(REP, "Medium")
    assert (fed.window(REP).text or "").startswith("Where are you?")
