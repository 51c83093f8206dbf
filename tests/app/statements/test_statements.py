"""Statement requests: asking municipalities (mail to representatives), answering (official
statements where they belong), the state per municipality (requested, answered, overdue),
reminders before the deadline, closing, and who may do what."""

from __future__ import annotations

from datetime import date
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.comments.models import Comment
from portal.core import clock
from portal.core.permissions import can
from portal.core.permissions import registered_rules
from portal.extensions import db
from portal.statements.models import AnswerState
from portal.statements.models import StatementAnswer
from portal.statements.models import StatementRequest
from portal.statements.models import StatementRequestMunicipality
from tests.app.moderation.conftest import ROLES
from tests.app.moderation.conftest import audit
from tests.app.moderation.conftest import field_error
from tests.app.moderation.conftest import key_id
from tests.app.moderation.conftest import outbox
from tests.app.moderation.conftest import sign_in
from tests.app.moderation.conftest import text_of
from tests.app.moderation.conftest import user
from tests.conftest import TODAY
from tests.conftest import post_form

NEW = "/verwaltung/stellungnahmen/neu"
DEADLINE = TODAY + timedelta(days=14)


def _ids(app, *keys):
    from portal.organisations.models import Municipality

    with app.app_context():
        return [key_id(Municipality, key) for key in keys]


def _request(client, app, numbers, keys=("schoeningen", "helmstedt"), **changes):
    data = {
        "title": "Stellungnahmen zu den Radwegen",
        "message": "Bitte nehmen Sie bis zur Frist Stellung.",
        "subject": "proposals",
        "proposals": ", ".join(str(number) for number in numbers),
        "municipalities": _ids(app, *keys),
        "deadline": DEADLINE.isoformat(),
        "reminder_days": "3",
        **changes,
    }
    return post_form(client, NEW, data)


def _only_request(app) -> tuple[int, dict[str, int]]:
    with app.app_context():
        request = db.session.scalar(select(StatementRequest))
        from portal.organisations.models import Municipality

        asked = {
            db.session.get(Municipality, row.municipality_id).key: row.id
            for row in db.session.scalars(select(StatementRequestMunicipality))
        }
        return request.id, asked


def test_moderator_asks_municipalities(app, client, people, make_user, make_proposal):
    unverified_rep = make_user(
        "municipality_rep", municipality="schoeningen", verified=False, email="u@example.org"
    )
    first, second = make_proposal(), make_proposal()
    sign_in(client, people, "moderator")
    form = client.get(f"{NEW}?vorschlag={first}&vorschlag={second}").get_data(as_text=True)
    assert f'value="{first}, {second}"' in form
    response = _request(client, app, [first, second])
    assert response.status_code == 303
    request_id, asked = _only_request(app)
    assert set(asked) == {"schoeningen", "helmstedt"}
    with app.app_context():
        from portal.accounts.models import User

        rep = db.session.get(User, people["municipality_rep"])
        [mail] = outbox(rep.email)
        assert f"/stellungnahmen/{request_id}" in mail.body_text
        assert "Stellungnahmen zu den Radwegen" in mail.subject
        assert outbox("u@example.org") == [], "unconfirmed accounts get no mail"
        [event] = audit("statements.requested")
        assert event.details["proposals"] == [first, second]
        assert unverified_rep
    page = text_of(client.get(response.location))
    assert "Nobody could be reached for: Stadt Helmstedt" in page
    assert "Requested" in page and "none appointed" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": " "}, "title", "Enter a title."),
        ({"subject": "alles"}, "subject", "Choose what the statements are about."),
        (
            {"proposals": "eins, zwei"},
            "proposals",
            "Enter the numbers of the proposals, separated by commas.",
        ),
        ({"proposals": ""}, "proposals", "Enter at least one proposal number."),
        ({"proposals": "999999"}, "proposals", "These are not numbers of public, open proposals: 999999"),
        ({"municipalities": []}, "municipalities", "Choose at least one municipality."),
        ({"deadline": ""}, "deadline", "Enter the deadline."),
        ({"deadline": "31.12.2026"}, "deadline", "Enter a valid date (day, month, year)."),
        ({"deadline": TODAY.isoformat()}, "deadline", "The deadline must be in the future."),
        ({"reminder_days": "61"}, "reminder_days", "Enter a number of days between 0 and 60."),
        ({"reminder_days": ""}, "reminder_days", "Enter a number of days between 0 and 60."),
    ],
)
def test_request_validation(app, client, people, make_proposal, changes, field, message):
    ident = make_proposal()
    sign_in(client, people, "moderator")
    response = _request(client, app, [ident], **changes)
    assert response.status_code == 422
    assert field_error(response, field) == message
    assert "Stellungnahmen zu den Radwegen" in response.get_data(as_text=True) or field == "title"


