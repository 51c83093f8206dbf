"""The interface in seven languages: the picker, right-to-left Arabic, the remembered choice (in
the session, and in the account for e-mails), the note on texts not yet translated, and numbers
and dates formatted per language."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.extensions import db
from portal.strategy.models import Goal
from tests.conftest import login

LANGUAGES = {
    "de": "Deutsch",
    "en": "English",
    "tr": "Türkçe",
    "ar": "العربية",
    "uk": "Українська",
    "ru": "Русский",
    "pl": "Polski",
}
NOTE = re.compile(r'<p class="untranslated-note[^"]*">')


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_every_language_serves_the_home_page_marked_with_its_code_and_direction(client, demo, code):
    html = client.get(f"/?lang={code}").get_data(as_text=True)
    direction = "rtl" if code == "ar" else "ltr"
    assert f'<html lang="{code}" dir="{direction}">' in html
    picker = re.search(r'<details class="lang-picker">.*?</details>', html, re.S).group(0)
    links = re.findall(
        r'<a class="kern-link" href="([^"]+)" lang="(\w+)" hreflang="(\w+)" dir="(\w+)"([^>]*)>([^<]+)</a>',
        picker,
    )
    assert [(lang, name) for _href, lang, _hreflang, _dir, _extra, name in links] == list(LANGUAGES.items())
    for href, lang, hreflang, link_direction, extra, _name in links:
        assert hreflang == lang and href.endswith(f"lang={lang}")
        assert link_direction == ("rtl" if lang == "ar" else "ltr")
        assert ('aria-current="true"' in extra) == (lang == code)


def test_the_picker_keeps_the_page_and_its_query(client, demo):
    html = client.get("/vorschlaege?sortierung=neu&lang=ru").get_data(as_text=True)
    assert 'href="/vorschlaege?sortierung=neu&amp;lang=uk"' in html


def test_interface_strings_come_in_each_language(client, demo):
    words = {
        code: re.search(
            r'<a class="skip-link" href="#main">([^<]+)</a>',
            client.get(f"/?lang={code}").get_data(as_text=True),
        ).group(1)
        for code in LANGUAGES
    }
    assert len(set(words.values())) == len(LANGUAGES), words


def test_the_choice_is_remembered_in_the_session(client, demo):
    client.get("/?lang=ar")
    assert '<html lang="ar" dir="rtl">' in client.get("/oberziele/1").get_data(as_text=True)


def test_a_signed_in_choice_is_kept_in_the_account_for_emails(app, client, demo, create_user):
    user_id = create_user()
    login(client, user_id)
    client.get("/?lang=uk")
    with app.app_context():
        assert db.session.get(User, user_id).language == "uk"
    # A new browser: signing in brings the account's language back.
    other = app.test_client()
    login(other, user_id)
    with other.session_transaction() as session:
        assert session.get("lang") in (None, "uk")


def test_strategy_texts_come_in_the_language_or_german_with_a_note(app, client, demo):
    turkish = client.get("/oberziele/1?lang=tr").get_data(as_text=True)
    with app.app_context():
        goal = db.session.scalar(select(Goal).where(Goal.number == 1))
        title = dict(goal.title)
    if title.get("tr"):
        assert title["tr"] in turkish
        assert not NOTE.search(turkish), "a fully translated page has no note"
    # The operator has not translated the title into Polish: German, with a note in Polish.
    with app.app_context():
        goal = db.session.scalar(select(Goal).where(Goal.number == 1))
        goal.title = {key: value for key, value in title.items() if key != "pl"}
        db.session.commit()
    polish = client.get("/oberziele/1?lang=pl").get_data(as_text=True)
    assert title["de"] in polish
    assert NOTE.search(polish)
    assert "Polski" in polish[NOTE.search(polish).start() :][:400]
    german = client.get("/oberziele/1?lang=de").get_data(as_text=True)
    assert not NOTE.search(german), "German is the original: never a note"


def test_dates_are_written_per_language(client, demo):
    russian = client.get("/ablauf?lang=ru").get_data(as_text=True)
    polish = client.get("/ablauf?lang=pl").get_data(as_text=True)
    assert re.search(
        r"\d{1,2} (января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря) \d{4}",
        russian,
    )
    assert re.search(
        r"(stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia)",
        polish,
    )


@pytest.mark.parametrize(
    ("code", "amount", "figure"),
    [
        ("de", "1.234.567 €", "12.345,5"),
        ("en", "€1,234,567", "12,345.5"),
        ("tr", "€1.234.567", "12.345,5"),
        ("ar", "1,234,567 €", "12,345.5"),
        ("uk", "1 234 567 EUR", "12 345,5"),
        ("ru", "1 234 567 €", "12 345,5"),
        ("pl", "1 234 567 €", "12 345,5"),
    ],
)
def test_euro_amounts_and_figures_are_formatted_per_language(app, code, amount, figure):
    from portal.measures.numbers import format_euro
    from portal.measures.numbers import format_figure
    from portal.measures.numbers import parse_cents

    def plain(text: str) -> str:
        return re.sub(
            r"[\u00a0\u202f\u200f\u061c]", lambda m: " " if m.group(0) in "\u00a0\u202f" else "", text
        )

    with app.test_request_context(f"/?lang={code}"):
        assert plain(format_euro(123456700, code)) == amount
        assert plain(format_figure(12345.5, code)) == figure
        # What the portal writes into an input field, it reads back.
        assert parse_cents(format_figure(12345.5, code), code) == 1234550
