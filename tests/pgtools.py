"""PostgreSQL helpers shared by the tiers (imported as `pgtools`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from sqlalchemy.exc import DBAPIError

from storage.engine import make_engine
from storage.tables import Base

PG_SERVER = "127.0.0.1:5432"
PG_ADMIN_DATABASE = "test"
PG_USERS = ("postgres", "root")

T = TypeVar("T")


def in_own_thread(call: Callable[[], T]) -> T:
    """Run `call` (which may run an event loop of its own) away from pytest-asyncio's loops."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(call).result()


async def admin(user: str, sql: str | None = None) -> None:
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


def admin_user() -> str | None:
    for user in PG_USERS:
        try:
            in_own_thread(lambda: asyncio.run(admin(user)))  # noqa: B023 (called at once)
        except (OSError, TimeoutError, DBAPIError):
            continue
        return user
    return None


async def reset_schema(url: str) -> None:
    """An empty public schema, for a test that migrates from nothing."""
    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            await connection.exec_driver_sql("CREATE SCHEMA public")
    finally:
        await engine.dispose()


async def empty_tables_at(url: str, head: str) -> bool:
    """Empty every table if the schema is already at `head` (much faster than migrating it
    again); False when it is not, and the caller migrates. One query finds the tables that
    hold rows; they are emptied with DELETE, children before parents (TRUNCATE costs about
    0.1 s whatever the rows, as it rewrites every table that references it), and every
    sequence restarts at 1, so ids are as on a fresh database."""
    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            exists = await connection.exec_driver_sql(
                "SELECT to_regclass('public.alembic_version')"
            )
            if exists.scalar() is None:
                return False
            version = await connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            if version.scalar() != head:
                return False
            tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
            holding = await connection.exec_driver_sql(
                " UNION ALL ".join(
                    f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM \"{t}\")" for t in tables
                )
            )
            filled = {name for (name,) in holding.all()}
            for table in (t for t in tables if t in filled):
                await connection.exec_driver_sql(f'DELETE FROM "{table}"')
            await connection.exec_driver_sql(
                "SELECT setval(c.oid::regclass, 1, false) FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.relkind = 'S' AND n.nspname = 'public'"
            )
            return True
    finally:
        await engine.dispose()
