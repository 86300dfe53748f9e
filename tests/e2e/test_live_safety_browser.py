"""Live safety in real Chromium at phone size (390×844): the newest message and the box stay
in view, buttons hand focus back to the box, the queue place and the peer's arrival are
announced, and a crisis typed while waiting reaches the person (tappable lines) and the
console (an urgent entry: colour, icon and words)."""

from __future__ import annotations

import re
import shutil
from typing import Any

import pytest

from tests.e2e.conftest import (
    ARTIFACTS,
    PEER_NAME,
    PHONE,
    RunningApp,
    axe_violations,
    screenshot,
    send,
    sign_in_peer,
)

pytestmark = pytest.mark.browser
OVERDOSE = "I took too many pills and I can't breathe"


@pytest.fixture
def phone(browser: Any, widget_stack: RunningApp) -> Any:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(widget_stack.url)
    page.get_by_label("Your message").wait_for()
    yield page
    context.close()


def keep(page: Any, name: str) -> None:
    """A screenshot in test-artifacts/ and a copy in /tmp to look at."""
    screenshot(page, name)
    shutil.copy(ARTIFACTS / f"{name}.png", f"/tmp/{name}.png")


def box(page: Any, selector: str) -> dict[str, float]:
    found = page.locator(selector).last.bounding_box()
    assert found is not None, f"{selector} is not shown"
    return found  # type: ignore[no-any-return]


def fully_in_view(page: Any, selector: str) -> bool:
    b = box(page, selector)
    return b["y"] >= 0 and b["y"] + b["height"] <= page.viewport_size["height"] + 0.5


def newest_message_in_view(page: Any) -> bool:
    """The newest shown message is on screen, inside the visible part of the conversation:
    all of it when it fits, otherwise at least its beginning."""
    return bool(page.evaluate(
        """() => {
          const shown = [...document.querySelectorAll('#log .msg:not([hidden])')];
          const node = shown[shown.length - 1];
          const area = document.getElementById('scroller').getBoundingClientRect();
          const top = Math.max(0, area.top), bottom = Math.min(innerHeight, area.bottom);
          const r = node.getBoundingClientRect();
          if (r.height <= bottom - top) { return r.top >= top - 1 && r.bottom <= bottom + 1; }
          return r.top >= top - 1 && r.top < bottom - 40;
        }"""
    ))


def test_crisis_with_nobody_online_is_warm_and_every_line_can_be_tapped(phone: Any):
    """Runs before any console of this file opens, so nobody is online."""
    phone.get_by_role("button", name="Talk to a peer").click()
    phone.locator("#handoff-status").filter(has_text="in line").wait_for()
    send(phone, "I want to kill myself")
    reply = phone.locator("#log .msg-system").filter(has_text="Thank you for telling me")
    reply.wait_for()
    words = reply.locator("p").first.inner_text()
    assert "No peer recovery specialist is online right now" in words
    assert "keep writing here" in words and "services" not in words
    first = reply.locator("ul.lines li").first
    assert first.get_by_role("link", name="Call 988").get_attribute("href") == "tel:988"
    assert first.get_by_role("link", name="Text 988").get_attribute("href") == "sms:988"
    assert reply.get_by_role("link", name="Text HOME to 741741").get_attribute(
        "href") == "sms:741741"
    assert reply.locator("p a[href='tel:988']").count() >= 1  # the number in the words too
    assert newest_message_in_view(phone) and fully_in_view(phone, "#message")
    keep(phone, "livesafety-chat-crisis-no-peer-390x844")
    phone.get_by_role("button", name="Stop waiting for a peer").click()
    phone.get_by_text("You stopped waiting for a peer").wait_for()


def test_the_box_and_the_newest_message_stay_in_view_after_each_reply(phone: Any):
    for n, text in enumerate(["hello there", "detox near 21201", "what about rides",
                              "detox near 21201", "thanks"]):
        send(phone, text)
        # the reply is in when the number of assistant messages grows
        phone.wait_for_function(
            "n => document.querySelectorAll('#log .msg-bot').length > n", arg=n
        )
        phone.wait_for_timeout(150)  # cards render in the same frame; let layout settle
        assert fully_in_view(phone, "#message"), f"message box hidden after reply {n + 1}"
        assert fully_in_view(phone, "#composer button[type=submit]")
        assert newest_message_in_view(phone), f"newest message hidden after reply {n + 1}"
    assert phone.evaluate("document.getElementById('scroller').scrollTop") > 0
    keep(phone, "livesafety-chat-long-390x844")


