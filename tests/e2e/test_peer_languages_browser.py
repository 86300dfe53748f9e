"""In real Chromium: a peer marks "I speak Spanish / Hablo español" in the console (with the
keyboard), and a person who writes in Spanish is then shown to them first, marked "Writes in
Spanish — you speak Spanish"; the setting is kept across a reload."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import (
    PHONE,
    RunningApp,
    axe_violations,
    screenshot,
    sign_in_peer,
)

pytestmark = pytest.mark.browser


def test_a_peer_who_speaks_spanish_is_shown_the_spanish_writer_first_and_marked(
    browser: Any, widget_stack: RunningApp
):
    peer_context = browser.new_context(viewport={"width": 1280, "height": 900})
    console = sign_in_peer(peer_context, widget_stack)
    box = console.get_by_label("I speak Spanish / Hablo español")
    assert not box.is_checked()
    box.focus()
    console.keyboard.press("Space")
    console.get_by_text("Saved: people who write in Spanish are shown to you first.").wait_for()
    assert box.is_checked()

    context = browser.new_context(viewport=PHONE)
    phone = context.new_page()
    try:
        phone.goto(widget_stack.url)
        phone.get_by_label("Your message").fill("hola, necesito ayuda para mi hijo")
        phone.locator("#composer button[type=submit]").click()
        phone.locator("#log .msg-bot").first.wait_for()
        phone.locator("#talk-to-peer").click()
        # the person wrote Spanish, so the widget speaks Spanish by now ("… de la fila")
        phone.locator("#handoff-status").filter(has_text="la fila").wait_for()
        mine = phone.evaluate("sessionStorage.getItem('rn.conversation')")

        entry = console.locator(f"#queue li[data-conversation='{mine}']")
        entry.filter(has_text="Writes in Spanish — you speak Spanish").wait_for()
        assert "language-match" in (entry.get_attribute("class") or "")
        first_plain = console.locator("#queue li:not(.urgent)").first
        assert first_plain.get_attribute("data-conversation") == mine
        claim = entry.get_by_role("button", name="Claim")
        assert "you speak Spanish" in (claim.get_attribute("aria-label") or "")
        screenshot(console, "peer-languages-console")
        assert axe_violations(console) == []

        console.reload()
        console.get_by_text("Connected.").wait_for()
        assert console.get_by_label("I speak Spanish / Hablo español").is_checked()
        entry.filter(has_text="you speak Spanish").wait_for()
    finally:
        # the stack is shared with the other browser tests: back to English only
        if phone.locator("#end-peer").is_visible():
            phone.locator("#end-peer").click()
        box = console.get_by_label("I speak Spanish / Hablo español")
        if box.is_checked():
            box.click()
            console.get_by_text("Saved: you are not shown").wait_for()
        context.close()
        peer_context.close()
