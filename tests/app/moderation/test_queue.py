"""The dashboard and the one queue: sections, filters, similar-proposal hints, bulk actions, and
a bounded number of queries whatever the amount of data."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus as S
from tests.app.moderation.conftest import ANSWER
from tests.app.moderation.conftest import OTHER_DEPARTMENT
from tests.app.moderation.conftest import OWN_DEPARTMENT
from tests.app.moderation.conftest import audit
from tests.app.moderation.conftest import outbox
from tests.app.moderation.conftest import sign_in
from tests.app.moderation.conftest import text_of
from tests.conftest import post_form

QUEUE = "/verwaltung/warteschlange"


def _proposal(app, proposal_id):
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        db.session.expunge(proposal)
        return proposal


def _checked_ids(response, name="proposal"):
    import re

    return {
        int(value) for value in re.findall(rf'name="{name}" value="(\d+)"', response.get_data(as_text=True))
    }


def test_dashboard_counts_what_waits(app, client, people, make_proposal, make_comment, report):
    make_proposal(published=False)
    make_proposal(published=False)
    reported = make_proposal()
    report(reported, people["citizen"])
    make_comment(reported, people["citizen"])
    sign_in(client, people, "moderator")
    text = text_of(client.get("/verwaltung"))
    assert "2 New proposals" in text
    assert "1 Reported content" in text
    assert "1 Awaiting a decision" in text
    assert "0 Overdue statements" in text


def test_sections_hold_the_right_items(app, client, people, make_proposal, make_comment, report):
    waiting = make_proposal(published=False, title="Wartet auf die Vormoderation im Landkreis")
    public = make_proposal(title="Öffentlicher Vorschlag wartet auf eine Entscheidung")
    review = make_proposal(status=S.UNDER_REVIEW)
    accepted = make_proposal(status=S.ACCEPTED)
    flagged = make_proposal(title="Gemeldeter Vorschlag mit Werbung darin")
    comment = make_comment(public, people["citizen"], "Ein gemeldeter Kommentar voller Beleidigungen")
    from portal.flags.models import FlagReason

    report(flagged, people["citizen"], reason=FlagReason.OFFENSIVE, note="Beleidigt die Nachbarn")
    report(comment, people["author"], kind="comment", reason=FlagReason.SPAM)
    sign_in(client, people, "moderator")

    new = client.get(QUEUE + "?bereich=neu")
    assert _checked_ids(new) == {waiting}
    decision = client.get(QUEUE + "?bereich=entscheidung")
    assert _checked_ids(decision) == {public, review, flagged}
    assert accepted not in _checked_ids(decision)
    reported = client.get(QUEUE + "?bereich=gemeldet")
    assert _checked_ids(reported) == {flagged}
    assert _checked_ids(reported, "comment") == {comment}
    text = text_of(reported)
    assert "Beleidigt die Nachbarn" in text
    assert "Insulting, discriminating or threatening" in text or "Beleidigend" in text


def test_queue_starts_with_the_first_section_that_has_items(client, people, make_proposal):
    make_proposal()
    sign_in(client, people, "moderator")
    response = client.get(QUEUE)
    assert 'href="/verwaltung/warteschlange?bereich=entscheidung" aria-current="page"' in response.get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("unterziel=1.2", {"a"}),
        ("oberziel=2", {"b"}),
        ("gemeinde=schoeningen", {"b"}),
        ("gemeinde=kreis", {"c"}),
        (f"geschaeftsbereich={OWN_DEPARTMENT}", {"a"}),
        (f"geschaeftsbereich={OTHER_DEPARTMENT}", set()),
        ("unterziel=9.9&gemeinde=unbekannt", {"a", "b", "c"}),  # unknown values are ignored
    ],
)
def test_filters(app, client, people, make_proposal, args, expected):
    ids = {
        "a": make_proposal(subgoal="1.2", municipality="helmstedt"),
        "b": make_proposal(subgoal="2.1", municipality="schoeningen"),
        "c": make_proposal(subgoal="1.1", municipality=None),
    }
    from portal.accounts.models import User
    from portal.assessments import services
    from portal.organisations.models import Department

    with app.test_request_context():
        department = db.session.scalar(select(Department).where(Department.key == OWN_DEPARTMENT))
        services.assign(
            db.session.get(Proposal, ids["a"]), department, db.session.get(User, people["moderator"])
        )
        db.session.commit()
    sign_in(client, people, "moderator")
    response = client.get(f"{QUEUE}?bereich=entscheidung&{args}")
    assert response.status_code == 200
    assert _checked_ids(response) == {ids[key] for key in expected}


def test_similar_proposals_are_hinted(client, people, make_proposal):
    first = make_proposal(title="Radweg zwischen Helmstedt und Schöningen ausbauen")
    second = make_proposal(title="Ein Radweg von Schöningen nach Helmstedt")
    make_proposal(title="Mehr Ärztinnen und Ärzte auf dem Land gewinnen", body="Die Versorgung ist schlecht.")
    sign_in(client, people, "moderator")
    page = client.get(QUEUE + "?bereich=entscheidung").get_data(as_text=True)
    assert f'href="/verwaltung/vorschlaege/{first}/zusammenfuehren?ziel={second}"' in page
    assert f'href="/verwaltung/vorschlaege/{second}/zusammenfuehren?ziel={first}"' in page


# --- bulk actions ---------------------------------------------------------------------------


def _bulk(client, section, data):
    return post_form(client, f"{QUEUE}?bereich={section}", data)


def test_bulk_publish_under_pre_moderation(app, client, people, make_proposal):
    first, second = make_proposal(published=False), make_proposal(published=False)
    sign_in(client, people, "moderator")
    response = _bulk(client, "neu", {"action": "publish", "proposal": [first, second]})
    assert response.status_code == 303
    for ident in (first, second):
        proposal = _proposal(app, ident)
        assert proposal.status is S.PUBLISHED
        assert proposal.published_at is not None
    with app.app_context():
        assert len(audit("proposals.published")) == 2
    assert "Done for 2 items." in text_of(client.get(response.location))


def test_bulk_review_adds_the_note_to_the_history(app, client, people, make_proposal):
    ident = make_proposal()
    sign_in(client, people, "moderator")
    _bulk(client, "entscheidung", {"action": "review", "proposal": [ident], "reason": "Wir prüfen das."})
    with app.app_context():
        from portal.proposals.models import ProposalStatusChange

        change = db.session.scalars(
            select(ProposalStatusChange)
            .where(ProposalStatusChange.proposal_id == ident)
            .order_by(ProposalStatusChange.id.desc())
        ).first()
        assert change.to_status is S.UNDER_REVIEW
        assert change.answer == "Wir prüfen das."


def test_bulk_hide_needs_a_reason_and_tells_the_authors(app, client, people, make_proposal):
    ident = make_proposal()
    sign_in(client, people, "moderator")
    response = _bulk(client, "entscheidung", {"action": "hide", "proposal": [ident], "reason": " "})
    assert response.status_code == 422
    assert "Please give a reason: the author is told why." in text_of(response)
    assert _proposal(app, ident).hidden_at is None
    response = _bulk(client, "entscheidung", {"action": "hide", "proposal": [ident], "reason": "Werbung."})
    assert response.status_code == 303
    assert _proposal(app, ident).hidden_reason == "Werbung."
    with app.app_context():
        mails = outbox("anja@example.org")
        assert any("hidden" in mail.subject or "ausgeblendet" in mail.subject for mail in mails)
        assert any("Werbung." in mail.body_text for mail in mails)


def test_bulk_needs_a_checked_item_and_an_action(client, people, make_proposal):
    make_proposal()
    sign_in(client, people, "moderator")
    response = _bulk(client, "entscheidung", {"action": "review"})
    assert response.status_code == 422
    assert "Check at least one item." in text_of(response)
    response = _bulk(client, "entscheidung", {"action": "", "proposal": [1]})
    assert response.status_code == 422
    assert "Choose an action." in text_of(response)
    response = _bulk(client, "entscheidung", {"action": "publish", "proposal": [1]})
    assert response.status_code == 422, "publish is not an action of this section"


def test_bulk_assign_department(app, client, people, make_proposal):
    first, second = make_proposal(), make_proposal()
    sign_in(client, people, "moderator")
    from portal.organisations.models import Department

    with app.app_context():
        department_id = db.session.scalar(select(Department.id).where(Department.key == OWN_DEPARTMENT))
    response = _bulk(client, "entscheidung", {"action": "assign", "proposal": [first, second]})
    assert response.status_code == 422
    assert "Choose the department to assign." in text_of(response)
    response = _bulk(
        client, "entscheidung", {"action": "assign", "proposal": [first, second], "department": department_id}
    )
    assert response.status_code == 303
    with app.app_context():
        from portal.assessments.models import ProposalDepartment

        assigned = set(
            db.session.scalars(
                select(ProposalDepartment.proposal_id).where(
                    ProposalDepartment.department_id == department_id
                )
            )
        )
        assert assigned == {first, second}
    # Again: nothing changes, and the moderator is told why.
    response = _bulk(
        client, "entscheidung", {"action": "assign", "proposal": [first], "department": department_id}
    )
    assert "This department is already assigned." in text_of(client.get(response.location))


def test_bulk_reports_items_it_cannot_change(app, client, people, make_proposal):
    waiting = make_proposal(published=False)
    public = make_proposal()
    sign_in(client, people, "moderator")
    # A public proposal cannot be "published" (it is no longer waiting): reported, the other is done.
    response = _bulk(client, "neu", {"action": "publish", "proposal": [waiting, public]})
    page = text_of(client.get(response.location))
    assert "Done for 1 items." in page
    assert f"Proposal {public}: This proposal is already public." in page
    assert _proposal(app, waiting).status is S.PUBLISHED
    assert _proposal(app, public).status is S.SUBMITTED


def test_bulk_on_reported_content(app, client, people, make_proposal, make_comment, report):
    proposal = make_proposal()
    comment = make_comment(proposal, people["citizen"])
    report(proposal, people["citizen"])
    report(comment, people["author"], kind="comment")
    sign_in(client, people, "moderator")
    _bulk(client, "gemeldet", {"action": "dismiss", "proposal": [proposal]})
    _bulk(client, "gemeldet", {"action": "hide", "comment": [comment], "reason": "Beleidigend."})
    from portal.comments.models import Comment
    from portal.flags.models import Flag

    with app.app_context():
        assert db.session.get(Comment, comment).hidden_reason == "Beleidigend."
        assert db.session.scalar(select(Flag).where(Flag.resolved_at.is_(None))) is None
    response = client.get(QUEUE + "?bereich=gemeldet")
    assert "Nothing waits here." in text_of(response)
    # Show the comment again from the queue: a reason is needed, the author is told.
    with app.app_context():
        before = len(outbox())
    _bulk(client, "gemeldet", {"action": "restore", "comment": [comment], "reason": "Doch in Ordnung."})
    with app.app_context():
        assert db.session.get(Comment, comment).hidden_at is None
        assert len(outbox()) == before + 1


def test_bulk_post_without_csrf_token_is_refused(client, people, make_proposal):
    ident = make_proposal()
    sign_in(client, people, "moderator")
    response = client.post(QUEUE + "?bereich=entscheidung", data={"action": "review", "proposal": [ident]})
    assert response.status_code == 400


# --- queries stay bounded -------------------------------------------------------------------


@pytest.mark.parametrize("section", ["neu", "gemeldet", "entscheidung", "stellungnahmen"])
def test_queue_query_count_does_not_grow(
    app, client, people, make_proposal, make_comment, report, count_queries, section
):
    from portal.flags.models import FlagReason

    def add(number):
        for index in range(number):
            ident = make_proposal(
                published=section != "neu", title=f"Vorschlag über Radwege Nummer {index} im Kreis"
            )
            comment = make_comment(ident, people["citizen"])
            report(ident, people["citizen"], reason=FlagReason.SPAM)
            report(comment, people["author"], kind="comment", reason=FlagReason.OTHER, note="Bitte prüfen")

    sign_in(client, people, "moderator")
    add(2)
    client.get(f"{QUEUE}?bereich={section}")
    with count_queries() as few:
        assert client.get(f"{QUEUE}?bereich={section}").status_code == 200
    add(8)
    with count_queries() as many:
        assert client.get(f"{QUEUE}?bereich={section}").status_code == 200
    assert many.count == few.count, (few.count, many.count)


def test_dashboard_query_count_is_fixed(client, people, make_proposal, count_queries):
    sign_in(client, people, "moderator")
    make_proposal()
    client.get("/verwaltung")
    with count_queries() as few:
        client.get("/verwaltung")
    for _index in range(5):
        make_proposal(published=False)
    with count_queries() as many:
        client.get("/verwaltung")
    assert many.count == few.count


def test_answer_constant_is_used(people):
    assert ANSWER


def test_bulk_ask_for_statements_opens_the_request_form(client, people, make_proposal):
    first, second = make_proposal(), make_proposal()
    sign_in(client, people, "moderator")
    response = _bulk(client, "entscheidung", {"action": "ask_statements", "proposal": [second, first]})
    assert response.status_code == 303
    assert response.location == f"/verwaltung/stellungnahmen/neu?vorschlag={first}&vorschlag={second}"
    assert f'value="{first}, {second}"' in client.get(response.location).get_data(as_text=True)
