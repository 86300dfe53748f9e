"""Settings of the web app, read from the environment (names fixed in docs/architecture.md)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from ipaddress import ip_network
from pathlib import Path
from urllib.parse import urlsplit

from resources_db.feeds import feed_urls

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{REPO_ROOT / 'var' / 'directory.sqlite3'}"
DEFAULT_TRACKER_DATABASE_URL = f"sqlite:///{REPO_ROOT / 'var' / 'trackers.sqlite3'}"
DEFAULT_SECRETS = {"", "change-me", "changeme", "secret", "dev", "development"}


class ConfigError(RuntimeError):
    """Raised when the web app must not start with the given settings."""


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


@dataclass(frozen=True)
class WebConfig:
    """Everything the web app needs to run; tests build one directly."""

    host: str = "127.0.0.1"
    port: int = 8000
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: str = ""
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    env: str = "development"
    database_url: str = DEFAULT_DATABASE_URL
    rasa_timeout_seconds: float = 8.0
    max_message_chars: int = 2000
    chat_rate_per_conversation: str = "30/minute"
    chat_rate_per_address: str = "120/minute"
    login_failures_allowed: str = "5/15minutes"
    handoff_timeout_seconds: int = 180
    presence_window_seconds: int = 120
    #: how long a waiting person who writes in Spanish is offered only to the peers who speak
    #: it, while one of them is available (web/language_offer.py); 0: offered to all at once
    language_match_seconds: int = 60
    neutral_exit_url: str = "https://weather.gov"
    #: Rasa's tracker store (bot/endpoints*.yml): purged and erased by the web app.
    tracker_database_url: str = DEFAULT_TRACKER_DATABASE_URL
    retention_days: int = 30
    delete_rate_per_address: str = "10/minute"
    #: origins (scheme://host[:port]) browsers load the app from; WebSockets and the erase
    #: route accept only these. Empty: loopback origins only (development), never the Host
    #: header's.
    public_origins: tuple[str, ...] = ()
    #: the action server's webhook (as Rasa's endpoints use it); /healthz checks its /health.
    #: Empty: not checked.
    action_url: str = ""
    #: CIDRs of reverse proxies whose X-Forwarded-For is believed (web/proxies.py)
    trusted_proxies: tuple[str, ...] = ()
    #: Redis shared by several web instances: rate limits and live frames between them;
    #: empty: one instance, limits in this process's memory
    redis_url: str = ""
    #: how long a web request waits for the database before the person is told kindly to
    #: try again (web/off_loop.py)
    database_timeout_seconds: float = 5.0
    search_rate_per_address: str = "60/minute"
    #: Port of the internal /metrics listener (0 = /metrics only from loopback on the main port).
    metrics_port: int = 0
    #: Meeting Guide feeds refreshed by a background task (resources_db/meeting_refresh.py)
    meeting_feeds: tuple[str, ...] = ()
    meeting_refresh_hours: int = 24

    @property
    def production(self) -> bool:
        return self.env == "production"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> WebConfig:
        """Read the RN_* variables; in production refuse missing or default secrets."""
        env = os.environ if env is None else env
        run_env = env.get("RN_ENV", "development").strip() or "development"
        secret = env.get("RN_SECRET_KEY", "").strip()
        token = env.get("RN_RASA_TOKEN", "").strip()
        if run_env == "production":
            if secret.lower() in DEFAULT_SECRETS or len(secret) < 32:
                raise ConfigError("RN_SECRET_KEY must be set to a long random value in production")
            if token.lower() in DEFAULT_SECRETS or len(token) < 16:
                raise ConfigError(
                    "RN_RASA_TOKEN must be set to a long random value (16+ characters) "
                    "in production"
                )
        handoff_timeout = _int(env, "RN_HANDOFF_TIMEOUT_SECONDS", 180)
        return cls(
            host=env.get("RN_WEB_HOST", "127.0.0.1"),
            port=_int(env, "RN_WEB_PORT", 8000),
            rasa_url=env.get("RN_RASA_URL", "http://127.0.0.1:5005").rstrip("/"),
            rasa_token=token,
            secret_key=secret or secrets.token_urlsafe(32),
            env=run_env,
            database_url=env.get("RN_DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL,
            chat_rate_per_conversation=env.get("RN_CHAT_RATE_PER_CONVERSATION", "30/minute"),
            chat_rate_per_address=env.get("RN_CHAT_RATE_PER_ADDRESS", "120/minute"),
            handoff_timeout_seconds=handoff_timeout,
            language_match_seconds=_language_match_seconds(env, handoff_timeout),
            tracker_database_url=(
                env.get("RN_TRACKER_DATABASE_URL", "").strip() or DEFAULT_TRACKER_DATABASE_URL
            ),
            retention_days=_retention_days(env),
            public_origins=_origins(env.get("RN_PUBLIC_ORIGIN", "")),
            action_url=env.get("RN_ACTION_URL", "").strip(),
            trusted_proxies=_networks(env.get("RN_TRUSTED_PROXIES", "")),
            redis_url=env.get("RN_REDIS_URL", "").strip(),
            database_timeout_seconds=float(_int(env, "RN_DATABASE_TIMEOUT_SECONDS", 5)),
            search_rate_per_address=env.get("RN_SEARCH_RATE_PER_ADDRESS", "60/minute"),
            metrics_port=_int(env, "RN_METRICS_PORT", 0),
            meeting_feeds=_meeting_feeds(env),
            meeting_refresh_hours=_meeting_refresh_hours(env),
        )


def _networks(raw: str) -> tuple[str, ...]:
    """`RN_TRUSTED_PROXIES`: comma-separated CIDRs (or single addresses)."""
    networks = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        try:
            networks.append(str(ip_network(item, strict=False)))
        except ValueError as exc:
            raise ConfigError(
                f"RN_TRUSTED_PROXIES must list networks like 10.0.0.0/8, got {item!r}"
            ) from exc
    return tuple(networks)


def _origins(raw: str) -> tuple[str, ...]:
    """`RN_PUBLIC_ORIGIN`: comma-separated origins such as https://chat.example.org."""
    origins = []
    for item in (part.strip().rstrip("/") for part in raw.split(",")):
        if not item:
            continue
        parts = urlsplit(item)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path:
            raise ConfigError(
                f"RN_PUBLIC_ORIGIN must list origins like https://chat.example.org, got {item!r}"
            )
        origins.append(f"{parts.scheme}://{parts.netloc.lower()}")
    return tuple(origins)


def _retention_days(env: Mapping[str, str]) -> int:
    days = _int(env, "RN_RETENTION_DAYS", 30)
    if days < 1:
        raise ConfigError(f"RN_RETENTION_DAYS must be at least 1, got {days}")
    return days


def _language_match_seconds(env: Mapping[str, str], handoff_timeout: int) -> int:
    """Every peer must see a waiting person before they are told nobody could join."""
    seconds = _int(env, "RN_LANGUAGE_MATCH_SECONDS", 60)
    if not 0 <= seconds <= handoff_timeout:
        raise ConfigError(
            "RN_LANGUAGE_MATCH_SECONDS must be between 0 and RN_HANDOFF_TIMEOUT_SECONDS "
            f"({handoff_timeout}), got {seconds}"
        )
    return seconds


def _meeting_feeds(env: Mapping[str, str]) -> tuple[str, ...]:
    try:
        return feed_urls(env.get("RN_MEETING_FEEDS", ""))
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc


def _meeting_refresh_hours(env: Mapping[str, str]) -> int:
    hours = _int(env, "RN_MEETING_REFRESH_HOURS", 24)
    if hours < 1:
        raise ConfigError(f"RN_MEETING_REFRESH_HOURS must be at least 1, got {hours}")
    return hours
