"""Generate data/common-passwords.txt: weak passwords built from well-known patterns.

Nothing is downloaded. The list combines common German and English words, names, places of the
region, keyboard walks, digit runs and the usual suffixes (years, "123", "!"), the way people
stretch a weak password to a minimum length. Entries are lower-case; the portal compares
case-insensitively. Run it again after changing the patterns:

    .venv/bin/python scripts/make-common-passwords.py
"""

from __future__ import annotations

from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt"
MIN_LENGTH = 10

WORDS = [
    "passwort",
    "password",
    "kennwort",
    "geheim",
    "secret",
    "hallo",
    "hello",
    "willkommen",
    "welcome",
    "letmein",
    "changeme",
    "admin",
    "administrator",
    "root",
    "user",
    "benutzer",
    "login",
    "test",
    "tester",
    "master",
    "qwertz",
    "qwerty",
    "asdf",
    "iloveyou",
    "ichliebedich",
    "liebe",
    "love",
    "schatz",
    "schatzi",
    "mausi",
    "hase",
    "baby",
    "sonne",
    "sunshine",
    "princess",
    "prinzessin",
    "dragon",
    "drache",
    "monkey",
    "affe",
    "shadow",
    "schatten",
    "summer",
    "sommer",
    "winter",
    "fruehling",
    "herbst",
    "autumn",
    "spring",
    "football",
    "fussball",
    "baseball",
    "soccer",
    "schalke",
    "bayern",
    "dortmund",
    "werder",
    "hertha",
    "borussia",
    "eintracht",
    "wolfsburg",
    "braunschweig",
    "hannover",
    "helmstedt",
    "schoeningen",
    "koenigslutter",
    "lehre",
    "velpke",
    "grasleben",
    "heeseberg",
    "elm",
    "niedersachsen",
    "deutschland",
    "germany",
    "berlin",
    "hamburg",
    "muenchen",
    "koeln",
    "computer",
    "internet",
    "freiheit",
    "freedom",
    "blume",
    "flower",
    "katze",
    "kitty",
    "hund",
    "doggy",
    "pferd",
    "starwars",
    "pokemon",
    "superman",
    "batman",
    "matrix",
    "nintendo",
    "playstation",
    "google",
    "facebook",
    "microsoft",
    "apple",
    "samsung",
    "beteiligung",
    "portal",
    "landkreis",
    "kreis",
    "buerger",
    "gemeinde",
    "rathaus",
    "verwaltung",
    "zugang",
    "access",
    "michael",
    "thomas",
    "andreas",
    "stefan",
    "christian",
    "daniel",
    "alexander",
    "markus",
    "peter",
    "klaus",
    "juergen",
    "frank",
    "tobias",
    "sebastian",
    "julia",
    "anna",
    "lisa",
    "laura",
    "sarah",
    "sabine",
    "petra",
    "monika",
    "andrea",
    "nicole",
    "stefanie",
    "maria",
    "lukas",
    "leon",
    "jonas",
    "finn",
    "paul",
    "ben",
    "emma",
    "mia",
    "hannah",
    "sophie",
    "lena",
    "marie",
]

WALKS = [
    "qwertzuiop",
    "qwertyuiop",
    "qwertzuiopue",
    "asdfghjkl",
    "asdfghjkloe",
    "yxcvbnm",
    "zxcvbnm",
    "qaywsxedc",
    "1q2w3e4r",
    "1q2w3e4r5t",
    "1q2w3e4r5t6z",
    "1q2w3e4r5t6y",
    "1qaz2wsx",
    "1qaz2wsx3edc",
    "qayxswedc",
    "q1w2e3r4",
    "q1w2e3r4t5",
    "q1w2e3r4t5z6",
    "abc123",
    "abcdef",
    "abcdefgh",
    "abcdefghijkl",
    "123456",
    "1234567",
    "12345678",
    "123456789",
    "1234567890",
    "12345678901",
    "123456789012",
    "0123456789",
    "987654321",
    "9876543210",
    "0987654321",
    "111111",
    "000000",
    "123123",
    "121212",
    "112233",
    "123321",
    "654321",
    "147258369",
    "159753",
    "741852963",
    "789456123",
    "135792468",
    "246813579",
    "111222333",
    "123qwe",
    "123abc",
    "qweasd",
    "qweasdzxc",
]

SUFFIXES = ["", "1", "12", "123", "1234", "12345", "123456", "!", "1!", "123!", "!!", "?", "01", "007"]
YEARS = [str(year) for year in range(1985, 2031)]


def variants() -> set[str]:
    found: set[str] = set()
    for word in WORDS:
        for suffix in SUFFIXES:
            found.add(word + suffix)
        for year in YEARS:
            found.add(word + year)
        found.add(word + word)
        found.add(word * 3)
        found.add(word + "passwort")
        found.add("passwort" + word)
        found.add(word + "password")
        found.add("ich" + word)
        found.add("mein" + word)
        found.add("my" + word)
    for walk in WALKS:
        found.add(walk)
        found.add(walk + walk)
        for suffix in SUFFIXES:
            found.add(walk + suffix)
    for digit in "0123456789":
        for length in range(MIN_LENGTH, 21):
            found.add(digit * length)
    for letter in "abcdefghijklmnopqrstuvwxyz":
        for length in range(MIN_LENGTH, 17):
            found.add(letter * length)
    leet = str.maketrans({"a": "@", "e": "3", "i": "1", "o": "0", "s": "$"})
    for word in ("passwort", "password", "kennwort", "willkommen", "welcome", "geheim", "admin"):
        for suffix in SUFFIXES:
            found.add(word.translate(leet) + suffix)
    return {entry for entry in found if len(entry) >= MIN_LENGTH}


def main() -> None:
    entries = sorted(variants())
    header = "# Weak passwords built from common patterns (scripts/make-common-passwords.py).\n"
    OUT.write_text(header + "\n".join(entries) + "\n", encoding="utf-8")
    print(f"{len(entries)} entries -> {OUT}")


if __name__ == "__main__":
    main()
