"""Turn cost of the product's Rasa against a bare `rasa init` bot, measured in one run.

Both servers run on this machine at the same time, on Rasa's REST channel, with the same
Rasa (.venv-rasa): the bare bot (`rasa init --no-prompt`, trained into var/turn_cost/bare/
on first use, see bench/bare_bot.py) and the product (action server + Rasa from devstack,
model in models/, directory at RN_DATABASE_URL). Measurements alternate between the two, so
both see the same machine:

- sequential: one conversation at a time, each playing its script once with a fresh sender
  (the product: greeting, need + ZIP, insurance, "more", hours of the first result, thanks;
  the bare bot: its own moodbot paths); p50/p95 of every turn;
- throughput: N concurrent conversations (default 8), each sending its next message as soon
  as the reply arrives, for a fixed time; turns per second.

    .venv/bin/python bench/turn_cost.py                      # 2 rounds, markdown on stdout
    .venv/bin/python bench/turn_cost.py --rounds 3 --seconds 60 --json var/turn-cost.json
    .venv/bin/python bench/turn_cost.py --soak 30m           # product only, memory over time
    .venv/bin/python bench/turn_cost.py --before-root ../main-checkout   # before/after too
    .venv/bin/python bench/turn_cost.py --before-root ../main --before-env TF_ENABLE_ONEDNN_OPTS=1
    .venv/bin/python bench/turn_cost.py --variant-env RN_TRACKER_CACHE_ENTRIES=0  # one change off

`--soak` runs the product (and `--before-root`'s, side by side) under mixed load for the
given time (bench/soak_load.py: realistic scripts in English and Spanish, one conversation
that never ends, hostile traffic: long messages, keyboard mash, odd Unicode, raw button
payloads, thousands of fresh senders) and samples the Rasa server's resident memory every
`--sample` seconds.
`--product-env KEY=VALUE` (repeatable) sets extra environment for the product's Rasa, to
measure one setting against the other.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import secrets
import statistics
import sys
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bare_bot import BARE_SCRIPT, BareRasa, ensure_bare_bot  # noqa: E402
from bench.load_chat import MESSAGES as PRODUCT_SCRIPT  # noqa: E402
from bench.proc_stats import MemorySamples, tree_cpu_seconds  # noqa: E402
from bench.soak_load import soak_worker  # noqa: E402
from devstack.processes import Stack, free_port  # noqa: E402


@dataclass
class Timings:
    """Latencies (seconds) of the turns of one kind of measurement, and what went wrong."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    empty: int = 0
    seconds: float = 0.0
    #: CPU seconds the bot's processes (Rasa, and the action server for the product) used.
    cpu: dict[str, float] = field(default_factory=dict)
    #: Latencies by the turn's place in its script (0 = the first message): which turn
    #: makes the p95.
    by_step: dict[int, list[float]] = field(default_factory=dict)

    def pct(self, p: float) -> float:
        return _percentile(self.latencies, p)

    def per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else float("nan")

    def summary(self) -> dict[str, Any]:
        return {
            "turns": len(self.latencies), "p50_ms": round(self.pct(50), 1),
            "p95_ms": round(self.pct(95), 1),
            "mean_ms": round(statistics.fmean(self.latencies) * 1000, 1)
            if self.latencies else None,
            "turns_per_s": round(self.per_second(), 2) if self.seconds else None,
            "errors": self.errors, "empty_replies": self.empty,
            **{f"cpu_ms_per_turn_{name}": round(1000 * sec / len(self.latencies), 1)
               for name, sec in self.cpu.items() if self.latencies},
            **({"p50_p95_ms_by_step": {
                step: [round(_percentile(values, 50), 1), round(_percentile(values, 95), 1)]
                for step, values in sorted(self.by_step.items())}} if self.by_step else {}),
        }


def _percentile(seconds: list[float], p: float) -> float:
    ms = sorted(x * 1000 for x in seconds)
    return ms[min(len(ms) - 1, int(round(p / 100 * (len(ms) - 1))))] if ms else float("nan")


