"""Leichte Sprache pages, the header link on every page, and the Einfache Sprache summaries of
the Oberziele (issue 10)."""

from __future__ import annotations

import re

import pytest

from portal.pages import easy_views

EASY_PAGES = (
    "/leichte-sprache/beteiligungs-portal",
    "/leichte-sprache/leitbild-und-ziele",
    "/leichte-sprache/mitmachen",
)
LANGUAGES = ("de", "en", "ar", "tr", "uk")


def html_of(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_of(response))).replace("&#39;", "'")


def title_of(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    assert match
    return re.sub(r"\s+", " ", match.group(1)).strip()


@pytest.mark.parametrize("language", LANGUAGES)
def test_index_lists_the_pages_in_every_interface_language(client, demo, language):
    response = client.get(f"/leichte-sprache?lang={language}")
    assert response.status_code == 200
    html = html_of(response)
    assert f'<html lang="{language}"' in html
    german = re.search(
        r'<div class="stack easy-language" lang="de" dir="ltr">(.*?)<ul class="cards">', html, re.S
    )
    assert german, "the content is not marked lang=de"
    assert '<h1 class="kern-heading-x-large">Leichte Sprache</h1>' in german.group(1)
    assert "Hier finden Sie Informationen in Leichter Sprache." in german.group(1)
    assert "Leichte Sprache" in title_of(html)
    for path in EASY_PAGES:
        assert f'href="{path}"' in html
    assert "Hier finden Sie Informationen in Leichter Sprache." in text_of(response)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", EASY_PAGES)
def test_pages_are_german_with_the_chrome_in_the_interface_language(client, demo, path, language):
    response = client.get(f"{path}?lang={language}")
    assert response.status_code == 200
    html = html_of(response)
    assert f'<html lang="{language}"' in html
    # the easy text itself is German, in every interface language
    body = re.search(
        r'<article class="stack site-page easy-language" lang="de" dir="ltr">(.*?)</article>', html, re.S
    )
    assert body, "the content is not marked lang=de"
    assert f'<p class="kern-body kern-body--muted" lang="{language}"' in body.group(1)  # the note
    if language == "ar":  # the note in Arabic runs right to left inside the German text
        assert '<p class="kern-body kern-body--muted" lang="ar" dir="rtl">' in body.group(1)
    assert "<h2>" in body.group(1)
    assert "Sie" in body.group(1)
    title = title_of(html)
    assert "(Leichte Sprache)" in title


def test_titles_follow_the_interface_language(client, demo):
    german = title_of(html_of(client.get("/leichte-sprache/mitmachen?lang=de")))
    english = title_of(html_of(client.get("/leichte-sprache/mitmachen?lang=en")))
    assert german.startswith("So machen Sie mit (Leichte Sprache)")
    assert english.startswith("How to take part (Leichte Sprache)")
    assert title_of(html_of(client.get("/leichte-sprache?lang=de"))).startswith("Leichte Sprache –")
    assert "Information in easy-to-read German" in title_of(html_of(client.get("/leichte-sprache?lang=en")))


def test_page_content(client, demo):
    portal = text_of(client.get("/leichte-sprache/beteiligungs-portal?lang=de"))
    assert "Was ist das Beteiligungs-Portal?" in portal
    assert "Kreis-Entwicklungs-Konzept" in portal
    assert "Diese Seite ist in Leichter Sprache geschrieben." in portal
    goals = text_of(client.get("/leichte-sprache/leitbild-und-ziele"))
    assert "Willkommens-Kultur gelebt" in goals
    for number in ("1.1", "1.4", "2.5", "3.4"):
        assert number in goals
    take_part = html_of(client.get("/leichte-sprache/mitmachen"))
    for path in ("/registrieren", "/vorschlaege/neu", "/priorisierung", "/impressum"):
        assert f'href="{path}"' in take_part
    assert "Türkisch" in take_part and "Arabisch" in take_part


def test_note_is_in_the_interface_language(client, demo):
    english = text_of(client.get("/leichte-sprache/mitmachen?lang=en"))
    assert "This page is written in easy-to-read German (Leichte Sprache)." in english
    assert "So machen Sie mit" in english  # the German heading of the text


def test_links_in_the_text_lead_to_existing_pages(client, demo):
    html = html_of(client.get("/leichte-sprache/mitmachen"))
    body = re.search(r'<div class="site-page__body">(.*?)</div>', html, re.S).group(1)
    for href in set(re.findall(r'href="([^"]+)"', body)):
        response = client.get(href)
        assert response.status_code in (200, 302), href  # 302: sign-in first


@pytest.mark.parametrize(
    "path", ["/leichte-sprache/README", "/leichte-sprache/index", "/leichte-sprache/gibt-es-nicht"]
)
def test_unknown_pages_are_404(client, demo, path):
    assert client.get(path).status_code == 404


def test_texts_go_through_the_sanitiser(client, demo, tmp_path, monkeypatch):
    (tmp_path / "mitmachen.md").write_text(
        "# Titel\n\n## Abschnitt\n\nText <script>alert(1)</script> [Link](javascript:alert(1))\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(easy_views, "EASY_DIR", tmp_path)
    response = client.get("/leichte-sprache/mitmachen")
    html = html_of(response)
    assert response.status_code == 200
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html
    assert "<h2>Abschnitt</h2>" in html
    # the other texts are missing from that folder: not listed, and their addresses are 404
    assert client.get("/leichte-sprache/leitbild-und-ziele").status_code == 404
    index = html_of(client.get("/leichte-sprache"))
    assert 'href="/leichte-sprache/mitmachen"' in index
    assert 'href="/leichte-sprache/leitbild-und-ziele"' not in index


def test_without_texts_the_index_says_so(client, demo, tmp_path, monkeypatch):
    monkeypatch.setattr(easy_views, "EASY_DIR", tmp_path / "missing")
    response = client.get("/leichte-sprache?lang=en")
    assert response.status_code == 200
    assert "There are no pages in easy-to-read German yet." in text_of(response)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/ablauf",
        "/oberziele/1",
        "/unterziele/1.1",
        "/vorschlaege",
        "/impressum",
        "/anmelden",
        "/leichte-sprache",
        "/leichte-sprache/mitmachen",
        "/gibt-es-nicht",
    ],
)
def test_header_links_to_leichte_sprache_on_every_page(client, demo, url):
    for language in ("de", "ar"):
        response = client.get(f"{url}?lang={language}")
        html = html_of(response)
        header = re.search(r'<header class="site-header">(.*?)</header>', html, re.S)
        assert header, url
        link = re.search(
            r'<a class="kern-link" href="/leichte-sprache" hreflang="de"[^>]*>(.*?)</a>',
            header.group(1),
            re.S,
        )
        assert link, f"no Leichte Sprache link in the header of {url}"
        assert '<span lang="de" dir="ltr">Leichte Sprache</span>' in link.group(1)
        if language != "de":
            assert 'class="visually-hidden"' in link.group(1)


