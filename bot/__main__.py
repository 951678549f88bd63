"""`python -m bot` / `salesbot`: run, sandbox, migrate, invite, outbox."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from bot.config import ConfigError, load_settings
from bot.core.deals import InputProblem
from bot.core.models import NAME_MAX
from bot.core.roles import Role
from bot.core.usecases.team import newcomer_name


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="salesbot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the bot against the Bot API at TELEGRAM_API_URL")
    run.add_argument(
        "--host", help="webhook mode: address to listen on (default: WEBHOOK_HOST, 127.0.0.1)"
    )
    run.add_argument(
        "--port", type=int, help="webhook mode: port to listen on (default: WEBHOOK_PORT, 8080)"
    )
    sandbox = commands.add_parser("sandbox", help="try the bot in the terminal, no token needed")
    sandbox.add_argument("--db", default="sandbox.db", help="SQLite file (default: sandbox.db)")
    sandbox.add_argument("--keep", action="store_true", help="keep the data of the last session")
    commands.add_parser("migrate", help="bring the database schema up to date")
    invite = commands.add_parser("invite", help="print a one-time invite link")
    invite.add_argument("--role", choices=[r.value for r in Role], default=Role.admin.value)
    invite.add_argument("--name", help="the newcomer's full name; they join under it")
    outbox = commands.add_parser("outbox", help="look into the outbox of notifications")
    outbox_commands = outbox.add_subparsers(dest="outbox_command", required=True)
    failed = outbox_commands.add_parser("failed", help="messages given up on, newest first")
    failed.add_argument("--limit", type=int, default=20, help="how many (default: 20)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        if args.command == "sandbox":
            from bot.sandbox.app import run_sandbox

            asyncio.run(run_sandbox(db_path=args.db, keep=args.keep))
            return 0
        settings, policy = load_settings()
        from bot import cli

        if args.command == "run":
            asyncio.run(cli.run(settings, policy, host=args.host, port=args.port))
        elif args.command == "migrate":
            asyncio.run(cli.migrate(settings))
        elif args.command == "invite":
            name = newcomer_name_or_exit(args.name)
            print(asyncio.run(cli.invite(settings, policy, Role(args.role), name)))
        elif args.command == "outbox":
            print(asyncio.run(cli.failed_outbox(settings, policy, limit=args.limit)))
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


def newcomer_name_or_exit(name: str | None) -> str | None:
    """The invite's name as the bot would take it, or a sentence and exit code 2."""
    if name is None:
        return None
    try:
        return newcomer_name(name)
    except InputProblem:
        print(
            f"invite: --name must have 1 to {NAME_MAX} characters with at least one letter",
            file=sys.stderr,
        )
        raise SystemExit(2) from None


if __name__ == "__main__":
    sys.exit(main())
