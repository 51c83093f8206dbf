"""List the messages a language still lacks, as JSON, for a translator to work through.

    .venv/bin/python scripts/i18n_todo.py tr > /tmp/tr-todo.json

Each entry: ``key`` (what to use in ``translations/pending/<language>/*.json``), ``english``
(the msgid; for plurals ``[singular, plural]``), ``german`` (the German translation, for
context) and ``forms`` (how many plural forms the language needs, plurals only).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def load(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def main(language: str) -> None:
    catalog = load(language)
    german = {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m.string for m in load("de")}
    todo = []
    for message in catalog:
        if not message.id:
            continue
        string = message.string
        if string and not message.fuzzy and (not isinstance(string, tuple) or all(string)):
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        entry = {
            "key": f"{message.context}|{msgid}" if message.context else msgid,
            "english": list(message.id) if isinstance(message.id, tuple) else message.id,
            "german": german.get((message.context, msgid)),
        }
        if isinstance(message.id, tuple):
            entry["forms"] = catalog.num_plurals
            entry["plural_rule"] = catalog.plural_expr
        todo.append(entry)
    json.dump(todo, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
