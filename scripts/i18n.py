"""Keep the translation catalogues current: extract, update, fill from pending files, compile.

    .venv/bin/python scripts/i18n.py          # extract + update + fill + compile
    .venv/bin/python scripts/i18n.py --check  # also fail if a translation is missing

Message ids are English (the source language, so ``en`` needs no translations). Every other
interface language (``LANGUAGES`` in config.py) needs every message translated. New
translations are written to ``translations/pending/<language>/*.json`` (``{"msgid": "text"}``,
``"context|msgid"`` for pgettext; for a plural message a list with one text per plural form of
the language, e.g. six for Arabic) and merged into the catalogue here; the .po files stay the
source of truth.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config import Config  # noqa: E402

TRANSLATIONS = ROOT / "translations"
PYBABEL = str(Path(sys.executable).parent / "pybabel")
KEYWORDS = ["-k", "_l", "-k", "lazy_pgettext:1c,2", "-k", "pgettext:1c,2", "-k", "lazy_ngettext:1,2"]
SOURCE_LANGUAGE = "en"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%%")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def same_as_german_allowed(language: str) -> set[str]:
    """Keys whose translation may equal the German text (names, abbreviations, shared words)."""
    path = TRANSLATIONS / "pending" / language / "same-as-german.txt"
    if not path.exists():
        return set()
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


def problems(language: str) -> list[str]:
    """Placeholders a translation invents or drops, and translations left identical to German."""
    catalog = load(language)
    german = {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m.string for m in load("de") if m.id}
    allowed = same_as_german_allowed(language)
    found = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        key = f"{message.context}|{ids[0]}" if message.context else ids[0]
        wanted = set().union(*(placeholders(text) for text in ids))
        for text in strings:
            extra = placeholders(text) - wanted
            if extra:
                found.append(f"{key!r}: unknown placeholders {sorted(extra)} in {text!r}")
        if not isinstance(message.id, tuple) and placeholders(strings[0]) != placeholders(ids[0]):
            found.append(f"{key!r}: placeholders differ from the English text in {strings[0]!r}")
        if (
            language != "de"
            and german.get((message.context, ids[0])) == message.string
            and key not in allowed
        ):
            found.append(f"{key!r}: identical to German ({language}/same-as-german.txt lists exceptions)")
    return found


def load(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def run(*args: str) -> None:
    subprocess.run([PYBABEL, *args], check=True, cwd=ROOT, capture_output=True)  # noqa: S603


def pending(language: str) -> dict[str, str | list[str]]:
    merged: dict[str, str | list[str]] = {}
    for path in sorted((TRANSLATIONS / "pending" / language).glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def fill(language: str, translations: dict[str, str | list[str]]) -> list[str]:
    """Merge ``translations`` into the language's catalogue; return the keys still missing."""
    path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    forms = catalog.num_plurals
    missing = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        key = f"{message.context}|{msgid}" if message.context else msgid
        if key in translations:
            value = translations[key]
            if isinstance(message.id, tuple):
                values = list(value) if isinstance(value, list) else [value]
                values += [values[-1]] * (forms - len(values))
                message.string = tuple(values[:forms])
            else:
                message.string = value if isinstance(value, str) else value[0]
            message.flags.discard("fuzzy")
        if (
            not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
            or message.fuzzy
        ):
            missing.append(key)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=110, sort_output=True, include_previous=False)
    return missing


def main() -> int:
    if "--only" in sys.argv:
        # One language, no extraction: safe while others work on other catalogues.
        language = sys.argv[sys.argv.index("--only") + 1]
        missing = fill(language, pending(language))
        found = problems(language)
        print(f"{language}: {len(missing)} missing, {len(found)} problems")
        for line in [*(f"missing {json.dumps(k, ensure_ascii=False)}" for k in missing[:20]), *found]:
            print("  ", line)
        run("compile", "-d", "translations", "-l", language)
        return 1 if missing or found else 0
    run("extract", "-F", "babel.cfg", *KEYWORDS, "--no-location", "--sort-output",
        "--project=Beteiligungsportal", "--copyright-holder=Beteiligungsportal contributors",
        "-o", "translations/messages.pot", ".")  # fmt: skip
    for language in Config.LANGUAGES:
        if not (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").exists():
            run("init", "-i", "translations/messages.pot", "-d", "translations", "-l", language)
    run(
        "update",
        "-i",
        "translations/messages.pot",
        "-d",
        "translations",
        "--no-fuzzy-matching",
        "--ignore-obsolete",
    )
    failed = False
    for language in Config.LANGUAGES:
        if language == SOURCE_LANGUAGE:
            continue
        missing = fill(language, pending(language))
        found = problems(language)
        for line in found:
            print(f"{language}: {line}")
        failed = failed or bool(found)
        if missing:
            failed = True
            print(f"{language}: {len(missing)} translations missing:")
            for key in missing[:10]:
                print("  ", json.dumps(key, ensure_ascii=False))
        else:
            print(f"{language}: catalogue complete.")
    run("compile", "-d", "translations")
    return 1 if failed and "--check" in sys.argv else 0


if __name__ == "__main__":
    sys.exit(main())
