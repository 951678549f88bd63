"""The cheapest bot tier: the real dispatcher fed `Update` objects directly, a bot whose session
records every Bot API call instead of sending it, and aiogram-dialog's MockMessageManager for the
forms' own messages. No HTTP, no polling; the database is a copy of one seeded template."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import shutil
import sqlite3
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    GetMe,
    SendMessage,
    TelegramMethod,
)
from aiogram.types import (
    CallbackQuery,
    Chat,
    Location,
    Message,
    PhotoSize,
    ReplyKeyboardMarkup,
    Update,
    User,
)
from aiogram_dialog.api.entities import NewMessage, OldMessage
from aiogram_dialog.test_tools import MockMessageManager
from aiogram_dialog.utils import CB_SEP, split_reply_callback
from harness import FakeClock

from bot.config import load_settings
from bot.main import App, build_app
from bot.sandbox.app import SANDBOX_TOKEN
from bot.sandbox.demo import seed_demo, seed_demo_work
from storage.migrate import upgrade
from storage.uow import SqlUnitOfWork

ADMIN, GM, VP, MANAGER, SUPERVISOR, REP, REP_ZH, ACCOUNTANT = range(1000, 1008)
BOT_USER = User(id=123456789, is_bot=True, first_name="Salesbot")


class RecordingSession(BaseSession):
    """Answers every Bot API call as Telegram would, and keeps the call."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[TelegramMethod[Any]] = []
        self._message_ids = itertools.count(100_000)

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[Any],
        timeout: int | None = None,  # noqa: ASYNC109 (BaseSession's signature)
    ) -> Any:
        self.calls.append(method)
        if isinstance(method, GetMe):
            return User(id=bot.id, is_bot=True, first_name="Salesbot", username="salesbot_bot")
        if isinstance(method, SendMessage | EditMessageText | EditMessageReplyMarkup):
            return Message(
                message_id=next(self._message_ids),
                date=datetime.now(UTC),
                chat=Chat(id=int(method.chat_id or 0), type="private"),
                from_user=BOT_USER,
                text=getattr(method, "text", None),
            )
        return True

    async def stream_content(self, *args: Any, **kwargs: Any) -> AsyncIterator[bytes]:
        raise NotImplementedError
        yield b""

    async def close(self) -> None:
        return None


