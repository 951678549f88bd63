"""A local Telegram Bot API server for tests and the terminal sandbox.

Give aiogram ``AiohttpSession(api=TelegramAPIServer.from_base(await emulator.start()))`` and
the bot talks to this process instead of api.telegram.org. Users are simulated with
``add_user``/``send_text``/``tap`` (or the friendlier ``botapi_emulator.driver.SandboxUser``).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import time
from collections import deque
from collections.abc import Callable
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp import web

from botapi_emulator._methods import METHODS
from botapi_emulator._models import (
    ApiCall,
    ApiError,
    ChatMessage,
    FloodWait,
    InjectedError,
    Params,
    UploadedFile,
    bad_request,
)
from botapi_emulator._state import UPDATE_TYPES, SandboxState
from botapi_emulator.driver import DEFAULT_QUIET, DEFAULT_TIMEOUT, SandboxUser

__all__ = ["ApiCall", "BotApiEmulator", "ChatMessage", "FloodWait"]

_CONFLICT_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
_CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


def _json_response(body: dict[str, Any], status: int = 200) -> web.Response:
    return web.json_response(body, status=status)


class BotApiEmulator(SandboxState):
    """Bot API subset over HTTP plus a simulated Telegram world (see ``SandboxState``)."""

    def __init__(
        self,
        token: str,
        *,
        username: str = "salesbot_sandbox_bot",
        first_name: str = "Sales Bot",
        strict_html: bool = True,
    ) -> None:
        super().__init__(token, username=username, first_name=first_name)
        self.strict_html = strict_html
        self.calls: list[ApiCall] = []
        self.injected_errors: list[InjectedError] = []
        self.flood_waits: list[FloodWait] = []
        self._rate_limit: int | None = None
        self._rate_retry_after = 1
        self._accepted: deque[float] = deque()
        self.allowed_updates: set[str] | None = None
        self.webhook: dict[str, Any] | None = None
        self.webhook_retry_delay = 1.0
        # A load balancer in front of several workers: when set, webhook deliveries go to these
        # URLs in turn, up to the webhook's max_connections at once (as Telegram delivers).
        self.webhook_targets: list[str] | None = None
        self.base_url: str | None = None
        # Set by whoever runs the bot in-process: True while it still handles something (an
        # update, an outbox delivery), so waiting for quiet never mistakes slowness for idleness.
        self.bot_busy: Callable[[], bool] | None = None
        self._runner: web.AppRunner | None = None
        self._event = asyncio.Event()
        self._last_activity = time.monotonic()
        self._inflight = 0
        self._poll_generation = 0
        self._waiting_polls = 0
        self._closing = False
        self._webhook_task: asyncio.Task[None] | None = None

    # ---- lifecycle -----------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Start serving; returns the base URL for ``TelegramAPIServer.from_base``."""
        if self._runner is not None:
            raise RuntimeError("emulator already started")
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        runner = web.AppRunner(
            app, handler_cancellation=True, shutdown_timeout=1.0, access_log=None
        )
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        self._runner, self._closing = runner, False
        bound_host, bound_port = runner.addresses[0][:2]
        self.base_url = f"http://{bound_host}:{bound_port}"
        return self.base_url

    async def stop(self) -> None:
        """Answer waiting long polls with [] and shut the server down."""
        self._closing = True
        self._signal()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
            self._webhook_task = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        """The base URL a bot is given as its Bot API server (the emulator must be running)."""
        if self.base_url is None:
            raise RuntimeError("the emulator is not running")
        return self.base_url

    def user(
        self,
        user_id: int,
        first_name: str | None = None,
        *,
        quiet: float = DEFAULT_QUIET,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> SandboxUser:
        """A driver for one user (registered on the fly as ``first_name`` or ``User<id>``)."""
        if user_id not in self.users:
            self.add_user(user_id, first_name or f"User{user_id}")
        return SandboxUser(self, user_id, quiet=quiet, timeout=timeout)

    # ---- activity tracking (used by the driver) ------------------------------------------------

    def _on_change(self) -> None:
        self._signal()

    def _signal(self) -> None:
        event, self._event = self._event, asyncio.Event()
        event.set()

    def _touch(self) -> None:
        self._last_activity = time.monotonic()
        self._signal()

    async def wait_for_activity(self, timeout: float) -> bool:  # noqa: ASYNC109
        """Wait until anything happens (a call, an update, a change); False on timeout."""
        event = self._event
        try:
            await asyncio.wait_for(event.wait(), max(timeout, 0))
        except TimeoutError:
            return False
        return True

    def busy_now(self) -> bool:
        """A Bot API request is being answered, or the bot says it still has work."""
        return bool(self._inflight) or (self.bot_busy is not None and self.bot_busy())

    def idle_for(self) -> float:
        """Seconds since the last Bot API activity; 0 while a request is being processed or
        while the bot says it is still busy (see `bot_busy`)."""
        if self._inflight or (self.bot_busy is not None and self.bot_busy()):
            self._last_activity = time.monotonic()
            return 0.0
        return time.monotonic() - self._last_activity

    @property
    def is_polling(self) -> bool:
        """True while a getUpdates long poll is waiting."""
        return self._waiting_polls > 0

    async def wait_until_polling(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait for the bot's first waiting getUpdates (polling is up)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self.is_polling:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"the bot did not start polling within {timeout} s")
            await self.wait_for_activity(remaining)

    # ---- fault injection and records -----------------------------------------------------------

    def inject_error(
        self,
        method: str,
        *,
        error_code: int,
        description: str,
        retry_after: int | None = None,
        times: int = 1,
        chat_id: int | None = None,
        text_contains: str | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (optionally for ``chat_id``, or only
        those whose ``text`` contains ``text_contains``) fail."""
        self.injected_errors.append(
            InjectedError(
                method.lower(), error_code, description, retry_after, times, chat_id, text_contains
            )
        )

    def _take_injected(self, method: str, call: ApiCall) -> InjectedError | None:
        text = str(call.params.get("text", ""))
        for injected in self.injected_errors:
            if (
                injected.method == method
                and injected.chat_id in (None, call.chat_id)
                and (injected.text_contains is None or injected.text_contains in text)
            ):
                injected.times -= 1
                if injected.times <= 0:
                    self.injected_errors.remove(injected)
                return injected
        return None

    def limit_rate(self, per_second: int | None, *, retry_after: int = 1) -> None:
        """Enforce a bot-wide rate like Telegram (off by default: ``None``). A Bot API request
        arriving when ``per_second`` requests were accepted within the last second is answered
        429 with ``parameters.retry_after`` and opens a flood wait (recorded in
        ``flood_waits``); a request arriving inside that wait gets 429 again, with the seconds
        left, and is recorded in the wait's ``violations``."""
        self._rate_limit, self._rate_retry_after = per_second, retry_after
        self._accepted.clear()

    def _check_rate(self, call: ApiCall) -> None:
        if self._rate_limit is None:
            return
        if self.flood_waits and call.time < (wait := self.flood_waits[-1]).until:
            wait.violations.append(call)
            left = math.ceil(wait.until - call.time)
            raise ApiError(429, f"Too Many Requests: retry after {left}", {"retry_after": left})
        while self._accepted and self._accepted[0] <= call.time - 1:
            self._accepted.popleft()
        if len(self._accepted) >= self._rate_limit:
            seconds = self._rate_retry_after
            self.flood_waits.append(FloodWait(call, call.time + seconds))
            raise ApiError(
                429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds}
            )
        self._accepted.append(call.time)

    def calls_to(self, method: str) -> list[ApiCall]:
        """Recorded calls of one method (case-insensitive)."""
        return [call for call in self.calls if call.method.lower() == method.lower()]

    # ---- HTTP ----------------------------------------------------------------------------------

    async def _read_params(self, request: web.Request) -> Params:
        raw: dict[str, Any] = dict(request.query)
        files: dict[str, UploadedFile] = {}
        if request.body_exists:
            if request.content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise bad_request("can't parse JSON body") from None
                if not isinstance(body, dict):
                    raise bad_request("JSON body must be an object")
                raw.update(body)
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        files[key] = UploadedFile(
                            value.filename, value.file.read(), value.content_type
                        )
                    else:
                        raw[key] = value
        return Params(raw, files)

    def _chat_id_of(self, params: Params) -> int | None:
        value = params.get("chat_id")
        if value is None:
            query = self.callback_queries.get(str(params.get("callback_query_id", "")))
            return query.user_id if query is not None else None
        try:
            return int(value)
        except (TypeError, ValueError):
            return None

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _json_response(ApiError(401, "Unauthorized").payload(), 401)
        key = request.match_info["method"].lower()
        own = {
            "getupdates": "getUpdates",
            "setwebhook": "setWebhook",
            "deletewebhook": "deleteWebhook",
            "getwebhookinfo": "getWebhookInfo",
        }
        if key not in METHODS and key not in own:
            error = ApiError(404, "Not Found")
            method = request.match_info["method"]
            self.calls.append(
                ApiCall(
                    method, {}, time.monotonic(), ok=False, error_code=404, description="Not Found"
                )
            )
            self._touch()
            return _json_response(error.payload(), 404)
        try:
            params = await self._read_params(request)
        except ApiError as exc:
            return _json_response(exc.payload(), exc.error_code)
        name = own.get(key) or METHODS[key][0]
        ok, body = await self._execute(name, params)
        return _json_response(body, 200 if ok else int(body["error_code"]))

    async def _execute(self, name: str, params: Params) -> tuple[bool, dict[str, Any]]:
        key = name.lower()
        call = ApiCall(name, params.record(), time.monotonic(), self._chat_id_of(params))
        self.calls.append(call)
        long_poll = key == "getupdates"
        if not long_poll:
            self._inflight += 1
        self._touch()
        try:
            if key in METHODS:
                self._check_rate(call)
            injected = self._take_injected(key, call)
            if injected is not None:
                raise injected.to_api_error()
            result: Any
            if long_poll:
                result = await self._get_updates(params)
            elif key == "setwebhook":
                result = self._set_webhook(params)
            elif key == "deletewebhook":
                result = self._delete_webhook(params)
            elif key == "getwebhookinfo":
                result = self._webhook_info()
            else:
                result = METHODS[key][1](self, params)
        except ApiError as exc:
            call.ok, call.error_code, call.description = False, exc.error_code, exc.description
            return False, exc.payload()
        except asyncio.CancelledError:
            call.ok, call.description = False, "cancelled: the client went away"
            raise
        finally:
            if not long_poll:
                self._inflight -= 1
            call.finished = time.monotonic()
            self._touch()
        call.ok, call.result = True, result
        return True, {"ok": True, "result": result}

    async def _download(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _json_response(ApiError(401, "Unauthorized").payload(), 401)
        info = self.files_by_path.get(request.match_info["path"])
        if info is None:
            return _json_response(ApiError(404, "Not Found").payload(), 404)
        return web.Response(
            body=info.data, content_type=info.mime_type or "application/octet-stream"
        )

    # ---- getUpdates ----------------------------------------------------------------------------

    def _set_allowed_updates(self, value: Any) -> None:
        if isinstance(value, list):
            known = {str(item) for item in value} & UPDATE_TYPES
            self.allowed_updates = known or None

    async def _get_updates(self, params: Params) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(409, _CONFLICT_WEBHOOK)
        offset = params.get_int("offset")
        if offset:
            self.confirm_updates(offset)
        limit = max(1, min(100, params.get_int("limit") or 100))
        timeout = max(0, params.get_int("timeout") or 0)
        self._set_allowed_updates(params.get("allowed_updates"))
        self._poll_generation += 1
        generation = self._poll_generation
        self._signal()  # an older waiting poll answers 409
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        self._waiting_polls += 1
        try:
            while True:
                if generation != self._poll_generation or self.webhook is not None:
                    raise ApiError(409, _CONFLICT_POLL)
                batch = self.take_updates(limit, self.allowed_updates)
                remaining = deadline - loop.time()
                if batch or self._closing or remaining <= 0:
                    return batch
                await self.wait_for_activity(remaining)
        finally:
            self._waiting_polls -= 1

    # ---- webhook -------------------------------------------------------------------------------

    def _set_webhook(self, params: Params) -> bool:
        url = params.get_str("url") or ""
        if not url:
            return self._delete_webhook(params)
        if not url.startswith(("http://", "https://")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if params.get_bool("drop_pending_updates"):
            self.drop_pending_updates()
        self._set_allowed_updates(params.get("allowed_updates"))
        self.webhook = {
            "url": url,
            "secret_token": params.get_str("secret_token"),
            "max_connections": params.get_int("max_connections") or 40,
            "last_error_date": None,
            "last_error_message": None,
        }
        self._signal()
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.get_running_loop().create_task(self._webhook_loop())
        return True

    def _delete_webhook(self, params: Params) -> bool:
        if params.get_bool("drop_pending_updates"):
            self.drop_pending_updates()
        self.webhook = None
        self._signal()
        return True

    def _webhook_info(self) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.pending),
        }
        if self.webhook is not None:
            info["url"] = self.webhook["url"]
            info["max_connections"] = self.webhook["max_connections"]
            for key in ("last_error_date", "last_error_message"):
                if self.webhook[key] is not None:
                    info[key] = self.webhook[key]
            if self.allowed_updates:
                info["allowed_updates"] = sorted(self.allowed_updates)
        return info

    async def _webhook_loop(self) -> None:
        """Deliver pending updates one by one, like Telegram does to a webhook."""
        async with aiohttp.ClientSession() as session:
            if self.webhook_targets:
                await self._fan_out(session, self.webhook_targets)
                return
            while self.webhook is not None and not self._closing:
                batch = self.take_updates(1, self.allowed_updates)
                if not batch:
                    await self.wait_for_activity(1.0)
                    continue
                if not await self._deliver(session, self.webhook, batch[0]):
                    await asyncio.sleep(self.webhook_retry_delay)

    async def _fan_out(self, session: aiohttp.ClientSession, targets: list[str]) -> None:
        """Deliver in parallel, round-robin over ``targets``; each update is confirmed alone."""
        busy: set[int] = set()
        tasks: set[asyncio.Task[None]] = set()
        turn = itertools.count()

        async def one(hook: dict[str, Any], update: dict[str, Any]) -> None:
            try:
                if not await self._deliver(session, hook, update, alone=True):
                    await asyncio.sleep(self.webhook_retry_delay)
            finally:
                busy.discard(update["update_id"])
                self._signal()

        try:
            while self.webhook is not None and not self._closing:
                hook = self.webhook
                free = hook["max_connections"] - len(busy)
                waiting = self.take_updates(len(busy) + free, self.allowed_updates)
                batch = [u for u in waiting if u["update_id"] not in busy][:free]
                if not batch:
                    await self.wait_for_activity(1.0)
                    continue
                for update in batch:
                    busy.add(update["update_id"])
                    target = {**hook, "url": targets[next(turn) % len(targets)]}
                    task = asyncio.create_task(one(target, update))
                    tasks.add(task)
                    task.add_done_callback(tasks.discard)
        finally:
            for task in tasks:
                task.cancel()

    async def _deliver(
        self,
        session: aiohttp.ClientSession,
        hook: dict[str, Any],
        update: dict[str, Any],
        *,
        alone: bool = False,
    ) -> bool:
        headers = (
            {"X-Telegram-Bot-Api-Secret-Token": hook["secret_token"]}
            if hook["secret_token"]
            else {}
        )
        self._inflight += 1
        try:
            async with session.post(
                hook["url"], json=update, headers=headers, timeout=aiohttp.ClientTimeout(total=30)
            ) as response:
                if not 200 <= response.status < 300:
                    error = f"Wrong response from the webhook: {response.status} {response.reason}"
                else:
                    error = None
                    if alone:
                        self.confirm_one(update["update_id"])
                    else:
                        self.confirm_updates(update["update_id"] + 1)
                    if response.content_type == "multipart/form-data":
                        await self._run_webhook_reply(response)
        except (aiohttp.ClientError, TimeoutError) as exc:
            error = f"Connection failed: {type(exc).__name__}"
        finally:
            self._inflight -= 1
            self._touch()
        if error is not None:
            hook["last_error_date"], hook["last_error_message"] = int(self.now()), error
        return error is None

    async def _run_webhook_reply(self, response: aiohttp.ClientResponse) -> None:
        """A webhook may answer with a method call in its body; Telegram executes it."""
        reader = aiohttp.MultipartReader.from_response(response)
        raw: dict[str, Any] = {}
        files: dict[str, UploadedFile] = {}
        while (part := await reader.next()) is not None:
            if not isinstance(part, aiohttp.BodyPartReader) or part.name is None:
                continue
            if part.filename:
                files[part.name] = UploadedFile(part.filename, await part.read(decode=True))
            else:
                raw[part.name] = await part.text()
        method = str(raw.pop("method", ""))
        if method.lower() in METHODS:
            try:
                params = Params(raw, files)
            except ApiError:
                return
            await self._execute(METHODS[method.lower()][0], params)
