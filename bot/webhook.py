"""Webhook mode: Telegram's POST is answered 200 only once the update is stored in the inbox."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable

from aiogram.types import Update
from aiohttp import web
from pydantic import ValidationError

from bot.updates import UpdateIntake, stored

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_handler(
    intake: UpdateIntake, secret: str | None
) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if secret is not None and not hmac.compare_digest(given, secret):
            return web.Response(status=401)
        body = await request.text()
        try:
            update = Update.model_validate_json(body, context={"bot": intake.bot})
        except (ValidationError, ValueError) as exc:
            log.warning("webhook: malformed update refused (%s)", _first_error(exc))
            return web.Response(status=400, text="malformed update")
        await intake.runner.wait_room()  # a backlog waits at Telegram, not in memory
        try:
            await intake.accept([stored(update, body)])
        except Exception:
            # Not stored, so not confirmed: Telegram delivers it again.
            log.exception("webhook: update %s could not be stored", update.update_id)
            return web.Response(status=503)
        return web.Response(status=200)

    return receive


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and exc.errors():
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error.get("loc", ())) or "body"
        return f"{where}: {error.get('msg', 'invalid')}"
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