def test_hidden_or_waiting_proposals_cannot_be_asked_about(app, client, people, make_proposal):
    waiting = make_proposal(published=False)
    sign_in(client, people, "moderator")
    response = _request(client, app, [waiting])
    assert field_error(response, "proposals") == f"These are not numbers of public, open proposals: {waiting}"


def test_representative_answers_and_the_answer_is_an_official_statement(app, client, people, make_proposal):
    first, second = make_proposal(title="Radweg nach Schöningen"), make_proposal(title="Busse am Wochenende")
    sign_in(client, people, "moderator")
    _request(client, app, [first, second])
    request_id, asked = _only_request(app)
    sign_in(client, people, "municipality_rep")
    page = client.get(f"/stellungnahmen/{request_id}")
    assert "Your statement for Stadt Schöningen" in text_of(page)
    response = post_form(
        client,
        f"/stellungnahmen/{request_id}",
        {"gemeinde": "schoeningen", f"p_{first}": "", f"p_{second}": ""},
    )
    assert response.status_code == 422
    assert "Write at least one statement." in text_of(response)
    statement = "Die Stadt Schöningen unterstützt den Radweg ausdrücklich."
    response = post_form(
        client, f"/stellungnahmen/{request_id}", {"gemeinde": "schoeningen", f"p_{first}": statement}
    )
    assert response.status_code == 303
    with app.app_context():
        comment = db.session.scalar(select(Comment).where(Comment.proposal_id == first))
        assert comment.body == statement
        assert comment.official_municipality_id == _ids(app, "schoeningen")[0]
        row = db.session.get(StatementRequestMunicipality, asked["schoeningen"])
        assert row.answered_by_id == people["municipality_rep"]
        assert row.state(db.session.get(StatementRequest, request_id), TODAY) is AnswerState.ANSWERED
        answer = db.session.scalar(select(StatementAnswer))
        assert answer.comment_id == comment.id and answer.proposal_id == first
        assert audit("statements.answered")[0].actor_id == people["municipality_rep"]
    # The statement shows on the proposal, as the municipality's.
    shown = text_of(app.test_client().get(f"/vorschlaege/{first}?lang=en"))
    assert statement in shown and "Stadt Schöningen" in shown
    # The remaining proposal can still be answered; the answered one is not offered again.
    page = client.get(f"/stellungnahmen/{request_id}").get_data(as_text=True)
    assert f'name="p_{second}"' in page and f'name="p_{first}"' not in page
    # Everybody sees the state per municipality and the answers.
    public = text_of(app.test_client().get(f"/stellungnahmen/{request_id}?lang=en"))
    assert "Answered" in public and "Requested" in public and statement in public


def test_answers_on_the_concept_appear_on_the_request_page(app, client, people, make_proposal):
    sign_in(client, people, "moderator")
    response = _request(client, app, [], subject="concept", proposals="")
    assert response.status_code == 303
    request_id, _asked = _only_request(app)
    sign_in(client, people, "municipality_rep")
    text = "Die Stadt Schöningen begrüßt den Entwurf des Konzepts."
    assert post_form(client, f"/stellungnahmen/{request_id}", {"concept": text}).status_code == 303
    assert text in text_of(app.test_client().get(f"/stellungnahmen/{request_id}"))
    assert "answered everything" in text_of(client.get(f"/stellungnahmen/{request_id}?lang=en"))
    sign_in(client, people, "moderator")
    assert text in text_of(client.get(f"/verwaltung/stellungnahmen/{request_id}"))


def test_others_cannot_answer(app, client, people, make_user, make_proposal):
    ident = make_proposal()
    sign_in(client, people, "moderator")
    _request(client, app, [ident], keys=("helmstedt",))
    request_id, _asked = _only_request(app)
    for role in ("citizen", "municipality_rep", "moderator", "admin"):
        sign_in(client, people, role)
        page = client.get(f"/stellungnahmen/{request_id}")
        assert page.status_code == 200
        assert f'name="p_{ident}"' not in page.get_data(as_text=True)
        response = post_form(
            client, f"/stellungnahmen/{request_id}", {f"p_{ident}": "Stellungnahme"}, form_url="/konto"
        )
        assert response.status_code == 403, role
    anonymous = app.test_client()
    response = post_form(
        anonymous, f"/stellungnahmen/{request_id}", {f"p_{ident}": "Stellungnahme"}, form_url="/anmelden"
    )
    assert response.status_code == 302 and "/anmelden" in response.location
    with app.app_context():
        assert db.session.scalar(select(StatementAnswer)) is None


