"""Keep the translation catalogues current: extract, update, fill German from pending files, compile.

    .venv/bin/python scripts/i18n.py          # extract + update + fill + compile
    .venv/bin/python scripts/i18n.py --check  # also fail if a German translation is missing

Message ids are English; German is the default interface language, so every message needs a
German translation. New translations can be written to ``translations/pending/*.json``
(``{"msgid": "German"}``, ``"context|msgid"`` for pgettext) and are merged into the catalogue
here; the .po files stay the source of truth.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
PYBABEL = str(Path(sys.executable).parent / "pybabel")
KEYWORDS = ["-k", "_l", "-k", "lazy_pgettext:1c,2", "-k", "pgettext:1c,2", "-k", "lazy_ngettext:1,2"]


def run(*args: str) -> None:
    subprocess.run([PYBABEL, *args], check=True, cwd=ROOT, capture_output=True)  # noqa: S603


def pending() -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((TRANSLATIONS / "pending").glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def fill(language: str, translations: dict[str, str]) -> list[str]:
    path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        key = f"{message.context}|{msgid}" if message.context else msgid
        if key in translations:
            value = translations[key]
            if isinstance(message.id, tuple):
                message.string = tuple(value) if isinstance(value, list) else (value, value)
            else:
                message.string = value
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
    run("extract", "-F", "babel.cfg", *KEYWORDS, "--no-location", "--sort-output",
        "--project=Beteiligungsportal", "--copyright-holder=Beteiligungsportal contributors",
        "-o", "translations/messages.pot", ".")  # fmt: skip
    run(
        "update",
        "-i",
        "translations/messages.pot",
        "-d",
        "translations",
        "--no-fuzzy-matching",
        "--ignore-obsolete",
    )
    missing = fill("de", pending())
    run("compile", "-d", "translations")
    if missing:
        print(f"{len(missing)} German translations missing:")
        for key in missing:
            print("  ", json.dumps(key, ensure_ascii=False))
        if "--check" in sys.argv:
            return 1
    else:
        print("German catalogue complete.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
