"""aiogram's FSM storage on top of the SQL key-value store (storage.fsm.SqlFsmStore)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, Protocol

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, StateType, StorageKey

FsmKey = tuple[int, int, int, int, str, str]


class KeyValueStore(Protocol):
    async def get_state(self, key: FsmKey) -> str | None: ...

    async def get_data(self, key: FsmKey) -> dict[str, Any]: ...

    async def set_state(self, key: FsmKey, state: str | None) -> None: ...

    async def set_data(self, key: FsmKey, data: Mapping[str, Any]) -> None: ...


def _key(key: StorageKey) -> FsmKey:
    return (
        key.bot_id,
        key.chat_id,
        key.user_id,
        key.thread_id or 0,
        key.business_connection_id or "",
        key.destiny,
    )


class SqlStorage(BaseStorage):
    """Keys include aiogram-dialog's destiny, so stacks and contexts survive a restart."""

    def __init__(self, store: KeyValueStore) -> None:
        self._store = store

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._store.set_state(_key(key), value)

    async def get_state(self, key: StorageKey) -> str | None:
        return await self._store.get_state(_key(key))

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._store.set_data(_key(key), data)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return dict(await self._store.get_data(_key(key)))

    async def close(self) -> None:
        return None


class FlushingIsolation(BaseEventIsolation):
    """aiogram-dialog's per-stack lock, which writes the update's buffered dialog state before it
    lets go: whoever takes the lock next (a form started in the background by this very update)
    reads what this update left, not what was there before it."""

    def __init__(
        self, inner: BaseEventIsolation, before_release: Callable[[], Awaitable[None]]
    ) -> None:
        self._inner = inner
        self._before_release = before_release

    @contextlib.asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncIterator[None]:
        async with self._inner.lock(key):
            try:
                yield
            finally:
                await self._before_release()

    async def close(self) -> None:
        await self._inner.close()
