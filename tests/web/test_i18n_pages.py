"""The chat, privacy and error pages speak Spanish to a browser that prefers it (or with
?lang=es), English otherwise; `<html lang>` says which."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import replace

import pytest
from aiohttp.test_utils import TestClient, TestServer

from web.app import create_app
from web.config import WebConfig
from web.i18n import accept_languages

SPANISH = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}
ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}


async def page(client: TestClient, path: str, headers: dict[str, str] | None = None) -> str:
    resp = await client.get(path, headers=headers or {})
    assert "Set-Cookie" not in resp.headers  # the language is never remembered in a cookie
    return await resp.text()


async def page_in(
    language: str, client: TestClient, path: str, headers: dict[str, str] | None = None
) -> str:
    """The page, checked to be in `language` (its <html lang>)."""
    text = await page(client, path, headers)
    assert html_lang(text) == language
    return text


def html_lang(text: str) -> str:
    match = re.search(r'<html lang="([a-z]+)">', text)
    assert match
    return match.group(1)


def shown_block(text: str, language: str) -> str:
    """The chat page's block in `language` (the one without `hidden` is shown)."""
    match = re.search(rf'<div data-lang="{language}" lang="{language}"( hidden)?>(.*?)</div>',
                      text, re.S)
    assert match
    return ("hidden " if match.group(1) else "") + match.group(2).strip()


@pytest.mark.parametrize(("path", "headers"), [
    ("/", SPANISH), ("/?lang=es", {}), ("/?lang=es", ENGLISH),
])
async def test_the_chat_page_is_in_spanish_when_asked(
    client: TestClient, path: str, headers: dict[str, str]
):
    text = await page_in("es", client, path, headers)
    assert ">Salida rápida</button>" in text
    assert 'placeholder="Prueba “detox en 21201”"' in text
    assert ">Enviar</button>" in text
    assert shown_block(text, "es").startswith("<p>Hola. Soy un <strong>asistente automatizado")
    assert shown_block(text, "en").startswith("hidden ")
    assert 'href="/privacy?lang=es"' in text
    # the button offers English, worded in English
    assert re.search(r'id="switch-language"[^>]*lang="en"[^>]*>English</button>', text)


@pytest.mark.parametrize(("path", "headers"), [
    ("/", {}), ("/", ENGLISH), ("/", {"Accept-Language": "fr-FR,fr;q=0.9"}),
    ("/?lang=en", SPANISH),
])
async def test_the_chat_page_is_in_english_otherwise(
    client: TestClient, path: str, headers: dict[str, str]
):
    text = await page_in("en", client, path, headers)
    assert ">Quick exit</button>" in text
    assert shown_block(text, "en").startswith("<p>Hi. I'm an <strong>automated assistant")
    assert shown_block(text, "es").startswith("hidden ")
    assert re.search(r'id="switch-language"[^>]*lang="es"[^>]*>Español</button>', text)


async def test_the_crisis_lines_are_in_both_languages_with_the_same_numbers(client: TestClient):
    text = await page(client, "/", SPANISH)
    bar = text.split('id="crisis-bar"')[1].split("</div>")[0]
    assert "¿Sobredosis o en peligro? Llama al <a href=\"tel:911\">911</a>." in bar
    assert "Overdose or in danger? Call <a href=\"tel:911\">911</a>." in bar


async def test_the_chat_page_carries_the_widget_s_spanish_messages(client: TestClient):
    text = await page(client, "/")
    raw = re.search(r'<script type="application/json" id="rn-messages">(.*?)</script>', text, re.S)
    assert raw
    messages = json.loads(raw.group(1))
    assert messages["es"]["Call %(phone)s"] == "Llamar al %(phone)s"
    assert messages["es"]["%(available)s of %(total)s beds open"][1] == (
        "%(available)s de %(total)s camas disponibles"
    )


@pytest.mark.parametrize(("path", "headers"), [("/privacy", SPANISH), ("/privacy?lang=es", {})])
async def test_the_privacy_page_in_spanish(
    client: TestClient, path: str, headers: dict[str, str]
):
    text = await page_in("es", client, path, headers)
    assert "<h1>Tu privacidad</h1>" in text
    assert "Las conversaciones se borran automáticamente 30 días después" in text
    assert "<strong>[phone]</strong>" in text  # the labels themselves are what is stored
    assert 'href="/?lang=es">Volver al chat</a>' in text


async def test_the_privacy_page_in_english_by_default(client: TestClient):
    text = await page_in("en", client, "/privacy")
    assert "<h1>Your privacy</h1>" in text
    assert 'href="/">Back to the chat</a>' in text


async def test_an_error_page_in_spanish(client: TestClient):
    resp = await client.get("/no-such-page", headers=SPANISH)
    assert resp.status == 404
    text = await resp.text()
    assert html_lang(text) == "es"
    assert "No encontramos esa página." in text and 'href="tel:988"' in text


async def test_the_erase_api_answers_in_the_widget_s_language(
    aiohttp_client: Callable[..., Awaitable[TestClient]],
    aiohttp_server: Callable[..., Awaitable[TestServer]],
    web_config: WebConfig,
):
    config = replace(web_config, delete_rate_per_address="1/minute")
    client = await aiohttp_client(await aiohttp_server(create_app(config)))
    url = "/api/v1/conversations/example-conversation-0001?lang=es"
    headers = {"Origin": f"http://{client.host}:{client.port}"}
    assert (await client.delete(url, headers=headers)).status == 204
    resp = await client.delete(url, headers=headers)
    assert resp.status == 429
    assert (await resp.json())["error"]["message"].startswith("Se borraron demasiadas")


@pytest.mark.parametrize(("header", "expected"), [
    ("es-MX,es;q=0.9,en;q=0.8", ["es-MX", "es", "en"]),
    ("en;q=0.4, es;q=0.5, fr", ["fr", "es", "en"]),
    ("es;q=0, en", ["en"]),
    ("*", []),
    ("", []),
])
def test_accept_language_is_read_by_preference(header: str, expected: list[str]):
    assert accept_languages(header) == expected