@dataclass
class Fed:
    app: App
    bot: Bot
    session: RecordingSession
    mm: MockMessageManager
    db_path: Path
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def _user(self, user_id: int) -> User:
        return User(id=user_id, is_bot=False, first_name=f"User {user_id}", language_code="en")

    def _chat(self, user_id: int) -> Chat:
        return Chat(id=user_id, type="private")

    async def feed(self, update: Update) -> None:
        await self.app.dp.feed_update(self.bot, update)
        await self.settle()

    async def settle(self) -> None:
        """Until the forms started or shown in the background (aiogram-dialog's bg manager)
        are handled too."""
        while True:
            await asyncio.sleep(0)  # a bg event is a call_soon that then creates its task
            running = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            if not running:
                return
            _, left = await asyncio.wait(running, timeout=10)
            if left:
                raise TimeoutError(f"{len(left)} background task(s) still running")

    async def send(self, user_id: int, text: str) -> None:
        message = Message(
            message_id=next(self._ids),
            date=datetime.now(UTC),
            chat=self._chat(user_id),
            from_user=self._user(user_id),
            text=text,
        )
        await self.feed(Update(update_id=next(self._ids), message=message))

    async def share_location(self, user_id: int, latitude: float, longitude: float) -> None:
        message = Message(
            message_id=next(self._ids),
            date=datetime.now(UTC),
            chat=self._chat(user_id),
            from_user=self._user(user_id),
            location=Location(latitude=latitude, longitude=longitude),
        )
        await self.feed(Update(update_id=next(self._ids), message=message))

    async def send_photo(self, user_id: int, file_id: str) -> None:
        message = Message(
            message_id=next(self._ids),
            date=datetime.now(UTC),
            chat=self._chat(user_id),
            from_user=self._user(user_id),
            photo=[PhotoSize(file_id=file_id, file_unique_id=file_id, width=1280, height=960)],
        )
        await self.feed(Update(update_id=next(self._ids), message=message))

    async def typed_outside_a_form(self, user_id: int, text: str = "Hello?") -> bool:
        """Whether typed words now reach no form: outside one they look customers up."""
        shown = len(self.windows(user_id))
        await self.send(user_id, text)
        windows = self.windows(user_id)
        return len(windows) > shown and (windows[-1].text or "").startswith(
            f"Matches for “{text}”:"
        )

    def reply_buttons(self, user_id: int) -> list[str]:
        """The labels of the reply keyboard under the person's current form window."""
        markup = self.window(user_id).reply_markup
        assert isinstance(markup, ReplyKeyboardMarkup), "no reply keyboard"
        return [split_reply_callback(b.text)[0] or "" for row in markup.keyboard for b in row]

    async def tap(self, user_id: int, data: str, message: Message | None = None) -> str:
        """A tap with any callback data (on a notification unless `message` is given); its id."""
        on = message or Message(
            message_id=next(self._ids),
            date=datetime.now(UTC),
            chat=self._chat(user_id),
            from_user=BOT_USER,
            text="A notification",
        )
        callback = CallbackQuery(
            id=f"cb{next(self._ids)}",
            from_user=self._user(user_id),
            chat_instance="chat",
            message=on,
            data=data,
        )
        await self.feed(Update(update_id=next(self._ids), callback_query=callback))
        return callback.id

    async def click(self, user_id: int, label: str) -> str:
        """A tap on the one button whose label starts with `label` in the person's current form
        window."""
        window = self.window(user_id)
        assert window.reply_markup is not None, f"no buttons under: {window.text}"
        if isinstance(window.reply_markup, ReplyKeyboardMarkup):
            typed = [
                button.text
                for row in window.reply_markup.keyboard
                for button in row
                if (split_reply_callback(button.text)[0] or "").startswith(label)
            ]
            assert len(typed) == 1, f"{len(typed)} reply buttons {label!r} under: {window.text}"
            await self.send(user_id, typed[0])  # a reply button is text the person sends
            return ""
        found = [
            button.callback_data
            for row in window.reply_markup.inline_keyboard
            for button in row
            if button.text.startswith(label) and button.callback_data
        ]
        assert len(found) == 1, f"{len(found)} buttons {label!r} under: {window.text}"
        return await self.tap(user_id, found[0], message=window)

    def window(self, user_id: int) -> Message:
        """The person's form window shown last."""
        return self.windows(user_id)[-1]

    @staticmethod
    def intent(window: Message) -> str:
        """The id of the form a window belongs to, as its buttons carry it."""
        assert window.reply_markup is not None
        data = window.reply_markup.inline_keyboard[0][0].callback_data or ""
        return data.split(CB_SEP)[0]

    def answer(self, callback_id: str) -> AnswerCallbackQuery | None:
        """What the bot answered to a tap, if it answered with text (a bare answer is None)."""
        for call in self.session.calls:
            if isinstance(call, AnswerCallbackQuery) and call.callback_query_id == callback_id:
                return call
        return None

    def answered(self, callback_id: str) -> bool:
        return self.answer(callback_id) is not None or callback_id in self.mm.answered_callbacks

    def replies(self, user_id: int) -> list[str]:
        """The bot's plain messages to the person (not the forms' own windows)."""
        return [
            str(call.text)
            for call in self.session.calls
            if isinstance(call, SendMessage) and call.chat_id == user_id
        ]

    def windows(self, user_id: int) -> list[Message]:
        """The forms' messages shown to the person, oldest first (keyboard removals left out)."""
        return [m for m in self.mm.sent_messages if m.chat.id == user_id and m.text is not None]

    def rows(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table: what "nothing changed" compares."""
        with sqlite3.connect(self.db_path) as db:
            tables = [
                name
                for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            ]
            return {t: sorted(db.execute(f'SELECT * FROM "{t}"'), key=repr) for t in tables}

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.app.sessionmaker)


class FormMessages(MockMessageManager):
    """aiogram-dialog's recorder, able to record a window whose buttons are a reply keyboard
    (aiogram's Message model admits only an inline one, so it is set without validation)."""

    async def show_message(
        self, bot: Bot, new_message: NewMessage, old_message: OldMessage | None
    ) -> OldMessage:
        markup = new_message.reply_markup
        if not isinstance(markup, ReplyKeyboardMarkup):
            return await super().show_message(bot, new_message, old_message)
        shown = await super().show_message(
            bot, dataclasses.replace(new_message, reply_markup=None), old_message
        )
        self.sent_messages[-1] = self.sent_messages[-1].model_copy(update={"reply_markup": markup})
        return dataclasses.replace(shown, has_reply_keyboard=True)


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo organisation with a morning's work under way, migrated and seeded once."""
    path = tmp_path_factory.mktemp("template") / "bot.db"

    async def build() -> None:
        url = f"sqlite+aiosqlite:///{path}"
        await upgrade(url)
        settings, policy = load_settings(
            bot_token=SANDBOX_TOKEN, database_url=url, redis_url=None, webhook_url=None
        )
        app = build_app(settings, policy, clock=FakeClock())
        try:
            async with SqlUnitOfWork(app.sessionmaker) as uow:
                await seed_demo(uow, FakeClock()())
                await seed_demo_work(uow, policy, FakeClock()())
        finally:
            await app.bot.session.close()
            await app.engine.dispose()

    asyncio.run(build())
    return path


@pytest.fixture
async def fed(tmp_path: Path, seeded_template: Path) -> AsyncIterator[Fed]:
    db_path = tmp_path / "bot.db"
    shutil.copy(seeded_template, db_path)
    settings, policy = load_settings(
        bot_token=SANDBOX_TOKEN,
        database_url=f"sqlite+aiosqlite:///{db_path}",
        admin_ids="1000",
        redis_url=None,
        webhook_url=None,
    )
    mm = FormMessages()
    app = build_app(settings, policy, clock=FakeClock(), message_manager=mm)
    session = RecordingSession()
    bot = Bot(SANDBOX_TOKEN, session=session)
    try:
        yield Fed(app, bot, session, mm, db_path)
    finally:
        await app.bot.session.close()
        await app.engine.dispose()
