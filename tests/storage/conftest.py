"""A real database per test, its schema made by the alembic migrations.

Every test that asks for `db_url` (or `engine`, `sessionmaker`) runs twice: on a fresh SQLite
file (a copy of one the migrations built at the start of the session, which is much faster than
migrating each time), and on PostgreSQL (marked `postgres`). The PostgreSQL runs use a private
database created for this pytest session on the local server, so a second test run at the same
time, or anyone else using the server's `test` database, is never wiped by ours; its tables are
emptied before each test (TRUNCATE), and its schema rebuilt by the migrations only when a test
left it elsewhere than at head (`empty_db` drops it for the migration tests). Without a reachable server those runs are skipped, with the reason.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from pgtools import empty_tables_at, in_own_thread, reset_schema
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.engine import make_engine, make_sessionmaker
from storage.migrate import alembic_config, upgrade, upgrade_sync


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database: no tables, not even alembic_version."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path}/t.db"
    url: str = request.getfixturevalue("postgres_url")
    await reset_schema(url)
    return url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file the real migrations brought to head, once per session."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    in_own_thread(lambda: upgrade_sync(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def head() -> str:
    revision = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert revision is not None
    return revision


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path, head: str) -> str:
    """A database with the schema made by the migrations at head, and no rows."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        for suffix in ("", "-wal", "-shm"):  # no connection is open: the copy is consistent
            if (source := Path(f"{template}{suffix}")).exists():
                shutil.copyfile(source, tmp_path / f"t.db{suffix}")
        return f"sqlite+aiosqlite:///{tmp_path}/t.db"
    url: str = request.getfixturevalue("postgres_url")
    if not await empty_tables_at(url, head):
        await reset_schema(url)
        await upgrade(url)
    return url


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(db_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return make_sessionmaker(engine)
