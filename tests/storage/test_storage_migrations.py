from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from dbtools import NOW
from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import make_engine
from storage.migrate import alembic_config, downgrade, upgrade
from storage.tables import Base

APP_TABLES = set(Base.metadata.tables)


async def tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda c: inspect(c).get_table_names())
    finally:
        await engine.dispose()
    return set(names) - {"alembic_version"}


def revisions(url: str) -> list[tuple[str, str]]:
    """(revision, the one below it or "base"), oldest first."""
    script = ScriptDirectory.from_config(alembic_config(url))
    steps = [(r.revision, r.down_revision or "base") for r in script.walk_revisions()]
    return list(reversed(steps))  # type: ignore[arg-type]


async def test_stairway_every_revision_goes_up_down_and_up_again(empty_db: str) -> None:
    steps = revisions(empty_db)
    assert steps, "no migrations found"

    for revision, below in steps:
        await upgrade(empty_db, revision)
        await downgrade(empty_db, below)
        await upgrade(empty_db, revision)

    assert await tables(empty_db) == APP_TABLES


async def test_down_to_base_leaves_no_tables_and_up_again_restores_them(empty_db: str) -> None:
    await upgrade(empty_db)
    await downgrade(empty_db, "base")
    assert await tables(empty_db) == set()

    await upgrade(empty_db)
    assert await tables(empty_db) == APP_TABLES


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_the_migrated_schema_matches_the_models(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        diff = await connection.run_sync(_diff)

    assert diff == []


async def test_0006_gives_customers_added_without_a_key_their_company_key(empty_db: str) -> None:
    await upgrade(empty_db, "0005")
    engine = make_engine(empty_db)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO people (id, telegram_id, full_name, role, active, joined_at,"
                    " unreachable) VALUES (1, 10, 'Rob', 'rep', true, :now, false)"
                ),
                {"now": NOW},
            )
            await connection.execute(
                text(
                    "INSERT INTO customers (id, name, owner_id, status, created_at, name_key)"
                    " VALUES (1, 'Acme Trading Co., Ltd.', 1, 'prospect', :now, ''),"
                    " (2, 'Bolt', 1, 'prospect', :now, 'kept')"
                ),
                {"now": NOW},
            )
        await upgrade(empty_db, "0006")
        async with engine.connect() as connection:
            keys = dict(
                (await connection.execute(text("SELECT id, name_key FROM customers"))).all()
            )
    finally:
        await engine.dispose()
    assert keys == {1: "acmetrading", 2: "kept"}


async def test_0010_gives_waiting_rows_a_fresh_budget_and_keeps_settled_ones(
    empty_db: str,
) -> None:
    await upgrade(empty_db, "0009")
    engine = make_engine(empty_db)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO people (id, telegram_id, full_name, role, active, joined_at,"
                    " unreachable) VALUES (1, 10, 'Rob', 'rep', true, :now, false)"
                ),
                {"now": NOW},
            )
            for number, status in enumerate(["pending", "sending", "failed", "sent"], 1):
                await connection.execute(
                    text(
                        "INSERT INTO outbox (id, recipient_id, template, params, status, attempts,"
                        " created_at, next_attempt_at, edit, edit_only)"
                        " VALUES (:id, 1, 'hello', '{}', :status, 7, :now, :now, false, false)"
                    ),
                    {"id": number, "status": status, "now": NOW},
                )
        await upgrade(empty_db, "0010")
        async with engine.connect() as connection:
            attempts = dict(
                (await connection.execute(text("SELECT status, attempts FROM outbox"))).all()
            )
    finally:
        await engine.dispose()
    assert attempts == {"pending": 0, "sending": 0, "failed": 7, "sent": 7}


async def test_0012_keeps_invites_made_before_it_without_a_name(empty_db: str) -> None:
    await upgrade(empty_db, "0011")
    engine = make_engine(empty_db)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO invites (code, role, created_at, expires_at)"
                    " VALUES ('OLD', 'rep', :now, :now)"
                ),
                {"now": NOW},
            )
        await upgrade(empty_db, "0012")
        async with engine.connect() as connection:
            names = (await connection.execute(text("SELECT code, name FROM invites"))).all()
    finally:
        await engine.dispose()

    assert [tuple(r) for r in names] == [("OLD", None)]
