"""The access gate in front of every handler: group chatter is ignored, strangers never reach one."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiogram.types import Chat, Message, User

from bot.middlewares import AccessMiddleware


def _message(text: str, chat_type: str) -> Message:
    return Message(
        message_id=1,
        date=datetime(2026, 1, 1, tzinfo=UTC),
        chat=Chat(id=-5, type=chat_type, title="Sales"),
        from_user=User(id=7, is_bot=False, first_name="Li"),
        text=text,
    )


async def test_group_chatter_is_ignored_without_reaching_a_handler() -> None:
    called: list[Any] = []

    async def handler(event: Any, data: dict[str, Any]) -> None:
        called.append(event)

    message = _message("hello everyone", "supergroup")
    result = await AccessMiddleware()(handler, message, {"event_chat": message.chat})
    assert result is None
    assert called == []
