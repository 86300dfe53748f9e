"""The chat widget and peer console in real Chromium, with the web app and a fake Rasa."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.e2e.conftest import (
    PEER_NAME,
    PHONE,
    RunningApp,
    axe_violations,
    fake_rasa_seen,
    peer_answers_then_returns,
    screenshot,
    send,
    sign_in_peer,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def person(browser: Any, widget_stack: RunningApp) -> Any:
    context = browser.new_context(
        viewport=PHONE,
        geolocation={"latitude": 39.29041, "longitude": -76.61219},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.goto(widget_stack.url)
    yield page
    context.close()


def test_cards_render_with_call_directions_insurance_and_capacity(person: Any):
    send(person, "detox near 21201")
    card = person.locator(".card").first
    card.wait_for()
    assert card.locator("h3").inner_text() == "Example Detox Center"
    call = card.get_by_role("link", name="Call 410-555-0101")
    assert call.get_attribute("href") == "tel:410-555-0101".replace("-", "")
    directions = card.get_by_role("link", name=re.compile("Directions"))
    assert directions.get_attribute("href") == (
        "https://www.google.com/maps/search/?api=1&query=100%20Example%20St%2C%20Baltimore%2C%20MD%2021201"
    )
    assert "Accepts: Medicaid" in card.inner_text()
    assert "Also offers: help with transportation, peer support" in card.inner_text()
    assert "Peer-run" in card.inner_text() and "Cost: free" in card.inner_text()
    assert re.search(r"3 of 20 beds open, updated \d+ days ago", card.inner_text())
    assert "0.4 miles away" in card.inner_text() and "Open now" in card.inner_text()
    screenshot(person, "chat-cards-390x844")


def test_script_in_messages_and_records_stays_inert(person: Any):
    payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    send(person, payload)
    person.get_by_text("echo: " + payload).wait_for()
    send(person, "detox please")
    person.locator(".card").nth(1).wait_for()
    assert person.locator(".card h3").nth(1).inner_text().endswith(payload)
    assert person.locator(".log img").count() == 0 and person.locator(".log script").count() == 0
    extension = person.locator(".card").nth(1).get_by_role("link", name=re.compile("^Call"))
    assert extension.get_attribute("href") == "tel:4105550102,12"
    # A javascript: website from a record is never made a link.
    assert person.locator(".card").nth(1).get_by_role("link", name="Website").count() == 0
    # No street address: where it serves, and no directions to a ZIP code's centre.
    area = person.locator(".card").nth(1)
    assert "Serves the area around Baltimore, MD 21202" in area.inner_text()
    assert area.get_by_role("link", name=re.compile("Directions")).count() == 0
    assert "Peer-run" not in area.inner_text() and "Cost:" not in area.inner_text()
    assert person.evaluate("() => window.__pwned") is None


def test_buttons_send_their_payload_and_show_their_title(person: Any, widget_stack: RunningApp):
    send(person, "hello there")
    person.get_by_role("button", name="Find detox").click()
    person.locator(".card").first.wait_for()
    last_person = person.locator(".msg-person").last.inner_text()
    assert "Find detox" in last_person
    turns = fake_rasa_seen(widget_stack)["turns"]
    assert turns[-1]["message"] == '/find_help{"need": "detox"}'


def test_share_location_only_when_asked(person: Any, widget_stack: RunningApp):
    before = len(fake_rasa_seen(widget_stack)["turns"])
    person.get_by_role("button", name="Share my location").click()
    person.get_by_text("Shared my location").wait_for()
    person.get_by_text(re.compile("^echo: /share_location")).wait_for()
    turns = fake_rasa_seen(widget_stack)["turns"]
    assert len(turns) == before + 1
    # only a tenth of a degree leaves the device (docs/privacy.md)
    assert turns[-1]["message"] == '/share_location{"lat":39.3,"lon":-76.6}'


def test_crisis_banner_stays_visible(person: Any):
    send(person, "my friend took too much, overdose")
    banner = person.locator("#crisis-banner")
    banner.wait_for()
    assert banner.get_by_role("link", name="Call 911").get_attribute("href") == "tel:911"
    person.mouse.wheel(0, 3000)
    assert banner.is_visible()


def in_viewport(page: Any, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_quick_exit_and_crisis_lines_stay_on_screen_in_a_long_chat(person: Any):
    send(person, "my friend took too much, overdose")
    person.locator("#crisis-banner").wait_for()
    for _ in range(3):  # cards make the conversation much taller than a phone screen
        send(person, "detox near 21201")
    person.locator(".card").nth(5).wait_for()
    scroller = "document.getElementById('scroller').scrollTop"
    assert person.evaluate(scroller) > 0  # the conversation scrolls, under the sticky top
    person.mouse.move(195, 420)
    person.mouse.wheel(0, -10000)  # read back up the long conversation
    person.wait_for_timeout(300)
    assert person.evaluate(scroller) == 0
    assert in_viewport(person, "#quick-exit"), "Quick exit scrolled out of sight"
    assert in_viewport(person, "#crisis-banner")
    # nothing in the sticky block covers another part of it
    exit_box = person.locator("#quick-exit").bounding_box()
    banner_box = person.locator("#crisis-banner").bounding_box()
    assert exit_box["y"] + exit_box["height"] <= banner_box["y"]


def test_quick_exit_leaves_and_forgets_the_conversation(person: Any, widget_stack: RunningApp):
    send(person, "hello")
    person.get_by_text("echo: hello").wait_for()
    old_id = person.evaluate("() => sessionStorage.getItem('rn.conversation')")
    person.route("https://weather.gov/**", lambda route: route.fulfill(body="Weather"))
    person.get_by_role("button", name="Quick exit").click()
    person.wait_for_url("https://weather.gov/**")
    person.go_back()  # the chat page was replaced, so Back does not lead to it
    assert not person.url.startswith(widget_stack.url)
    person.goto(widget_stack.url)
    assert person.locator(".msg").count() == 0
    assert person.evaluate("() => sessionStorage.getItem('rn.conversation')") != old_id


def test_a_reload_replays_the_conversation_once(person: Any):
    send(person, "first message")
    person.get_by_text("echo: first message").wait_for()
    person.reload()
    person.get_by_text("echo: first message").wait_for()
    assert person.get_by_text("echo: first message").count() == 1
    assert person.locator(".msg-person").count() == 1


def test_too_long_message_keeps_the_text(person: Any):
    box = person.get_by_label("Your message")
    box.evaluate("(el) => el.removeAttribute('maxlength')")
    box.fill("x" * 2100)
    person.get_by_role("button", name="Send", exact=True).click()
    person.get_by_text("That message is too long").wait_for()
    assert len(box.input_value()) == 2100


def test_chat_page_accessibility(person: Any):
    send(person, "detox near 21201")
    person.locator(".card").first.wait_for()
    assert axe_violations(person) == []


def test_keyboard_only_person_can_send(person: Any):
    person.keyboard.press("Tab")  # skip link
    person.keyboard.press("Tab")  # quick exit
    for _ in range(12):
        if person.evaluate("() => document.activeElement.id") == "message":
            break
        person.keyboard.press("Tab")
    assert person.evaluate("() => document.activeElement.id") == "message"
    person.keyboard.type("typed with the keyboard")
    person.keyboard.press("Enter")
    person.get_by_text("echo: typed with the keyboard").wait_for()


def test_peer_handoff_round_trip(browser: Any, widget_stack: RunningApp, person: Any):
    peer_context = browser.new_context(viewport={"width": 1280, "height": 900})
    console = sign_in_peer(peer_context, widget_stack)
    person.get_by_role("button", name="Talk to a peer").click()
    person.get_by_text("You're number 1 in line").wait_for()
    screenshot(person, "chat-waiting-390x844")

    claim = console.get_by_role("button", name=re.compile("^Claim person #1"))
    claim.wait_for()
    assert "Baltimore, MD 21201" in console.locator("#queue").inner_text()
    claim.click()
    person.get_by_text(f"{PEER_NAME}, a peer recovery specialist, joined the chat.").wait_for()
    console.locator("#summary").get_by_text("Baltimore, MD 21201").wait_for()

    send(person, "hi, I need a bed tonight")
    peer_answers_then_returns(
        person, console, "hi, I need a bed tonight", "I'm here with you. Let's look."
    )
    events = fake_rasa_seen(widget_stack)["events"]
    assert events[-1]["event"] == "resume"
    send(person, "thanks")
    person.get_by_text("echo: thanks").wait_for()
    peer_context.close()


def test_reflows_at_320_css_pixels_without_sideways_scrolling(browser: Any,
                                                              widget_stack: RunningApp):
    """WCAG 1.4.10: a 1280 px window at 400% zoom (or a phone at 200%) is 320 CSS pixels."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(widget_stack.url)
    send(page, "detox near 21201")
    page.locator(".card").first.wait_for()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    for name in ("Send", "Talk to a peer", "Quick exit", "Share my location"):
        assert page.get_by_role("button", name=name, exact=True).is_visible()
    screenshot(page, "chat-320px")
    context.close()


