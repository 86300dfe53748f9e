"""The words a person reads on the web pages, in their language, from one message catalog.

`web/locale/es/LC_MESSAGES/messages.po` (Babel / gettext) is the single source of the Spanish:
the pages (Jinja2's i18n extension), the widget's JavaScript (its messages are embedded in the
chat page as JSON) and the relay's notices all read it. English is the msgid itself. The .po
file is compiled in memory on first use, so there is no .mo file to keep current; fuzzy or
empty entries fall back to English. How to add or change a translation: docs/web.md.
"""

from __future__ import annotations

import gettext
import re
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web
from babel import negotiate_locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"
#: how numbers are written for people in the US, in each language ("2,000" in both)
NUMBER_LOCALES = {"en": "en_US", "es": "es_US"}
_QUALITY = re.compile(r"^q=([01](?:\.\d{0,3})?)$")


def known(language: str | None) -> str:
    """`language` when the pages speak it, else English."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def _catalog(language: str) -> Catalog | None:
    """The .po catalog of `language`; None for English (the msgids are the English)."""
    path = po_path(language)
    if language == DEFAULT_LANGUAGE or not path.exists():
        return None
    with path.open("rb") as po:
        return read_po(po, locale=language)


@lru_cache(maxsize=len(LANGUAGES))
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog of `language` (English: the msgids as they are)."""
    catalog = _catalog(language)
    if catalog is None:
        return gettext.NullTranslations()
    compiled = BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out: they read as English
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _format(text: str, params: dict[str, Any]) -> str:
    return text % params if params else text


def translate(language: str | None, message: str, **params: Any) -> str:
    """`message` (an English msgid) in `language`, with `%(name)s` placeholders filled."""
    return _format(translations(known(language)).gettext(message), params)


def translate_plural(
    language: str | None, singular: str, plural: str, n: int, **params: Any
) -> str:
    """The form for `n`; `n` is also available to the text as `%(num)s`."""
    text = translations(known(language)).ngettext(singular, plural, n)
    return _format(text, {"num": n, **params})


def number(language: str | None, value: int) -> str:
    """2000 as a person in the US reads it in `language` ("2,000")."""
    return format_decimal(value, locale=NUMBER_LOCALES[known(language)])


def accept_languages(header: str) -> list[str]:
    """The languages of an Accept-Language header, most wanted first (q=0 left out)."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, *attributes = [piece.strip() for piece in part.split(";")]
        quality = 1.0
        for attribute in attributes:
            match = _QUALITY.match(attribute.replace(" ", ""))
            if match:
                quality = float(match.group(1))
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, index, tag))
    return [tag for _, _, tag in sorted(ranked)]


def page_language(request: web.Request) -> str:
    """`?lang=es` when asked for, else the browser's preference (Accept-Language)."""
    asked = request.query.get("lang")
    if asked in LANGUAGES:
        return asked
    preferred = accept_languages(request.headers.get("Accept-Language", ""))
    return negotiate_locale(preferred, list(LANGUAGES), sep="-") or DEFAULT_LANGUAGE


def script_messages() -> dict[str, dict[str, Any]]:
    """The catalog entries the widget's JavaScript uses, per language: msgid → msgstr, or
    → [singular, plural] for a plural entry. English is empty (the msgid is the text)."""
    return {language: _script_messages(language) for language in LANGUAGES}


@lru_cache(maxsize=len(LANGUAGES))
def _script_messages(language: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for message in _catalog(language) or ():
        if not message.id or message.fuzzy or not message.string:
            continue
        if not any(filename.endswith(".js") for filename, _ in message.locations):
            continue
        if isinstance(message.id, str):
            found[message.id] = message.string
        elif all(message.string):  # a plural entry: its English singular is the key
            found[message.id[0]] = list(message.string)
    return found


@jinja2.pass_context
def _gettext(context: jinja2.runtime.Context, message: str) -> str:
    return translations(known(context.get("lang"))).gettext(message)


@jinja2.pass_context
def _ngettext(context: jinja2.runtime.Context, singular: str, plural: str, n: int) -> str:
    return translations(known(context.get("lang"))).ngettext(singular, plural, n)


def setup_templates(environment: jinja2.Environment) -> None:
    """`{% trans %}` and `_()` in templates speak the template's `lang` (English without)."""
    environment.add_extension("jinja2.ext.i18n")
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=True
    )


def page_context(request: web.Request) -> dict[str, Any]:
    """What a person-facing page needs to speak the person's language."""
    return {"lang": page_language(request), "languages": LANGUAGES}


def N_(message: str) -> str:  # noqa: N802 (gettext's name for it)
    """Marks `message` for the catalog where it is written; it is translated where shown."""
    return message


def button(language: str | None, base: dict[str, str]) -> dict[str, str]:
    """A reply button of the web app's (web/frames.py) with its title in `language`."""
    return {"title": translate(language, base["title"]), "payload": base["payload"]}