class Bot:
    """One server under test: its REST webhook and its script."""

    def __init__(self, name: str, rasa_url: str, script: tuple[str, ...],
                 pids: dict[str, int] | None = None) -> None:
        self.name = name
        self.url = rasa_url.rstrip("/") + "/webhooks/rest/webhook"
        self.script = script
        #: The server's processes by role ("rasa", "actions"), for their CPU time.
        self.pids = pids or {}

    def cpu_seconds(self) -> dict[str, float]:
        return {role: tree_cpu_seconds(pid) for role, pid in self.pids.items()}

    async def turn(self, session: aiohttp.ClientSession, sender: str, text: str,
                   timings: Timings, step: int | None = None) -> list[dict[str, Any]]:
        started = time.perf_counter()
        try:
            async with session.post(self.url, json={"sender": sender, "message": text}) as resp:
                body = await resp.read()
                if resp.status != 200:
                    timings.errors += 1
                    return []
        except (aiohttp.ClientError, TimeoutError):
            timings.errors += 1
            return []
        timings.latencies.append(elapsed := time.perf_counter() - started)
        if step is not None:
            timings.by_step.setdefault(step, []).append(elapsed)
        reply: list[dict[str, Any]] = json.loads(body)
        if not reply:
            timings.empty += 1
        return reply

    async def script_once(self, session: aiohttp.ClientSession, timings: Timings) -> None:
        sender = f"turn-cost-{secrets.token_hex(6)}"
        for step, text in enumerate(self.script):
            await self.turn(session, sender, text, timings, step)


async def sequential(session: aiohttp.ClientSession, bot: Bot, scripts: int) -> Timings:
    """`scripts` conversations one after the other."""
    timings = Timings()
    for _ in range(scripts):
        await bot.script_once(session, timings)
    return timings


async def concurrent(session: aiohttp.ClientSession, bot: Bot, conversations: int,
                     seconds: float) -> Timings:
    """`conversations` closed loops (next message as soon as the reply arrives)."""
    timings = Timings()
    deadline = time.monotonic() + seconds

    async def loop() -> None:
        while time.monotonic() < deadline:
            sender = f"turn-cost-{secrets.token_hex(6)}"
            for text in bot.script:
                if time.monotonic() >= deadline:
                    return
                await bot.turn(session, sender, text, timings)

    started = time.monotonic()
    await asyncio.gather(*(loop() for _ in range(conversations)))
    timings.seconds = time.monotonic() - started
    return timings


def _session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60),
                                 connector=aiohttp.TCPConnector(limit=0))


async def compare(bots: list[Bot], args: argparse.Namespace) -> dict[str, Any]:
    """Alternating rounds of sequential and concurrent turns on every bot."""
    seq = {bot.name: Timings() for bot in bots}
    thr = {bot.name: Timings() for bot in bots}
    async with _session() as session:
        for bot in bots:  # first turns trace TensorFlow graphs: not measured
            for _ in range(2):
                await bot.script_once(session, Timings())
        for _ in range(args.rounds):
            for bot in bots:
                _merge(seq[bot.name], await _with_cpu(bot, sequential(session, bot,
                                                                      args.scripts)))
            for bot in bots:
                _merge(thr[bot.name], await _with_cpu(bot, concurrent(
                    session, bot, args.conversations, args.seconds)))
    return {"sequential": {k: v.summary() for k, v in seq.items()},
            "concurrent": {k: v.summary() for k, v in thr.items()}}


async def _with_cpu(bot: Bot, measurement: Awaitable[Timings]) -> Timings:
    """The measurement's timings, with the CPU time the bot's processes spent meanwhile."""
    before = bot.cpu_seconds()
    timings = await measurement
    after = bot.cpu_seconds()
    timings.cpu = {role: after[role] - before[role] for role in before}
    return timings


def _merge(into: Timings, other: Timings) -> None:
    into.latencies += other.latencies
    into.errors += other.errors
    into.empty += other.empty
    into.seconds += other.seconds
    for role, seconds in other.cpu.items():
        into.cpu[role] = into.cpu.get(role, 0.0) + seconds
    for step, values in other.by_step.items():
        into.by_step.setdefault(step, []).extend(values)


