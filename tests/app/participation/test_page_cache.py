"""The page cache for anonymous visitors (portal/core/http_cache.py): never stale after a write,
never another visitor's page, token, message or cookie, never the wrong language; and ETag/304.

The cache is off in the test configuration; these tests switch it on.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.core import http_cache
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.strategy.models import Goal
from tests.conftest import login
from tests.conftest import post_form


@pytest.fixture(autouse=True)
def page_cache(app):  # type: ignore[no-untyped-def]
    app.config["PAGE_CACHE_ENTRIES"] = 100
    http_cache.page_cache.clear()
    yield http_cache.page_cache
    app.config["PAGE_CACHE_ENTRIES"] = 0
    http_cache.page_cache.clear()


def anonymous(app):  # type: ignore[no-untyped-def]
    return app.test_client()


def html(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def test_a_repeated_anonymous_page_comes_from_the_cache_with_one_query(
    app, people, make_proposal, page_cache, count_queries
):
    make_proposal(people["citizen"], title="Ein Radweg von Lehre nach Helmstedt")
    first = anonymous(app).get("/vorschlaege")
    assert "Ein Radweg von Lehre nach Helmstedt" in html(first)
    with count_queries() as counted:
        second = anonymous(app).get("/vorschlaege")
    assert html(second) == html(first)
    assert page_cache.hits == 1
    assert counted.count == 1, "only the content version is read"


@pytest.mark.parametrize("write", ["proposal", "support", "comment", "hide", "goal_text"])
def test_every_kind_of_write_shows_on_the_next_anonymous_page(
    app, client, people, make_proposal, page_cache, write
):
    proposal_id = make_proposal(people["author"], title="Bürgerbus für die Dörfer am Elm")
    url = {"goal_text": "/oberziele/1"}.get(write, f"/vorschlaege/{proposal_id}")
    before = html(anonymous(app).get(url))
    assert html(anonymous(app).get(url)) == before
    assert page_cache.hits == 1, "the page was served from the cache before the write"
    if write == "proposal":
        url = "/vorschlaege"
        anonymous(app).get(url)
        make_proposal(people["citizen"], title="Ganz neuer Vorschlag zur Nahversorgung")
        assert "Ganz neuer Vorschlag zur Nahversorgung" in html(anonymous(app).get(url))
        return
    if write == "support":
        login(client, people["citizen"])
        assert post_form(
            client, f"/vorschlaege/{proposal_id}/unterstuetzen", {}, form_url=url
        ).status_code in (302, 303)
        with app.app_context():
            assert db.session.get(Proposal, proposal_id).supports_count == 1
        page = html(anonymous(app).get(url))
        assert page != before
        assert re.search(r"\b1\b[^<]*(Unterstützung|unterstützt)", page)
    elif write == "comment":
        login(client, people["citizen"])
        post_form(
            client,
            f"/vorschlaege/{proposal_id}/kommentare",
            {"body": "Das würde meiner Mutter sehr helfen, sie fährt nicht mehr Auto."},
            form_url=url,
        )
        assert "meiner Mutter sehr helfen" in html(anonymous(app).get(url))
    elif write == "hide":
        login(client, people["moderator"])
        with app.app_context():
            from portal.accounts.models import User
            from portal.moderation import services

            services.hide(
                db.session.get(Proposal, proposal_id), db.session.get(User, people["moderator"]), "Test"
            )
            db.session.commit()
        response = anonymous(app).get(url)
        assert "Bürgerbus für die Dörfer am Elm" not in html(response) or response.status_code != 200
    elif write == "goal_text":
        with app.app_context():
            goal = db.session.scalar(select(Goal).where(Goal.number == 1))
            goal.title = {**goal.title, "de": "Attraktiver Lebensraum für alle"}
            db.session.commit()
        assert "Attraktiver Lebensraum für alle" in html(anonymous(app).get(url))


def test_signed_in_people_never_get_a_cached_page(app, client, people, page_cache):
    anonymous(app).get("/oberziele/1")
    anonymous(app).get("/oberziele/1")
    assert page_cache.hits == 1
    login(client, people["citizen"])
    page = client.get("/oberziele/1")
    assert page_cache.hits == 1, "not answered from the cache"
    assert "Abmelden" in html(page)
    assert "ETag" not in page.headers
    assert page.headers["Cache-Control"] == "private, no-cache"


def test_no_token_message_or_cookie_of_one_visitor_reaches_another(app, people, page_cache):
    first = anonymous(app)
    # A flashed message (a failed sign-in attempt's page, say) is for this visitor only.
    with first.session_transaction() as session:
        session["_flashes"] = [("info", "Nur für Besucherin A bestimmt")]
    shown = first.get("/oberziele/2")
    assert "Nur für Besucherin A bestimmt" in html(shown)
    other = anonymous(app).get("/oberziele/2")
    assert "Nur für Besucherin A bestimmt" not in html(other)
    # A page with a form carries the visitor's CSRF token: never stored.
    login_page = anonymous(app).get("/anmelden")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html(login_page)).group(1)
    for _ in range(2):
        again = anonymous(app).get("/anmelden")
        assert token not in html(again)
    # A cached page is sent without the cookie of the visitor it was made for.
    maker = anonymous(app)
    with maker.session_transaction() as session:
        session["marker"] = "only-for-the-maker"
    made = maker.get("/oberziele/3?lang=en")
    cookie = made.headers["Set-Cookie"].split(";")[0]
    hits = page_cache.hits
    served = anonymous(app).get("/oberziele/3?lang=en")
    assert page_cache.hits == hits + 1, "the second visitor got the stored page"
    assert html(served) == html(made)
    assert cookie not in served.headers.get("Set-Cookie", "")


def test_languages_never_mix(app, page_cache):
    english = anonymous(app).get("/", headers={"Accept-Language": "en"})
    assert '<html lang="en"' in html(english)
    german = anonymous(app).get("/", headers={"Accept-Language": "de"})
    assert '<html lang="de"' in html(german)
    turkish_visitor = anonymous(app)
    turkish_visitor.get("/?lang=tr")
    assert '<html lang="tr"' in html(turkish_visitor.get("/"))  # the session says Turkish
    assert '<html lang="de"' in html(anonymous(app).get("/"))
    assert "Accept-Language" in english.headers["Vary"] and "Cookie" in english.headers["Vary"]


def test_anonymous_pages_answer_304_to_a_matching_etag(app, client, people):
    visitor = anonymous(app)
    page = visitor.get("/oberziele/1")
    etag = page.headers["ETag"]
    assert page.headers["Cache-Control"] == "private, no-cache"
    again = visitor.get("/oberziele/1", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    # After a change the old ETag no longer matches.
    with app.app_context():
        goal = db.session.scalar(select(Goal).where(Goal.number == 1))
        goal.title = {**goal.title, "de": "Attraktiver Lebensraum im Grünen"}
        db.session.commit()
    changed = visitor.get("/oberziele/1", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Attraktiver Lebensraum im Grünen" in html(changed)
    # Signed-in pages carry no ETag, so a stale one is never confirmed.
    login(client, people["citizen"])
    signed_in = client.get("/oberziele/1", headers={"If-None-Match": etag})
    assert signed_in.status_code == 200 and "ETag" not in signed_in.headers
