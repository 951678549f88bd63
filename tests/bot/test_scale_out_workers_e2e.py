"""Two webhook workers and a scheduler on PostgreSQL and Redis, the emulator spreading updates
over both as a load balancer would, and 50 approvers tapping at once (each tapping twice)."""

from __future__ import annotations

import contextlib
import socket
from collections import Counter
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest
from harness import FakeClock
from pgtools import reset_schema
from redis.asyncio import Redis
from sqlalchemy import func, select

from bot.config import load_settings
from bot.core.deals import DealTerms
from bot.core.roles import Role
from bot.core.usecases import approvals
from bot.main import App, build_app, running, webhook_server
from bot.notifications.limiter import ChatLimits
from bot.sandbox.app import SANDBOX_TOKEN
from botapi_emulator.driver import wait_settled
from botapi_emulator.emulator import BotApiEmulator
from storage.tables import AuditRow, InboxRow, OutboxRow, StepRow
from storage.uow import SqlUnitOfWork

pytestmark = pytest.mark.postgres
REDIS_URL = "redis://127.0.0.1:6379/14"
SECRET = "s3cret-token"
PAIRS = 50
ADMIN, MANAGER = 1000, 1001


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def supervisor_of(n: int) -> int:
    return 2000 + n


def rep_of(n: int) -> int:
    return 3000 + n


def _app(emulator: BotApiEmulator, postgres_url: str, clock: FakeClock, hook: str | None) -> App:
    settings, policy = load_settings(
        bot_token=SANDBOX_TOKEN,
        telegram_api_url=emulator.base_url,
        database_url=postgres_url,
        redis_url=REDIS_URL,
        admin_ids=str(ADMIN),
        webhook_url=hook,
        webhook_secret=SECRET if hook else None,
    )
    limits = ChatLimits(overall_rate=1000, chat_rate=1000, chat_burst=1000)
    return build_app(settings, policy, clock=clock, limits=limits)


@contextlib.asynccontextmanager
async def cluster(
    tmp_path: Path, postgres_url: str
) -> AsyncIterator[tuple[BotApiEmulator, list[App], App]]:
    redis = Redis.from_url(REDIS_URL)
    try:
        await redis.ping()
    except OSError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    await redis.flushdb()
    await redis.aclose()
    await reset_schema(postgres_url)
    clock = FakeClock()
    async with BotApiEmulator(SANDBOX_TOKEN) as emulator, contextlib.AsyncExitStack() as stack:
        ports = [_free_port(), _free_port()]
        hooks = [f"http://127.0.0.1:{port}/telegram/hook" for port in ports]
        emulator.webhook_targets = hooks
        workers = [_app(emulator, postgres_url, clock, hook) for hook in hooks]
        scheduler = _app(emulator, postgres_url, clock, None)
        for worker, port in zip(workers, ports, strict=True):
            await stack.enter_async_context(running(worker, clock_jobs=False))
            await stack.enter_async_context(webhook_server(worker, "127.0.0.1", port))
        await stack.enter_async_context(running(scheduler, clock_jobs=False))
        everyone = [*workers, scheduler]
        emulator.bot_busy = lambda: any(a.intake.runner.busy or a.sender.busy for a in everyone)
        yield emulator, workers, scheduler


