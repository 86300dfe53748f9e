"""Limits of issue 7 not covered in tests/web: the rate per address (across conversations),
and production refusing default secrets when started as a process (`python -m web`)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from aiohttp.test_utils import TestClient, TestServer

from devstack.processes import ROOT, free_port
from tests.web.conftest import FakeRasa, frames_until, next_frame, open_chat
from web import appkeys
from web.ratelimit import RateLimits


def is_reply(frame: dict) -> bool:
    return frame["type"] == "message" and frame["sender"] in ("bot", "system")


async def test_rate_limit_per_address_spans_conversations(
    client: TestClient, server: TestServer, fake_rasa: FakeRasa
):
    server.app[appkeys.RELAY].limits = RateLimits({"conversation": "100/minute",
                                                   "address": "4/minute"})
    for n in range(2):  # two conversations from one address, two messages each
        ws = await open_chat(client, f"example-address-limit-{n:04d}")
        for i in range(2):
            await ws.send_json({"type": "message", "client_id": f"m{i}", "text": f"hi {i}"})
            await frames_until(ws, is_reply)
    fresh = await open_chat(client, "example-address-limit-0003")
    await fresh.send_json({"type": "message", "client_id": "m9", "text": "one more"})
    error = await next_frame(fresh, "error")
    assert (error["code"], error["client_id"]) == ("rate_limited", "m9")
    assert len(fake_rasa.turns) == 4


@pytest.mark.parametrize(
    "secrets",
    [
        {},
        {"RN_SECRET_KEY": "change-me", "RN_RASA_TOKEN": "a-real-looking-token-0123456789"},
        {"RN_SECRET_KEY": "example-secret-key-long-enough-0123456789", "RN_RASA_TOKEN": ""},
    ],
)
def test_the_web_process_refuses_to_start_in_production_with_default_secrets(
    secrets: dict[str, str], tmp_path
):
    env = {k: v for k, v in os.environ.items() if not k.startswith("RN_")}
    env.update({"RN_ENV": "production", "RN_WEB_PORT": str(free_port()),
                "RN_DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
                "PYTHONPATH": str(ROOT), **secrets})
    result = subprocess.run(  # noqa: S603 (fixed argv)
        [sys.executable, "-m", "web"], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "must be set" in result.stderr and "Traceback" not in result.stderr