async def soak(targets: list[tuple[Bot, int]], args: argparse.Namespace) -> dict[str, Any]:
    """Mixed load for `args.soak` seconds on each (bot, Rasa pid), sampling Rasa's memory.

    With two targets (the product and `--before-root`'s), both get the same seeded traffic
    at the same time, so their memory can be compared within one run.
    """
    deadline = time.monotonic() + args.soak
    memories = {bot.name: MemorySamples(pid) for bot, pid in targets}
    timings = {bot.name: Timings() for bot, _ in targets}
    async with _session() as session:
        for bot, _ in targets:
            await bot.script_once(session, Timings())
            memories[bot.name].sample()

        async def sampler() -> None:
            while time.monotonic() < deadline:
                await asyncio.sleep(args.sample)
                line = "  ".join(f"{name} {m.sample():7.1f} MB ({len(timings[name].latencies)} "
                                 "turns)" for name, m in memories.items())
                print(f"[soak] {time.monotonic() - deadline + args.soak:6.0f} s  {line}",
                      file=sys.stderr, flush=True)

        started = time.monotonic()
        await asyncio.gather(sampler(), *(
            soak_worker(n, session, bot.turn, timings[bot.name], deadline, args.think)
            for bot, _ in targets for n in range(args.conversations)
        ))
        for t in timings.values():
            t.seconds = time.monotonic() - started
    return {name: {"turns": timings[name].summary(), "rasa_memory": m.summary(),
                   "samples": [(round(t), round(mb, 1)) for t, mb in m.samples]}
            for name, m in memories.items()}


