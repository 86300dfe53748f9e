"""Load test of the web chat: N concurrent conversations over the WebSocket for T seconds.

Reports turn latency (p50/p95/p99, from sending a message to the first reply), turns per
second, errors, and lost or reordered messages (every live frame's seq is checked, and at the
end each conversation is replayed from seq 0 and compared). In the same run the same number of
conversations talk straight to Rasa's REST channel, so the relay's overhead can be read off.

    .venv/bin/python bench/load_chat.py --start-stack --conversations 20 --seconds 60
    .venv/bin/python bench/load_chat.py --web-url http://127.0.0.1:8000 \
        --rasa-url http://127.0.0.1:5005 --conversations 20 --seconds 60

--start-stack runs the action server, Rasa and the web app from devstack (needs the trained
model and a seeded RN_DATABASE_URL), with the chat rate limits raised for the run, since all
simulated people share one address.

--replicas N (with --start-stack) runs the production profile instead: N Rasa servers with
`bot/endpoints.production.yml` (SQL tracker store in a throwaway PostgreSQL database, Redis
lock store), one action server, and the web app spreading conversations over the N replicas:

    .venv/bin/python bench/load_chat.py --start-stack --replicas 2 --conversations 50 --seconds 60

Pacing: by default each simulated person starts at a random moment within the first `think`
seconds and pauses between 0.5 and 1.5 × `think` after each reply (seeded, so runs are
repeatable), the way independent people arrive and read. `--lockstep` starts everyone at the
same instant with identical pauses: a worst case in which all N messages arrive together every
round. Before timing, one conversation runs the script once (the first turns after a Rasa
start trace TensorFlow graphs and take ~0.5 s; a server in service is past that).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = (
    "hi",
    "I need detox near 21201",
    "I have medicaid",
    "more",
    "what are the hours of the first one",
    "thanks",
)


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    fallbacks: int = 0
    lost: int = 0
    reordered: int = 0
    duplicated: int = 0

    def summary(self, seconds: float) -> dict[str, Any]:
        ms = sorted(x * 1000 for x in self.latencies)

        def pct(p: float) -> float | None:
            if not ms:
                return None
            return round(ms[min(len(ms) - 1, int(round(p / 100 * (len(ms) - 1))))], 1)

        return {
            "turns": len(ms),
            "turns_per_s": round(len(ms) / seconds, 2),
            "p50_ms": pct(50),
            "p95_ms": pct(95),
            "p99_ms": pct(99),
            "mean_ms": round(statistics.fmean(ms), 1) if ms else None,
            "errors": len(self.errors),
            "fallback_replies": self.fallbacks,
            "lost": self.lost,
            "reordered": self.reordered,
            "duplicated": self.duplicated,
        }


@dataclass
class Pacing:
    """When one simulated person starts and how long they pause after each reply."""

    think: float
    lockstep: bool
    rng: random.Random

    def start_delay(self) -> float:
        return 0.0 if self.lockstep else self.rng.uniform(0.0, self.think)

    def pause(self) -> float:
        return self.think if self.lockstep else self.rng.uniform(0.5 * self.think, 1.5 * self.think)


def pacings(args: argparse.Namespace, seed: int) -> list[Pacing]:
    """One independent, seeded pacing per conversation."""
    return [
        Pacing(args.think, args.lockstep, random.Random(seed * 100_003 + n))
        for n in range(args.conversations)
    ]


def conversation_id(prefix: str, n: int) -> str:
    return f"{prefix}-{n:03d}-{secrets.token_hex(6)}"


async def web_conversation(
    session: aiohttp.ClientSession, web_url: str, cid: str, deadline: float, pacing: Pacing,
    results: Results,
) -> None:
    origin = web_url.rstrip("/")
    ws_url = origin.replace("http", "ws", 1) + "/ws"
    seen: list[int] = []
    try:
        async with session.ws_connect(ws_url, headers={"Origin": origin}) as ws:
            await ws.send_json({"type": "hello", "conversation_id": cid, "last_seq": 0})
            await _until(ws, lambda f: f["type"] == "state", seen, results)
            await asyncio.sleep(pacing.start_delay())
            turn = 0
            while time.monotonic() < deadline:
                text = MESSAGES[turn % len(MESSAGES)]
                client_id = f"m{turn}"
                started = time.monotonic()
                await ws.send_json({"type": "message", "client_id": client_id, "text": text})
                # The reply is the first bot/system message stored after this message; frames
                # still arriving from the previous turn have lower sequence numbers.
                ack = await _until(
                    ws,
                    lambda f, c=client_id: f["type"] == "error"
                    or (f["type"] == "message" and f.get("client_id") == c),
                    seen,
                    results,
                )
                if ack["type"] == "error":
                    results.errors.append(ack.get("code", "error"))
                    turn += 1
                    continue
                reply = await _until(
                    ws,
                    lambda f, after=ack["seq"]: f["type"] == "message"
                    and f["sender"] in ("bot", "system")
                    and f["seq"] > after,
                    seen,
                    results,
                )
                results.latencies.append(time.monotonic() - started)
                if reply["sender"] == "system":
                    results.fallbacks += 1
                turn += 1
                await asyncio.sleep(pacing.pause())
            await asyncio.sleep(1.0)  # let the last replies of the final turn arrive
            while True:
                try:
                    msg = await asyncio.wait_for(ws.receive(), 0.3)
                except TimeoutError:
                    break
                if msg.type == aiohttp.WSMsgType.TEXT:
                    _track(json.loads(msg.data), seen, results)
                else:
                    break
        await _check_replay(session, ws_url, origin, cid, seen, results)
    except (aiohttp.ClientError, TimeoutError) as exc:
        results.errors.append(f"{type(exc).__name__}")


def _track(frame: dict[str, Any], seen: list[int], results: Results) -> None:
    if frame.get("type") != "message":
        return
    seq = frame["seq"]
    if seq in seen:
        results.duplicated += 1
        return
    if seen and seq != seen[-1] + 1:
        results.reordered += 1
    seen.append(seq)


async def _until(ws: Any, predicate: Any, seen: list[int], results: Results) -> dict[str, Any]:
    while True:
        msg = await asyncio.wait_for(ws.receive(), 30)
        if msg.type != aiohttp.WSMsgType.TEXT:
            raise aiohttp.ClientError(f"socket closed ({msg.type})")
        frame = json.loads(msg.data)
        _track(frame, seen, results)
        if predicate(frame):
            return frame


async def _check_replay(
    session: aiohttp.ClientSession, ws_url: str, origin: str, cid: str, seen: list[int],
    results: Results,
) -> None:
    """Replay from seq 0: every stored message must have been delivered live exactly once."""
    async with session.ws_connect(ws_url, headers={"Origin": origin}) as ws:
        await ws.send_json({"type": "hello", "conversation_id": cid, "last_seq": 0})
        stored: list[int] = []
        while True:
            frame = json.loads((await asyncio.wait_for(ws.receive(), 30)).data)
            if frame["type"] == "state":
                break
            if frame["type"] == "message":
                stored.append(frame["seq"])
    results.lost += len(set(stored) - set(seen))


async def rasa_conversation(
    session: aiohttp.ClientSession, rasa_url: str, token: str, cid: str, deadline: float,
    pacing: Pacing, results: Results,
) -> None:
    url = rasa_url.rstrip("/") + "/webhooks/rest/webhook"
    params = {"token": token} if token else {}
    await asyncio.sleep(pacing.start_delay())
    turn = 0
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            async with session.post(
                url, params=params, json={"sender": cid, "message": MESSAGES[turn % len(MESSAGES)]}
            ) as resp:
                await resp.read()
                if resp.status != 200:
                    results.errors.append(f"http {resp.status}")
                else:
                    results.latencies.append(time.monotonic() - started)
        except (aiohttp.ClientError, TimeoutError) as exc:
            results.errors.append(type(exc).__name__)
        turn += 1
        await asyncio.sleep(pacing.pause())


async def warm_up(session: aiohttp.ClientSession, rasa_url: str, token: str) -> None:
    """Run the script once, untimed, so that TensorFlow's first-call tracing is not measured."""
    url = rasa_url.rstrip("/") + "/webhooks/rest/webhook"
    params = {"token": token} if token else {}
    cid = conversation_id("bench-warm", 0)
    for text in MESSAGES:
        async with session.post(url, params=params, json={"sender": cid, "message": text}) as resp:
            await resp.read()


