"""The assistant answers meeting questions from a refreshed, fictional Meeting Guide feed.

The feed (tests/fixtures/meeting_feed.py: "Example" names, example.org, 410-555-01xx) is
served locally and refreshed into the fixture directory the way `RN_MEETING_FEEDS` is; then
the real Rasa server and action server answer "any meetings tonight near 21201" and "online
NA meetings". Needs the trained model, like tests/integration/test_rasa_rest.py.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from devstack.processes import Stack
from resources_db.meeting_refresh import refresh_feeds
from tests.fixtures.meeting_feed import meeting_rows, tonight_row
from tests.integration.test_rasa_rest import customs, new_sender, rasa_with_actions, say

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def meetings_directory_url(
    stack_directory_url: str, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """The fixture directory plus the fictional feed, fetched and imported by a refresh."""
    folder = tmp_path_factory.mktemp("feed")
    (folder / "meetings.json").write_text(json.dumps([*meeting_rows(), tonight_row()]))
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/meetings.json"
        [outcome] = refresh_feeds([url], stack_directory_url)
    finally:
        server.shutdown()
        server.server_close()
    assert outcome.outcome == "imported" and outcome.imported == 7
    return stack_directory_url


@pytest.fixture(scope="module")
def stack(meetings_directory_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    log_dir = tmp_path_factory.mktemp("stack-logs")
    with rasa_with_actions(meetings_directory_url, log_dir) as running:
        yield running


def _texts(reply: list[dict[str, object]]) -> str:
    return "\n".join(str(m.get("text") or "") for m in reply)


def test_meetings_tonight_near_a_zip(stack: Stack) -> None:
    reply = say(stack, new_sender(), "any meetings tonight near 21201")
    [payload] = customs(reply, "resources")
    assert payload["query"]["need"] == ["mutual_aid"]
    assert payload["query"]["when"] == "tonight"
    names = [card["name"] for card in payload["resources"]]
    assert "Example Evening Hope" in names  # starts tonight wherever the test runs
    assert all(not card["meeting"]["online"] for card in payload["resources"])
    card = payload["resources"][names.index("Example Evening Hope")]
    assert card["meeting"]["next"] in _texts(reply)
    assert "tonight near Baltimore, MD" in _texts(reply)


def test_online_na_meetings(stack: Stack) -> None:
    reply = say(stack, new_sender(), "online NA meetings")
    [payload] = customs(reply, "resources")
    assert payload["query"]["online"] is True and payload["query"]["fellowship"] == "NA"
    assert [card["name"] for card in payload["resources"]] == ["Example Online Hope"]
    assert "https://example.org/join/na-online" in _texts(reply)
