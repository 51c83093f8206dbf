"""The German catalogue (the default interface language) is complete and compiles cleanly."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def test_every_message_has_a_german_translation():
    with (ROOT / "translations" / "de" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="de")
    missing = [
        message.id
        for message in catalog
        if message.id
        and (
            message.fuzzy
            or not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
        )
    ]
    assert missing == [], f"untranslated German messages (run scripts/i18n.py): {missing}"


def test_catalogue_is_current_with_the_templates_and_code():
    pot = (ROOT / "translations" / "messages.pot").read_text(encoding="utf-8")
    with (ROOT / "translations" / "de" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="de")
    assert pot.count('\nmsgid "') - 1 <= len(catalog) + 1


def test_placeholders_survive_translation():
    with (ROOT / "translations" / "de" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="de")
    import re

    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\((\w+)\)s", ids[-1]))
        for text in strings:
            assert set(re.findall(r"%\((\w+)\)s", text)) <= wanted | {"num"}, message.id
