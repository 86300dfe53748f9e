"""Start and stop the three processes of the product: action server, Rasa server, web app.

Used by `make run` (through `python -m devstack run`) and by the end-to-end tests, so that
both start the product exactly the same way. Every process gets its own process group, so
stopping the stack also stops anything a process started (Sanic workers, for example).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = ROOT / "models" / "recovery-navigator.tar.gz"
COMPONENTS = ("actions", "rasa", "web")
#: TensorFlow settings for serving (docs/benchmarks.md "Turn cost"). oneDNN's kernels cached
#: per input shape: off, the server holds 110 MB less, stops growing under varied messages,
#: and spends no more CPU per message (the models are small; the answers are the same).
RASA_SERVING_ENV = {"TF_ENABLE_ONEDNN_OPTS": "0"}


class StackError(RuntimeError):
    """A process of the stack did not come up (the message says which, with its log tail)."""


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_ok(url: str, timeout: float = 2.0) -> bool:
    """True when `url` answers with a 2xx status."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback only)
            return 200 <= int(response.status) < 300
    except (urllib.error.URLError, OSError, ValueError):
        return False


@dataclass
class ServiceSpec:
    """How to start one process and how to tell that it is ready."""

    name: str
    argv: list[str]
    health_url: str
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class RunningService:
    spec: ServiceSpec
    process: subprocess.Popen[bytes]
    log_path: Path
    log_file: IO[bytes]

    def log_tail(self, lines: int = 40) -> str:
        self.log_file.flush()
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


