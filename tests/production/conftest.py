"""Fixtures for the production profile: real PostgreSQL and Redis on this machine, and Rasa
servers started with `bot/endpoints.production.yml` exactly as docker-compose runs them."""

from __future__ import annotations

import contextlib
import json
import os
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
import redis

from devstack.processes import DEFAULT_MODEL, ROOT, Stack, free_port

PG_ADMIN_DSN = os.environ.get("RN_TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_HOST = os.environ.get("RN_TEST_REDIS_HOST", "127.0.0.1")


def _require(condition: bool, why: str) -> None:
    """Skip on a developer machine without the service; fail under CI, where it must exist."""
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)


@contextlib.contextmanager
def throwaway_database(prefix: str) -> Iterator[str]:
    """A new PostgreSQL database named `prefix` + 8 hex digits, dropped (forced) afterwards."""
    try:
        admin = psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        _require(False, f"PostgreSQL is not reachable at {PG_ADMIN_DSN}: {error}")
        raise
    name = f"{prefix}{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def require_redis() -> None:
    try:
        redis.Redis(host=REDIS_HOST, socket_timeout=3).ping()
    except redis.RedisError as error:
        _require(False, f"Redis is not reachable at {REDIS_HOST}:6379: {error}")


@pytest.fixture(scope="module")
def tracker_database() -> Iterator[str]:
    """A throwaway PostgreSQL database for Rasa's SQL tracker store."""
    with throwaway_database("rn_tracker_test_") as name:
        yield name


@pytest.fixture(scope="module")
def redis_available() -> None:
    require_redis()


@pytest.fixture(scope="module")
def production_env(tracker_database: str, redis_available: None) -> dict[str, str]:
    """What docker-compose sets for a Rasa replica, pointed at this machine's services."""
    _require(DEFAULT_MODEL.exists(), f"no trained model at {DEFAULT_MODEL}: run `make train`")
    return {
        "RN_TRACKER_DB_HOST": "127.0.0.1",
        "RN_TRACKER_DB_NAME": tracker_database,
        "RN_TRACKER_DB_USER": "postgres",
        "RN_TRACKER_DB_PASSWORD": "",
        "RN_REDIS_HOST": REDIS_HOST,
        "RN_REDIS_PASSWORD": "",
        "RN_RASA_TOKEN": "production-profile-test-token",
    }


@pytest.fixture(scope="module")
def action_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    stack = Stack(
        ROOT,
        action_port=free_port(),
        components=("actions",),
        log_dir=tmp_path_factory.mktemp("actions-log"),
    )
    stack.start(timeout=120)
    try:
        yield stack
    finally:
        stack.stop()


def rasa_replica(
    production_env: dict[str, str], action_server: Stack, log_dir: Any
) -> Stack:
    """A Rasa server with the production endpoints, sharing the one action server."""
    return Stack(
        ROOT,
        rasa_port=free_port(),
        action_port=action_server.action_port,
        components=("rasa",),
        endpoints="bot/endpoints.production.yml",
        env=production_env,
        log_dir=log_dir,
    )


def post_json(url: str, body: dict[str, Any], timeout: float = 60) -> Any:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (loopback)
        return json.loads(response.read())


def get_json(url: str, timeout: float = 30) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback)
        return json.loads(response.read())
