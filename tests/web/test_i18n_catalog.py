"""The message catalog is complete: every message the pages, the widget and the relay show has
a Spanish translation, so a string added in English alone fails here (docs/web.md
"Translations" says how to add it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, check_and_call_extract_file
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from web import i18n

ROOT = Path(__file__).resolve().parents[2]
TAG = re.compile(r"<[^>]+>")


def extracted() -> dict[str, list[str]]:
    """msgid → where it is used, read from the sources as `pybabel extract -F babel.cfg`."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "web").rglob("*")):
        if not path.is_file() or path.suffix not in (".py", ".html", ".js"):
            continue
        for filename, lineno, message, _comments, _context in check_and_call_extract_file(
            str(path), method_map, options_map, None, DEFAULT_KEYWORDS, (), False, str(ROOT)
        ):
            msgid = message if isinstance(message, str) else message[0]
            found.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return found


def spanish() -> Catalog:
    with i18n.po_path("es").open("rb") as po:
        return read_po(po, locale="es")


def test_the_sources_have_messages_from_each_kind_of_file():
    places = " ".join(" ".join(where) for where in extracted().values())
    for part in ("templates/chat.html", "templates/privacy.html", "static/chat.js",
                 "static/render.js", "web/notices.py"):
        assert part in places


def test_every_message_has_a_spanish_translation_that_is_not_fuzzy():
    catalog = spanish()
    missing = []
    for msgid, where in extracted().items():
        message = catalog.get(msgid)
        strings = [] if message is None else (
            [message.string] if isinstance(message.string, str) else list(message.string)
        )
        if message is None or message.fuzzy or not strings or not all(strings):
            missing.append(f"{msgid!r} ({', '.join(where)})")
    assert missing == [], "untranslated (pybabel update, then translate): " + "; ".join(missing)


def test_the_catalog_has_no_message_the_sources_no_longer_use():
    used = set(extracted())
    stale = [message.id for message in spanish() if message.id and (
        (message.id if isinstance(message.id, str) else message.id[0]) not in used)]
    assert stale == []


def test_placeholders_and_markup_survive_translation():
    catalog = spanish()
    problems = [(message.id, [str(e) for e in errors]) for message, errors in catalog.check()]
    assert problems == []
    for message in catalog:
        if message.id and isinstance(message.id, str):
            assert sorted(TAG.findall(message.id)) == sorted(TAG.findall(message.string)), (
                message.id
            )


def test_spanish_has_the_plural_rule_the_widget_counts_with():
    # render.js picks a plural form with `n === 1 ? 0 : 1` for both languages
    catalog = spanish()
    assert (catalog.num_plurals, catalog.plural_expr) == (2, "(n != 1)")


@pytest.mark.parametrize(("language", "expected"), [
    ("es", "Llamar al 911"), ("en", "Call 911"), (None, "Call 911"), ("fr", "Call 911"),
])
def test_translate_falls_back_to_english(language: str | None, expected: str):
    assert i18n.translate(language, "Call %(phone)s", phone="911") == expected


def test_plural_forms_follow_the_count():
    def beds(n: int) -> str:
        return i18n.translate_plural(
            "es", "%(available)s of %(total)s beds open", "%(available)s of %(total)s beds open",
            n, available=n, total=12,
        )

    assert beds(3) == "3 de 12 camas disponibles"
    assert beds(1) == "1 cama disponible de 12"
    assert beds(0) == "0 de 12 camas disponibles"


def test_the_widget_gets_only_its_own_messages_in_both_forms():
    messages = i18n.script_messages()
    assert messages["en"] == {}
    spanish_js = messages["es"]
    assert spanish_js["Directions"] == "Cómo llegar"
    assert spanish_js["%(num)s day ago"] == ["hace %(num)s día", "hace %(num)s días"]
    assert "Your privacy" not in spanish_js  # a page's message, not the widget's
