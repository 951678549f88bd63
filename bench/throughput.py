"""Updates per second of our bot against the framework's ceiling, and its latency at a steady 50/s.

The Bot API emulator runs in its own process, the bot in another (2 cores: one each):
- echo (the ceiling): a bare aiogram Dispatcher polling the emulator, one message handler that
  answers with sendMessage and one callback handler that answers the query.
- bot: our build_app on a copy of a seeded SQLite file (the demo team grown to --people members,
  bench/_world.py), polling the same emulator, with the production outbox limits.
burst: --per-person updates from every person, all queued before the bot reads any; both bots
  get the same ones (the mix: bench/_telegram.py BURST_*). Every update must be answered once, in
  its chat's order: dropped, doubled and out-of-order answers are counted.
open: our bot alone, updates injected at --rate per second for --seconds regardless of answers,
  by people walking /visit and /deal with real taps read off their chat; latency is from an
  update's injection to the first Bot API request made while handling it.
Candidates alternate within each round; the table shows medians over --rounds rounds, and the
keys are merged into bench/results.json.

    .venv/bin/python -m bench.throughput [--rounds 3] [--people 500] [--per-person 20]
                                         [--rate 50] [--seconds 60] [--profile FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import shutil
import statistics
import tempfile
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from bench._bots import bot_main
from bench._telegram import emulator_main
from bench._world import World, build_world
from bot.config import load_settings

RESULTS = Path(__file__).with_name("results.json")
WAIT = 900.0  # seconds: the longest a phase may take before the run is called stuck


def _receive(conn: Connection, what: str, *processes: BaseProcess) -> Any:
    """The next message, or an error once a process died or WAIT passed."""
    for _ in range(int(WAIT)):
        if conn.poll(1.0):
            return conn.recv()
        if dead := [p.name for p in processes if not p.is_alive()]:
            raise RuntimeError(f"waiting for {what}: {', '.join(dead)} stopped")
    raise TimeoutError(f"no {what} within {WAIT:.0f} s")


def run_once(
    world: World,
    template: Path,
    db_path: Path,
    kind: str,
    mode: str,
    options: dict[str, Any],
    profile: str | None = None,
) -> dict[str, Any]:
    """One bot against one emulator, each in a fresh process; the emulator's report plus the
    bot process's CPU share and peak resident memory."""
    spawn = multiprocessing.get_context("spawn")
    emulator_end, emulator_child = spawn.Pipe()
    bot_end, bot_child = spawn.Pipe()
    emulator = spawn.Process(
        target=emulator_main,
        args=(emulator_child, world, mode, options),
        name="emulator",
        daemon=True,
    )
    emulator.start()
    url = _receive(emulator_end, "emulator URL", emulator)
    if kind == "bot":
        shutil.copyfile(template, db_path)
    bot = spawn.Process(
        target=bot_main, args=(bot_child, kind, url, db_path, profile), name=kind, daemon=True
    )
    bot.start()
    both = (emulator, bot)
    try:
        _receive(emulator_end, "first getUpdates", *both)
        bot_end.send("stats")
        before = _receive(bot_end, "bot stats", *both)
        emulator_end.send("go")
        result: dict[str, Any] = _receive(emulator_end, f"{kind} {mode} result", *both)
        bot_end.send("stats")
        after = _receive(bot_end, "bot stats", *both)
        bot_end.send("stop")
        _receive(bot_end, "bot exit", bot)
        emulator_end.send("stop")
        for process in both:
            process.join(30)
    finally:
        for process in both:
            if process.is_alive():
                process.kill()
    wall = max(after["wall_s"] - before["wall_s"], 1e-9)
    cpu = after["cpu_s"] - before["cpu_s"]
    result["bot_cpu_share"] = cpu / wall
    result["bot_cpu_ms_per_update"] = cpu * 1000 / result["updates"]
    result["rss_mb_max"] = after["rss_mb_max"]
    return result


