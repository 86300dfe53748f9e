"""Who lands where after signing in, who counts as an online peer, and the README's addresses
and commands as written."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from tests.web.conftest import PASSWORD, make_peer, next_frame, origin, peer_cookie
from tests.web.test_auth import sign_in
from web import appkeys
from web.__main__ import main
from web.accounts import authenticate, create_user
from web.config import WebConfig

ROOT = Path(__file__).resolve().parents[2]


def make_admin(config: WebConfig):  # type: ignore[no-untyped-def]
    return create_user(config.database_url, "avery", PASSWORD, "admin", "Avery")


async def test_an_admin_signing_in_lands_on_the_admin_pages(
    client: TestClient, web_config: WebConfig
):
    make_admin(web_config)
    response = await sign_in(client, "avery", PASSWORD)
    assert response.status == 302 and response.headers["Location"] == "/admin"
    # and coming back to the sign-in page while signed in leads there too
    again = await client.get("/peer/login", allow_redirects=False)
    assert again.headers["Location"] == "/admin"


async def test_a_peer_signing_in_lands_on_the_console(client: TestClient, web_config: WebConfig):
    make_peer(web_config)
    response = await sign_in(client, "sam", PASSWORD)
    assert response.headers["Location"] == "/peer"


async def test_an_admin_opening_the_console_is_not_an_online_peer_until_they_choose(
    client: TestClient, web_config: WebConfig, server: TestServer
):
    handoff = server.app[appkeys.HANDOFF]
    admin = make_admin(web_config)
    console = await client.ws_connect(
        "/peer/ws", headers={**origin(client), **peer_cookie(web_config, admin)}
    )
    hello = await next_frame(console, "hello")
    assert hello["status"] == "away"
    assert handoff.online_count() == 0
    await console.send_json({"type": "presence", "status": "online"})
    assert (await next_frame(console, "presence"))["status"] == "online"
    assert handoff.online_count() == 1


async def test_a_peer_opening_the_console_is_online(
    client: TestClient, web_config: WebConfig, server: TestServer
):
    console = await client.ws_connect(
        "/peer/ws", headers={**origin(client), **peer_cookie(web_config, make_peer(web_config))}
    )
    assert (await next_frame(console, "hello"))["status"] == "online"
    assert server.app[appkeys.HANDOFF].online_count() == 1


async def test_the_console_links_to_the_admin_pages_for_admins_only(
    client: TestClient, web_config: WebConfig
):
    admin_page = await client.get("/peer", headers=peer_cookie(web_config, make_admin(web_config)))
    assert 'href="/admin"' in await admin_page.text()
    peer_page = await client.get("/peer", headers=peer_cookie(web_config, make_peer(web_config)))
    assert 'href="/admin"' not in await peer_page.text()


async def test_lookup_labels_sit_with_their_own_fields(client: TestClient, web_config: WebConfig):
    page = await client.get("/peer", headers=peer_cookie(web_config, make_peer(web_config)))
    html = await page.text()
    form = html[html.index('<form id="lookup"'):]
    form = form[:form.index("</form>")]
    labels = re.findall(r'<label for="([^"]+)"', form)
    assert labels
    for control in labels:
        # each label and its control share one wrapper, so they wrap onto a line together
        assert re.search(
            rf'<(div|span) class="field[^"]*">\s*(<input[^>]*id="{control}"[^>]*>\s*)?'
            rf'<label for="{control}">[^<]*</label>\s*(<(input|select)[^>]*id="{control}")?',
            form,
        ), control


@pytest.mark.parametrize(("path", "target"), [("/peer/", "/peer"), ("/admin/", "/admin")])
async def test_trailing_slash_addresses_answer(client: TestClient, path: str, target: str):
    response = await client.get(path, allow_redirects=False)
    assert response.status in (301, 302, 307, 308)
    assert response.headers["Location"] == target


def test_createuser_as_the_readme_writes_it(cli_database: str, monkeypatch, capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"`\.venv/bin/python -m web (createuser NAME [^`]*)`", readme)
    assert command, "the README shows how to create a peer account"
    argv = command.group(1).replace("NAME", "sam.jones").split()
    passwords = iter(["a long enough password", "a long enough password"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(passwords))
    assert main(argv) == 0
    assert "created peer 'sam.jones' (Sam Jones)" in capsys.readouterr().out
    user = authenticate(cli_database, "sam.jones", "a long enough password")
    assert user is not None and user.display_name == "Sam Jones"


def test_createuser_keeps_a_given_display_name(cli_database: str, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["createuser", "sam", "--role", "peer", "--display-name", "Samantha",
                 "--password-stdin"]) == 0
    assert "(Samantha)" in capsys.readouterr().out


async def test_every_readme_address_answers(client: TestClient):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paths = {p or "/" for p in re.findall(r"http://127\.0\.0\.1:8000(/[^\s>)`]*)?", readme)}
    assert "/peer/" in paths
    for path in sorted(paths):
        response = await client.get(path)  # follows redirects, e.g. to the sign-in page
        assert response.status == 200, path
