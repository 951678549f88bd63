"""A real database per test, its schema made by the alembic migrations.

Every test that asks for `db_url` (or `engine`, `sessionmaker`) runs twice: on a fresh SQLite
file (a copy of one the migrations built at the start of the session, which is much faster than
migrating each time), and on PostgreSQL (marked `postgres`). The PostgreSQL runs use a private database created
for this pytest session on the local server, emptied before each test (DROP SCHEMA public), so a
second test run at the same time, or anyone else using the server's `test` database, is never
wiped by ours. Without a reachable server those runs are skipped, with the reason.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.engine import make_engine, make_sessionmaker
from storage.migrate import upgrade, upgrade_sync

PG_SERVER = "127.0.0.1:5432"
PG_ADMIN_DATABASE = "test"
PG_USERS = ("postgres", "root")

T = TypeVar("T")


def _in_own_thread(call: Callable[[], T]) -> T:
    """Run `call` (which may run an event loop of its own) away from pytest-asyncio's loops."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(call).result()


async def _admin(user: str, sql: str | None = None) -> None:
    """Connect to the admin database as `user` and run `sql` outside a transaction."""
    engine = make_engine(
        f"postgresql+asyncpg://{user}@{PG_SERVER}/{PG_ADMIN_DATABASE}",
        isolation_level="AUTOCOMMIT",
        connect_args={"timeout": 3},
    )
    try:
        async with engine.connect() as connection:
            if sql is not None:
                await connection.exec_driver_sql(sql)
    finally:
        await engine.dispose()


def _admin_user() -> str | None:
    for user in PG_USERS:
        try:
            _in_own_thread(lambda: asyncio.run(_admin(user)))  # noqa: B023 (called at once)
        except (OSError, TimeoutError, DBAPIError):
            continue
        return user
    return None


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    pytest.importorskip("asyncpg", reason="the PostgreSQL driver is not installed")
    user = _admin_user()
    if user is None:
        pytest.skip(
            f"PostgreSQL is not reachable at {PG_SERVER}/{PG_ADMIN_DATABASE} "
            f"as any of {', '.join(PG_USERS)}"
        )
    name = f"salesbot_test_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        _in_own_thread(lambda: asyncio.run(_admin(user, f'CREATE DATABASE "{name}"')))
    except DBAPIError:  # no CREATEDB right: share the `test` database instead
        yield f"postgresql+asyncpg://{user}@{PG_SERVER}/{PG_ADMIN_DATABASE}"
        return
    yield f"postgresql+asyncpg://{user}@{PG_SERVER}/{name}"
    _in_own_thread(lambda: asyncio.run(_admin(user, f'DROP DATABASE "{name}" WITH (FORCE)')))


async def _empty_postgres(url: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            await connection.exec_driver_sql("CREATE SCHEMA public")
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database: no tables, not even alembic_version."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path}/t.db"
    url: str = request.getfixturevalue("postgres_url")
    await _empty_postgres(url)
    return url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file the real migrations brought to head, once per session."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    _in_own_thread(lambda: upgrade_sync(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture
async def db_url(request: pytest.FixtureRequest, empty_db: str, tmp_path: Path) -> str:
    """A database with the schema made by the migrations at head."""
    if empty_db.startswith("sqlite"):
        template: Path = request.getfixturevalue("sqlite_template")
        for suffix in ("", "-wal", "-shm"):  # no connection is open: the copy is consistent
            if (source := Path(f"{template}{suffix}")).exists():
                shutil.copyfile(source, tmp_path / f"t.db{suffix}")
        return empty_db
    await upgrade(empty_db)
    return empty_db


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(db_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return make_sessionmaker(engine)
