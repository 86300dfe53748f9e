"""Script injected through a chat message or a directory record stays inert in real Chromium.

The fake Rasa (hostile_rasa.py) puts several kinds of script into every text field of its
answers; the person also types script. Both the person's widget and the peer console (where a
person's text meets a signed-in peer) must show it as literal text: no element is created from
it, nothing runs (no flag set, no dialog) and the CSP never had to block anything, which would
mean something tried to run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import PHONE, RunningApp, sign_in_peer, web_over_fake_rasa
from tests.security.hostile_rasa import SCRIPT

pytestmark = [pytest.mark.browser]
INJECTED = "img, script, svg, iframe, b, .log a[href^='javascript'], a[href^='javascript']"


@pytest.fixture(scope="module")
def hostile_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    with web_over_fake_rasa(Path(__file__).with_name("hostile_rasa.py"),
                            tmp_path_factory.mktemp("xss")) as app:
        yield app


class Watched:
    """A page with listeners for dialogs and CSP violations."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.csp: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: self.csp.append(m.text)
                if "Content Security Policy" in m.text else None)

    def assert_inert(self, scope: str) -> None:
        page = self.page
        page.mouse.move(10, 10)
        for hover in page.locator(scope).get_by_text("hover").all()[:3]:
            hover.hover()
        assert page.evaluate("() => window.__pwned") is None
        assert self.dialogs == []
        assert self.csp == [], self.csp
        assert page.locator(scope).locator(INJECTED).count() == 0


def send(page: Any, text: str) -> None:
    page.get_by_label("Your message").fill(text)
    page.get_by_role("button", name="Send", exact=True).click()


def test_script_in_messages_cards_lines_and_summaries_is_shown_as_text(
    browser: Any, hostile_stack: RunningApp
):
    peer_context = browser.new_context(viewport={"width": 1280, "height": 900})
    person_context = browser.new_context(viewport=PHONE)
    try:
        console = Watched(sign_in_peer(peer_context, hostile_stack))
        person = Watched(person_context.new_page())
        person.page.goto(hostile_stack.url)

        send(person.page, SCRIPT)
        person.page.get_by_text("echo: " + SCRIPT).wait_for()
        assert person.page.locator(".msg-person").last.inner_text().endswith(SCRIPT)
        send(person.page, "cards")
        person.page.locator(".card").nth(1).wait_for()
        first = person.page.locator(".card").first
        assert first.locator("h3").inner_text() == f"Example Center 1 {SCRIPT}"
        assert f"1 Example St {SCRIPT}" in first.inner_text()
        assert first.get_by_role("link", name="Website").count() == 0
        send(person.page, "crisis")
        person.page.locator("#crisis-banner").get_by_text(f"Example line {SCRIPT}").wait_for()
        person.assert_inert("#log, #crisis-banner")

        person.page.get_by_role("button", name="Talk to a peer").first.click()
        console.page.get_by_text(f"Near: {SCRIPT}").first.wait_for()
        console.page.get_by_role("button", name="Claim person #1", exact=False).click()
        console.page.get_by_text("echo: " + SCRIPT).first.wait_for()
        assert console.page.get_by_text(SCRIPT, exact=True).count() >= 1
        console.assert_inert("#queue, #active-tabs, #summary, #transcript")
    finally:
        person_context.close()
        peer_context.close()
