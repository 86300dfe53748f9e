"""Command line: serve the web app, run its migrations, create peer/admin accounts.

    python -m web                       serve on RN_WEB_HOST:RN_WEB_PORT (127.0.0.1:8000)
    python -m web migrate               create/update the web tables
    python -m web createuser sam --role peer [--display-name "Sam"] [--language es]
                                            [--password-stdin]
    python -m web purge                 delete conversations older than RN_RETENTION_DAYS
"""

from __future__ import annotations

import argparse
import getpass
import logging
import re
import sys

from aiohttp import web

from web import logs
from web.accounts import AccountError, create_user
from web.app import create_app
from web.config import ConfigError, WebConfig
from web.db import upgrade
from web.models import PEER_LANGUAGES
from web.retention import purge


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m web", description="Recovery Navigator web app")
    commands = parser.add_subparsers(dest="command")
    serve = commands.add_parser("serve", help="serve the web app (the default)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    commands.add_parser("migrate", help="create or update the web app's tables")
    commands.add_parser(
        "purge", help="delete conversations older than RN_RETENTION_DAYS (default 30)"
    )
    user = commands.add_parser("createuser", help="create a peer or admin account")
    user.add_argument("username")
    user.add_argument("--role", choices=("peer", "admin"), required=True)
    user.add_argument(
        "--display-name",
        help='the name people see, e.g. "Sam" (default: from the username, sam.jones → Sam Jones)',
    )
    user.add_argument(
        "--language", action="append", choices=PEER_LANGUAGES, default=[],
        help="a language besides English the peer chats in (repeatable); people who write "
        "in it are offered to them first",
    )
    user.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    return parser


def default_display_name(username: str) -> str:
    """"sam" → "Sam", "sam.jones" → "Sam Jones": what people see until it is changed."""
    words = re.split(r"[._-]+", username.strip())
    return " ".join(word[:1].upper() + word[1:] for word in words if word) or username


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password (12+ characters): ")
    if getpass.getpass("Repeat password: ") != first:
        raise AccountError("the passwords did not match")
    return first


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        logs.configure(logging.INFO)
        config = WebConfig.from_env()
    except (ConfigError, logs.LogFormatError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command == "migrate":
        upgrade(config.database_url)
        print("web tables are up to date")
        return 0
    if args.command == "purge":
        upgrade(config.database_url)
        result = purge(config)
        print(
            f"deleted {result.web_conversations} web and {result.tracker_conversations} "
            f"tracker conversations last active before {result.cutoff.isoformat()}"
        )
        return 0
    if args.command == "createuser":
        try:
            upgrade(config.database_url)
            user = create_user(
                config.database_url,
                args.username,
                read_password(args.password_stdin),
                args.role,
                args.display_name or default_display_name(args.username.lower()),
                args.language,
            )
        except AccountError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"created {user.role} {user.username!r} ({user.display_name})")
        return 0
    host = getattr(args, "host", None) or config.host
    port = getattr(args, "port", None) or config.port
    web.run_app(create_app(config), host=host, port=port, access_log=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
