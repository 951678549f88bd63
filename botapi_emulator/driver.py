"""Drive the emulator like a person would: send text, tap buttons, read the chat.

Every action waits until the bot has settled: the update was confirmed by the bot's
getUpdates (or delivered to its webhook) and the bot is done with it (see `wait_idle`).
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from botapi_emulator._models import ApiCall, CallbackQueryInfo, ChatMessage, UserInfo

__all__ = [
    "DEFAULT_QUIET",
    "DEFAULT_TIMEOUT",
    "Emulator",
    "SandboxUser",
    "wait_idle",
    "wait_settled",
]

DEFAULT_QUIET = 0.15
DEFAULT_TIMEOUT = 10.0
# Loop turns the bot must stay idle before it counts as done, and how often a busy bot is
# looked at again (it does not signal the emulator when it becomes idle).
SETTLE_TURNS = 5
BUSY_TICK = 0.005


class Emulator(Protocol):
    """What the driver needs of the emulator (`BotApiEmulator` is one): it keeps the driver
    free of an import of the emulator, which builds drivers with ``user()``."""

    username: str
    base_url: str | None
    users: dict[int, UserInfo]
    calls: list[ApiCall]
    reply_keyboards: dict[int, dict[str, Any] | None]
    callback_queries: dict[str, CallbackQueryInfo]
    callback_answers: dict[str, dict[str, Any]]
    last_update_id: int
    delivered_update_id: int
    bot_busy: Callable[[], bool] | None

    def busy_now(self) -> bool: ...
    def idle_for(self) -> float: ...
    async def wait_for_activity(self, timeout: float) -> bool: ...  # noqa: ASYNC109
    def update_confirmed(self, update_id: int) -> bool: ...
    def add_user(self, user_id: int, first_name: str) -> UserInfo: ...
    def get_user(self, user_id: int) -> UserInfo: ...
    def transcript(self, chat_id: int, *, include_deleted: bool = True) -> list[ChatMessage]: ...
    def send_text(self, user_id: int, text: str) -> ChatMessage: ...
    def send_location(self, user_id: int, latitude: float, longitude: float) -> ChatMessage: ...
    def send_photo(
        self, user_id: int, data: bytes, *, caption: str | None = None
    ) -> ChatMessage: ...
    def send_document(
        self,
        user_id: int,
        data: bytes,
        filename: str,
        *,
        mime_type: str | None = None,
        caption: str | None = None,
    ) -> ChatMessage: ...
    def tap(self, user_id: int, message_id: int, callback_data: str) -> str: ...


def visible(text: str) -> str:
    """The text as a person reads it: invisible format characters (zero-width joiners, soft
    hyphens, which a bot may use to tag its reply buttons) left out."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


async def wait_idle(
    emulator: Emulator,
    quiet: float = DEFAULT_QUIET,
    timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - the error message needs it
) -> None:
    """Wait until the bot is done. A bot running in this process says when it is busy (updates
    queued or running, the outbox sender delivering), so done is an event: not busy, no Bot API
    request in flight, and still so after a few turns of the loop (a background dialog task
    scheduled by the last update has started by then and counts as busy). For a bot elsewhere,
    done means no Bot API call for ``quiet`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    calm = 0
    while True:
        if emulator.bot_busy is not None:
            if emulator.busy_now():
                calm = 0
            else:
                calm += 1
                if calm > SETTLE_TURNS:
                    return
                await asyncio.sleep(0)
                continue
        elif emulator.idle_for() >= quiet:
            return
        remaining = deadline - loop.time()
        if remaining <= 0:
            recent = ", ".join(call.method for call in emulator.calls[-5:]) or "none"
            raise TimeoutError(
                f"the bot kept working for {timeout} s (last Bot API calls: {recent})"
            )
        wait = BUSY_TICK if emulator.bot_busy is not None else quiet - emulator.idle_for()
        await emulator.wait_for_activity(min(wait, remaining))


async def wait_settled(
    emulator: Emulator,
    update_id: int,
    *,
    quiet: float = DEFAULT_QUIET,
    timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - the error message needs it
) -> None:
    """Wait until ``update_id`` is confirmed by the bot, then until the bot is idle."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not emulator.update_confirmed(update_id):
        remaining = deadline - loop.time()
        if remaining <= 0:
            fetched = emulator.delivered_update_id >= update_id
            hint = (
                "it was fetched but never confirmed (the bot stopped polling?)"
                if fetched
                else "it was never fetched: is the bot polling this emulator "
                f"({emulator.base_url})?"
            )
            raise TimeoutError(f"update {update_id} not processed within {timeout} s: {hint}")
        await emulator.wait_for_activity(remaining)
    await wait_idle(emulator, quiet, max(deadline - loop.time(), 0.0) + quiet)


