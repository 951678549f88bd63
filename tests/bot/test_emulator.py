"""The Bot API emulator against a real aiogram Bot + Dispatcher (long polling over HTTP)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram_dialog import Dialog, DialogManager, StartMode, Window, setup_dialogs
from aiogram_dialog.widgets.input import ManagedTextInput, TextInput
from aiogram_dialog.widgets.kbd import Button, SwitchTo
from aiogram_dialog.widgets.text import Const, Format
from aiohttp import web

from botapi_emulator import BotApiEmulator, SandboxUser, wait_idle
from botapi_emulator._html import HtmlParseError, parse_html, render_for_terminal

TOKEN = "123456789:AAF-sandbox-test-token"
ALICE, BOB = 1001, 1002


def choose_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text="Approve", callback_data="approve"),
                InlineKeyboardButton(text="Reject", callback_data="reject"),
            ],
            [
                InlineKeyboardButton(
                    text="Invite", url="https://t.me/salesbot_sandbox_bot?start=inv42"
                )
            ],
        ]
    )


def make_router() -> Router:
    router = Router()

    @router.message(Command("kb"))
    async def keyboard(message: Message) -> None:
        await message.answer("Choose:", reply_markup=choose_keyboard())

    @router.callback_query(F.data.in_({"approve", "reject"}))
    async def chosen(callback: CallbackQuery) -> None:
        assert isinstance(callback.message, Message)
        await callback.message.edit_text(f"You chose <b>{callback.data}</b>", parse_mode="HTML")
        await callback.answer(f"Done: {callback.data}")

    @router.message(Command("notify"))
    async def notify(message: Message, command: CommandObject, bot: Bot) -> None:
        assert message.from_user is not None
        await bot.send_message(int(command.args or 0), f"Ping from {message.from_user.first_name}")

    @router.message(F.photo)
    async def photo(message: Message) -> None:
        assert message.photo is not None
        await message.answer(f"photo {message.photo[-1].file_size} bytes")

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(f"echo: {message.text}")

    return router


@dataclass
class Sandbox:
    emu: BotApiEmulator
    bot: Bot
    dp: Dispatcher

    def user(self, user_id: int = ALICE, name: str = "Alice") -> SandboxUser:
        return self.emu.user(user_id, name)


def make_bot(url: str) -> Bot:
    return Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(url)))


@asynccontextmanager
async def polling(dp: Dispatcher) -> AsyncIterator[Sandbox]:
    """Emulator + Bot + ``dp`` polling it; stops everything cleanly."""
    emu = BotApiEmulator(TOKEN)
    url = await emu.start()
    bot = make_bot(url)
    task = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=5))
    try:
        await emu.wait_until_polling()
        yield Sandbox(emu, bot, dp)
    finally:
        await dp.stop_polling()
        await task
        await bot.session.close()
        await emu.stop()


@pytest.fixture
async def echo() -> AsyncIterator[Sandbox]:
    dp = Dispatcher()
    dp.include_router(make_router())
    async with polling(dp) as running:
        yield running


@pytest.mark.asyncio
async def test_get_me_returns_the_token_id(echo: Sandbox) -> None:
    me = await echo.bot.get_me()
    assert me.id == echo.bot.id == 123456789
    assert me.is_bot
    assert me.username == "salesbot_sandbox_bot"


@pytest.mark.asyncio
async def test_echo_through_the_driver(echo: Sandbox) -> None:
    alice = echo.user()
    await alice.send("hello")
    assert alice.last_text() == "echo: hello"
    assert [(m.from_bot, m.text) for m in alice.messages()] == [
        (False, "hello"),
        (True, "echo: hello"),
    ]
    assert [m.message_id for m in alice.messages()] == [1, 2]
    call = echo.emu.calls_to("sendMessage")[-1]
    assert call.chat_id == ALICE
    assert call.params["text"] == "echo: hello"
    assert call.ok


@pytest.mark.asyncio
async def test_tap_edits_the_message_and_answers(echo: Sandbox) -> None:
    alice = echo.user()
    await alice.send("/kb")
    assert alice.buttons() == ["Approve", "Reject", "Invite"]
    await alice.tap("Approve")
    message = alice.last()
    assert message.text == "You chose approve"
    assert message.html == "You chose <b>approve</b>"
    assert message.entities == [{"type": "bold", "offset": 10, "length": 7}]
    assert message.edits == 1
    assert message.history[0].text == "Choose:"
    assert message.reply_markup is None
    answer = alice.last_callback_answer()
    assert answer is not None
    assert answer["text"] == "Done: approve"
    assert not answer["show_alert"]
    assert alice.alerts == [answer]


@pytest.mark.asyncio
async def test_tap_regex_deep_link_and_missing_button(echo: Sandbox) -> None:
    alice = echo.user()
    await alice.send("/kb")
    await alice.tap("Invite")  # a deep link to this bot sends /start <code>
    assert alice.messages()[-2].text == "/start inv42"
    assert alice.last_text() == "echo: /start inv42"
    keyboard = alice.keyboard_message()
    assert keyboard is not None
    await alice.tap(re.compile("Rej.*"), message=keyboard)
    assert alice.last_text() == "echo: /start inv42"  # newest message is still the echo
    assert keyboard.text == "You chose reject"
    with pytest.raises(LookupError, match="visible buttons: none"):
        await alice.tap("Approve", message=keyboard)
    with pytest.raises(LookupError, match="no bot message with buttons"):
        await alice.tap("Approve")


@pytest.mark.asyncio
async def test_updates_are_delivered_once_with_offset(echo: Sandbox) -> None:
    alice = echo.user()
    for text in ("one", "two", "three"):
        await alice.send(text)
    assert [m.text for m in alice.bot_messages()] == ["echo: one", "echo: two", "echo: three"]
    polls = echo.emu.calls_to("getUpdates")
    delivered = [u["update_id"] for call in polls if call.ok for u in call.result]
    assert delivered == [1, 2, 3]
    offsets = [call.params.get("offset") for call in polls]
    assert offsets[0] is None
    assert {"2", "3", "4"} <= set(offsets)
    assert echo.emu.pending_updates == 0
    assert echo.emu.confirmed_update_id == 3
    # aiogram also asks for aiogram-dialog style unknown entries; they are ignored
    assert echo.emu.allowed_updates == {"message", "callback_query"}


@pytest.mark.asyncio
async def test_message_not_modified_reaches_aiogram(echo: Sandbox) -> None:
    alice = echo.user()
    await alice.send("/kb")
    message = alice.last()
    with pytest.raises(TelegramBadRequest, match="message is not modified: specified new"):
        await echo.bot.edit_message_text(
            text="Choose:",
            chat_id=ALICE,
            message_id=message.message_id,
            reply_markup=choose_keyboard(),
        )
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await echo.bot.edit_message_text(text="x", chat_id=ALICE, message_id=999)
    with pytest.raises(TelegramBadRequest, match="message can't be edited"):
        await echo.bot.edit_message_text(text="x", chat_id=ALICE, message_id=1)
    assert await echo.bot.delete_message(ALICE, message.message_id)
    assert message.deleted
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await echo.bot.delete_message(ALICE, message.message_id)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await echo.bot.edit_message_reply_markup(chat_id=ALICE, message_id=message.message_id)


@pytest.mark.asyncio
async def test_button_data_over_64_bytes_is_refused(echo: Sandbox) -> None:
    await echo.user().send("hi")

    def markup(data: str) -> InlineKeyboardMarkup:
        button = InlineKeyboardButton(text="x", callback_data=data)
        return InlineKeyboardMarkup(inline_keyboard=[[button]])

    sent = await echo.bot.send_message(ALICE, "ok", reply_markup=markup("a" * 64))
    assert sent.reply_markup is not None
    for data in ("a" * 65, "é" * 33):
        with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
            await echo.bot.send_message(ALICE, "too long", reply_markup=markup(data))


@pytest.mark.asyncio
async def test_chat_access_errors(echo: Sandbox) -> None:
    echo.emu.add_user(BOB, "Bob")
    with pytest.raises(TelegramForbiddenError, match="bot can't initiate conversation"):
        await echo.bot.send_message(BOB, "hello")
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await echo.bot.send_message(4242, "hello")
    bob = echo.user(BOB, "Bob")
    await bob.send("/start")
    echo.emu.block_user(BOB)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await echo.bot.send_message(BOB, "hello")
    echo.emu.unblock_user(BOB)
    await echo.bot.send_message(BOB, "hello again")
    assert bob.last_text() == "hello again"


@pytest.mark.asyncio
async def test_injected_flood_error(echo: Sandbox) -> None:
    await echo.user().send("hi")
    echo.emu.inject_error(
        "sendmessage",
        error_code=429,
        description="Too Many Requests: retry after 3",
        retry_after=3,
        chat_id=ALICE,
        text_contains="burst",  # never the echo of "hi", should it come late (it made a flake)
    )
    with pytest.raises(TelegramRetryAfter) as caught:
        await echo.bot.send_message(ALICE, "burst")
    assert caught.value.retry_after == 3
    await echo.bot.send_message(ALICE, "after the pause")
    failed = echo.emu.calls_to("sendMessage")[-2]
    assert (failed.ok, failed.error_code) == (False, 429)


@pytest.mark.asyncio
async def test_an_injected_error_can_pick_a_message_by_its_text(echo: Sandbox) -> None:
    await echo.user().send("hi")
    echo.emu.inject_error(
        "sendMessage", error_code=502, description="Bad Gateway", text_contains="second"
    )

    await echo.bot.send_message(ALICE, "first")
    with pytest.raises(TelegramServerError, match="Bad Gateway"):
        await echo.bot.send_message(ALICE, "the second")
    await echo.bot.send_message(ALICE, "the second again")

    assert echo.emu.injected_errors == []


@pytest.mark.asyncio
async def test_an_opt_in_rate_limit_answers_429_and_records_requests_inside_the_wait(
    echo: Sandbox,
) -> None:
    await echo.user().send("hi")
    echo.emu.limit_rate(3, retry_after=2)  # the calls below take milliseconds, not a second

    for n in range(3):
        await echo.bot.send_message(ALICE, f"m{n}")
    with pytest.raises(TelegramRetryAfter) as caught:
        await echo.bot.send_message(ALICE, "m3")
    assert caught.value.retry_after == 2
    with pytest.raises(TelegramRetryAfter):
        await echo.bot.send_message(ALICE, "m4")  # inside the flood wait

    [wait] = echo.emu.flood_waits
    assert (wait.call.params["text"], wait.until) == ("m3", wait.call.time + 2)
    assert [call.params["text"] for call in wait.violations] == ["m4"]
    echo.emu.limit_rate(None)
    await echo.bot.send_message(ALICE, "m5")
    outcomes = [c.error_code for c in echo.emu.calls_to("sendMessage")][-6:]
    assert outcomes == [None, None, None, 429, 429, None], "off again"


@pytest.mark.asyncio
async def test_malformed_html_is_refused(echo: Sandbox) -> None:
    await echo.user().send("hi")
    cases = {
        "<b>bold": 'Can\'t find end tag corresponding to start tag "b"',
        "<xyz>hi</xyz>": 'Unsupported start tag "xyz" at byte offset 0',
        "é <xyz>": 'Unsupported start tag "xyz" at byte offset 3',
        "a < b": 'Unsupported start tag "" at byte offset 2',
        "Tom & Jerry": 'Unescaped "&" at byte offset 4',
        "<b>x</i>": 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"',
    }
    for text, error in cases.items():
        with pytest.raises(TelegramBadRequest) as caught:
            await echo.bot.send_message(ALICE, text, parse_mode="HTML")
        assert f"Bad Request: can't parse entities: {error}" in caught.value.message
    sent = await echo.bot.send_message(
        ALICE, "😀 <b>hi</b> &amp; <a href='https://x.org'>link</a>", parse_mode="HTML"
    )
    assert sent.text == "😀 hi & link"
    assert sent.entities is not None
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        ("bold", 3, 2),
        ("text_link", 8, 4),
    ]
    assert sent.html_text == '😀 <b>hi</b> &amp; <a href="https://x.org">link</a>'
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await echo.bot.send_message(ALICE, "<b></b>", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await echo.bot.send_message(ALICE, "x" * 4097)


async def test_the_4096_limit_counts_the_parsed_text_of_sends_and_edits(echo: Sandbox) -> None:
    await echo.user().send("hi")
    tagged = "<b>" + "x" * 4000 + "</b>" + "&amp;" * 96  # 4,096 visible, far more in markup
    sent = await echo.bot.send_message(ALICE, tagged, parse_mode="HTML")
    with pytest.raises(
        TelegramBadRequest, match=r"^Telegram server says - Bad Request: message is too long$"
    ):
        await echo.bot.send_message(ALICE, tagged + "!", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="Bad Request: message is too long"):
        await echo.bot.edit_message_text(
            text="😀" * 2049, chat_id=ALICE, message_id=sent.message_id
        )  # 2,049 emoji are 4,098 UTF-16 units, as Telegram counts


def test_html_parser_details() -> None:
    plain, entities = parse_html(
        '<pre><code class="language-python">x = 1</code></pre><blockquote expandable>q</blockquote>'
        '<span class="tg-spoiler">s</span>&#128512;&quot;'
    )
    assert plain == 'x = 1qs😀"'
    assert entities == [
        {"type": "pre", "offset": 0, "length": 5, "language": "python"},
        {"type": "expandable_blockquote", "offset": 5, "length": 1},
        {"type": "spoiler", "offset": 6, "length": 1},
    ]
    assert parse_html("Tom & Jerry", strict_ampersand=False) == ("Tom & Jerry", [])
    with pytest.raises(HtmlParseError, match='must have class "tg-spoiler"'):
        parse_html("<span>x</span>")
    text, bold = parse_html("a <b>bold</b> 😀 <b>x</b>")
    assert render_for_terminal(text, bold, ansi=True) == "a \x1b[1mbold\x1b[22m 😀 \x1b[1mx\x1b[22m"
    assert render_for_terminal(text, bold, ansi=False) == "a bold 😀 x"


@pytest.mark.asyncio
async def test_answer_callback_query_only_once(echo: Sandbox) -> None:
    alice = echo.user()
    await alice.send("/kb")
    await alice.tap("Approve")
    query_id = alice.last_query_id
    assert query_id is not None
    too_old = "query is too old and response timeout expired or query id is invalid"
    with pytest.raises(TelegramBadRequest, match=too_old):
        await echo.bot.answer_callback_query(query_id, text="again")
    with pytest.raises(TelegramBadRequest, match=too_old):
        await echo.bot.answer_callback_query("12345")
    # a tap nobody handles can be answered for 15 minutes only
    stale = echo.emu.tap(ALICE, alice.last().message_id, "ignored")
    await alice.settle()
    echo.emu.advance_clock(15 * 60 + 1)
    with pytest.raises(TelegramBadRequest, match=too_old):
        await echo.bot.answer_callback_query(stale)


@pytest.mark.asyncio
async def test_commands_are_stored_per_scope_and_language(echo: Sandbox) -> None:
    bot = echo.bot
    await bot.set_my_commands([BotCommand(command="start", description="Start")])
    await bot.set_my_commands(
        [BotCommand(command="start", description="Начать")], language_code="ru"
    )
    await bot.set_my_commands(
        [BotCommand(command="help", description="Help")], scope=BotCommandScopeAllPrivateChats()
    )
    commands = echo.emu.commands
    assert commands[("default", "")] == [{"command": "start", "description": "Start"}]
    assert commands[("default", "ru")] == [{"command": "start", "description": "Начать"}]
    assert commands[("all_private_chats", "")] == [{"command": "help", "description": "Help"}]
    ru = await bot.get_my_commands(language_code="ru")
    assert [c.description for c in ru] == ["Начать"]
    assert await bot.delete_my_commands(language_code="ru")
    assert await bot.get_my_commands(language_code="ru") == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Bad Command", description="x")])


@pytest.mark.asyncio
async def test_files_both_ways(echo: Sandbox) -> None:
    alice = echo.user()
    await alice.send("hi")
    report = BufferedInputFile(b"PK\x03\x04 fake xlsx", filename="report.xlsx")
    sent = await echo.bot.send_document(ALICE, report, caption="<b>Weekly</b>", parse_mode="HTML")
    assert sent.document is not None
    assert sent.document.file_name == "report.xlsx"
    stored = alice.last()
    assert stored.document is not None
    assert (stored.document.filename, stored.document.data) == (
        "report.xlsx",
        b"PK\x03\x04 fake xlsx",
    )
    assert (stored.caption, stored.html) == ("Weekly", "<b>Weekly</b>")
    call = echo.emu.calls_to("sendDocument")[-1]
    assert call.params["document"].filename == "report.xlsx"
    # resend by file_id
    again = await echo.bot.send_document(ALICE, sent.document.file_id)
    assert again.document is not None
    assert again.document.file_id == sent.document.file_id
    # the user sends a photo; the bot downloads it through getFile + /file/bot<token>/<path>
    await alice.send_photo(b"\xff\xd8 jpeg bytes")
    assert alice.last_text() == "photo 13 bytes"
    photo = alice.messages()[-2].photo
    assert photo is not None
    downloaded = await echo.bot.download(photo.file_id)
    assert downloaded is not None
    assert downloaded.read() == b"\xff\xd8 jpeg bytes"


@pytest.mark.asyncio
async def test_messages_from_outside_and_wait_idle(echo: Sandbox) -> None:
    alice, bob = echo.user(), echo.user(BOB, "Bob")
    await bob.send("/start")
    await alice.send(f"/notify {BOB}")
    assert bob.last_text() == "Ping from Alice"

    async def job() -> None:  # e.g. a scheduler job, not triggered by an update
        for n in range(3):
            await echo.bot.send_message(BOB, f"reminder {n}")

    task = asyncio.create_task(job())
    await asyncio.sleep(0)  # the job has started: its first call is on its way
    # A bot in another process says nothing of being busy: done is a quiet period of no calls.
    await wait_idle(echo.emu, quiet=0.2)
    await task
    assert [m.text for m in bob.bot_messages()][-3:] == ["reminder 0", "reminder 1", "reminder 2"]


@pytest.mark.asyncio
async def test_settle_timeout_names_the_problem() -> None:
    async with BotApiEmulator(TOKEN) as emu:
        user = SandboxUser(emu, ALICE, timeout=0.3)
        with pytest.raises(TimeoutError, match="never fetched: is the bot polling"):
            await user.send("anyone?")
        assert emu.pending_updates == 1


@pytest.mark.asyncio
async def test_wire_level_details() -> None:
    async with BotApiEmulator(TOKEN) as emu:
        session = AiohttpSession(api=TelegramAPIServer.from_base(emu.base_url or ""))
        http = await session.create_session()
        try:
            async with http.get(f"{emu.base_url}/bot1:wrong/getMe") as resp:
                assert resp.status == 401
                assert await resp.json() == {
                    "ok": False,
                    "error_code": 401,
                    "description": "Unauthorized",
                }
            async with http.post(f"{emu.base_url}/bot{TOKEN}/noSuchMethod") as resp:
                assert resp.status == 404
            async with http.get(f"{emu.base_url}/bot{TOKEN}/GETME") as resp:
                body: dict[str, Any] = await resp.json()
                assert body["result"]["id"] == 123456789
            emu.add_user(ALICE, "Alice")
            emu.send_text(ALICE, "/start")
            payload = {
                "chat_id": ALICE,
                "text": "json body",
                "reply_markup": {"inline_keyboard": []},
            }
            async with http.post(f"{emu.base_url}/bot{TOKEN}/sendMessage", json=payload) as resp:
                assert (await resp.json())["result"]["text"] == "json body"
            async with http.get(f"{emu.base_url}/bot{TOKEN}/getUpdates?timeout=0") as resp:
                updates = (await resp.json())["result"]
            assert updates[0]["message"]["entities"] == [
                {"type": "bot_command", "offset": 0, "length": 6}
            ]
        finally:
            await session.close()


@pytest.mark.asyncio
async def test_webhook_delivery() -> None:
    async with BotApiEmulator(TOKEN) as emu:
        from aiogram.webhook.aiohttp_server import SimpleRequestHandler

        bot = make_bot(emu.base_url or "")
        dp = Dispatcher()
        dp.include_router(make_router())
        app = web.Application()
        SimpleRequestHandler(dispatcher=dp, bot=bot, secret_token="s3cret").register(
            app, path="/hook"
        )
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        try:
            await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret")
            info = await bot.get_webhook_info()
            assert info.url.endswith("/hook")
            alice = emu.user(ALICE, "Alice")
            await alice.send("via webhook")
            assert alice.last_text() == "echo: via webhook"
            await bot.delete_webhook(drop_pending_updates=True)
        finally:
            await runner.cleanup()
            await bot.session.close()


class NameSG(StatesGroup):
    menu = State()
    name = State()


def make_dialog_dispatcher() -> Dispatcher:
    async def getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
        return {"name": dialog_manager.dialog_data.get("name", "stranger")}

    async def on_name(
        message: Message, widget: ManagedTextInput[str], manager: DialogManager, value: str
    ) -> None:
        manager.dialog_data["name"] = value
        await manager.switch_to(NameSG.menu)

    dialog = Dialog(
        Window(
            Format("Hi <b>{name}</b>"),
            SwitchTo(Const("Set name"), id="set", state=NameSG.name),
            Button(Const("Refresh"), id="refresh"),
            state=NameSG.menu,
            getter=getter,
            parse_mode="HTML",
        ),
        Window(
            Const("Type your name"),
            TextInput(id="name", on_success=on_name),
            SwitchTo(Const("Back"), id="back", state=NameSG.menu),
            state=NameSG.name,
        ),
    )
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message, dialog_manager: DialogManager) -> None:
        await dialog_manager.start(NameSG.menu, mode=StartMode.RESET_STACK)

    dp = Dispatcher()
    dp.include_router(router)
    dp.include_router(dialog)
    setup_dialogs(dp)
    return dp


@pytest.mark.asyncio
async def test_aiogram_dialog_round_trip() -> None:
    async with polling(make_dialog_dispatcher()) as running:
        carol = running.user(ALICE, "Carol")
        await carol.send("/start")
        menu = carol.last()
        assert (menu.text, carol.buttons()) == ("Hi stranger", ["Set name", "Refresh"])
        await carol.tap("Refresh")  # same content: "message is not modified" is swallowed
        assert carol.last_callback_answer() is not None
        assert menu.edits == 0
        await carol.tap("Set name")
        assert (menu.text, carol.buttons(), menu.edits) == ("Type your name", ["Back"], 1)
        await carol.send("Carol")
        assert menu.reply_markup is None  # the old window lost its keyboard
        assert carol.last().text == "Hi Carol"
        assert carol.last().entities == [{"type": "bold", "offset": 3, "length": 5}]
        assert carol.buttons() == ["Set name", "Refresh"]
        methods = [c.method for c in running.emu.calls if c.method != "getUpdates"]
        assert "editMessageReplyMarkup" in methods
        not_modified = [
            c for c in running.emu.calls if c.description and "not modified" in c.description
        ]
        assert not_modified
