"""The Telegram side of the throughput benchmark, in its own process: the Bot API emulator
(bot/sandbox/emulator.py, real getUpdates offset semantics), the people of the world and what
they send, and the clock that times the bot's answers.

An update counts as answered at the first Bot API request tagged with its id (bench/_bots.py)
arriving here; its latency runs from the moment it was queued for getUpdates.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import re
import statistics
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from bench._bots import TAG_FIELD
from bench._world import APPROVER_ROLES, Member, World
from bot.sandbox.app import SANDBOX_TOKEN
from botapi_emulator.emulator import BotApiEmulator

CB_SEP = "\x1d"  # aiogram-dialog: "<intent id>\x1d<widget id>[:<item>]"
CARD = "card"  # in a burst script: tap ✅ Approve on the next of the person's cards

# The burst: what every person sends, all queued before the bot reads any of it.
BURST_MEMBER = ["/help", "/visit", "Min", "/cancel", "/deal", "Gold", "/cancel", "/my"]
BURST_MEMBER += ["/cancel", "/pending"]
BURST_MEMBER *= 2
BURST_APPROVER = ["/help", "/pending", CARD, CARD, CARD, "/cancel", "/visit", "Min", "/cancel"]
BURST_APPROVER += ["/deal", "Gold", "/cancel", CARD, CARD, CARD, "/my", "/cancel", "/help"]
BURST_APPROVER += [CARD, "/pending"]


def card_buttons(step_id: int) -> list[list[dict[str, str]]]:
    return [
        [
            {"text": "✅ Approve", "callback_data": f"ap:{step_id}:a"},
            {"text": "❌ Reject", "callback_data": f"ap:{step_id}:r"},
        ],
        [{"text": "↩️ Return for changes", "callback_data": f"ap:{step_id}:c"}],
    ]


@dataclass
class Answer:
    first: float
    last: float
    calls: int = 1
    runs: set[int] = field(default_factory=set)


class BenchEmulator(BotApiEmulator):
    """The emulator, plus when each update was queued and which requests answered it."""

    def __init__(self) -> None:
        super().__init__(SANDBOX_TOKEN)
        self.injected: dict[int, float] = {}
        self.chat_of: dict[int, int] = {}
        self.answers: dict[int, Answer] = {}
        self.failures: Counter[str] = Counter()
        self._seen = 0
        self.tagged = 0  # requests made while handling an update

    def populate(self, world: World) -> None:
        for member in world.members:
            user = self.add_user(member.telegram_id, member.name, language_code=member.language)
            user.started = True
        for sent in world.sent:
            message = self.new_message(sent.chat_id, from_bot=True, text=sent.text, html=sent.text)
            if message.message_id != sent.message_id:
                raise RuntimeError(f"chat {sent.chat_id}: message ids out of step")
            if sent.step_id is not None:
                message.reply_markup = card_buttons(sent.step_id)

    def send(self, user_id: int, text: str) -> int:
        self.send_text(user_id, text)
        self.injected[self.last_update_id] = time.monotonic()
        self.chat_of[self.last_update_id] = user_id
        return self.last_update_id

    def press(self, user_id: int, message_id: int, data: str) -> int:
        self.tap(user_id, message_id, data)
        self.injected[self.last_update_id] = time.monotonic()
        self.chat_of[self.last_update_id] = user_id
        return self.last_update_id

    def collect(self) -> None:
        """Attribute the requests that arrived since the last look to their updates."""
        calls = self.calls
        for call in calls[self._seen :]:
            tag = call.params.get(TAG_FIELD)
            if not tag:
                continue
            self.tagged += 1
            update_id, run = (int(part) for part in str(tag).split("/"))
            if call.ok is False:
                self.failures[f"{call.method}: {(call.description or '')[:60]}"] += 1
            answer = self.answers.get(update_id)
            if answer is None:
                self.answers[update_id] = Answer(call.time, call.time, runs={run})
            else:
                answer.last = max(answer.last, call.time)
                answer.calls += 1
                answer.runs.add(run)
        self._seen = len(calls)

    async def wait_answered(self, ids: set[int], stall: float = 30.0) -> float:
        """Wait until every update in `ids` has an answer and the bot's requests stopped for a
        moment, or nothing came for `stall` seconds; the time of the last tagged request."""
        quiet_since, seen = time.monotonic(), -1
        while True:
            await asyncio.sleep(0.05)
            self.collect()
            if self.tagged != seen:
                seen, quiet_since = self.tagged, time.monotonic()
            quiet = time.monotonic() - quiet_since
            if (ids <= self.answers.keys() and quiet > 0.3) or quiet > stall:
                break
        return max((self.answers[i].last for i in ids if i in self.answers), default=0.0)

    def unanswered(self, ids: set[int], limit: int = 5) -> list[str]:
        missing = sorted(ids - self.answers.keys())[:limit]
        by_id = {u["update_id"]: u for u in self.pending}
        return [
            f"{u} (chat {self.chat_of[u]}{', never taken' if u in by_id else ''})" for u in missing
        ]


def order_report(emulator: BenchEmulator, ids: set[int]) -> dict[str, int]:
    """Dropped, doubled, and answers out of each chat's order."""
    by_chat: dict[int, list[int]] = defaultdict(list)
    for update in sorted(ids):
        by_chat[emulator.chat_of[update]].append(update)
    out_of_order = overlapping = 0
    for updates in by_chat.values():
        answered = [emulator.answers[u] for u in updates if u in emulator.answers]
        for before, after in itertools.pairwise(answered):
            out_of_order += after.first < before.first
            overlapping += after.first < before.last
    doubled = sum(1 for u in ids if u in emulator.answers and emulator.answers[u].runs != {1})
    return {
        "dropped": len(ids - emulator.answers.keys()),
        "doubled": doubled,
        "out_of_order": out_of_order,
        "overlapping": overlapping,
    }


