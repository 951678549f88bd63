"""aiogram's FSM storage on SQL: bot.fsm.SqlStorage over storage.fsm.SqlFsmStore."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import DEFAULT_DESTINY, StorageKey
from dbtools import NOW, Sessions, count
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.fsm import SqlStorage
from storage.fsm import SqlFsmStore, flush_writes
from storage.scope import update_scope
from storage.tables import FsmRow

BOT = 123456789
USER = 7_000_000_001
GROUP = -1001234567890  # supergroup ids need BIGINT too
KEY = StorageKey(bot_id=BOT, chat_id=USER, user_id=USER)
STACK = StorageKey(bot_id=BOT, chat_id=USER, user_id=USER, destiny="aiogd:stack:")
CONTEXT = StorageKey(bot_id=BOT, chat_id=USER, user_id=USER, destiny="aiogd:context:Ab3dE9xY1z")


class FormSG(StatesGroup):
    name = State()


@pytest.fixture
def storage(sessionmaker: Sessions) -> SqlStorage:
    return SqlStorage(SqlFsmStore(sessionmaker))


async def test_an_unknown_key_has_no_state_and_no_data(storage: SqlStorage) -> None:
    assert await storage.get_state(KEY) is None
    assert await storage.get_data(KEY) == {}


async def test_state_round_trips(storage: SqlStorage) -> None:
    await storage.set_state(KEY, FormSG.name)
    assert await storage.get_state(KEY) == "FormSG:name"

    await storage.set_state(KEY, "Other:step")
    assert await storage.get_state(KEY) == "Other:step"


async def test_data_is_json_round_tripped(storage: SqlStorage) -> None:
    data: dict[str, Any] = {
        "name": "王小明",
        "n": 3,
        "x": 1.5,
        "ok": True,
        "none": None,
        "nested": {"list": [1, "two", {"three": 3}]},
        "pair": (1, 2),
    }

    await storage.set_data(KEY, data)

    assert await storage.get_data(KEY) == {**data, "pair": [1, 2]}


async def test_state_and_data_are_kept_apart(storage: SqlStorage) -> None:
    await storage.set_state(KEY, "A:b")
    await storage.set_data(KEY, {"x": 1})
    assert await storage.get_state(KEY) == "A:b"

    await storage.set_data(KEY, {})
    assert await storage.get_state(KEY) == "A:b"

    await storage.set_data(KEY, {"y": 2})
    await storage.set_state(KEY, None)
    assert await storage.get_data(KEY) == {"y": 2}


async def test_update_data_merges(storage: SqlStorage) -> None:
    await storage.set_data(KEY, {"a": 1})

    merged = await storage.update_data(KEY, {"b": 2})

    assert merged == {"a": 1, "b": 2}
    assert await storage.get_data(KEY) == merged


@pytest.mark.parametrize(
    "other",
    [
        STACK,
        CONTEXT,
        StorageKey(bot_id=BOT + 1, chat_id=USER, user_id=USER),
        StorageKey(bot_id=BOT, chat_id=GROUP, user_id=USER),
        StorageKey(bot_id=BOT, chat_id=USER, user_id=USER + 1),
        StorageKey(bot_id=BOT, chat_id=USER, user_id=USER, thread_id=42),
        StorageKey(bot_id=BOT, chat_id=USER, user_id=USER, business_connection_id="bc-1"),
    ],
)
async def test_keys_that_differ_anywhere_are_separate(
    storage: SqlStorage, sessionmaker: Sessions, other: StorageKey
) -> None:
    await storage.set_state(KEY, "Mine:s")
    await storage.set_data(KEY, {"mine": True})
    await storage.set_state(other, "Other:s")
    await storage.set_data(other, {"other": True})

    assert (await storage.get_state(KEY), await storage.get_data(KEY)) == ("Mine:s", {"mine": True})
    assert (await storage.get_state(other), await storage.get_data(other)) == (
        "Other:s",
        {"other": True},
    )
    assert await count(sessionmaker, FsmRow) == 2


async def test_none_thread_and_business_connection_are_one_key(storage: SqlStorage) -> None:
    explicit = StorageKey(
        bot_id=BOT,
        chat_id=USER,
        user_id=USER,
        thread_id=None,
        business_connection_id=None,
        destiny=DEFAULT_DESTINY,
    )
    await storage.set_state(explicit, "A:b")

    assert await storage.get_state(KEY) == "A:b"


async def test_a_key_with_no_state_and_no_data_leaves_no_row(
    storage: SqlStorage, sessionmaker: Sessions
) -> None:
    await storage.set_state(STACK, "A:b")
    await storage.set_data(STACK, {"stack": [1]})
    await storage.set_state(KEY, "A:b")
    assert await count(sessionmaker, FsmRow) == 2

    await storage.set_state(KEY, None)
    assert await count(sessionmaker, FsmRow) == 1  # KEY had no data: gone

    await storage.set_state(STACK, None)
    assert await count(sessionmaker, FsmRow) == 1  # data is still there
    await storage.set_data(STACK, {})
    assert await count(sessionmaker, FsmRow) == 0
    assert await storage.get_data(STACK) == {}


async def test_clearing_an_unknown_key_writes_nothing(
    storage: SqlStorage, sessionmaker: Sessions
) -> None:
    await storage.set_state(KEY, None)
    await storage.set_data(KEY, {})

    assert await count(sessionmaker, FsmRow) == 0


async def test_state_survives_a_new_storage_over_the_same_database(
    storage: SqlStorage, sessionmaker: Sessions
) -> None:
    await storage.set_state(STACK, "A:b")
    await storage.set_data(STACK, {"intents": ["Ab3dE9xY1z"]})
    await storage.close()

    restarted = SqlStorage(SqlFsmStore(sessionmaker))

    assert await restarted.get_state(STACK) == "A:b"
    assert await restarted.get_data(STACK) == {"intents": ["Ab3dE9xY1z"]}


@pytest.fixture
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """The first word of every statement on fsm_storage, as sent."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "fsm_storage" in statement:
            seen.append(statement.split(maxsplit=1)[0].upper())

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine.sync_engine, "before_cursor_execute", record)