def _show(label: str, result: dict[str, Any]) -> None:
    checks = ", ".join(
        f"{k} {result[k]}" for k in ("dropped", "doubled", "out_of_order", "overlapping")
    )
    if "updates_per_s" in result:
        head = f"{result['updates_per_s']:7.0f} updates/s in {result['seconds']:.1f} s"
    else:
        head = (
            f"p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
            f"max {result['max_ms']:.0f} ms, lost steps {result['lost_steps']}"
        )
    print(
        f"  {label:<10}{head}; {checks}; bot CPU {result['bot_cpu_share']:.0%} "
        f"({result['bot_cpu_ms_per_update']:.1f} ms/update), "
        f"RSS {result['rss_mb_max']:.0f} MB"
        + (
            f", emulator CPU {result['emulator_cpu_share']:.0%}"
            if "emulator_cpu_share" in result
            else ""
        )
    )
    if result["failures"]:
        print(f"  {'':<10}failed requests: {result['failures']}")
    if result["unanswered"]:
        print(f"  {'':<10}unanswered: {', '.join(result['unanswered'])}")


def merge_results(keys: dict[str, float]) -> None:
    existing = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    rss_max = max(keys["rss_mb_burst"], float(existing.get("rss_mb_max", 0.0)))
    merged = {**existing, **keys, "rss_mb_max": round(rss_max, 1)}
    RESULTS.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")


def main(args: argparse.Namespace) -> None:
    _settings, policy = load_settings(bot_token="1:x", webhook_url=None, redis_url=None)
    burst = {"per_person": args.per_person}
    open_ = {"rate": args.rate, "seconds": args.seconds}
    samples: dict[str, list[dict[str, Any]]] = {"echo": [], "bot": [], "open": []}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        template = tmp / "template.db"
        world = asyncio.run(build_world(template, args.people, policy))
        print(
            f"{len(world.members)} people, {sum(1 for s in world.sent if s.step_id)} approval "
            f"cards waiting; {args.rounds} rounds, medians at the end"
        )
        for n in range(args.rounds):
            print(f"round {n + 1}")
            if "burst" in args.only:
                for kind in ("echo", "bot"):
                    profile = args.profile if kind == "bot" else None
                    result = run_once(
                        world, template, tmp / f"{n}-{kind}.db", kind, "burst", burst, profile
                    )
                    samples[kind].append(result)
                    _show(kind, result)
            if "open" in args.only:
                result = run_once(world, template, tmp / f"{n}-open.db", "bot", "open", open_)
                samples["open"].append(result)
                _show(f"{args.rate:g}/s", result)
    report(samples, args)


def _median(samples: list[dict[str, Any]], key: str) -> float:
    return statistics.median(s[key] for s in samples)


def report(samples: dict[str, list[dict[str, Any]]], args: argparse.Namespace) -> None:
    keys: dict[str, float] = {}
    if samples["echo"] and samples["bot"]:
        echo, bot = (_median(samples[k], "updates_per_s") for k in ("echo", "bot"))
        keys |= {
            "echo_updates_per_s": round(echo, 1),
            "bot_updates_per_s": round(bot, 1),
            "ratio_to_echo": round(bot / echo, 3),
            "rss_mb_burst": round(_median(samples["bot"], "rss_mb_max"), 1),
        }
        cpu = [_median(samples[k], "bot_cpu_ms_per_update") for k in ("echo", "bot")]
        print(f"bot CPU per update: echo {cpu[0]:.2f} ms, bot {cpu[1]:.2f} ms")
        print(f"burst mix per run: {samples['bot'][0]['mix']}")
        faults = {
            k: sum(s[k] for s in samples["bot"]) for k in ("dropped", "doubled", "out_of_order")
        }
        print(f"bot over all burst runs: {faults}")
    if samples["open"]:
        keys |= {
            "p50_ms_at_50": round(_median(samples["open"], "p50_ms"), 1),
            "p99_ms_at_50": round(_median(samples["open"], "p99_ms"), 1),
        }
        print(f"open-loop mix per run: {samples['open'][0]['mix']}")
    for key, value in keys.items():
        print(f"{key:<22}{value:>10}")
    if keys and not args.no_write and "rss_mb_burst" in keys and "p50_ms_at_50" in keys:
        merge_results(keys)
        print(f"merged into {RESULTS}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--per-person", type=int, default=20, help="burst updates per person")
    parser.add_argument("--rate", type=float, default=50, help="open loop: updates per second")
    parser.add_argument("--seconds", type=float, default=60, help="open loop: duration")
    parser.add_argument("--only", nargs="+", default=["burst", "open"], choices=["burst", "open"])
    parser.add_argument(
        "--profile", help="profile our bot's burst into this file (pyinstrument, else cProfile)"
    )
    parser.add_argument("--no-write", action="store_true", help="leave bench/results.json alone")
    main(parser.parse_args())
