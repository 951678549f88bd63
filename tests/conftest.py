"""Fixtures shared by every tier: a private PostgreSQL database for the scale-out path."""

from __future__ import annotations

import asyncio
import gc
import os
import secrets
from collections.abc import Iterator

import pytest
from pgtools import PG_ADMIN_DATABASE, PG_SERVER, PG_USERS, admin, admin_user, in_own_thread
from sqlalchemy.exc import DBAPIError


def pytest_collection_finish(session: pytest.Session) -> None:
    """Every module is imported now: take them out of the garbage collector's sight, as the bot
    does at start-up (`freeze_startup_heap`). Otherwise a full collection walks aiogram's
    hundreds of thousands of objects, 200 ms each time, every few apps a test builds."""
    gc.collect()
    gc.freeze()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    pytest.importorskip("asyncpg", reason="the PostgreSQL driver is not installed")
    user = admin_user()
    if user is None:
        pytest.skip(
            f"PostgreSQL is not reachable at {PG_SERVER}/{PG_ADMIN_DATABASE} "
            f"as any of {', '.join(PG_USERS)}"
        )
    name = f"salesbot_test_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        in_own_thread(lambda: asyncio.run(admin(user, f'CREATE DATABASE "{name}"')))
    except DBAPIError:  # no CREATEDB right: share the `test` database instead
        yield f"postgresql+asyncpg://{user}@{PG_SERVER}/{PG_ADMIN_DATABASE}"
        return
    yield f"postgresql+asyncpg://{user}@{PG_SERVER}/{name}"
    in_own_thread(lambda: asyncio.run(admin(user, f'DROP DATABASE "{name}" WITH (FORCE)')))
