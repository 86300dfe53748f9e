"""The peer console's Need menu lists the needs with the labels the chat uses."""

from __future__ import annotations

import html
import re
from pathlib import Path

from aiohttp.test_utils import TestClient

from resources_db.understand.vocabulary import need_labels
from resources_db.vocabulary import NEEDS
from tests.web.conftest import make_peer, peer_cookie
from web.config import WebConfig

TEMPLATE = Path(__file__).resolve().parents[2] / "web/templates/peer/console.html"


def _need_options(page: str) -> list[tuple[str, str]]:
    menu = re.search(r'<select id="f-need" name="need">(.*?)</select>', page, re.S)
    assert menu
    return [
        (value, html.unescape(text).strip())
        for value, text in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>',
                                      menu.group(1))
    ]


def _data_labels(page: str) -> dict[str, str]:
    """What the console's script shows for a need key (queue entries, the summary)."""
    return {key: html.unescape(label) for key, label in
            re.findall(r'<option value="([^"]*)" data-label="([^"]*)"', page)}


async def test_need_menu_is_the_one_vocabularys_labels(client: TestClient, web_config: WebConfig):
    headers = peer_cookie(web_config, make_peer(web_config))
    page = await (await client.get("/peer", headers=headers)).text()
    labels = need_labels()
    assert _need_options(page) == [("", "Any")] + [
        (key, labels[key][:1].upper() + labels[key][1:]) for key in NEEDS
    ]
    assert _data_labels(page) == {key: labels[key] for key in NEEDS}


def test_the_template_lists_no_needs_of_its_own():
    template = TEMPLATE.read_text(encoding="utf-8")
    for key in NEEDS:  # a Jinja list of (key, label) pairs, as the menu once was
        assert not re.search(rf"""\(\s*["']{key}["']\s*,""", template), key
