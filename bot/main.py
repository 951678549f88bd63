"""The composition root: the only module that wires every layer together."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher, F
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.middlewares.base import (
    NextRequestMiddlewareType,
    RequestMiddlewareType,
)
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram_dialog import setup_dialogs
from aiogram_dialog.api.entities import DIALOG_EVENT_NAME
from aiogram_dialog.api.protocols import MessageManagerProtocol
from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.core.policy import Policy
from bot.core.ports import UnitOfWorkFactory
from bot.core.usecases.collection_report import CHART_TEMPLATE
from bot.core.usecases.monthly_report import CHART_TEMPLATE as MONTHLY_CHART
from bot.documents.collection_chart import collection_png
from bot.documents.report_chart import snapshot_png
from bot.fsm import FlushingIsolation, SqlStorage
from bot.i18n import PoI18n, make_i18n
from bot.menus import MenuMiddleware, Menus, register_default_menus
from bot.middlewares import AccessMiddleware, ContextMiddleware
from bot.notifications.limiter import ChatLimits
from bot.notifications.sender import OutboxSender
from bot.rendering import Renderer, make_env
from bot.scheduling import Jobs, make_scheduler
from bot.ui.cards import (
    card_keyboard,
    contract_keyboard,
    cosign_keyboard,
    deposit_keyboard,
    follow_ups_keyboard,
    meeting_keyboard,
    note_keyboard,
    note_sign_keyboard,
    open_customer_keyboard,
    plan_keyboard,
    production_keyboard,
    prospects_keyboard,
    request_keyboard,
    review_comment_keyboard,
    review_grade_keyboard,
    target_keyboard,
    work_order_keyboard,
    work_order_sign_keyboard,
)
from bot.ui.commission_cards import commission_keyboard
from bot.ui.dialog_ids import use_unique_dialog_ids
from bot.ui.invoice_cards import issue_keyboard
from bot.ui.shown import ShownButtonsOnly
from bot.ui.windows import FittingMessageManager
from bot.updates import UpdateIntake
from bot.webhook import webhook_handler
from dialogs.application import application_dialog
from dialogs.away import away_dialog
from dialogs.cc_pick import cc_pick_dialog
from dialogs.commission import commission_dialog, commission_filing_dialog
from dialogs.contract import contract_dialog
from dialogs.customer import customer_dialog
from dialogs.deal import deal_dialog
from dialogs.decision import reason_dialog
from dialogs.delivery import delivery_dialog, delivery_note_dialog
from dialogs.deposit import deposit_dialog
from dialogs.discard import discard_dialog
from dialogs.export import export_dialog
from dialogs.invite import invite_dialog
from dialogs.invoice import invoice_ask_dialog, invoice_issue_dialog
from dialogs.my_requests import my_requests_dialog
from dialogs.payment import payment_dialog
from dialogs.pending import pending_dialog
from dialogs.plan import plan_dialog, team_plans_dialog
from dialogs.pool import pool_dialog
from dialogs.reconcile import reconcile_dialog
from dialogs.register import register_dialog
from dialogs.report import report_dialog
from dialogs.request_view import request_view_dialog
from dialogs.reservation import reservation_dialog
from dialogs.review import review_dialog
from dialogs.settings import settings_dialog
from dialogs.team import team_dialog
from dialogs.transfer import transfer_dialog
from dialogs.visit import visit_dialog
from dialogs.work_order import work_order_dialog, work_order_filing_dialog
from handlers import (
    approvals,
    basics,
    commission,
    customers,
    delivery,
    dialog_starts,
    errors,
    fallback,
    follow_on,
    invoices,
    orders,
    plans,
    start,
)
from storage.engine import make_engine, make_sessionmaker
from storage.fsm import SqlFsmStore, flush_pending
from storage.inbox import SqlInbox
from storage.migrate import upgrade
from storage.outbox_queue import SqlOutboxQueue
from storage.uow import SqlUnitOfWork

log = logging.getLogger(__name__)

# Chats handled at once; each update holds at most one connection, and the pool keeps a few more
# for the outbox sender, the scheduler and the inbox.
UPDATE_LIMIT = 8
INBOX_LEASE = timedelta(minutes=2)
INBOX_KEEP = timedelta(days=3)


@dataclass
class App:
    settings: Settings
    policy: Policy
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    bot: Bot
    dp: Dispatcher
    sender: OutboxSender
    i18n: PoI18n
    renderer: Renderer
    jobs: Jobs
    scheduler: AsyncIOScheduler
    intake: UpdateIntake
    tasks: list[asyncio.Task[None]] = field(default_factory=list)


def keep_response_types() -> RequestMiddlewareType:
    """aiogram reads every answer as `Response[T]`, a generic pydantic class that pydantic caches
    only weakly: each garbage collection dropped them and the next request built the class again
    (5-15 ms, a third of all requests under load). Holding every one built keeps it."""
    kept: dict[Any, type[Response[Any]]] = {}

    async def middleware(
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        returning = method.__returning__
        if returning not in kept:
            kept[returning] = Response[returning]  # type: ignore[valid-type]
        return await make_request(bot, method)

    return middleware


class BotSession(AiohttpSession):
    """aiogram's session, minus its quarter-second wait on close when no TLS is spoken: that
    wait lets SSL connections shut down, and a plain-HTTP Bot API server (a self-hosted one
    on the same host, the sandbox's emulator) has none."""

    async def close(self) -> None:
        if self.api.base.startswith("https://"):
            await super().close()
        elif self._session is not None and not self._session.closed:
            await self._session.close()


def make_bot(settings: Settings) -> Bot:
    if settings.bot_token is None:
        raise ValueError("BOT_TOKEN is not set")
    session = BotSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    session.middleware(keep_response_types())
    return Bot(
        settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def make_fsm(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> tuple[BaseStorage, BaseEventIsolation | None, BaseEventIsolation]:
    """The state storage, the dispatcher's isolation (across workers: Redis) and the dialogs'.
    Within one process the update runner already keeps a chat's updates in order."""
    if settings.redis_url:
        redis = RedisStorage.from_url(
            settings.redis_url, key_builder=DefaultKeyBuilder(with_destiny=True)
        )
        isolation = redis.create_isolation()
        return redis, isolation, isolation
    dialogs = FlushingIsolation(SimpleEventIsolation(), flush_pending)
    return SqlStorage(SqlFsmStore(sessionmaker)), None, dialogs


def build_dispatcher(
    *,
    storage: BaseStorage,
    isolation: BaseEventIsolation | None,
    dialog_isolation: BaseEventIsolation | None = None,
    uow_factory: UnitOfWorkFactory,
    i18n: PoI18n,
    renderer: Renderer,
    settings: Settings,
    policy: Policy,
    clock: Clock,
    message_manager: MessageManagerProtocol | None = None,
) -> Dispatcher:
    dp = Dispatcher(
        storage=storage,
        events_isolation=isolation,
        renderer=renderer,
        policy=policy,
    )
    # Commands before dialogs (a text input would swallow them), the fallback last.
    for router in (
        start.router(),
        basics.router(),
        dialog_starts.router(),
        approvals.router(),
        customers.router(),
        plans.router(),
        orders.router(),
        follow_on.router(),
        delivery.router(),
        invoices.router(),
        commission.router(),
    ):
        dp.include_router(router)
    for dialog in (
        invite_dialog(),
        team_dialog(),
        settings_dialog(),
        deal_dialog(),
        reason_dialog(),
        transfer_dialog(),
        request_view_dialog(),
        cc_pick_dialog(),
        discard_dialog(),
        pending_dialog(),
        my_requests_dialog(),
        away_dialog(policy.tz),
        register_dialog(),
        customer_dialog(),
        pool_dialog(),
        report_dialog(policy.tz),
        visit_dialog(policy.tz),
        plan_dialog(),
        team_plans_dialog(),
        review_dialog(),
        reservation_dialog(),
        deposit_dialog(policy.tz),
        application_dialog(policy.tz),
        contract_dialog(),
        payment_dialog(policy.tz),
        work_order_filing_dialog(),
        work_order_dialog(),
        delivery_dialog(),
        delivery_note_dialog(),
        invoice_ask_dialog(),
        invoice_issue_dialog(policy.tz),
        commission_filing_dialog(),
        commission_dialog(),
        reconcile_dialog(),
        export_dialog(policy.tz),
    ):
        # A mistyped command is not an answer to the open form: the fallback names it.
        dialog.message.filter(~F.text.startswith("/"))
        dialog.callback_query.middleware(ShownButtonsOnly())
        dp.include_router(dialog)
    dp.include_router(fallback.router())
    dp.include_router(errors.router())
    use_unique_dialog_ids()
    setup_dialogs(
        dp,
        message_manager=message_manager or FittingMessageManager(),
        events_isolation=dialog_isolation,
    )

    context = ContextMiddleware(
        uow_factory,
        i18n,
        admin_ids=settings.admin_ids,
        clock=clock,
    )
    for observer in (dp.message, dp.callback_query, dp.errors, dp.observers[DIALOG_EVENT_NAME]):
        observer.outer_middleware(context)
    menus = MenuMiddleware(Menus(i18n))
    access = AccessMiddleware()
    for observer in (dp.message, dp.callback_query):
        observer.outer_middleware(menus)
        observer.outer_middleware(access)
    return dp


@dataclass(frozen=True, slots=True)
class Capacity:
    """How many chats' updates run at once, and the database connections for them: by default
    one per running update, four for the sender and the jobs, and an overflow as large again."""

    update_limit: int = UPDATE_LIMIT
    pool_size: int | None = None


DEFAULT_CAPACITY = Capacity()


def build_app(
    settings: Settings,
    policy: Policy,
    *,
    clock: Clock = system_clock,
    limits: ChatLimits | None = None,
    message_manager: MessageManagerProtocol | None = None,
    capacity: Capacity = DEFAULT_CAPACITY,
) -> App:
    update_limit, pool_size = capacity.update_limit, capacity.pool_size
    engine = make_engine(
        settings.database_url,
        pool_size=pool_size or update_limit + 4,
        max_overflow=0 if pool_size else update_limit,
    )
    sessionmaker = make_sessionmaker(engine)
    i18n = make_i18n(policy.default_language)
    renderer = Renderer(make_env(i18n, policy.tz, policy.currency))
    bot = make_bot(settings)
    sender = OutboxSender(
        bot,
        SqlOutboxQueue(sessionmaker),
        renderer,
        i18n,
        clock=clock,
        limits=limits,
        keyboards={
            "approval_card": card_keyboard,
            "request_cc": request_keyboard,
            "followups_digest": follow_ups_keyboard,
            "prospect_to_confirm": prospects_keyboard,
            "customer_file": open_customer_keyboard,
            "customer_won": open_customer_keyboard,
            "customer_handover": open_customer_keyboard,
            "plan_card": plan_keyboard,
            "meeting_summary": meeting_keyboard,
            "target_set": target_keyboard,
            "target_reminder": target_keyboard,
            "review_ready": review_comment_keyboard,
            "review_to_grade": review_grade_keyboard,
            "review_commented": review_grade_keyboard,
            "deposit_expected": deposit_keyboard,
            "contract_to_cosign": cosign_keyboard,
            "work_order_to_sign": work_order_sign_keyboard,
            "work_order_signed": work_order_keyboard,
            "work_order_assigned": work_order_keyboard,
            "production_to_sign": production_keyboard,
            "production_signed": contract_keyboard,
            "goods_ready": contract_keyboard,
            "delivery_note_to_sign": note_sign_keyboard,
            "delivery_note_moved": note_keyboard,
            "delivery_copy_to_book": note_keyboard,
            "invoice_to_issue": issue_keyboard,
            "commission_card": commission_keyboard,
        },
        bundle_windows={
            "prospect_to_confirm": timedelta(minutes=policy.reminders.bundle_minutes),
        },
        photos={
            CHART_TEMPLATE: functools.partial(collection_png, currency=policy.currency),
            MONTHLY_CHART: functools.partial(snapshot_png, currency=policy.currency),
        },
    )

    def uow_factory() -> SqlUnitOfWork:
        return SqlUnitOfWork(sessionmaker, on_commit=sender.wake)

    storage, isolation, dialog_isolation = make_fsm(settings, sessionmaker)
    dp = build_dispatcher(
        storage=storage,
        isolation=isolation,
        dialog_isolation=dialog_isolation,
        uow_factory=uow_factory,
        i18n=i18n,
        renderer=renderer,
        settings=settings,
        policy=policy,
        clock=clock,
        message_manager=message_manager,
    )
    jobs = Jobs(uow_factory, policy, clock)
    intake = UpdateIntake(dp, bot, SqlInbox(sessionmaker, clock), limit=update_limit)
    scheduler = make_scheduler(jobs, policy)
    scheduler.add_job(
        _inbox_housekeeping(intake, webhook=settings.webhook_url is not None),
        IntervalTrigger(minutes=1),
        id="inbox-housekeeping",
    )
    return App(
        settings,
        policy,
        engine,
        sessionmaker,
        bot,
        dp,
        sender,
        i18n,
        renderer,
        jobs,
        scheduler,
        intake,
    )


def _inbox_housekeeping(intake: UpdateIntake, *, webhook: bool) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        await intake.inbox.prune(intake.inbox.now() - INBOX_KEEP)
        if webhook:  # another worker may have died holding updates
            await intake.recover(older_than=INBOX_LEASE)

    return run


@contextlib.asynccontextmanager
async def running(app: App, *, clock_jobs: bool = True) -> AsyncIterator[App]:
    """Migrations, commands, the outbox sender and the scheduler: all but receiving updates."""
    await upgrade(app.settings.database_url)
    await register_default_menus(app.bot, app.i18n)
    await app.dp.emit_startup(bot=app.bot, bots=[app.bot], dispatcher=app.dp)
    app.tasks.append(asyncio.create_task(app.sender.run(), name="outbox-sender"))
    if clock_jobs:
        app.scheduler.start()
    # Polling is one process by Telegram's rule, so all it left is ours; webhook workers share
    # the inbox, and a row is taken over only once its worker had ample time (INBOX_LEASE).
    await app.intake.recover(older_than=INBOX_LEASE if app.settings.webhook_url else None)
    try:
        yield app
    finally:
        if app.scheduler.running:
            app.scheduler.shutdown(wait=False)
        await app.intake.runner.stop()
        await app.dp.emit_shutdown(bot=app.bot, bots=[app.bot], dispatcher=app.dp)
        for task in app.tasks:
            task.cancel()
        await asyncio.gather(*app.tasks, return_exceptions=True)
        app.tasks.clear()
        await app.dp.storage.close()
        await app.bot.session.close()
        await app.engine.dispose()


def freeze_startup_heap() -> None:
    """Take what start-up built (modules, the app) out of the garbage collector's sight, so a
    full collection scans only what the running bot creates. Otherwise each one walked the
    hundreds of thousands of objects the imports made: a 100–370 ms stall of the event loop,
    several a minute while a broadcast is delivered (bench/broadcast.py)."""
    gc.collect()
    gc.freeze()


async def serve(app: App, *, host: str, port: int) -> None:
    async with running(app):
        if app.settings.webhook_url:
            await serve_webhook(app, host, port)
            return
        await app.bot.delete_webhook(drop_pending_updates=False)
        me = await app.bot.me()
        log.info("salesbot is polling as @%s", me.username)
        await app.intake.poll()


@contextlib.asynccontextmanager
async def webhook_server(app: App, host: str, port: int) -> AsyncIterator[str]:
    """Receive updates on WEBHOOK_URL's path; Telegram must send the secret header."""
    url = app.settings.webhook_url or ""
    secret = app.settings.webhook_secret.get_secret_value() if app.settings.webhook_secret else None
    web_app = web.Application()
    web_app.router.add_post(urlsplit(url).path or "/", webhook_handler(app.intake, secret))
    runner = web.AppRunner(web_app)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    try:
        await app.bot.set_webhook(
            url, secret_token=secret, allowed_updates=app.dp.resolve_used_update_types()
        )
        yield url
    finally:
        await runner.cleanup()


async def serve_webhook(app: App, host: str, port: int) -> None:
    async with webhook_server(app, host, port) as url:
        log.info("salesbot receives updates at %s", url)
        await asyncio.Event().wait()
