"""The terminal chat driven by scripted input against an echo bot on the emulator."""

from __future__ import annotations

import asyncio
import io
import os
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.filters import Command, CommandObject
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from botapi_emulator import BotApiEmulator, Persona, run_terminal_chat

TOKEN = "42424242:AAF-terminal-test"
PEOPLE = [
    Persona(1, "Alice", "sales manager"),
    Persona(2, "Bob", "sales rep", language_code="ru"),
]


def make_router() -> Router:
    router = Router()

    @router.message(Command("kb"))
    async def keyboard(message: Message) -> None:
        rows = [
            [
                InlineKeyboardButton(text="Approve", callback_data="approve"),
                InlineKeyboardButton(text="Reject", callback_data="reject"),
            ],
            [InlineKeyboardButton(text="Back", callback_data="back")],
        ]
        await message.answer(
            "<b>Deal #7</b> needs a decision",
            parse_mode="HTML",
            reply_markup=InlineKeyboardMarkup(inline_keyboard=rows),
        )

    @router.callback_query(F.data == "approve")
    async def approve(callback: CallbackQuery) -> None:
        assert isinstance(callback.message, Message)
        await callback.message.edit_text("Deal #7 approved")
        await callback.answer("Approved!", show_alert=True)

    @router.message(Command("notify"))
    async def notify(message: Message, command: CommandObject, bot: Bot) -> None:
        await bot.send_message(int(command.args or 0), "New lead assigned to you")

    @router.message(Command("report"))
    async def report(message: Message) -> None:
        data = BufferedInputFile(b"x" * 12_300, filename="pipeline.xlsx")
        await message.answer_document(data, caption="Weekly pipeline")

    @router.message(Command("menu"))
    async def menu(message: Message) -> None:
        keyboard = ReplyKeyboardMarkup(
            keyboard=[
                [KeyboardButton(text="Deals"), KeyboardButton(text="Reports")],
                [KeyboardButton(text="Check in", request_location=True)],
            ],
            resize_keyboard=True,
        )
        await message.answer("Main menu", reply_markup=keyboard)

    @router.message(F.location)
    async def location(message: Message) -> None:
        assert message.location is not None
        where = f"{message.location.latitude}, {message.location.longitude}"
        await message.answer(f"Checked in at {where}", reply_markup=ReplyKeyboardRemove())

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(f"echo: {message.text}")

    return router


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    emu = BotApiEmulator(TOKEN)
    url = await emu.start()
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(url)))
    dp = Dispatcher()
    dp.include_router(make_router())
    polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=5))
    try:
        await emu.wait_until_polling()
        yield emu
    finally:
        await dp.stop_polling()
        await polling
        await bot.session.close()
        await emu.stop()


class TtyStringIO(io.StringIO):
    def isatty(self) -> bool:
        return True


async def run_script(emulator: BotApiEmulator, lines: list[str], **kwargs: Any) -> str:
    stdout = kwargs.pop("stdout", None) or io.StringIO()
    stdin = io.StringIO("".join(line + "\n" for line in lines))
    await run_terminal_chat(emulator, PEOPLE, stdin=stdin, stdout=stdout, **kwargs)
    return stdout.getvalue()


@pytest.mark.asyncio
async def test_buttons_taps_and_switching_people(emulator: BotApiEmulator) -> None:
    output = await run_script(
        emulator,
        [
            "/kb",
            "#1",
            ":as 2",
            "hi there",
            ":as alice",
            "/notify 2",
            ":who",
            ":as 2",
            "#9",
            ":quit",
            "never read",
        ],
    )
    # banner
    assert "  1. Alice — sales manager" in output
    assert "  2. Bob — sales rep" in output
    assert ":as N" in output
    # numbered keyboard, one line per row
    assert "Bot: Deal #7 needs a decision\n  [#1] Approve  [#2] Reject\n  [#3] Back\n" in output
    # the tap edits the message and shows the alert
    assert "(tapped [#1] Approve)" in output
    assert "! Approved!" in output
    assert "Bot (edited): Deal #7 approved" in output
    # switching people
    assert "You are now 2. Bob — sales rep." in output
    assert "Bob> hi there\nBot: echo: hi there" in output
    assert "You are now 1. Alice — sales manager." in output
    assert "(new message for Bob — :as 2 to read it)" in output
    assert " *1. Alice — sales manager" in output
    assert "  2. Bob — sales rep  (1 new)" in output
    tail = output.split("Alice> :as 2")[-1]
    assert "Bot: New lead assigned to you" in tail
    assert "(no button 9: no message with buttons" in tail
    assert "never read" not in output
    assert output.rstrip().endswith("Bye.")
    assert "\x1b[" not in output  # not a tty: no ANSI codes