class Stack:
    """The action server, the Rasa server and the web app, on the ports given.

    Ports default to the contract's (5055, 5005, 8000); tests pass free ports. Secrets and
    the database URL come from `env` (merged over the current environment).
    """

    def __init__(
        self,
        root: Path = ROOT,
        *,
        web_port: int = 8000,
        rasa_port: int = 5005,
        action_port: int = 5055,
        host: str = "127.0.0.1",
        model: Path | None = None,
        endpoints: str = "bot/endpoints.yml",
        env: Mapping[str, str] | None = None,
        components: Iterable[str] = COMPONENTS,
        log_dir: Path | None = None,
    ) -> None:
        self.root = root
        self.host = host
        self.web_port = web_port
        self.rasa_port = rasa_port
        self.action_port = action_port
        self.model = model or root / "models" / "recovery-navigator.tar.gz"
        self.endpoints = endpoints
        self.components = tuple(components)
        unknown = set(self.components) - set(COMPONENTS)
        if unknown:
            raise ValueError(f"unknown components: {sorted(unknown)}")
        self.log_dir = log_dir or root / "var" / "log"
        self.env = dict(os.environ)
        self.env.update(env or {})
        self.env.setdefault("RN_RASA_TOKEN", "")
        self._running: list[RunningService] = []

    @property
    def web_url(self) -> str:
        return f"http://{self.host}:{self.web_port}"

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://{self.host}:{self.action_port}"

    def specs(self) -> list[ServiceSpec]:
        """The processes to start, in start order (each waits for the one before)."""
        venv, rasa_venv = self.root / ".venv" / "bin", self.root / ".venv-rasa" / "bin"
        token = self.env.get("RN_RASA_TOKEN", "")
        specs: list[ServiceSpec] = []
        if "actions" in self.components:
            specs.append(
                ServiceSpec(
                    name="actions",
                    argv=[
                        # rasa-sdk with failure answers that echo nothing (actions/server.py)
                        str(venv / "python"), "-m", "actions.server",
                        "--actions", "actions", "--port", str(self.action_port),
                    ],
                    health_url=f"{self.action_url}/health",
                    env={"SANIC_HOST": self.host, "PYTHONPATH": str(self.root)},
                )
            )
        if "rasa" in self.components:
            argv = [
                # bot.server is Rasa's own command line with a fix applied (see its docstring);
                # devstack.rasa_entry hands it the API token from the environment, so the
                # token is not in the command line.
                str(rasa_venv / "python"), "-m", "devstack.rasa_entry", "run", "--enable-api",
                "-i", self.host, "-p", str(self.rasa_port),
                "--model", str(self.model),
                "--endpoints", self.endpoints,
                "--credentials", "bot/credentials.yml",
            ]
            specs.append(
                ServiceSpec(
                    name="rasa",
                    argv=argv,
                    health_url=f"{self.rasa_url}/",
                    env={
                        "RN_RASA_TOKEN": token,
                        "RN_ACTION_URL": f"{self.action_url}/webhook",
                        "PYTHONPATH": str(self.root),
                        # Rasa 3.6 still uses SQLAlchemy 1.4; keep its warning out of the logs.
                        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
                        # unless the environment given says otherwise
                        **{k: v for k, v in RASA_SERVING_ENV.items() if k not in self.env},
                    },
                )
            )
        if "web" in self.components:
            web_env = {
                "RN_WEB_HOST": self.host,
                "RN_WEB_PORT": str(self.web_port),
                "RN_RASA_URL": self.rasa_url,
                "PYTHONPATH": str(self.root),
            }
            if "actions" in self.components:  # /healthz checks the action server too
                web_env["RN_ACTION_URL"] = f"{self.action_url}/webhook"
            specs.append(
                ServiceSpec(
                    name="web",
                    argv=[str(venv / "python"), "-m", "web"],
                    health_url=f"{self.web_url}/healthz",
                    env=web_env,
                )
            )
        return specs

    def start(self, timeout: float = 300.0) -> None:
        """Start every process and wait until each answers its health check."""
        if "rasa" in self.components and not self.model.exists():
            raise StackError(f"no trained model at {self.model}: run `make train` first")
        self.log_dir.mkdir(parents=True, exist_ok=True)
        try:
            for spec in self.specs():
                service = self._spawn(spec)
                self._wait_healthy(service, timeout)
        except BaseException:
            self.stop()
            raise

    def _spawn(self, spec: ServiceSpec, *, append_log: bool = False) -> RunningService:
        log_path = self.log_dir / f"{spec.name}-{self._port_of(spec)}.log"
        log_file = log_path.open("ab" if append_log else "wb")
        env = {**self.env, **spec.env}
        process = subprocess.Popen(  # noqa: S603 (fixed argv built above)
            spec.argv,
            cwd=self.root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        service = RunningService(spec, process, log_path, log_file)
        self._running.append(service)
        return service

    def _port_of(self, spec: ServiceSpec) -> int:
        return {"actions": self.action_port, "rasa": self.rasa_port, "web": self.web_port}[
            spec.name
        ]

    def _wait_healthy(self, service: RunningService, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if service.process.poll() is not None:
                raise StackError(
                    f"{service.spec.name} exited with code {service.process.returncode}:\n"
                    f"{service.log_tail()}"
                )
            if http_ok(service.spec.health_url):
                return
            time.sleep(0.5)
        raise StackError(
            f"{service.spec.name} was not ready within {timeout:.0f} s "
            f"({service.spec.health_url}):\n{service.log_tail()}"
        )

    def dead(self) -> list[RunningService]:
        """Processes that have exited since they started."""
        return [s for s in self._running if s.process.poll() is not None]

    def stop(self, grace: float = 10.0) -> None:
        """Stop every process group, newest first: SIGTERM, then SIGKILL after `grace`."""
        for service in reversed(self._running):
            _terminate_group(service.process, grace)
            service.log_file.close()
        self._running.clear()

    def service(self, name: str) -> RunningService | None:
        """The running process of one component (`actions`, `rasa` or `web`), if any."""
        return next((s for s in self._running if s.spec.name == name), None)

    def stop_service(self, name: str, grace: float = 10.0) -> None:
        """Stop one component (fault tests take the action server or Rasa away mid-chat)."""
        service = self.service(name)
        if service is None:
            raise ValueError(f"{name} is not running")
        _terminate_group(service.process, grace)
        service.log_file.close()
        self._running.remove(service)

    def start_service(self, name: str, timeout: float = 300.0) -> None:
        """Start one stopped component again on the same port and wait until it is healthy.

        Its log is appended to, so the lines from before the restart stay readable.
        """
        if self.service(name) is not None:
            raise ValueError(f"{name} is already running")
        spec = next((s for s in self.specs() if s.name == name), None)
        if spec is None:
            raise ValueError(f"{name} is not a component of this stack")
        service = self._spawn(spec, append_log=True)
        try:
            self._wait_healthy(service, timeout)
        except BaseException:
            self.stop_service(name)
            raise

    def forget(self, service: RunningService) -> None:
        """Drop a process that has exited (the supervisor restarts it with `respawn`)."""
        service.log_file.close()
        if service in self._running:
            self._running.remove(service)

    def respawn(self, name: str) -> RunningService:
        """Start one component again without waiting for it (its log is appended to)."""
        spec = next((s for s in self.specs() if s.name == name), None)
        if spec is None:
            raise ValueError(f"{name} is not a component of this stack")
        return self._spawn(spec, append_log=True)

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _terminate_group(process: subprocess.Popen[bytes], grace: float) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        process.wait(timeout=grace)