def markdown(report: dict[str, Any]) -> str:
    """The comparison as a table to paste into docs/benchmarks.md."""
    lines = []
    if {"before", "variant"} & set(report.get("sequential", {})):
        lines += _before_table(report) + [""]
    if "sequential" in report:
        s, c = report["sequential"], report["concurrent"]
        b, p = s["bare"], s["product"]
        cb, cp = c["bare"], c["product"]
        lines += [
            "| | bare `rasa init` bot | this product | ratio (product / bare) |",
            "|---|---:|---:|---:|",
            f"| sequential turn p50 | {b['p50_ms']} ms | {p['p50_ms']} ms | "
            f"{p['p50_ms'] / b['p50_ms']:.2f} |",
            f"| sequential turn p95 | {b['p95_ms']} ms | {p['p95_ms']} ms | "
            f"**{p['p95_ms'] / b['p95_ms']:.2f}** |",
            f"| turns/s, {report['conversations']} concurrent conversations | "
            f"{cb['turns_per_s']} | {cp['turns_per_s']} | "
            f"**{cp['turns_per_s'] / cb['turns_per_s']:.2f}** |",
            f"| concurrent turn p50 / p95 | {cb['p50_ms']} / {cb['p95_ms']} ms | "
            f"{cp['p50_ms']} / {cp['p95_ms']} ms | |",
            f"| Rasa CPU per turn, sequential | {b.get('cpu_ms_per_turn_rasa')} ms | "
            f"{p.get('cpu_ms_per_turn_rasa')} ms (+ action server "
            f"{p.get('cpu_ms_per_turn_actions')} ms) | |",
            f"| Rasa CPU per turn, concurrent | {cb.get('cpu_ms_per_turn_rasa')} ms | "
            f"{cp.get('cpu_ms_per_turn_rasa')} ms (+ action server "
            f"{cp.get('cpu_ms_per_turn_actions')} ms) | "
            f"{cb['cpu_ms_per_turn_rasa'] / cp['cpu_ms_per_turn_rasa']:.2f} (bare / product) |",
            f"| turns measured (sequential, concurrent); errors | {b['turns']}, {cb['turns']}; "
            f"{b['errors'] + cb['errors']} | {p['turns']}, {cp['turns']}; "
            f"{p['errors'] + cp['errors']} | |",
        ]
    if "soak" in report:
        lines += [
            "",
            f"| {report['soak_seconds'] / 60:.0f} min mixed load | turns | turns/s | errors | "
            "Rasa RSS first | final | max | growth, 2nd half |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name, result in report["soak"].items():
            m, t = result["rasa_memory"], result["turns"]
            lines.append(
                f"| {name} | {t['turns']} | {t['turns_per_s']} | {t['errors']} | "
                f"{m['first_mb']} MB | **{m['final_mb']} MB** | {m['max_mb']} MB | "
                f"{m['second_half_growth_mb']} MB |")
    return "\n".join(lines)


#: Columns of the before/after table, when those servers were measured.
COLUMNS = (("before", "product before"), ("variant", "product variant"),
           ("product", "product after"), ("bare", "bare"))


def _before_table(report: dict[str, Any]) -> list[str]:
    names = [(n, label) for n, label in COLUMNS if n in report["sequential"]]
    rows = ["| | " + " | ".join(label for _, label in names) + " |",
            "|---|" + "---:|" * len(names)]
    for kind, label in (("sequential", "sequential p50 / p95"),
                        ("concurrent", "concurrent p50 / p95")):
        cells = [f"{report[kind][b]['p50_ms']} / {report[kind][b]['p95_ms']} ms"
                 for b, _ in names]
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    rows.append("| turns/s, concurrent | " + " | ".join(
        str(report["concurrent"][b]["turns_per_s"]) for b, _ in names) + " |")
    for kind in ("sequential", "concurrent"):
        for role in ("rasa", "actions"):
            rows.append(f"| {role} CPU ms per turn, {kind} | " + " | ".join(
                str(report[kind][b].get(f"cpu_ms_per_turn_{role}", "–"))
                for b, _ in names) + " |")
    return rows


def duration(text: str) -> float:
    """'30m', '90s', '1h' or plain seconds."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([smh]?)", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r}")
    return float(match[1]) * {"": 1, "s": 1, "m": 60, "h": 3600}[match[2]]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--scripts", type=int, default=15,
                        help="sequential conversations per bot per round")
    parser.add_argument("--conversations", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30.0,
                        help="concurrent measurement per bot per round")
    parser.add_argument("--soak", type=duration, default=0.0,
                        help="instead of the comparison: product alone under mixed load")
    parser.add_argument("--sample", type=float, default=15.0, help="soak memory sample, s")
    parser.add_argument("--think", type=float, default=0.2, help="soak pause per turn, s")
    parser.add_argument("--product-env", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--before-env", action="append", default=[], metavar="KEY=VALUE",
                        help="extra environment for --before-root's Rasa (by default it runs "
                             "with its own checkout's serving settings; the first comparison "
                             "used TF_ENABLE_ONEDNN_OPTS=1, TensorFlow's default)")
    parser.add_argument("--before-root", type=Path,
                        help="also measure the product of another checkout (e.g. a worktree "
                             "of main) as `before`, in the same run")
    parser.add_argument("--variant-env", action="append", default=[], metavar="KEY=VALUE",
                        help="also measure this checkout's product with this environment "
                             "(e.g. RN_TRACKER_CACHE_ENTRIES=0) as `variant`, in the same run")
    parser.add_argument("--json", type=Path, help="also write the full report here")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    extra = dict(kv.split("=", 1) for kv in args.product_env)
    report: dict[str, Any] = {
        "cpus": os.cpu_count(), "load_average_start": os.getloadavg(),
        "conversations": args.conversations, "product_env": extra,
        "before_env": dict(kv.split("=", 1) for kv in args.before_env),
        "variant_env": dict(kv.split("=", 1) for kv in args.variant_env),
        "started": time.strftime("%Y-%m-%d %H:%M"),
    }
    with contextlib.ExitStack() as stacks:
        products = [("product", ROOT, extra)]
        if args.before_root:
            before_env = dict(kv.split("=", 1) for kv in args.before_env)
            products.append(("before", args.before_root.resolve(), before_env))
        if args.variant_env:
            variant = dict(kv.split("=", 1) for kv in args.variant_env)
            products.append(("variant", ROOT, {**extra, **variant}))
        targets = []
        for name, root, env in products:
            stack = stacks.enter_context(Stack(root, rasa_port=free_port(),
                                               action_port=free_port(),
                                               components=("actions", "rasa"), env=env))
            pids = {role: service.process.pid for role in ("rasa", "actions")
                    if (service := stack.service(role)) is not None}
            targets.append((Bot(name, stack.rasa_url, PRODUCT_SCRIPT, pids), pids["rasa"]))
        if args.soak:
            report["soak_seconds"] = args.soak
            report["soak"] = asyncio.run(soak(targets, args))
        else:
            bare_stack = stacks.enter_context(BareRasa(ensure_bare_bot(), rasa_port=free_port()))
            bare_rasa = bare_stack.service("rasa")
            assert bare_rasa is not None
            bots = [Bot("bare", bare_stack.rasa_url, BARE_SCRIPT,
                        {"rasa": bare_rasa.process.pid})] + [b for b, _ in targets]
            report.update(asyncio.run(compare(bots, args)))
    report["load_average_end"] = os.getloadavg()
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2))
    print(json.dumps({k: v for k, v in report.items() if k != "soak"} | (
        {"soak": {name: {k: v for k, v in r.items() if k != "samples"}
                  for name, r in report["soak"].items()}} if "soak" in report else {}), indent=2))
    print()
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