@pytest.mark.asyncio
async def test_tty_bold_documents_and_history(emulator: BotApiEmulator) -> None:
    output = await run_script(emulator, ["/kb", "/kb", "/report", ":history"], stdout=TtyStringIO())
    assert "\x1b[1mDeal #7\x1b[22m needs a decision" in output
    assert "[document: pipeline.xlsx, 12 KB]" in output
    assert "Weekly pipeline" in output
    history = output.split("Alice> :history")[-1]
    assert "You:\x1b[22m /kb" in history
    older, newer = history.split("You:\x1b[22m /kb", 2)[1:]
    assert "  [Approve]  [Reject]\n  [Back]\n" in older  # only the newest keyboard is numbered
    assert "  [#1] Approve  [#2] Reject\n  [#3] Back\n" in newer
    assert output.rstrip().endswith("Bye.")  # EOF ends the chat


@pytest.mark.asyncio
async def test_reads_a_real_pipe(emulator: BotApiEmulator) -> None:
    read_fd, write_fd = os.pipe()
    with os.fdopen(write_fd, "w") as writer:
        writer.write("hello from a pipe\n:quit\n")
    stdout = io.StringIO()
    with os.fdopen(read_fd, "r") as reader:
        await run_terminal_chat(emulator, PEOPLE[:1], stdin=reader, stdout=stdout)
    assert "Bot: echo: hello from a pipe" in stdout.getvalue()


@pytest.mark.asyncio
async def test_reply_keyboard_and_location(emulator: BotApiEmulator) -> None:
    output = await run_script(emulator, ["/menu", "Deals", ":loc 55.75 37.61"])
    assert "Reply keyboard (type a label to press it):\n  [Deals]  [Reports]\n" in output
    assert "[Check in → :loc LAT LON]" in output
    assert "Bot: echo: Deals" in output
    assert "Bot: Checked in at 55.75, 37.61\n(reply keyboard removed)" in output

    user = emulator.user(1)
    await user.send("/menu")
    await user.tap("Reports")  # reply keyboard buttons send their label
    assert user.last_text() == "echo: Reports"
    with pytest.raises(ValueError, match="use share_location"):
        await user.tap("Check in")


@pytest.mark.asyncio
async def test_menu_shows_the_most_specific_command_menu(emulator: BotApiEmulator) -> None:
    emulator.commands[("default", "")] = [{"command": "help", "description": "Help"}]
    emulator.commands[("default", "ru")] = [{"command": "help", "description": "Помощь"}]
    emulator.commands[("chat:1", "")] = [{"command": "deal", "description": "Ask for terms"}]
    output = await run_script(emulator, [":menu", ":as 2", ":menu"])
    alice, bob = output.split("Alice> :menu")[1].split("Bob — sales rep.")
    assert alice.strip().splitlines()[0] == "/deal — Ask for terms"
    assert "/help" not in alice
    assert "  /help — Помощь" in bob


async def test_regression_a_bare_number_is_text_even_when_a_button_has_that_number(
    emulator: BotApiEmulator,
) -> None:
    """Before: typing 2 as a quantity tapped button 2 when the newest message had one. After:
    only #2 taps; the banner says so."""
    output = await run_script(emulator, ["/kb", "2", "#2", ":quit"])
    assert "#3                 tap button 3" in output
    assert "Alice> 2\nBot: echo: 2" in output
    assert "(tapped [#2] Reject)" in output


async def test_host_commands_run_and_are_listed(emulator: BotApiEmulator) -> None:
    said: list[str] = []

    async def at(rest: str) -> str:
        said.append(rest)
        return f"moved to {rest}"

    output = await run_script(
        emulator,
        [":at fri 15:00", ":help", ":quit"],
        commands={":at": at},
        commands_help="  :at DAY HH:MM      move the clock",
    )
    assert said == ["fri 15:00"]
    assert "moved to fri 15:00" in output
    assert output.count(":at DAY HH:MM      move the clock") == 2, "in the banner and in :help"
