"""What the CLI subcommands do, wired from the composition root."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import system_clock
from bot.config import ConfigError, Settings
from bot.core.policy import Policy
from bot.core.roles import Role
from bot.core.usecases import team
from bot.main import build_app, serve
from storage.engine import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.uow import SqlUnitOfWork


async def run(
    settings: Settings, policy: Policy, *, host: str | None = None, port: int | None = None
) -> None:
    if settings.bot_token is None:
        raise ConfigError(
            "setting BOT_TOKEN: not set. Get one from @BotFather, "
            "or try `salesbot sandbox`, which needs none"
        )
    await serve(
        build_app(settings, policy),
        host=host or settings.webhook_host,
        port=port or settings.webhook_port,
    )


async def migrate(settings: Settings) -> None:
    await upgrade(settings.database_url)
    print("database is up to date")


async def invite(settings: Settings, policy: Policy, role: Role) -> str:
    await upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        async with SqlUnitOfWork(make_sessionmaker(engine)) as uow:
            created = await team.create_operator_invite(
                uow, role=role, ttl=timedelta(days=policy.invite_ttl_days), now=system_clock()
            )
    finally:
        await engine.dispose()
    return f"/start {created.code}  (one use, {role.value}, valid {policy.invite_ttl_days} days)"
