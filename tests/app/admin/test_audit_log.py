"""The audit log page: who, when, what, why; filters by action, person and date; pages; a fixed
number of queries however long the log is."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.audit.services import record
from portal.core import clock
from portal.extensions import db
from tests.app.moderation.conftest import field_error
from tests.app.moderation.conftest import sign_in
from tests.app.moderation.conftest import text_of
from tests.app.moderation.conftest import user
from tests.conftest import TODAY
from tests.conftest import post_form

LOG = "/verwaltung/protokoll"


@pytest.fixture
def events(app, people):
    """Some entries: yesterday by the moderator, today by the admin, and one by the system."""

    def add(action, role, reason=None, day=TODAY, **details):
        clock.freeze(day)
        with app.test_request_context():
            record(action, actor=user(people[role]) if role else None, reason=reason, **details)
            db.session.commit()
        clock.freeze(TODAY)

    add(
        "moderation.proposal_hidden",
        "moderator",
        "Werbung für eine Firma",
        TODAY - timedelta(days=1),
        reports=2,
    )
    add("admin.phase_created", "admin", None, TODAY, starts_on="2027-01-01")
    add("flags.proposal_hidden", None, None, TODAY, threshold=3)
    return add


def test_log_shows_who_when_what_why(client, people, events):
    sign_in(client, people, "admin")
    text = text_of(client.get(LOG))
    assert "3 entries" in text
    assert "Mona M." in text and "moderation.proposal_hidden" in text and "Werbung für eine Firma" in text
    assert "The system" in text and "threshold: 3" in text


def test_moderator_actions_from_the_back_office_are_logged(app, client, people, make_proposal):
    ident = make_proposal()
    sign_in(client, people, "moderator")
    post_form(
        client,
        f"/verwaltung/vorschlaege/{ident}/sichtbarkeit",
        {"visibility": "hide", "reason": "Spam."},
        form_url=f"/verwaltung/vorschlaege/{ident}",
    )
    sign_in(client, people, "admin")
    text = text_of(client.get(f"{LOG}?aktion=moderation.proposal_hidden"))
    assert "Mona M." in text and "Spam." in text and f"Proposal {ident}" in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("aktion=admin.phase_created", {"admin.phase_created"}),
        ("person=mona", {"moderation.proposal_hidden"}),
        ("person=ADAM", {"admin.phase_created"}),
        (f"von={TODAY.isoformat()}", {"admin.phase_created", "flags.proposal_hidden"}),
        (f"bis={(TODAY - timedelta(days=1)).isoformat()}", {"moderation.proposal_hidden"}),
        ("aktion=unbekannt", {"moderation.proposal_hidden", "admin.phase_created", "flags.proposal_hidden"}),
    ],
)
def test_filters(client, people, events, query, expected):
    sign_in(client, people, "admin")
    page = client.get(f"{LOG}?{query}").get_data(as_text=True)
    shown = {
        action
        for action in ("moderation.proposal_hidden", "admin.phase_created", "flags.proposal_hidden")
        if f"<code>{action}</code>" in page
    }
    assert shown == expected


def test_bad_dates_are_explained_and_ignored(client, people, events):
    sign_in(client, people, "admin")
    response = client.get(f"{LOG}?von=gestern")
    assert response.status_code == 200
    assert field_error(response, "von") == "Enter a valid date (day, month, year)."
    assert "3 entries" in text_of(response)
    response = client.get(f"{LOG}?von={TODAY.isoformat()}&bis={(TODAY - timedelta(days=3)).isoformat()}")
    assert field_error(response, "bis") == "The end must not be before the start."


def test_pages_and_bounded_queries(app, client, people, events, count_queries):
    sign_in(client, people, "admin")
    client.get(LOG)
    with count_queries() as few:
        client.get(LOG)
    with app.test_request_context():
        for number in range(60):
            record("moderation.proposal_hidden", actor=user(people["moderator"]), reason=f"Grund {number}")
        db.session.commit()
    with count_queries() as many:
        first = client.get(LOG)
    assert many.count == few.count
    assert "63 entries" in text_of(first)
    assert "Page 1 of 2" in text_of(first)
    second = client.get(f"{LOG}?seite=2")
    assert "Page 2 of 2" in text_of(second)
    assert "Grund 0" in text_of(second) and "Grund 59" not in text_of(second)