def test_delete_this_conversation_by_keyboard_erases_it_and_starts_afresh(
    person: Any, widget_stack: RunningApp
):
    send(person, "my number is 410-555-0123")
    person.get_by_text("my number is [phone]").wait_for()  # what is kept is what is shown
    old_id = person.evaluate("() => sessionStorage.getItem('rn.conversation')")
    person.once("dialog", lambda dialog: dialog.accept())  # the confirm step
    person.get_by_role("button", name="Delete this conversation").focus()
    person.keyboard.press("Enter")
    person.get_by_role("status").filter(has_text="This conversation is erased").wait_for()
    assert person.locator(".msg").count() == 0
    assert person.evaluate("() => sessionStorage.getItem('rn.conversation')") != old_id
    with create_engine(widget_stack.database_url).connect() as conn:
        left = conn.execute(text("SELECT count(*) FROM web_messages WHERE conversation_id = :c"),
                            {"c": old_id}).scalar()
    assert left == 0
    send(person, "hello again")
    person.get_by_text("echo: hello again").wait_for()


def test_declining_the_confirm_keeps_the_conversation(person: Any):
    send(person, "keep this one")
    person.get_by_text("echo: keep this one").wait_for()
    person.once("dialog", lambda dialog: dialog.dismiss())
    person.get_by_role("button", name="Delete this conversation").click()
    person.reload()
    person.get_by_text("echo: keep this one").wait_for()