# ---- burst ------------------------------------------------------------------------------------


def burst_scripts(world: World, per_person: int) -> dict[int, list[tuple[str, Any]]]:
    scripts: dict[int, list[tuple[str, Any]]] = {}
    for member in world.members:
        cards = world.cards(member.telegram_id)
        plan = BURST_APPROVER if cards and member.role in APPROVER_ROLES else BURST_MEMBER
        actions: list[tuple[str, Any]] = []
        taps = 0
        for item in (plan * (per_person // len(plan) + 1))[:per_person]:
            if item == CARD:
                card = cards[taps % len(cards)]
                actions.append(("tap", (card.message_id, f"ap:{card.step_id}:a")))
                taps += 1
            else:
                actions.append(("send", item))
        scripts[member.telegram_id] = actions
    return scripts


async def burst(emulator: BenchEmulator, world: World, per_person: int) -> dict[str, Any]:
    scripts = burst_scripts(world, per_person)
    ids: set[int] = set()
    kinds: Counter[str] = Counter()
    for n in range(per_person):
        for chat, actions in scripts.items():
            kind, what = actions[n]
            if kind == "send":
                ids.add(emulator.send(chat, what))
                kinds[what if what.startswith("/") else "typed search"] += 1
            else:
                ids.add(emulator.press(chat, *what))
                kinds["approve tap"] += 1
    cpu0, start = time.process_time(), time.monotonic()
    end = await emulator.wait_answered(ids)
    elapsed = end - start
    return {
        "updates": len(ids),
        "updates_per_s": len(ids) / elapsed if elapsed > 0 else 0.0,
        "seconds": elapsed,
        "emulator_cpu_share": (time.process_time() - cpu0) / max(time.monotonic() - start, 1e-9),
        "mix": dict(kinds),
        "failures": dict(emulator.failures),
        "unanswered": emulator.unanswered(ids),
        **order_report(emulator, ids),
    }


# ---- open loop --------------------------------------------------------------------------------

Step = tuple[str, str]  # ("send", text) or ("tap", pattern on the widget part of callback data)

VISIT_WALK: list[Step] = [
    ("send", "/visit"),
    ("tap", r"c:\d+"),
    ("tap", r"k:revisit"),
    ("tap", r"today"),
    ("send", "Talked about the new price list."),
    ("tap", r"i:low"),
    ("send", "Send the catalogue"),
    ("tap", r"in3"),
    ("tap", r"skiploc"),
    ("tap", r"done"),
    ("tap", r"save"),
]
DEAL_WALK: list[Step] = [
    ("send", "/deal"),
    ("tap", r"c:\d+"),
    ("send", "Steel pipes DN80"),
    ("send", "50"),
    ("send", "36000"),
    ("send", "5"),
    ("tap", r"skip_payment_terms"),
    ("tap", r"skip_deposit"),
    ("tap", r"skip_note"),
    ("tap", r"submit"),
]
LOOK_AROUND: list[Step] = [("send", "/help"), ("send", "/my"), ("send", "/cancel")]
MANAGER_LOOK: list[Step] = [("send", "/help"), ("send", "/pending"), ("send", "/cancel")]
OFFICE: list[Step] = [
    ("send", "/help"),
    ("send", "/team"),
    ("send", "/cancel"),
    ("send", "/pending"),
    ("send", "/cancel"),
]


def script_of(member: Member, n: int) -> list[Step]:
    if member.role in ("rep", "supervisor"):
        walks = [VISIT_WALK, LOOK_AROUND, DEAL_WALK, LOOK_AROUND]
        walks = walks[n % 2 * 2 :] + walks[: n % 2 * 2]  # half start with /deal
        return [step for walk in walks for step in walk]
    if member.role == "sales_manager":
        return VISIT_WALK + MANAGER_LOOK
    return OFFICE


class Client:
    """One person: the next step of their script, read against what their chat shows now. A
    tap whose button is not on screen (an answer still on its way) is replaced by /cancel and
    the script starts over."""

    def __init__(self, member: Member, script: list[Step], approves: bool) -> None:
        self.member = member
        self.script = script
        self.position = 0
        self.approves = approves
        self.tapped: set[str] = set()
        self.turn = 0
        self.lost = 0

    def act(self, emulator: BenchEmulator) -> tuple[int, str]:
        chat = self.member.telegram_id
        self.turn += 1
        if self.approves and self.turn % 2:
            card = self._card(emulator)
            if card is not None:
                message_id, data = card
                self.tapped.add(data)
                return emulator.press(chat, message_id, data), "approve tap"
        kind, what = self.script[self.position % len(self.script)]
        self.position += 1
        if kind == "send":
            label = what if what.startswith("/") else "typed answer"
            return emulator.send(chat, what), label
        button = self._button(emulator, what)
        if button is None:
            self.lost += 1
            self.position = 0
            return emulator.send(chat, "/cancel"), "/cancel (lost)"
        message_id, data = button
        return emulator.press(chat, message_id, data), "dialog tap"

    def _buttons(self, emulator: BenchEmulator) -> list[tuple[int, str]]:
        found: list[tuple[int, str]] = []
        for message in reversed(
            emulator.transcript(self.member.telegram_id, include_deleted=False)
        ):
            if message.from_bot and message.reply_markup:
                found.extend(
                    (message.message_id, str(b["callback_data"]))
                    for row in message.reply_markup
                    for b in row
                    if "callback_data" in b
                )
        return found

    def _button(self, emulator: BenchEmulator, pattern: str) -> tuple[int, str] | None:
        wanted = re.compile(pattern)
        for message_id, data in self._buttons(emulator):
            _intent, sep, widget = data.partition(CB_SEP)
            if sep and wanted.fullmatch(widget):
                return message_id, data
        return None

    def _card(self, emulator: BenchEmulator) -> tuple[int, str] | None:
        for message_id, data in self._buttons(emulator):
            if re.fullmatch(r"ap:\d+:a", data) and data not in self.tapped:
                return message_id, data
        return None


async def open_loop(
    emulator: BenchEmulator, world: World, rate: float, seconds: float
) -> dict[str, Any]:
    order = list(world.members)
    random.Random(7).shuffle(order)
    clients = [
        Client(
            m,
            script_of(m, n),
            approves=m.role in APPROVER_ROLES and bool(world.cards(m.telegram_id)),
        )
        for n, m in enumerate(order)
    ]
    total = int(rate * seconds)
    ids: set[int] = set()
    kinds: Counter[str] = Counter()
    loop = asyncio.get_running_loop()
    start = loop.time()
    for n in range(total):
        delay = start + n / rate - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        client = clients[n % len(clients)]
        update, kind = client.act(emulator)
        ids.add(update)
        kinds[kind] += 1
    await emulator.wait_answered(ids)
    latencies = sorted(
        (emulator.answers[u].first - emulator.injected[u]) * 1000
        for u in ids
        if u in emulator.answers
    )
    return {
        "updates": total,
        "seconds": seconds,
        "p50_ms": statistics.median(latencies) if latencies else float("nan"),
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        if latencies
        else float("nan"),
        "max_ms": latencies[-1] if latencies else float("nan"),
        "lost_steps": sum(c.lost for c in clients),
        "mix": dict(kinds),
        "failures": dict(emulator.failures),
        "unanswered": emulator.unanswered(ids),
        **order_report(emulator, ids),
    }


# ---- the process ------------------------------------------------------------------------------


async def _serve(conn: Connection, world: World, mode: str, options: dict[str, Any]) -> None:
    loop = asyncio.get_running_loop()
    async with BenchEmulator() as emulator:
        emulator.populate(world)
        conn.send(emulator.base_url)
        await emulator.wait_until_polling(timeout=120)
        conn.send("polling")
        await loop.run_in_executor(None, conn.recv)  # "go"
        if mode == "burst":
            result = await burst(emulator, world, options["per_person"])
        else:
            result = await open_loop(emulator, world, options["rate"], options["seconds"])
        conn.send(result)
        await loop.run_in_executor(None, conn.recv)  # "stop": the bot is gone


def emulator_main(conn: Connection, world: World, mode: str, options: dict[str, Any]) -> None:
    """Process entry point."""
    asyncio.run(_serve(conn, world, mode, options))