def _deep_link_start(url: str, bot_username: str) -> str | None:
    """``https://t.me/<bot>?start=<code>`` (or tg://resolve) -> the /start text, else None."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    if parts.scheme in ("http", "https") and parts.netloc.lower() in ("t.me", "telegram.me"):
        target = parts.path.strip("/")
    elif parts.scheme == "tg" and parts.netloc == "resolve":
        target = query.get("domain", [""])[0]
    else:
        return None
    if target.lower() != bot_username.lower():
        return None
    code = query.get("start", [""])[0]
    return f"/start {code}" if code else "/start"


class SandboxUser:
    """One simulated Telegram user talking to the bot in a private chat."""

    def __init__(
        self,
        emulator: Emulator,
        user_id: int,
        *,
        quiet: float = DEFAULT_QUIET,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.emulator = emulator
        self.user_id = user_id
        self.quiet = quiet
        self.timeout = timeout
        if user_id not in emulator.users:
            emulator.add_user(user_id, f"User{user_id}")

    @property
    def name(self) -> str:
        return self.emulator.get_user(self.user_id).first_name

    def __repr__(self) -> str:
        return f"SandboxUser({self.user_id}, {self.name!r})"

    # ---- actions -------------------------------------------------------------------------------

    async def settle(self, update_id: int | None = None) -> None:
        """Wait for the bot to process ``update_id`` (default: the newest update) and go quiet."""
        target = self.emulator.last_update_id if update_id is None else update_id
        await wait_settled(self.emulator, target, quiet=self.quiet, timeout=self.timeout)

    async def send(self, text: str) -> ChatMessage:
        message = self.emulator.send_text(self.user_id, text)
        await self.settle(self.emulator.last_update_id)
        return message

    async def share_location(self, latitude: float, longitude: float) -> ChatMessage:
        message = self.emulator.send_location(self.user_id, latitude, longitude)
        await self.settle(self.emulator.last_update_id)
        return message

    async def send_photo(self, data: bytes, *, caption: str | None = None) -> ChatMessage:
        message = self.emulator.send_photo(self.user_id, data, caption=caption)
        await self.settle(self.emulator.last_update_id)
        return message

    async def send_document(
        self, data: bytes, filename: str, *, caption: str | None = None
    ) -> ChatMessage:
        message = self.emulator.send_document(self.user_id, data, filename, caption=caption)
        await self.settle(self.emulator.last_update_id)
        return message

    async def tap(
        self, label: str | re.Pattern[str], *, message: ChatMessage | None = None
    ) -> None:
        """Tap the button called ``label`` (exact text, or a regex that must fullmatch).

        Looks in ``message``, else in the newest bot message with an inline keyboard; falls back
        to the chat's reply keyboard (sends the label as text). Deep-link URL buttons to this bot
        send ``/start <code>``.
        """
        target = message if message is not None else self.keyboard_message()
        button = self._find(target.buttons if target else [], label)
        if button is None or target is None:
            reply_label = self._find_reply_button(label)
            if reply_label is not None:
                await self.send(reply_label)
                return
            raise LookupError(self._not_found(label, target))
        await self.press(target, button)

    async def press(self, message: ChatMessage, button: dict[str, Any]) -> None:
        """Press one inline ``button`` (a dict from ``message.reply_markup``) and settle."""
        if "callback_data" in button:
            self.emulator.tap(self.user_id, message.message_id, str(button["callback_data"]))
            await self.settle(self.emulator.last_update_id)
            return
        url = str(button.get("url", ""))
        start = _deep_link_start(url, self.emulator.username) if url else None
        if start is not None:
            await self.send(start)
            return
        kind = next((key for key in button if key != "text"), "unknown")
        detail = f" ({url})" if url else ""
        raise ValueError(
            f"button {button.get('text')!r} is a {kind} button{detail}; tapping it sends nothing "
            "to the bot"
        )

    @staticmethod
    def _matches(text: str, label: str | re.Pattern[str]) -> bool:
        if isinstance(label, re.Pattern):
            return label.fullmatch(text) is not None
        return text == label

    def _find(
        self, buttons: list[dict[str, Any]], label: str | re.Pattern[str]
    ) -> dict[str, Any] | None:
        return next((b for b in buttons if self._matches(str(b.get("text", "")), label)), None)

    def _find_reply_button(self, label: str | re.Pattern[str]) -> str | None:
        markup = self.emulator.reply_keyboards.get(self.user_id)
        for row in (markup or {}).get("keyboard", []):
            for button in row:
                text = button if isinstance(button, str) else str(button.get("text", ""))
                if not self._matches(visible(text), label):
                    continue
                special = [k for k in ("request_location", "request_contact") if k in button]
                if isinstance(button, dict) and special:
                    raise ValueError(
                        f"reply button {text!r} is a {special[0]} button: "
                        "use share_location() instead of tap()"
                    )
                return text
        return None

    def _not_found(self, label: str | re.Pattern[str], target: ChatMessage | None) -> str:
        wanted = label.pattern if isinstance(label, re.Pattern) else label
        if target is None:
            return f"{self.name} has no bot message with buttons to tap {wanted!r}"
        visible = ", ".join(repr(text) for text in target.button_labels) or "none"
        return (
            f"no button {wanted!r} in message #{target.message_id} "
            f"({target.text[:60]!r}); visible buttons: {visible}"
        )

    # ---- reading -------------------------------------------------------------------------------

    def messages(self, *, include_deleted: bool = False) -> list[ChatMessage]:
        """Bot and user messages of this chat, oldest first."""
        return self.emulator.transcript(self.user_id, include_deleted=include_deleted)

    def bot_messages(self, *, include_deleted: bool = False) -> list[ChatMessage]:
        return [m for m in self.messages(include_deleted=include_deleted) if m.from_bot]

    def last(self) -> ChatMessage:
        """The newest bot message that is not deleted."""
        messages = self.bot_messages()
        if not messages:
            raise LookupError(f"the bot has not written to {self.name} (yet)")
        return messages[-1]

    def last_text(self) -> str:
        return self.last().text

    def keyboard_message(self) -> ChatMessage | None:
        """The newest bot message with an inline keyboard."""
        return next((m for m in reversed(self.bot_messages()) if m.reply_markup), None)

    def buttons(self, message: ChatMessage | None = None) -> list[str]:
        """Labels of the inline buttons of ``message`` (default: newest message with buttons)."""
        target = message if message is not None else self.keyboard_message()
        return target.button_labels if target is not None else []

    def _my_queries(self) -> list[str]:
        queries = self.emulator.callback_queries.values()
        return [q.query_id for q in queries if q.user_id == self.user_id]

    @property
    def last_query_id(self) -> str | None:
        """Id of this user's newest callback query (tap)."""
        queries = self._my_queries()
        return queries[-1] if queries else None

    @property
    def alerts(self) -> list[dict[str, Any]]:
        """answerCallbackQuery payloads (text, show_alert, ...) for this user's taps, in order."""
        answers = self.emulator.callback_answers
        return [answers[q] for q in self._my_queries() if q in answers]

    def last_callback_answer(self) -> dict[str, Any] | None:
        """The answer to this user's newest tap, None if the bot did not answer it (yet)."""
        query_id = self.last_query_id
        return None if query_id is None else self.emulator.callback_answers.get(query_id)