async def in_update(sessionmaker: Sessions, work: Callable[[], Awaitable[None]]) -> None:
    async with update_scope(sessionmaker, None, lambda: NOW, flush_writes):
        await work()


async def test_inside_an_update_the_chat_is_read_once_and_only_changes_are_written(
    storage: SqlStorage, sessionmaker: Sessions, statements: list[str]
) -> None:
    """aiogram reads the state, aiogram-dialog its stack and context, each on every update, and
    saves stack and context back even when nothing changed."""
    await storage.set_data(STACK, {"intents": ["Ab3dE9xY1z"]})
    await storage.set_data(CONTEXT, {"state": "FormSG:name", "dialog_data": {}})
    statements.clear()

    async def one_update() -> None:
        assert await storage.get_state(KEY) is None
        stack = await storage.get_data(STACK)
        context = await storage.get_data(CONTEXT)
        await storage.set_data(STACK, stack)  # unchanged
        await storage.set_data(CONTEXT, {**context, "dialog_data": {"name": "Ada"}})
        assert (await storage.get_data(CONTEXT))["dialog_data"] == {"name": "Ada"}

    await in_update(sessionmaker, one_update)

    assert statements == ["SELECT", "INSERT"]
    assert (await storage.get_data(CONTEXT))["dialog_data"] == {"name": "Ada"}
    assert await storage.get_data(STACK) == {"intents": ["Ab3dE9xY1z"]}


async def test_inside_an_update_an_emptied_row_is_deleted_and_another_chat_untouched(
    storage: SqlStorage, sessionmaker: Sessions, statements: list[str]
) -> None:
    other = StorageKey(bot_id=BOT, chat_id=USER + 1, user_id=USER + 1, destiny="aiogd:stack:")
    await storage.set_data(STACK, {"intents": ["Ab3dE9xY1z"]})
    await storage.set_data(other, {"intents": ["Zz"]})
    statements.clear()

    async def cancel() -> None:
        assert await storage.get_data(STACK) == {"intents": ["Ab3dE9xY1z"]}
        await storage.set_data(STACK, {})
        await storage.set_state(KEY, None)  # no row, stays without one

    await in_update(sessionmaker, cancel)

    assert statements == ["SELECT", "DELETE"]
    assert await count(sessionmaker, FsmRow) == 1
    assert await storage.get_data(other) == {"intents": ["Zz"]}


async def test_inside_an_update_a_write_without_a_read_still_lands(
    storage: SqlStorage, sessionmaker: Sessions
) -> None:
    await storage.set_data(STACK, {"intents": ["Ab3dE9xY1z"]})

    async def blind_write() -> None:
        await storage.set_state(STACK, "FormSG:name")

    await in_update(sessionmaker, blind_write)

    assert await storage.get_state(STACK) == "FormSG:name"
    assert await storage.get_data(STACK) == {"intents": ["Ab3dE9xY1z"]}