def test_overdue_state_queue_and_late_answers(app, client, people, make_proposal):
    ident = make_proposal()
    sign_in(client, people, "moderator")
    _request(client, app, [ident])
    request_id, _asked = _only_request(app)
    clock.freeze(DEADLINE)
    sign_in(client, people, "moderator")  # staff sessions end after 30 idle minutes
    assert "Overdue" not in text_of(client.get(f"/verwaltung/stellungnahmen/{request_id}"))
    clock.freeze(DEADLINE + timedelta(days=1))
    sign_in(client, people, "moderator")
    page = text_of(client.get(f"/verwaltung/stellungnahmen/{request_id}"))
    assert page.count("Overdue") >= 2
    assert "2 Overdue statements" in text_of(client.get("/verwaltung"))
    queue = text_of(client.get("/verwaltung/warteschlange?bereich=stellungnahmen&gemeinde=schoeningen"))
    assert "Stadt Schöningen" in queue and "Stadt Helmstedt" not in queue.split("Overdue statements (1)")[-1]
    # A late answer is still an answer.
    sign_in(client, people, "municipality_rep")
    assert (
        post_form(client, f"/stellungnahmen/{request_id}", {f"p_{ident}": "Spät, aber da."}).status_code
        == 303
    )
    with app.app_context():
        assert audit("statements.answered")[0].details["late"] is True
    sign_in(client, people, "moderator")
    assert "1 Overdue statements" in text_of(client.get("/verwaltung"))


def test_reminders_before_the_deadline(app, client, people, make_user, make_proposal):
    second_rep = make_user("municipality_rep", municipality="helmstedt", email="helmstedt@example.org")
    ident = make_proposal()
    sign_in(client, people, "moderator")
    _request(client, app, [ident])
    request_id, asked = _only_request(app)
    with app.app_context():
        from portal.accounts.models import User

        rep_address = db.session.get(User, people["municipality_rep"]).email
        before = len(outbox(rep_address))
    runner = app.test_cli_runner()
    clock.freeze(DEADLINE - timedelta(days=4))
    assert "for 0 municipalities" in runner.invoke(args=["send-reminders"]).output
    # Helmstedt answers in time; Schöningen gets the reminder three days before the deadline.
    sign_in(client, people, "municipality_rep")
    with app.test_request_context():
        from portal.accounts.models import User
        from portal.statements import services
        from portal.statements.queries import get_request

        found = get_request(request_id)
        row = next(r for r in found.municipalities if r.id == asked["helmstedt"])
        services.answer(row, db.session.get(User, second_rep), {ident: "Wir stimmen zu."})
        db.session.commit()
    clock.freeze(DEADLINE - timedelta(days=3))
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0 and "for 1 municipalities" in result.output
    with app.app_context():
        mails = outbox(rep_address)
        assert len(mails) == before + 1
        assert mails[-1].subject.startswith(("Reminder", "Erinnerung"))
        assert len(outbox("helmstedt@example.org")) == 1, "only the request, no reminder after answering"
        assert db.session.get(StatementRequestMunicipality, asked["schoeningen"]).reminded_at is not None
    # Not twice.
    assert "for 0 municipalities" in runner.invoke(args=["send-reminders"]).output
    # After the deadline no automatic reminder; the moderator can remind by hand.
    clock.freeze(DEADLINE + timedelta(days=2))
    sign_in(client, people, "moderator")
    response = post_form(
        client,
        f"/verwaltung/stellungnahmen/{request_id}/erinnern",
        {},
        form_url=f"/verwaltung/stellungnahmen/{request_id}",
    )
    assert response.status_code == 303
    with app.app_context():
        assert len(outbox(rep_address)) == before + 2
        assert audit("statements.reminded")


