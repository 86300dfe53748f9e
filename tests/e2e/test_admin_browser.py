"""An admin edits a service and its beds in real Chromium; a person's chat card shows it.

The web app runs for real (devstack supervisor, its own process) on a fictional directory.
Rasa is replaced by a small stand-in whose only job is dialogue: for "detox near 21201" it
answers with the real directory search (`resources_db.search`, the same code the action server
runs) on the same database, so the card the widget renders comes from the edited directory,
its search index and the contract §2 card — nothing in the card is typed into the test.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp import web

from devstack.processes import Stack, free_port
from resources_db.db import session_scope, upgrade_database
from resources_db.search import SearchQuery, search
from tests.e2e.conftest import PHONE, ROOT, RunningApp, axe_violations, screenshot, secrets_env
from tests.fixtures.directory import BALTIMORE, fill_directory

pytestmark = pytest.mark.browser
ADMIN_USER, ADMIN_PASSWORD = "example-admin", "example admin password 0123"


def _search_reply(database_url: str) -> list[dict[str, Any]]:
    query = SearchQuery(needs=["detox"], lat=BALTIMORE[0], lon=BALTIMORE[1], limit=3)
    with session_scope(database_url) as session:
        result = search(session, query)
    return [{"text": "Here are places near Baltimore, MD 21201:"},
            {"custom": {"type": "resources", **result}}]


def _dialogue_stand_in(database_url: str) -> web.Application:
    async def webhook(request: web.Request) -> web.Response:
        message = str((await request.json()).get("message", ""))
        if "detox" in message:
            return web.json_response(await asyncio.to_thread(_search_reply, database_url))
        return web.json_response([{"text": "Tell me what kind of help you need."}])

    async def root(request: web.Request) -> web.Response:
        return web.Response(text="Hello from Rasa: 3.6.21 (stand-in)")

    app = web.Application()
    app.router.add_get("/", root)
    app.router.add_post("/webhooks/rest/webhook", webhook)
    return app


@pytest.fixture(scope="module")
def admin_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    import subprocess
    import sys

    folder = tmp_path_factory.mktemp("admin")
    database_url = f"sqlite:///{folder / 'admin.sqlite3'}"
    upgrade_database(database_url)
    with session_scope(database_url) as session:
        fill_directory(session)
    env = secrets_env(database_url)
    subprocess.run(
        [sys.executable, "-m", "web", "createuser", ADMIN_USER, "--role", "admin",
         "--display-name", "Example Admin", "--password-stdin"],
        input=ADMIN_PASSWORD + "\n", text=True, check=True, cwd=ROOT, capture_output=True,
        env={**env, "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    rasa_port = free_port()
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(_dialogue_stand_in(database_url))
    ready = threading.Event()

    def serve() -> None:  # its own thread and loop: Playwright's sync API owns the main one
        asyncio.set_event_loop(loop)
        loop.run_until_complete(runner.setup())
        loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", rasa_port).start())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert ready.wait(timeout=30)
    try:
        stack = Stack(ROOT, web_port=free_port(), rasa_port=rasa_port, components=("web",),
                      env=env, log_dir=folder / "log")
        with stack:
            yield RunningApp(stack.web_url, database_url, stack.rasa_url)
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)


def _ask_for_detox(browser: Any, url: str) -> tuple[Any, Any]:
    """A person on a phone asks the chat for detox near 21201: (their context, their page)."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(url)
    page.get_by_label("Your message").fill("detox near 21201")
    page.get_by_role("button", name="Send", exact=True).click()
    return context, page


