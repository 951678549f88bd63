"""In-memory Telegram world of the emulator: users, private chats, files, pending updates.

Everything here is synchronous; the HTTP layer lives in ``emulator.py`` and the Bot API
methods in ``_methods.py``.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import time
from typing import Any

from botapi_emulator._html import utf16_len
from botapi_emulator._models import (
    ApiError,
    CallbackQueryInfo,
    ChatMessage,
    FileInfo,
    Revision,
    UserInfo,
    bad_request,
)

__all__ = ["SandboxState"]

UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "message_reaction",
        "message_reaction_count",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)


class SandboxState:
    """Users, chats and updates. ``BotApiEmulator`` adds the HTTP server on top."""

    def __init__(self, token: str, *, username: str, first_name: str) -> None:
        prefix, _, secret = token.partition(":")
        if not prefix.isdigit() or not secret:
            raise ValueError(f"not a bot token: {token!r} (expected '<digits>:<secret>')")
        self.token = token
        self.bot_id = int(prefix)
        self.username = username
        self.first_name = first_name
        self.users: dict[int, UserInfo] = {}
        self._chats: dict[int, dict[int, ChatMessage]] = {}
        self._last_message_id: dict[int, int] = {}
        self.reply_keyboards: dict[int, dict[str, Any] | None] = {}
        self.pending: list[dict[str, Any]] = []  # unconfirmed updates, oldest first
        self.last_update_id = 0  # id of the newest injected update
        self.confirmed_update_id = 0  # every update with id <= this is confirmed
        self.delivered_update_id = 0  # newest update id handed out by getUpdates/webhook
        self.callback_queries: dict[str, CallbackQueryInfo] = {}
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.files: dict[str, FileInfo] = {}
        self.files_by_path: dict[str, FileInfo] = {}
        self.bot_settings: dict[str, dict[str, Any]] = {}
        self.strict_html = True  # refuse a bare "&" in HTML (Telegram would keep it literally)
        self.time_offset = 0.0
        self.version = 0  # bumped on every change of a chat
        self._ids = itertools.count(1)

    # ---- clock and change notification -------------------------------------------------------

    def now(self) -> float:
        """Emulator clock (unix seconds); ``advance_clock`` moves it forward."""
        return time.time() + self.time_offset

    def advance_clock(self, seconds: float) -> None:
        self.time_offset += seconds

    def _changed(self) -> int:
        self.version += 1
        self._on_change()
        return self.version

    def _on_change(self) -> None:
        """Hook for the server: wake waiters."""

    # ---- users -------------------------------------------------------------------------------

    def add_user(
        self,
        user_id: int,
        first_name: str,
        *,
        username: str | None = None,
        language_code: str | None = "en",
        last_name: str | None = None,
    ) -> UserInfo:
        """Register (or update) a user; they count as 'started' once they send something."""
        user = self.users.get(user_id)
        if user is None:
            user = UserInfo(user_id, first_name, username, language_code, last_name)
            self.users[user_id] = user
            self._chats[user_id] = {}
        else:
            user.first_name, user.username = first_name, username
            user.language_code, user.last_name = language_code, last_name
        return user

    def get_user(self, user_id: int) -> UserInfo:
        try:
            return self.users[user_id]
        except KeyError:
            raise LookupError(f"unknown sandbox user {user_id}; call add_user() first") from None

    def block_user(self, user_id: int) -> None:
        self.get_user(user_id).blocked = True

    def unblock_user(self, user_id: int) -> None:
        self.get_user(user_id).blocked = False

    # ---- chats -------------------------------------------------------------------------------

    def transcript(self, chat_id: int, *, include_deleted: bool = True) -> list[ChatMessage]:
        """All messages of a private chat, oldest first (live objects, updated on edits)."""
        messages = list(self._chats.get(chat_id, {}).values())
        return messages if include_deleted else [m for m in messages if not m.deleted]

    def get_message(self, chat_id: int, message_id: int) -> ChatMessage | None:
        return self._chats.get(chat_id, {}).get(message_id)

    def bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
        }

    def chat_object(self, chat_id: int) -> dict[str, Any]:
        user = self.users[chat_id]
        chat: dict[str, Any] = {"id": chat_id, "type": "private", "first_name": user.first_name}
        if user.last_name:
            chat["last_name"] = user.last_name
        if user.username:
            chat["username"] = user.username
        return chat

    def resolve_chat(self, value: Any) -> int:
        """chat_id parameter -> known private chat id (400 "chat not found" otherwise)."""
        if value is None or value == "":
            raise bad_request("chat_id is empty")
        text = str(value)
        if text.startswith("@"):
            for user in self.users.values():
                if user.username and user.username.lower() == text[1:].lower():
                    return user.user_id
            raise bad_request("chat not found")
        try:
            chat_id = int(text)
        except ValueError:
            raise bad_request("chat not found") from None
        if chat_id not in self.users:
            raise bad_request("chat not found")
        return chat_id

    def check_can_write(self, chat_id: int) -> None:
        user = self.users[chat_id]
        if user.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if not user.started:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")

    def new_message(
        self, chat_id: int, *, from_bot: bool, text: str = "", html: str = ""
    ) -> ChatMessage:
        message_id = self._last_message_id.get(chat_id, 0) + 1
        self._last_message_id[chat_id] = message_id
        message = ChatMessage(
            message_id=message_id,
            chat_id=chat_id,
            from_bot=from_bot,
            text=text,
            html=html,
            date=int(self.now()),
        )
        self._chats.setdefault(chat_id, {})[message_id] = message
        return message

    def message_to_api(self, message: ChatMessage) -> dict[str, Any]:
        """The Bot API Message object for a stored message."""
        sender = self.bot_user() if message.from_bot else self.users[message.chat_id].to_api()
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "date": message.date,
            "chat": self.chat_object(message.chat_id),
            "from": sender,
        }
        if message.edit_date is not None:
            data["edit_date"] = message.edit_date
        if message.kind == "text":
            data["text"] = message.text
            if message.entities:
                data["entities"] = copy.deepcopy(message.entities)
        elif message.kind == "location" and message.location is not None:
            data["location"] = {"latitude": message.location[0], "longitude": message.location[1]}
        else:
            if message.photo is not None:
                data["photo"] = self.photo_sizes(message.photo)
            if message.document is not None:
                data["document"] = self.document_object(message.document)
            if message.caption:
                data["caption"] = message.caption
                if message.entities:
                    data["caption_entities"] = copy.deepcopy(message.entities)
        if message.reply_markup is not None:
            data["reply_markup"] = {"inline_keyboard": copy.deepcopy(message.reply_markup)}
        return data

    # ---- files -------------------------------------------------------------------------------

    def store_file(
        self, kind: str, data: bytes, filename: str, mime_type: str | None = None
    ) -> FileInfo:
        number = next(self._ids)
        digest = hashlib.sha1(data + filename.encode(), usedforsecurity=False).hexdigest()[:12]
        folder = "photos" if kind == "photo" else "documents"
        info = FileInfo(
            kind=kind,
            file_id=f"SBX{kind[:3].upper()}{number}_{digest}",
            file_unique_id=f"U{digest}",
            filename=filename,
            data=data,
            mime_type=mime_type,
            file_path=f"{folder}/file_{number}_{filename}",
        )
        self.files[info.file_id] = info
        self.files_by_path[info.file_path] = info
        return info

    def photo_sizes(self, info: FileInfo) -> list[dict[str, Any]]:
        size = info.size
        return [
            {
                "file_id": f"{info.file_id}_s",
                "file_unique_id": f"{info.file_unique_id}s",
                "width": 90,
                "height": 67,
                "file_size": size,
            },
            {
                "file_id": info.file_id,
                "file_unique_id": info.file_unique_id,
                "width": 1280,
                "height": 960,
                "file_size": size,
            },
        ]

    def find_file(self, file_id: str) -> FileInfo | None:
        return self.files.get(file_id) or self.files.get(file_id.removesuffix("_s"))

    @staticmethod
    def document_object(info: FileInfo) -> dict[str, Any]:
        document: dict[str, Any] = {
            "file_id": info.file_id,
            "file_unique_id": info.file_unique_id,
            "file_name": info.filename,
            "file_size": info.size,
        }
        if info.mime_type:
            document["mime_type"] = info.mime_type
        return document

    # ---- user input -> updates -----------------------------------------------------------------

    def _queue_update(self, kind: str, payload: dict[str, Any]) -> int:
        self.last_update_id += 1
        self.pending.append({"update_id": self.last_update_id, kind: payload})
        self._changed()
        return self.last_update_id

    def _user_message(self, user_id: int) -> ChatMessage:
        user = self.get_user(user_id)
        user.started, user.blocked = True, False
        return self.new_message(user_id, from_bot=False)

    def _queue_message(self, message: ChatMessage) -> None:
        message.version = self.version + 1
        self._queue_update("message", self.message_to_api(message))

    def send_text(self, user_id: int, text: str) -> ChatMessage:
        """The user sends ``text``; queues a ``message`` update (with a bot_command entity)."""
        message = self._user_message(user_id)
        message.text = message.html = text
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0] if text.strip() else text
            message.entities = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
        self._queue_message(message)
        return message

    def send_location(self, user_id: int, latitude: float, longitude: float) -> ChatMessage:
        message = self._user_message(user_id)
        message.location = (latitude, longitude)
        self._queue_message(message)
        return message

    def send_photo(self, user_id: int, data: bytes, *, caption: str | None = None) -> ChatMessage:
        message = self._user_message(user_id)
        message.photo = self.store_file("photo", data, "photo.jpg", "image/jpeg")
        message.caption = caption
        message.text = message.html = caption or ""
        self._queue_message(message)
        return message

    def send_document(
        self,
        user_id: int,
        data: bytes,
        filename: str,
        *,
        mime_type: str | None = None,
        caption: str | None = None,
    ) -> ChatMessage:
        message = self._user_message(user_id)
        message.document = self.store_file("document", data, filename, mime_type)
        message.caption = caption
        message.text = message.html = caption or ""
        self._queue_message(message)
        return message

    def tap(self, user_id: int, message_id: int, callback_data: str) -> str:
        """The user taps an inline button; queues a ``callback_query`` update, returns its id."""
        user = self.get_user(user_id)
        message = self.get_message(user_id, message_id)
        if message is None or message.deleted:
            raise LookupError(f"message {message_id} does not exist in chat {user_id}")
        user.started, user.blocked = True, False
        query_id = str(4_000_000_000_000_000 + user_id * 1000 + next(self._ids))
        self.callback_queries[query_id] = CallbackQueryInfo(
            query_id, user_id, message_id, callback_data, self.now()
        )
        chat_instance = str(
            int(hashlib.sha1(f"{self.bot_id}:{user_id}".encode()).hexdigest()[:15], 16)
        )
        self._queue_update(
            "callback_query",
            {
                "id": query_id,
                "from": user.to_api(),
                "message": self.message_to_api(message),
                "chat_instance": chat_instance,
                "data": callback_data,
            },
        )
        return query_id

    # ---- update queue --------------------------------------------------------------------------

    def confirm_updates(self, offset: int) -> None:
        """getUpdates ``offset`` semantics: updates with id < offset are confirmed and dropped."""
        if offset < 0:  # negative: keep only the last -offset updates
            keep = self.pending[offset:]
            offset = keep[0]["update_id"] if keep else self.last_update_id + 1
        self.pending = [u for u in self.pending if u["update_id"] >= offset]
        if offset - 1 > self.confirmed_update_id:
            self.confirmed_update_id = min(offset - 1, self.last_update_id)
            self._changed()

    def confirm_one(self, update_id: int) -> None:
        """One update delivered on its own (parallel webhook connections)."""
        self.pending = [u for u in self.pending if u["update_id"] != update_id]
        self._changed()

    def drop_pending_updates(self) -> None:
        if self.pending:
            self.confirm_updates(self.pending[-1]["update_id"] + 1)

    def take_updates(self, limit: int, allowed: set[str] | None) -> list[dict[str, Any]]:
        """Updates to hand out now; drops (confirms) update types the bot did not subscribe to."""
        if allowed:
            kept = [u for u in self.pending if _update_type(u) in allowed]
            if len(kept) != len(self.pending):
                self.pending = kept
                self._changed()
        batch = copy.deepcopy(self.pending[:limit])
        if batch:
            self.delivered_update_id = max(self.delivered_update_id, batch[-1]["update_id"])
        return batch

    def update_confirmed(self, update_id: int) -> bool:
        """True once the bot confirmed the update (or it was dropped as not subscribed)."""
        return update_id <= self.confirmed_update_id or all(
            u["update_id"] != update_id for u in self.pending
        )

    @property
    def pending_updates(self) -> int:
        return len(self.pending)

    # ---- edits ---------------------------------------------------------------------------------

    def record_edit(self, message: ChatMessage) -> None:
        previous = Revision(
            text=message.text,
            html=message.html,
            reply_markup=copy.deepcopy(message.reply_markup),
            date=message.edit_date or message.date,
        )
        message.history.append(previous)
        message.edits += 1
        message.edit_date = int(self.now())


def _update_type(update: dict[str, Any]) -> str:
    return next(key for key in update if key != "update_id")
