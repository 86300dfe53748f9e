"""Fault tests reuse the web app fixtures (fake Rasa, app on a temporary database) and the
browser of the end-to-end tests."""

from tests.e2e.conftest import browser  # noqa: F401
from tests.web.conftest import client, fake_rasa, server, web_config  # noqa: F401
