"""Start the action server: rasa-sdk's own command line, but a failure answers without details.

rasa-sdk's exception handler answers `{"error": str(exception), "request_body": <the action
call>}` with status 500. The action call is the whole tracker, with everything the person typed,
and it travels back to Rasa, which may log it (issue 22, finding 12). Here every 5xx answer is
replaced by a fixed body; the exception is still logged by rasa-sdk for whoever runs the server.
Each action's run time and failures are counted for Prometheus (actions/metrics.py), served on
RN_ACTIONS_METRICS_PORT when it is set. With RN_LOG_FORMAT=json every log line is redacted JSON,
and those logged while an action runs carry its conversation, hashed (web/logs.py).

    python -m actions.server --actions actions --port 5055     # same arguments as rasa_sdk
"""

from __future__ import annotations

import logging
import os
from typing import Any

from sanic import Request, Sanic, response
from sanic.response import HTTPResponse

from actions import metrics
from web import logs

log = logging.getLogger(__name__)
FAILED_BODY = {"error": "The action server could not run this action."}


async def _hide_failure_details(request: Request, answer: HTTPResponse) -> HTTPResponse | None:
    if answer.status >= 500:
        return response.json(FAILED_BODY, status=answer.status)
    return None


class ServedExecutor:
    """rasa-sdk's ActionExecutor as its webhook sees it: each run timed and counted
    (actions/metrics.py), its log lines tagged with the conversation's hash (web/logs.py).

    A wrapper made in each process rather than a change to the executor: rasa-sdk pickles
    the executor into each Sanic worker, and a patched method would not pickle.
    """

    def __init__(self, executor: Any) -> None:
        self._executor = executor
        metrics.start_at_zero(executor.actions)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._executor, name)

    async def run(self, action_call: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        label = metrics.action_label(self._executor.actions, action_call)
        # Not a scope that ends with the run: rasa-sdk logs a failing action's traceback
        # after it, in its error handler. The request's middleware clears it (_no_conversation).
        logs.bind_conversation(_sender(action_call))
        with metrics.timed(label):
            try:
                return await self._executor.run(action_call, *args, **kwargs)
            except Exception as exc:
                if metrics.is_failure(exc):
                    log.warning("action %s failed (%s)", label, type(exc).__name__)
                raise


async def _no_conversation(request: Request, *answer: HTTPResponse) -> None:
    """Every request starts and ends belonging to no conversation (a kept-alive connection
    serves the next request in the same context)."""
    logs.bind_conversation(None)


def _sender(action_call: dict[str, Any]) -> str | None:
    sender = action_call.get("sender_id")
    if not isinstance(sender, str):
        tracker = action_call.get("tracker")
        sender = tracker.get("sender_id") if isinstance(tracker, dict) else None
    return sender if isinstance(sender, str) else None


def create_app_for_serve(action_executor: Any, *args: Any, **kwargs: Any) -> Sanic:
    """rasa-sdk's app factory (it runs again in each Sanic worker), plus the response filter,
    timed actions, JSON logs with RN_LOG_FORMAT=json and, with RN_ACTIONS_METRICS_PORT, the
    metrics listener."""
    from rasa_sdk import endpoint

    if logs.log_format() == "json":
        logs.use_json_logs()  # a worker starts with no logging set up
    app = _original_factory(endpoint)(ServedExecutor(action_executor), *args, **kwargs)
    app.register_middleware(_hide_failure_details, "response")
    app.register_middleware(_no_conversation, "request")
    app.register_middleware(_no_conversation, "response")
    port = metrics.metrics_port()
    if port:
        metrics.serve_metrics(app, os.environ.get("SANIC_HOST", "0.0.0.0"), port)
    return app


def _original_factory(endpoint: Any) -> Any:
    return getattr(endpoint, "_rn_original_create_app_for_serve", endpoint.create_app_for_serve)


def _check_metrics_settings() -> None:
    """Counts live in one worker's memory: several workers would each answer for themselves
    (and the second could not take the port)."""
    from rasa_sdk.utils import number_of_sanic_workers

    if metrics.metrics_port() and number_of_sanic_workers() > 1:
        raise SystemExit(f"{metrics.PORT_VARIABLE} needs one Sanic worker per action server "
                         "(ACTION_SERVER_SANIC_WORKERS=1); run more replicas instead")


def _use_json_logs_if_asked() -> None:
    """rasa-sdk sets up coloured text logs first thing: with RN_LOG_FORMAT=json its set-up
    makes redacted JSON logs instead, at the level given on its command line."""
    from rasa_sdk import utils

    try:
        chosen = logs.log_format()
    except logs.LogFormatError as exc:
        raise SystemExit(str(exc)) from None
    if chosen == "json":
        utils.configure_colored_logging = logs.use_json_logs


def main() -> None:
    from rasa_sdk import __main__ as sdk_main
    from rasa_sdk import endpoint

    _check_metrics_settings()
    _use_json_logs_if_asked()
    if not hasattr(endpoint, "_rn_original_create_app_for_serve"):
        endpoint._rn_original_create_app_for_serve = endpoint.create_app_for_serve
        # `run` builds its Sanic AppLoader from this module-level name
        endpoint.create_app_for_serve = create_app_for_serve
    sdk_main.main()


if __name__ == "__main__":
    # Import this module under its real name, so Sanic's workers find the factory.
    from actions import server

    server.main()