# Spanish (issue 17): the widget's own words come from web/locale; the fake Rasa answers in
# English whatever is written, so every Spanish word checked here is the widget's.

def send_es(page: Any, text: str) -> None:
    page.get_by_label("Tu mensaje").fill(text)
    page.get_by_role("button", name="Enviar", exact=True).click()


def fits_the_screen(page: Any) -> None:
    """Nothing wider than the phone: no sideways scrolling, every control inside the screen."""
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    for selector in ("#quick-exit", "#composer button", ".actions button:not([hidden])"):
        for box in [b.bounding_box() for b in page.locator(selector).all()]:
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_switching_to_spanish_turns_the_chrome_and_the_cards_spanish(person: Any):
    person.get_by_role("button", name="Español: seguir en español").click()
    person.get_by_role("button", name="Salida rápida").wait_for()
    assert person.evaluate("() => document.documentElement.lang") == "es"
    assert person.get_by_label("Tu mensaje").get_attribute("placeholder") == (
        "Prueba “detox en 21201”"
    )
    assert person.get_by_text("Hola. Soy un asistente automatizado").is_visible()
    assert not person.get_by_text("Hi. I'm an automated assistant").is_visible()
    assert person.get_by_role("button", name="Hablar con una persona").is_visible()
    # the button now offers English, in English
    assert person.get_by_role("button", name="English: continue in English").is_visible()
    send_es(person, "detox cerca de 21201")
    card = person.locator(".card").first
    card.wait_for()
    words = card.inner_text()
    assert re.search(r"3 de 20 camas disponibles, actualizado hace \d+ días", words)
    assert card.get_by_role("link", name="Cómo llegar a Example Detox Center (abre un mapa)")\
        .inner_text() == "Cómo llegar"
    assert card.get_by_role("link", name="Llamar al 410-555-0101").is_visible()
    for label in ("a 0.4 millas", "Abierto ahora", "Horario: 24/7", "Acepta: Medicaid",
                  "Atienden en español", "Dirigido por pares", "Costo: free",
                  "También ofrece: help with transportation", "Sitio web",
                  "Información revisada por última vez el 2026-01-01"):
        assert label in words, label
    assert "Tú" in person.locator(".msg-person").last.inner_text()
    fits_the_screen(person)
    screenshot(person, "chat-cards-es-390x844")


