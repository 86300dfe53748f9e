"""`python -m devstack run`: start the whole product in the foreground until Ctrl-C.

`make run` prepares the environments, the spaCy pipeline, the model and the database, then
calls this. It prints where the chat page is, restarts a process that crashes (with back-off,
devstack/supervisor.py) and stops every process it started on exit.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from types import FrameType

from devstack.processes import ROOT, Stack, StackError
from devstack.secrets import development_secrets
from devstack.supervisor import Supervisor


def _run(args: argparse.Namespace) -> int:
    env = development_secrets(ROOT / "var" / "secrets.env")
    stack = Stack(
        ROOT, web_port=args.web_port, rasa_port=args.rasa_port, action_port=args.action_port,
        env=env,
    )

    def _stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    # Both explicitly: a process started in the background inherits SIGINT as ignored.
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    print("Starting the action server, the Rasa server and the web app…", flush=True)
    started = time.monotonic()
    try:
        stack.start(timeout=args.timeout)
        print(
            f"\nRecovery Navigator is ready in {time.monotonic() - started:.0f} s:\n"
            f"  chat page     {stack.web_url}/\n"
            f"  peer console  {stack.web_url}/peer/\n"
            f"  logs          {stack.log_dir}/\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )
        supervisor = Supervisor(stack)  # a crashed process is restarted, with back-off
        while True:
            supervisor.poll()
            time.sleep(0.5)
    except StackError as error:
        print(f"Could not start: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping…", flush=True)
        return 0
    finally:
        stack.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start the product in the foreground")
    run.add_argument("--web-port", type=int, default=int(os.environ.get("RN_WEB_PORT", 8000)))
    run.add_argument("--rasa-port", type=int, default=int(os.environ.get("RN_RASA_PORT", 5005)))
    run.add_argument(
        "--action-port", type=int, default=int(os.environ.get("RN_ACTION_PORT", 5055))
    )
    run.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for each")
    args = parser.parse_args(argv)
    return _run(args)


if __name__ == "__main__":
    sys.exit(main())