def test_a_button_press_hands_focus_back_to_the_box_and_retires_the_choice(phone: Any):
    send(phone, "hello there")
    button = phone.locator("#log .msg-bot").last.get_by_role(
        "button", name="Find detox").element_handle()
    button.focus()
    phone.keyboard.press("Enter")
    phone.locator("#log .msg-person").filter(has_text="Find detox").wait_for()
    assert phone.evaluate("document.activeElement.id") == "message"
    assert button.is_disabled()
    phone.locator(".card").first.wait_for()
    # only the newest message's choices are live: older ones are answered
    send(phone, "hello again")
    phone.get_by_text("echo: hello again").wait_for()
    live = phone.locator("#log .msg .buttons button:not([disabled])")
    assert live.count() == 1
    assert phone.locator("#log .msg").last.locator("button:not([disabled])").count() == 1
    phone.keyboard.type("typed straight away")  # focus is still in the box
    assert phone.get_by_label("Your message").input_value() == "typed straight away"


def test_place_in_line_and_the_peer_s_arrival_are_announced_in_view(
    browser: Any, widget_stack: RunningApp, phone: Any
):
    phone.get_by_role("button", name="Talk to a peer").click()
    status = phone.locator("#handoff-status")
    status.filter(has_text=re.compile(r"You're number \d+ in line")).wait_for()
    assert status.get_attribute("aria-live") == "polite"
    assert fully_in_view(phone, "#handoff-status") and fully_in_view(phone, "#message")
    assert phone.evaluate("document.activeElement.id") == "message"
    keep(phone, "livesafety-chat-waiting-390x844")

    peer_context = browser.new_context(viewport={"width": 1280, "height": 900})
    console = sign_in_peer(peer_context, widget_stack)
    mine = phone.evaluate("sessionStorage.getItem('rn.conversation')")
    entry = console.locator(f"#queue li[data-conversation='{mine}']")
    # needs in the chat's words (need_words.yml labels), not the contract's keys
    entry.filter(has_text="Needs: detox and withdrawal care").wait_for()
    entry.locator("button").click()
    status.filter(has_text=f"You're chatting with {PEER_NAME}").wait_for()
    # the console fills its summary from its own socket: no order against the phone's
    console.locator("#summary").filter(has_text="detox and withdrawal care").wait_for()
    summary = console.locator("#summary").inner_text()
    assert "detox and withdrawal care" in summary and "detox\n" not in summary
    assert fully_in_view(phone, "#handoff-status")
    console.get_by_role("button", name="Close chat").click()
    peer_context.close()


def test_crisis_while_waiting_reaches_the_person_and_the_console(
    browser: Any, widget_stack: RunningApp, phone: Any
):
    peer_context = browser.new_context(viewport={"width": 1280, "height": 900})
    console = sign_in_peer(peer_context, widget_stack)
    phone.get_by_role("button", name="Talk to a peer").click()
    phone.locator("#handoff-status").filter(has_text="in line").wait_for()
    mine = phone.evaluate("sessionStorage.getItem('rn.conversation')")
    entry = console.locator(f"#queue li[data-conversation='{mine}']")
    entry.wait_for()
    assert "Urgent" not in entry.inner_text()

    send(phone, OVERDOSE)
    reply = phone.locator("#log .msg-system").filter(has_text="call 911 now")
    reply.wait_for()
    # the lines under the words, and the number in the words, can be tapped
    assert reply.get_by_role("link", name="Call 911").get_attribute("href") == "tel:911"
    assert reply.locator("p a[href='tel:911']").count() >= 1
    banner = phone.locator("#crisis-banner")
    assert banner.is_visible() and fully_in_view(phone, "#crisis-banner")
    assert newest_message_in_view(phone) and fully_in_view(phone, "#message")
    keep(phone, "livesafety-chat-crisis-390x844")
    assert axe_violations(phone) == []

    # the console: first in line, marked with colour, an icon and words
    entry.filter(has_text="Urgent: possible overdose").wait_for()
    first = console.locator("#queue li").first
    assert first.get_attribute("data-conversation") == mine
    assert "urgent" in (first.get_attribute("class") or "")
    assert first.locator(".icon").inner_text() == "⚠"
    assert console.locator("#alerts .alert").filter(has_text="possible overdose").count() >= 1
    assert re.search(r"#1 · waiting (less than a minute|\d+ min)", first.inner_text())
    keep(console, "livesafety-console-urgent")
    assert axe_violations(console) == []

    # the peer takes it: the crisis stays on the conversation as a banner
    first.get_by_role("button", name=re.compile("^Claim")).click()
    console.locator("#crisis-alert").filter(has_text="possible overdose").wait_for()
    keep(console, "livesafety-console-crisis-banner")
    assert axe_violations(console) == []
    console.get_by_role("button", name="Close chat").click()
    peer_context.close()


def test_lookup_labels_sit_above_their_own_fields(browser: Any, widget_stack: RunningApp):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    console = sign_in_peer(context, widget_stack)
    for control in ("f-need", "f-near", "f-insurance", "f-radius"):
        label = console.locator(f"label[for='{control}']").bounding_box()
        field = console.locator(f"#{control}").bounding_box()
        assert label and field
        assert label["y"] + label["height"] <= field["y"] + 1, control  # right above it
        assert field["x"] - 1 <= label["x"] < field["x"] + field["width"], control
    context.close()
