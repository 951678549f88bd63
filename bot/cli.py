"""What the CLI subcommands do, wired from the composition root."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.clock import system_clock
from bot.config import ConfigError, Settings
from bot.core.models import FailedNotification
from bot.core.policy import Policy
from bot.core.roles import Role
from bot.core.usecases import team
from bot.main import build_app, freeze_startup_heap, serve
from storage.engine import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.outbox_queue import SqlOutboxQueue
from storage.uow import SqlUnitOfWork


async def run(
    settings: Settings, policy: Policy, *, host: str | None = None, port: int | None = None
) -> None:
    if settings.bot_token is None:
        raise ConfigError(
            "setting BOT_TOKEN: not set. Get one from @BotFather, "
            "or try `salesbot sandbox`, which needs none"
        )
    app = build_app(settings, policy)
    freeze_startup_heap()
    await serve(app, host=host or settings.webhook_host, port=port or settings.webhook_port)


async def migrate(settings: Settings) -> None:
    await upgrade(settings.database_url)
    print("database is up to date")


async def invite(settings: Settings, policy: Policy, role: Role, name: str | None = None) -> str:
    await upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        async with SqlUnitOfWork(make_sessionmaker(engine)) as uow:
            created = await team.create_operator_invite(
                uow,
                role=role,
                ttl=timedelta(days=policy.invite_ttl_days),
                now=system_clock(),
                name=name,
            )
    finally:
        await engine.dispose()
    who = f"{created.name}, " if created.name else ""
    return (
        f"/start {created.code}  (one use, {who}{role.value}, valid {policy.invite_ttl_days} days)"
    )


async def failed_outbox(settings: Settings, policy: Policy, *, limit: int) -> str:
    """The last `limit` messages the outbox settled as failed, newest first, as a table."""
    await upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        failures = await SqlOutboxQueue(make_sessionmaker(engine)).recent_failures(limit)
    finally:
        await engine.dispose()
    if not failures:
        return "no failed messages"
    header = ["id", f"failed at ({policy.timezone})", "to", "template", "error"]
    rows = [header, *(_failure_cells(failure, policy.tz) for failure in failures)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header) - 1)]
    return "\n".join(
        "  ".join(
            [*(cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)), row[-1]]
        )
        for row in rows
    )


def _failure_cells(failure: FailedNotification, tz: ZoneInfo) -> list[str]:
    when = (
        failure.failed_at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S") if failure.failed_at else "-"
    )
    return [
        str(failure.id),
        when,
        f"{failure.recipient_id} {failure.recipient_name}",
        failure.template,
        " ".join((failure.error or "-").split()),
    ]