def test_admin_edit_and_beds_show_in_the_chat_card(browser: Any, admin_stack: RunningApp) -> None:
    before, early = _ask_for_detox(browser, admin_stack.url)
    old_card = early.locator(".card", has_text="Example Detox Center")
    old_card.wait_for()  # the fixture's count is days old
    assert "3 of 20 beds open" in old_card.inner_text()
    assert "may have changed: call to check" in old_card.inner_text()
    before.close()

    admin_context, admin = _signed_in_admin(browser, admin_stack.url)
    admin.get_by_label("Search").fill("Example Detox Center")
    admin.get_by_role("button", name="Filter").click()
    admin.get_by_role("link", name="Example Detox Center").click()
    admin.get_by_label("Name", exact=True).fill("Example Detox Center North")
    admin.get_by_label("Main phone").fill("410-555-0155")
    admin.get_by_role("button", name="Save").click()
    admin.get_by_text("Saved.").wait_for()

    admin.get_by_label("Open", exact=True).fill("9")
    admin.get_by_label("Total").fill("20")
    admin.get_by_role("button", name="Update capacity").click()
    admin.get_by_text(re.compile(r"9 of 20 beds open .* by user:example-admin")).wait_for()
    screenshot(admin, "admin-service-edit")
    admin_context.close()

    person_context, person = _ask_for_detox(browser, admin_stack.url)
    card = person.locator(".card", has_text="Example Detox Center North")
    card.wait_for()
    text = card.inner_text()
    assert re.search(r"9 of 20 beds open, updated (just now|1 minute ago)", text)
    assert "may have changed" not in text
    assert card.get_by_role("link", name="Call 410-555-0155").count() == 1
    screenshot(person, "admin-edit-in-chat-card-390x844")
    person_context.close()


def _signed_in_admin(browser: Any, url: str) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/peer/login")
    page.get_by_label("Username").fill(ADMIN_USER)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/admin/services")  # admins land on the admin pages
    return context, page


def test_an_import_with_a_wrong_header_explains_itself_and_offers_no_import(
    browser: Any, admin_stack: RunningApp
) -> None:
    context, page = _signed_in_admin(browser, admin_stack.url)
    page.goto(f"{admin_stack.url}/admin/imports")
    page.get_by_label("Format").select_option("geoda-sud")
    page.get_by_label("File").set_input_files({
        "name": "example-wrong-header.csv", "mimeType": "text/csv",
        "buffer": (b"facility;street;town;zip\n"
                   b"Example Recovery Center;1 Example Street;Baltimore;21201\n")})
    page.get_by_role("button", name="Preview").click()
    alert = page.locator(".file-error")
    alert.wait_for()
    text = alert.inner_text()
    assert "missing columns 'name1'" in text and "semicolon" in text
    assert "These columns are unexpected: 'facility'" in text
    assert page.get_by_role("button", name="Import these rows").count() == 0
    assert "Nothing can be imported from this file" in page.inner_text("main")
    assert axe_violations(page) == []
    screenshot(page, "admin-import-wrong-header")
    page.screenshot(path="/tmp/admin-import-wrong-header.png", full_page=True)
    context.close()


def test_the_audit_log_shows_who_changed_which_field_of_which_service(
    browser: Any, admin_stack: RunningApp
) -> None:
    context, page = _signed_in_admin(browser, admin_stack.url)
    page.goto(f"{admin_stack.url}/admin/services?q=Example+Towson+Detox")
    page.get_by_role("link", name="Example Towson Detox").click()
    page.get_by_label("Extension (optional)").fill("113")
    page.get_by_label("Languages spoken").fill("en, es")
    page.get_by_label("Monday").fill("9am-5pm")
    page.screenshot(path="/tmp/admin-edit-form.png", full_page=True)
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved.").wait_for()
    assert page.get_by_label("Extension (optional)").input_value() == "113"
    assert page.get_by_label("Monday").input_value() == "09:00-17:00"

    page.goto(f"{admin_stack.url}/admin/audit")
    page.get_by_label("Service").fill("Towson Detox")
    page.get_by_label("Person").fill(ADMIN_USER)
    page.get_by_role("button", name="Filter").click()
    entry = page.locator(".audit-entry").first
    entry.wait_for()
    head = entry.locator(".audit-head").inner_text()
    assert "user:example-admin" in head and "Example Towson Detox" in head
    assert entry.get_by_role("link", name="Example Towson Detox").count() == 1
    rows = {row.locator("th").inner_text(): row for row in entry.locator("tr.diff-row").all()}
    assert set(rows) == {"Extension", "Hours", "Languages"}, set(rows)
    assert rows["Extension"].locator("ins").inner_text() == "113"
    assert rows["Languages"].locator("ins").inner_text() == "en, es"
    assert "added es" in rows["Languages"].inner_text()
    assert axe_violations(page) == []
    screenshot(page, "admin-audit-diff")
    page.screenshot(path="/tmp/admin-audit-diff.png", full_page=True)
    context.close()