async def run(args: argparse.Namespace, web_url: str, rasa_url: str, token: str) -> dict[str, Any]:
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        report: dict[str, Any] = {
            "conversations": args.conversations, "seconds": args.seconds,
            "think_seconds": args.think, "cpus": os.cpu_count(),
            "pacing": "lockstep" if args.lockstep else "staggered, pauses 0.5-1.5 x think",
        }
        if not args.fake_rasa:
            await warm_up(session, rasa_url, token)
        web = Results()
        deadline = time.monotonic() + args.seconds
        await asyncio.gather(*(
            web_conversation(session, web_url, conversation_id("bench-web", n), deadline,
                             pacing, web)
            for n, pacing in enumerate(pacings(args, seed=1))
        ))
        report["web"] = web.summary(args.seconds)
        if not args.skip_rasa:
            direct = Results()
            deadline = time.monotonic() + args.seconds
            await asyncio.gather(*(
                rasa_conversation(session, rasa_url, token, conversation_id("bench-rasa", n),
                                  deadline, pacing, direct)
                for n, pacing in enumerate(pacings(args, seed=1))
            ))
            report["rasa_direct"] = direct.summary(args.seconds)
            w, r = report["web"], report["rasa_direct"]
            if w["p50_ms"] and r["p50_ms"]:
                report["overhead"] = {
                    "p50_ratio": round(w["p50_ms"] / r["p50_ms"], 2),
                    "p95_ratio": round(w["p95_ms"] / r["p95_ms"], 2),
                    "p50_added_ms": round(w["p50_ms"] - r["p50_ms"], 1),
                }
        return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--web-url", default="http://127.0.0.1:8000")
    parser.add_argument("--rasa-url", default="http://127.0.0.1:5005")
    parser.add_argument("--token", default=os.environ.get("RN_RASA_TOKEN", ""))
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--think", type=float, default=1.0,
                        help="pause after each reply, like a person reading (seconds)")
    parser.add_argument("--lockstep", action="store_true",
                        help="everyone starts together and pauses exactly --think (worst case)")
    parser.add_argument("--skip-rasa", action="store_true", help="do not measure Rasa directly")
    parser.add_argument("--start-stack", action="store_true",
                        help="start actions + Rasa + web with devstack on free ports")
    parser.add_argument("--replicas", type=int, default=0,
                        help="with --start-stack: the production profile with N Rasa replicas "
                             "(PostgreSQL tracker store at --postgres, Redis lock store)")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="admin DSN used to create the throwaway tracker database")
    parser.add_argument("--fake-rasa", action="store_true",
                        help="with --start-stack: the web app only, in front of the instant fake "
                             "Rasa of tests/e2e/fake_rasa.py (measures the relay alone)")
    args = parser.parse_args()

    if not args.start_stack:
        report = asyncio.run(run(args, args.web_url, args.rasa_url, args.token))
        print(json.dumps(report, indent=2))
        return 0
    sys.path.insert(0, str(ROOT))
    from devstack.processes import Stack, free_port

    token = secrets.token_urlsafe(24)
    env = {
        "RN_RASA_TOKEN": token,
        "RN_SECRET_KEY": secrets.token_urlsafe(32),
        "RN_CHAT_RATE_PER_CONVERSATION": "100000/minute",
        "RN_CHAT_RATE_PER_ADDRESS": "100000/minute",
    }
    if args.replicas:
        report = run_production(args, env)
        print(json.dumps(report, indent=2))
        return 0
    rasa_port = free_port()
    fake = None
    if args.fake_rasa:
        import subprocess

        from devstack.processes import http_ok

        fake = subprocess.Popen(  # noqa: S603 (fixed argv)
            [sys.executable, str(ROOT / "tests" / "e2e" / "fake_rasa.py"), str(rasa_port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        while not http_ok(f"http://127.0.0.1:{rasa_port}/"):
            time.sleep(0.1)
    components = ("web",) if args.fake_rasa else ("actions", "rasa", "web")
    try:
        with Stack(ROOT, web_port=free_port(), rasa_port=rasa_port, action_port=free_port(),
                   env=env, components=components) as stack:
            report = asyncio.run(run(args, stack.web_url, stack.rasa_url, token))
    finally:
        if fake is not None:
            fake.terminate()
            fake.wait(timeout=10)
    report["rasa"] = "fake (instant)" if args.fake_rasa else "real model"
    print(json.dumps(report, indent=2))
    return 0


def run_production(args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    """N Rasa replicas on shared PostgreSQL + Redis behind one web app (docker-compose's shape)."""
    import contextlib
    import uuid

    import psycopg

    from devstack.processes import Stack, free_port

    class WebOverReplicas(Stack):
        def __init__(self, rasa_urls: list[str], **kwargs: Any) -> None:
            super().__init__(ROOT, **kwargs)
            self.rasa_urls = rasa_urls

        def specs(self) -> list[Any]:
            specs = super().specs()
            for spec in specs:
                if spec.name == "web":
                    spec.env["RN_RASA_URL"] = ",".join(self.rasa_urls)
            return specs

    database = f"rn_bench_tracker_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(args.postgres, autocommit=True)
    admin.execute(f'CREATE DATABASE "{database}"')
    production = {
        **env, "RN_TRACKER_DB_HOST": "127.0.0.1", "RN_TRACKER_DB_NAME": database,
        "RN_TRACKER_DB_USER": "postgres", "RN_TRACKER_DB_PASSWORD": "",
        "RN_REDIS_HOST": "127.0.0.1", "RN_REDIS_PASSWORD": "",
    }
    try:
        with contextlib.ExitStack() as stacks:
            actions = stacks.enter_context(
                Stack(ROOT, action_port=free_port(), components=("actions",), env=production)
            )
            replicas = [
                stacks.enter_context(Stack(
                    ROOT, rasa_port=free_port(), action_port=actions.action_port,
                    components=("rasa",), endpoints="bot/endpoints.production.yml",
                    env=production,
                ))
                for _ in range(args.replicas)
            ]
            urls = [replica.rasa_url for replica in replicas]
            web = stacks.enter_context(WebOverReplicas(
                urls, web_port=free_port(), components=("web",), env=production
            ))
            report = asyncio.run(run(args, web.web_url, urls[0], env["RN_RASA_TOKEN"]))
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.close()
    report["rasa"] = f"real model, {args.replicas} replica(s), production profile"
    return report


if __name__ == "__main__":
    sys.exit(main())
