"""Start the action server: rasa-sdk's own command line, but a failure answers without details.

rasa-sdk's exception handler answers `{"error": str(exception), "request_body": <the action
call>}` with status 500. The action call is the whole tracker, with everything the person typed,
and it travels back to Rasa, which may log it (issue 22, finding 12). Here every 5xx answer is
replaced by a fixed body; the exception is still logged by rasa-sdk for whoever runs the server.
Each action's run time and failures are counted for Prometheus (actions/metrics.py), served on
RN_ACTIONS_METRICS_PORT when it is set.

    python -m actions.server --actions actions --port 5055     # same arguments as rasa_sdk
"""

from __future__ import annotations

import logging
import os
from typing import Any

from sanic import Request, Sanic, response
from sanic.response import HTTPResponse

from actions import metrics

log = logging.getLogger(__name__)
FAILED_BODY = {"error": "The action server could not run this action."}


async def _hide_failure_details(request: Request, answer: HTTPResponse) -> HTTPResponse | None:
    if answer.status >= 500:
        return response.json(FAILED_BODY, status=answer.status)
    return None


def create_app_for_serve(action_executor: Any, *args: Any, **kwargs: Any) -> Sanic:
    """rasa-sdk's app factory (it runs again in each Sanic worker), plus the response filter,
    timed actions and, with RN_ACTIONS_METRICS_PORT, the metrics listener."""
    from rasa_sdk import endpoint

    timed = metrics.TimedExecutor(action_executor)
    app = _original_factory(endpoint)(timed, *args, **kwargs)
    app.register_middleware(_hide_failure_details, "response")
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


def main() -> None:
    from rasa_sdk import __main__ as sdk_main
    from rasa_sdk import endpoint

    _check_metrics_settings()
    if not hasattr(endpoint, "_rn_original_create_app_for_serve"):
        endpoint._rn_original_create_app_for_serve = endpoint.create_app_for_serve
        # `run` builds its Sanic AppLoader from this module-level name
        endpoint.create_app_for_serve = create_app_for_serve
    sdk_main.main()


if __name__ == "__main__":
    # Import this module under its real name, so Sanic's workers find the factory.
    from actions import server

    server.main()
