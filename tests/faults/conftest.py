"""Fault tests reuse the web app fixtures (fake Rasa, app on a temporary database) and the
run's one browser (tests/fixtures/browser.py).

Playwright's sync API keeps an event loop running in the main thread once the (session-wide)
browser is open, so no asyncio test can start after it in the same run: the real-process tests
run their async parts in a worker thread (live.run_async), and the module that opens the
browser sorts last here (test_stack_*).
"""

from tests.web.conftest import client, fake_rasa, server, web_config  # noqa: F401