def test_the_english_widget_says_spanish_spoken_only_when_spanish_was_asked(person: Any):
    send(person, "detox near 21201")
    card = person.locator(".card").first
    card.wait_for()
    assert "Spanish spoken" not in card.inner_text()  # the search did not ask for Spanish
    send(person, "detox near 21201, spanish speaking")
    asked = person.locator(".card").nth(2)
    asked.wait_for()
    assert "Spanish spoken" in asked.inner_text()
    assert person.evaluate("() => document.documentElement.lang") == "en"


def test_a_spanish_browser_starts_in_spanish(browser: Any, widget_stack: RunningApp):
    context = browser.new_context(viewport=PHONE, locale="es-MX")
    page = context.new_page()
    page.goto(widget_stack.url)
    assert page.evaluate("() => document.documentElement.lang") == "es"
    assert page.get_by_role("button", name="Salida rápida").is_visible()
    assert page.get_by_text("¿Sobredosis o en peligro?").is_visible()
    page.get_by_text("Privacidad", exact=True).click()  # the privacy note opens
    assert page.get_by_role("link", name="Qué guardamos y por cuánto tiempo")\
        .get_attribute("href") == "/privacy?lang=es"
    send_es(page, "hola")
    page.get_by_text("echo: hola").wait_for()
    fits_the_screen(page)
    screenshot(page, "chat-es-390x844")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 640})  # WCAG 1.4.10 reflow, in Spanish
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    screenshot(page, "chat-es-320px")
    context.close()


def test_writing_in_spanish_turns_the_widget_spanish_and_the_peer_console_stays_english(
    browser: Any, widget_stack: RunningApp, person: Any
):
    send(person, "hola, necesito ayuda con un detox")
    person.get_by_role("button", name="Salida rápida").wait_for()  # the server read Spanish
    assert person.get_by_text("Hola. Soy un asistente automatizado").is_visible()
    peer_context = browser.new_context(viewport={"width": 1280, "height": 900})
    console = sign_in_peer(peer_context, widget_stack)
    person.get_by_role("button", name="Hablar con una persona").click()
    person.get_by_text(re.compile("^Estás en el puesto 1 de la fila")).wait_for()
    assert person.get_by_role("button", name="Dejar de esperar").is_visible()
    screenshot(person, "chat-waiting-es-390x844")
    console.get_by_role("button", name=re.compile("^Claim person #1")).click()
    person.get_by_text(f"{PEER_NAME}, especialista de apoyo entre pares, se unió al chat.")\
        .wait_for()
    person.get_by_text(re.compile(f"^Estás chateando con {PEER_NAME}")).wait_for()
    transcript = console.locator("#transcript")
    transcript.get_by_text("hola, necesito ayuda con un detox").wait_for()
    labels = transcript.locator(".who").all_inner_texts()
    assert "Person" in labels and "Assistant (automated)" in labels and "Tú" not in labels
    peer_context.close()