def test_header_link_marks_the_index_as_current(client, demo):
    html = html_of(client.get("/leichte-sprache"))
    assert 'href="/leichte-sprache" hreflang="de" aria-current="page"' in html
    assert 'aria-current="page"><span lang="de"' not in html_of(client.get("/"))


@pytest.mark.parametrize("language", ["de", "en", "ar"])
@pytest.mark.parametrize("number", [1, 2, 3])
def test_goal_page_shows_its_plain_summary(client, demo, number, language):
    response = client.get(f"/oberziele/{number}?lang={language}")
    html = html_of(response)
    box = re.search(r'<section class="kern-alert kern-alert--info plain-summary"(.*?)</section>', html, re.S)
    assert box, "no Einfache Sprache box"
    assert 'lang="de" dir="ltr">Einfache Sprache</h2>' in box.group(1)
    summary = re.search(r'<p class="kern-body" lang="de" dir="ltr">(.*?)</p>', box.group(1), re.S)
    assert summary
    assert 80 <= len(summary.group(1).split()) <= 150
    expected = {1: "gern leben", 2: "Wirtschaft", 3: "Kreisverwaltung"}[number]
    assert expected in summary.group(1)


def test_goal_page_without_summary_has_no_box(client, app, demo):
    from sqlalchemy import select

    from portal.extensions import db
    from portal.strategy.models import Goal

    with app.app_context():
        goal = db.session.scalar(select(Goal).where(Goal.number == 2))
        goal.plain_summary = {}
        db.session.commit()
    assert "plain-summary" not in html_of(client.get("/oberziele/2"))
    assert "plain-summary" in html_of(client.get("/oberziele/1"))


def test_pages_carry_no_inline_script_or_style_and_cost_few_queries(client, demo, count_queries):
    for url in ("/leichte-sprache", *EASY_PAGES):
        with count_queries() as counter:
            html = html_of(client.get(url))
        assert counter.count <= 6, url
        assert " style=" not in html
        assert "<style" not in html
        assert re.search(r"<script(?![^>]*\bsrc=)", html) is None