def test_closing_ends_answers_and_overdue(app, client, people, make_proposal):
    ident = make_proposal()
    sign_in(client, people, "moderator")
    _request(client, app, [ident])
    request_id, _asked = _only_request(app)
    response = post_form(
        client,
        f"/verwaltung/stellungnahmen/{request_id}/abschliessen",
        {},
        form_url=f"/verwaltung/stellungnahmen/{request_id}",
    )
    assert response.status_code == 303
    clock.freeze(DEADLINE + timedelta(days=5))
    sign_in(client, people, "moderator")
    assert "0 Overdue statements" in text_of(client.get("/verwaltung"))
    assert "Closed" in text_of(client.get("/verwaltung/stellungnahmen"))
    sign_in(client, people, "municipality_rep")
    assert f'name="p_{ident}"' not in client.get(f"/stellungnahmen/{request_id}").get_data(as_text=True)
    assert (
        post_form(client, f"/stellungnahmen/{request_id}", {f"p_{ident}": "x"}, form_url="/konto").status_code
        == 403
    )
    with app.app_context():
        assert audit("statements.closed")
        assert "for 0" in app.test_cli_runner().invoke(args=["send-reminders"]).output


def test_statement_on_a_merged_proposal_goes_to_its_target(app, client, people, make_proposal):
    duplicate, target = make_proposal(), make_proposal()
    sign_in(client, people, "moderator")
    _request(client, app, [duplicate])
    request_id, _asked = _only_request(app)
    post_form(
        client,
        f"/verwaltung/vorschlaege/{duplicate}/zusammenfuehren",
        {"target": target, "answer": "Doppelt."},
    )
    sign_in(client, people, "municipality_rep")
    post_form(client, f"/stellungnahmen/{request_id}", {f"p_{duplicate}": "Unsere Stellungnahme."})
    with app.app_context():
        assert (
            db.session.scalar(select(Comment.proposal_id).where(Comment.body == "Unsere Stellungnahme."))
            == target
        )


# --- permissions ----------------------------------------------------------------------------


def test_rule_matrix(app, client, people, make_proposal):
    ident = make_proposal()
    sign_in(client, people, "moderator")
    _request(client, app, [ident])
    request_id, asked = _only_request(app)
    assert {name for name in registered_rules() if name.startswith("statements.")} == {
        "statements.manage",
        "statements.view",
        "statements.answer",
    }
    with app.test_request_context():
        from portal.statements.queries import get_request

        found = get_request(request_id)
        schoeningen = next(r for r in found.municipalities if r.id == asked["schoeningen"])
        helmstedt = next(r for r in found.municipalities if r.id == asked["helmstedt"])
        granted = {
            name: {role for role in ROLES if can(name, obj, user=user(people[role]))}
            for name, obj in (
                ("statements.manage", None),
                ("statements.view", found),
                ("statements.answer", schoeningen),
            )
        }
        assert granted["statements.manage"] == {"moderator", "admin"}
        assert granted["statements.view"] == set(ROLES)
        assert granted["statements.answer"] == {"municipality_rep"}
        assert not any(can("statements.answer", helmstedt, user=user(people[role])) for role in ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_page_matrix(app, client, people, make_proposal, role):
    ident = make_proposal()
    sign_in(client, people, "moderator")
    _request(client, app, [ident])
    request_id, _asked = _only_request(app)
    client.cookie_jar.clear() if hasattr(client, "cookie_jar") else None
    browser = app.test_client()
    sign_in(browser, people, role)
    for url in ("/verwaltung/stellungnahmen", NEW, f"/verwaltung/stellungnahmen/{request_id}"):
        response = browser.get(url)
        if role == "visitor":
            assert response.status_code == 302, url
        else:
            assert response.status_code == (200 if role in {"moderator", "admin"} else 403), (url, role)
    assert browser.get(f"/stellungnahmen/{request_id}").status_code == 200


def test_unknown_request_is_404(client, people):
    sign_in(client, people, "moderator")
    assert client.get("/stellungnahmen/4711").status_code == 404
    assert client.get("/verwaltung/stellungnahmen/4711").status_code == 404


def test_deadline_type(app):
    assert isinstance(DEADLINE, date)


def test_request_pages_query_count_does_not_grow(app, client, people, make_proposal, count_queries):
    few_ids = [make_proposal()]
    many_ids = [make_proposal() for _number in range(5)]
    sign_in(client, people, "moderator")
    _request(client, app, few_ids, keys=("schoeningen",))
    all_keys = ("schoeningen", "helmstedt", "lehre", "koenigslutter-am-elm", "grasleben", "velpke")
    _request(client, app, many_ids, keys=all_keys)
    with app.app_context():
        small, large = db.session.scalars(select(StatementRequest.id).order_by(StatementRequest.id)).all()
    for url in ("/verwaltung/stellungnahmen/{}", "/stellungnahmen/{}"):
        client.get(url.format(small))
        with count_queries() as few:
            client.get(url.format(small))
        with count_queries() as many:
            assert client.get(url.format(large)).status_code == 200
        assert many.count == few.count, url