async def seed(app: App, emulator: BotApiEmulator) -> dict[int, int]:
    """A sales manager over 50 supervisors, each with a rep whose request waits for them."""
    now = app.jobs._clock()
    requests: dict[int, int] = {}
    async with SqlUnitOfWork(app.sessionmaker) as uow:
        admin = await uow.people.add(
            telegram_id=ADMIN,
            full_name="Ada Admin",
            role=Role.admin,
            reports_to=None,
            language="en",
            joined_at=now,
        )
        manager = await uow.people.add(
            telegram_id=MANAGER,
            full_name="Wang Wei",
            role=Role.sales_manager,
            reports_to=admin.id,
            language="en",
            joined_at=now,
        )
        reps = {}
        for n in range(PAIRS):
            supervisor = await uow.people.add(
                telegram_id=supervisor_of(n),
                full_name=f"Supervisor {n}",
                role=Role.supervisor,
                reports_to=manager.id,
                language="en",
                joined_at=now,
            )
            rep = await uow.people.add(
                telegram_id=rep_of(n),
                full_name=f"Rep {n}",
                role=Role.rep,
                reports_to=supervisor.id,
                language="en",
                joined_at=now,
            )
            customer = await uow.customers.add(
                name=f"Customer {n}", owner_id=rep.id, phone=None, now=now, name_key=f"c{n}"
            )
            reps[n] = (rep.id, customer.id)
        await uow.commit()
    for telegram_id in (
        ADMIN,
        MANAGER,
        *map(supervisor_of, range(PAIRS)),
        *map(rep_of, range(PAIRS)),
    ):
        emulator.add_user(telegram_id, f"User {telegram_id}").started = True
    for n, (rep_id, customer_id) in reps.items():
        async with SqlUnitOfWork(app.sessionmaker) as uow:
            request = await approvals.submit(
                uow,
                requester_id=rep_id,
                terms=DealTerms(
                    customer_id=customer_id,
                    product="Steel pipes",
                    quantity=Decimal("10"),
                    amount=Decimal("50000.00"),
                    discount=Decimal("12"),
                ),
                policy=app.policy,
                now=now,
            )
            requests[n] = request.id
    app.sender.wake()
    return requests


async def test_two_webhook_workers_decide_each_of_50_requests_exactly_once(
    tmp_path: Path, postgres_url: str
) -> None:
    async with cluster(tmp_path, postgres_url) as (emulator, workers, scheduler):
        requests = await seed(scheduler, emulator)
        await wait_settled(emulator, emulator.last_update_id)
        cards = {}
        for n in range(PAIRS):
            card = next(
                m for m in emulator.transcript(supervisor_of(n)) if m.from_bot and m.buttons
            )
            cards[n] = card
        for n, card in cards.items():
            approve = next(b for b in card.buttons if b["text"] == "✅ Approve")
            for _ in range(2):  # an impatient double tap, spread over both workers
                emulator.tap(supervisor_of(n), card.message_id, str(approve["callback_data"]))
        await wait_settled(emulator, emulator.last_update_id, timeout=60)

        async with scheduler.sessionmaker() as session:
            decided = Counter(
                (
                    await session.execute(
                        select(AuditRow.subject).where(AuditRow.action == "approve")
                    )
                ).scalars()
            )
            first_steps = (
                await session.execute(
                    select(StepRow.request_id, StepRow.status).where(StepRow.position == 0)
                )
            ).all()
            outbox = Counter((await session.execute(select(OutboxRow.status))).scalars())
            unhandled = await session.scalar(
                select(func.count()).select_from(InboxRow).where(InboxRow.handled_at.is_(None))
            )
            handled = await session.scalar(select(func.count()).select_from(InboxRow))
        assert handled == 2 * PAIRS
        assert all(worker.intake.runner.handled > PAIRS / 2 for worker in workers), "both worked"
        assert unhandled == 0
        assert decided == Counter({f"request:{rid}": 1 for rid in requests.values()})
        assert sorted(status for _, status in first_steps) == ["approved"] * PAIRS
        assert set(outbox) == {"sent"}, f"every notification delivered: {outbox}"
        manager_cards = [m for m in emulator.transcript(MANAGER) if m.from_bot and m.buttons]
        assert len(manager_cards) == PAIRS, "the next approver got each card once"
        for n in range(PAIRS):
            answers = [
                q for q in emulator.callback_queries.values() if q.user_id == supervisor_of(n)
            ]
            assert len(answers) == 2
            assert all(q.query_id in emulator.callback_answers for q in answers), (
                "both taps answered"
            )
