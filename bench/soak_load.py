"""Mixed traffic for bench/turn_cost.py's `--soak`: what a morning of real and hostile use sends.

Worker n of the soak plays, by n modulo 4:
0. hostile messages, each from a fresh sender: long texts, keyboard mash, odd Unicode, raw
   button payloads with made-up entities, numbers that are and are not ZIP codes;
1. one conversation that never ends (the same sender all along: its tracker only grows);
2. the realistic English script, a fresh sender each time;
3. a Spanish script and a crisis message, a fresh sender each time.
Everything is seeded by the worker's number, so two soaks send the same traffic.
"""

from __future__ import annotations

import asyncio
import random
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from bench.load_chat import MESSAGES as ENGLISH

SPANISH = (
    "hola",
    "necesito un detox cerca de 21201",
    "tengo medicaid",
    "más",
    "cuál es el horario del primero",
    "gracias",
)
CRISIS = ("hi", "i took too many pills and can't breathe", "thanks")
WORDS = ("help", "detox", "near", "my", "brother", "needs", "meeting", "tonight", "insurance",
         "please", "where", "rehab", "suboxone", "clinic", "open", "now", "ayuda", "cerca")
PAYLOADS = ('/find_help{"need":"detox"}', "/request_peer", "/skip", "/affirm",
            '/inform{"insurance":"medicaid"}', '/find_help{"need":"%s"}')

Turn = Callable[[aiohttp.ClientSession, str, str, Any], Awaitable[list[dict[str, Any]]]]


def hostile_message(rng: random.Random) -> str:
    """One message of the kind a bored or malicious visitor sends."""
    kind = rng.randrange(6)
    if kind == 0:  # long text, a few kB
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(200, 600)))
    if kind == 1:  # keyboard mash
        return "".join(rng.choice("asdfghjklqwertzxcvbnm ") for _ in range(rng.randint(4, 40)))
    if kind == 2:  # odd Unicode
        return "".join(chr(rng.choice((0x1F600, 0x4E00, 0x0600, 0x202E)) + rng.randrange(64))
                       for _ in range(rng.randint(1, 80)))
    if kind == 3:  # raw payloads, some with made-up entity values
        payload = rng.choice(PAYLOADS)
        return payload % secrets.token_hex(4) if "%s" in payload else payload
    if kind == 4:  # numbers
        return f"{rng.randint(0, 99999):05d} {rng.randint(0, 10**9)}"
    return f"detox near {rng.randint(1000, 99999):05d}"


async def soak_worker(n: int, session: aiohttp.ClientSession, turn: Turn, timings: Any,
                      deadline: float, think: float) -> None:
    """Worker n's share of the traffic until `deadline` (time.monotonic())."""
    rng = random.Random(n)
    forever = f"soak-forever-{n}-{secrets.token_hex(4)}"
    while time.monotonic() < deadline:
        role = n % 4
        if role == 0:
            script: tuple[str, ...] = (hostile_message(rng),)
        elif role == 1:
            script = (rng.choice(ENGLISH + SPANISH),)
        elif role == 2:
            script = ENGLISH
        else:
            script = SPANISH if rng.random() < 0.8 else CRISIS
        sender = forever if role == 1 else f"soak-{n}-{secrets.token_hex(6)}"
        for text in script:
            if time.monotonic() >= deadline:
                return
            await turn(session, sender, text, timings)
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))
