"""Every interface language's catalogue is complete, current and safe to format.

English is the source language of the message ids, so its catalogue needs no translations.
Every other language: no missing or fuzzy entry, placeholders the same as in the English text
(a translation may drop the number from a plural form, never invent a placeholder), and no
translation that is just the German text again, except the short list of words that are the
same in both languages (translations/pending/<language>/same-as-german.txt).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from config import Config

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [code for code in Config.LANGUAGES if code != "en"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%%")
#: Most a language may list as "the same as in German" (names, abbreviations, shared words).
SAME_AS_GERMAN_MAX = 12


def catalogue(language: str):  # type: ignore[no-untyped-def]
    with (ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def key(message) -> str:  # type: ignore[no-untyped-def]
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return f"{message.context}|{msgid}" if message.context else msgid


def test_every_interface_language_has_a_catalogue():
    assert Config.LANGUAGES[0] == "de", "German is the default language"
    assert set(Config.LANGUAGES) == {"de", "en", "tr", "ar", "uk", "ru", "pl"}
    for language in Config.LANGUAGES:
        assert (ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").is_file(), language


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated(language):
    catalog = catalogue(language)
    missing = [
        key(message)
        for message in catalog
        if message.id
        and (
            message.fuzzy
            or not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
        )
    ]
    assert missing == [], f"{language}: untranslated or fuzzy messages (scripts/i18n.py): {missing[:20]}"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[str]:
    """The message ids in the code and templates now (a fresh extraction, not the stored .pot)."""
    target = tmp_path_factory.mktemp("pot") / "messages.pot"
    keywords = ["-k", "_l", "-k", "lazy_pgettext:1c,2", "-k", "pgettext:1c,2", "-k", "lazy_ngettext:1,2"]
    pybabel = str(Path(sys.executable).parent / "pybabel")
    subprocess.run(
        [pybabel, "extract", "-F", "babel.cfg", *keywords, "--no-location", "-o", str(target), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with target.open("rb") as handle:
        return {key(message) for message in read_po(handle) if message.id}


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_is_current_with_the_templates_and_code(language, extracted):
    present = {key(message) for message in catalogue(language) if message.id}
    assert sorted(extracted - present) == [], f"{language}: run scripts/i18n.py"


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_survive_translation(language):
    problems = []
    for message in catalogue(language):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set().union(*(set(PLACEHOLDER.findall(text)) for text in ids))
        for text in strings:
            if set(PLACEHOLDER.findall(text)) - wanted:
                problems.append((key(message), text))
        if not isinstance(message.id, tuple) and set(PLACEHOLDER.findall(strings[0])) != wanted:
            problems.append((key(message), strings[0]))
    assert problems == []


@pytest.mark.parametrize("language", [code for code in TRANSLATED if code != "de"])
def test_no_translation_is_just_the_german_text(language):
    german = {key(message): message.string for message in catalogue("de") if message.id}
    path = ROOT / "translations" / "pending" / language / "same-as-german.txt"
    allowed = set(path.read_text(encoding="utf-8").split("\n")) - {""} if path.exists() else set()
    assert len(allowed) <= SAME_AS_GERMAN_MAX, "the list of exceptions is meant to stay short"
    copies = [
        key(message)
        for message in catalogue(language)
        if message.id and message.string == german.get(key(message)) and key(message) not in allowed
    ]
    assert copies == [], f"{language}: translations identical to German: {copies}"


def test_plural_forms_follow_each_language():
    forms = {language: catalogue(language).num_plurals for language in TRANSLATED}
    assert forms["ar"] == 6 and forms["ru"] == 3 and forms["uk"] == 3 and forms["pl"] == 3
    for language in TRANSLATED:
        for message in catalogue(language):
            if isinstance(message.id, tuple) and message.string:
                assert len(message.string) == forms[language], (language, message.id)


def test_compiled_catalogues_translate_at_run_time():
    """The .mo files the app loads give each language its own text (checked through gettext)."""
    code = (
        "import gettext, json, sys\n"
        "out = {}\n"
        "for lang in sys.argv[1:]:\n"
        "    t = gettext.translation('messages', 'translations', [lang])\n"
        "    out[lang] = [t.gettext('Proposals'), t.ngettext('%(num)d comment', '%(num)d comments', 5)]\n"
        "print(json.dumps(out))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *TRANSLATED], cwd=ROOT, capture_output=True, text=True, check=True
    )
    import json

    seen = json.loads(result.stdout)
    words = {text for text, _ in seen.values()}
    assert len(words) == len(TRANSLATED), f"each language says 'Proposals' its own way: {seen}"
    assert all("%(num)d" in plural for _, plural in seen.values())
