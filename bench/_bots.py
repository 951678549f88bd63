"""The bot processes of the throughput benchmark: a minimal aiogram echo bot (the ceiling) and our
bot (build_app on a seeded SQLite file). Both poll the emulator in the other process.

Every Bot API request made while an update is handled carries a `bench_tag` form field,
"<update_id>/<run>" (run counts how often this process started handling that update id), so the
emulator can tell which update each answer belongs to and whether any update was handled twice.
Requests from outside an update (the outbox sender) carry no tag. The emulator ignores the field.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import resource
import time
from collections.abc import Awaitable
from contextvars import ContextVar
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.methods import TelegramMethod
from aiogram.types import CallbackQuery, Message, Update
from aiohttp import FormData

from bot.main import running
from bot.sandbox.app import SANDBOX_TOKEN, sandbox_app

TAG_FIELD = "bench_tag"

_tag: ContextVar[str | None] = ContextVar("bench_tag", default=None)


def tag_requests(session: AiohttpSession) -> None:
    """Every request made while an update is handled carries its tag (the session is otherwise
    the bot's own, with its request middlewares)."""
    build = session.build_form_data

    def build_form_data(bot: Bot, method: TelegramMethod[Any]) -> FormData:
        form = build(bot, method)
        tag = _tag.get()
        if tag is not None:
            form.add_field(TAG_FIELD, tag)
        return form

    session.build_form_data = build_form_data  # type: ignore[method-assign]


class Tagger:
    """Wraps dp.feed_update: the tag for every request made while handling an update, error
    handlers included (they run outside the update's own middlewares)."""

    def __init__(self, dp: Dispatcher) -> None:
        self.runs: dict[int, int] = {}
        self._feed = dp.feed_update
        dp.feed_update = self.feed_update  # type: ignore[method-assign]

    async def feed_update(self, bot: Bot, update: Update, **kwargs: Any) -> Any:
        run = self.runs[update.update_id] = self.runs.get(update.update_id, 0) + 1
        token = _tag.set(f"{update.update_id}/{run}")
        try:
            return await self._feed(bot, update, **kwargs)
        finally:
            _tag.reset(token)


def _stats(started: float) -> dict[str, float]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "rss_mb_max": usage.ru_maxrss / 1024,
        "wall_s": time.monotonic() - started,
    }


async def _serve_commands(conn: Connection, started: float) -> None:
    """Answer "stats" until "stop"."""
    loop = asyncio.get_running_loop()
    while True:
        command = await loop.run_in_executor(None, conn.recv)
        if command == "stop":
            return
        conn.send(_stats(started))


# ---- the ceiling ------------------------------------------------------------------------------


async def _echo(conn: Connection, url: str) -> None:
    started = time.monotonic()
    bot = Bot(SANDBOX_TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(url)))
    tag_requests(bot.session)
    dp = Dispatcher()
    Tagger(dp)

    @dp.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    @dp.callback_query()
    async def tapped(query: CallbackQuery) -> None:
        await query.answer()

    polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=10))
    try:
        await _serve_commands(conn, started)
    finally:
        await dp.stop_polling()
        with contextlib.suppress(asyncio.CancelledError):
            await polling
        await bot.session.close()


# ---- our bot ----------------------------------------------------------------------------------


async def _ours(conn: Connection, url: str, db_path: Path) -> None:
    started = time.monotonic()
    app = sandbox_app(url, str(db_path))
    if isinstance(app.bot.session, AiohttpSession):
        tag_requests(app.bot.session)
    Tagger(app.dp)
    async with running(app, clock_jobs=False):
        polling = asyncio.create_task(app.intake.poll(poll_seconds=10), name="polling")
        try:
            await _serve_commands(conn, started)
        finally:
            polling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await polling


def _quiet_logs() -> None:
    logging.basicConfig(level=logging.WARNING, format="bot: %(levelname)s %(name)s %(message)s")
    logging.getLogger("aiogram").setLevel(logging.WARNING)
    logging.getLogger("aiogram_dialog").setLevel(logging.ERROR)


def bot_main(
    conn: Connection, kind: str, url: str, db_path: Path | None, profile: str | None
) -> None:
    """Process entry point: run the bot until the parent says "stop"."""
    _quiet_logs()
    run = _echo(conn, url) if kind == "echo" else _ours(conn, url, db_path or Path())
    if profile is None:
        asyncio.run(run)
    else:
        _profiled(run, profile)
    conn.send(_stats(0.0))


def _profiled(run: Awaitable[None], path: str) -> None:
    """FILE.prof: cProfile stats (pstats); otherwise pyinstrument text and HTML if installed."""
    try:
        from pyinstrument import Profiler  # a dev tool: pip install pyinstrument
    except ImportError:
        Profiler = None  # noqa: N806
    if Profiler is None or path.endswith(".prof"):
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
        try:
            asyncio.run(run)  # type: ignore[arg-type]
        finally:
            profile.disable()
            profile.dump_stats(path)
        return
    profiler = Profiler(async_mode="disabled")
    profiler.start()
    try:
        asyncio.run(run)  # type: ignore[arg-type]
    finally:
        profiler.stop()
        Path(path).write_text(profiler.output_text(unicode=True, show_all=False))
        Path(path).with_suffix(".html").write_text(profiler.output_html())
