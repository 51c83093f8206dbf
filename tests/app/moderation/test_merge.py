"""Merging duplicates from the back office: supports united (a person counts once), followers and
comments carried over and shown on the target, departments asked there too, the old address
redirects, and every wrong choice is refused with a message."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy import select

from portal.comments.models import Comment
from portal.extensions import db
from portal.proposals.models import Follow
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus as S
from portal.proposals.models import Support
from tests.app.moderation.conftest import OWN_DEPARTMENT
from tests.app.moderation.conftest import audit
from tests.app.moderation.conftest import field_error
from tests.app.moderation.conftest import sign_in
from tests.app.moderation.conftest import text_of
from tests.conftest import post_form

ANSWER = "Dieser Vorschlag ist inhaltlich gleich mit einem älteren Vorschlag."


def _merge(client, ident, data):
    return post_form(client, f"/verwaltung/vorschlaege/{ident}/zusammenfuehren", data)


def test_merge_unites_supports_and_moves_comments(
    app, client, people, make_user, make_proposal, make_comment, support
):
    duplicate = make_proposal(title="Radweg von Helmstedt nach Schöningen bauen")
    target = make_proposal(title="Radweg zwischen Helmstedt und Schöningen")
    both, only_duplicate, only_target = make_user(), make_user(), make_user()
    for person in (both, only_duplicate):
        support(duplicate, person)
    for person in (both, only_target):
        support(target, person)
    comment = make_comment(duplicate, people["citizen"], "Ein Kommentar zum doppelten Vorschlag")
    make_comment(target, people["citizen"], "Ein Kommentar zum älteren Vorschlag")
    from portal.accounts.models import User
    from portal.assessments import services as assessment_services
    from portal.organisations.models import Department

    with app.test_request_context():
        department = db.session.scalar(select(Department).where(Department.key == OWN_DEPARTMENT))
        assessment_services.assign(
            db.session.get(Proposal, duplicate), department, db.session.get(User, people["moderator"])
        )
        db.session.commit()

    sign_in(client, people, "moderator")
    page = client.get(f"/verwaltung/vorschlaege/{duplicate}/zusammenfuehren?ziel={target}")
    assert f'value="{target}"' in page.get_data(as_text=True)
    assert "Radweg zwischen Helmstedt und Schöningen" in text_of(page)
    response = _merge(client, duplicate, {"target": target, "answer": ANSWER})
    assert response.status_code == 303
    assert response.location.endswith(f"/verwaltung/vorschlaege/{target}")

    with app.app_context():
        merged = db.session.get(Proposal, duplicate)
        kept = db.session.get(Proposal, target)
        assert merged.status is S.MERGED and merged.merged_into_id == target
        supporters = set(db.session.scalars(select(Support.user_id).where(Support.proposal_id == target)))
        assert supporters == {both, only_duplicate, only_target}
        assert kept.supports_count == 3, "a person who supported both counts once"
        assert db.session.get(Comment, comment).proposal_id == target
        assert kept.comments_count == 2 and merged.comments_count == 0
        followers = set(db.session.scalars(select(Follow.user_id).where(Follow.proposal_id == target)))
        assert people["author"] in followers
        from portal.assessments.models import ProposalDepartment

        assert (
            db.session.scalar(
                select(func.count())
                .select_from(ProposalDepartment)
                .where(ProposalDepartment.proposal_id == target)
            )
            == 1
        )
        event = audit("proposals.merged")[-1]
        assert event.actor_id == people["moderator"] and event.details["merged_into"] == target
        assert audit("moderation.comments_moved")

    visitor = app.test_client()
    redirect = visitor.get(f"/vorschlaege/{duplicate}")
    assert redirect.status_code == 301
    assert f"/vorschlaege/{target}" in redirect.location
    shown = text_of(visitor.get(redirect.location))
    assert "Ein Kommentar zum doppelten Vorschlag" in shown
    assert "3" in shown


def test_merge_needs_an_answer_and_a_valid_target(app, client, people, make_proposal):
    duplicate = make_proposal()
    waiting = make_proposal(published=False)
    rejected = make_proposal(status=S.REJECTED)
    target = make_proposal()
    sign_in(client, people, "moderator")
    response = _merge(client, duplicate, {"target": target, "answer": ""})
    assert response.status_code == 422
    assert field_error(response, "answer") == "Please give a public answer: it is required for a merge."
    response = _merge(client, duplicate, {"target": "", "answer": ANSWER})
    assert field_error(response, "target") == "Enter the number of the proposal to merge into."
    response = _merge(client, duplicate, {"target": "zwölf", "answer": ANSWER})
    assert field_error(response, "target") == "Enter a whole number."
    response = _merge(client, duplicate, {"target": duplicate, "answer": ANSWER})
    assert field_error(response, "target") == "A proposal cannot be merged into itself."
    response = _merge(client, duplicate, {"target": 999999, "answer": ANSWER})
    assert field_error(response, "target") == "There is no proposal with this number."
    response = _merge(client, duplicate, {"target": waiting, "answer": ANSWER})
    assert field_error(response, "target") == "A proposal can only be merged into a public proposal."
    response = _merge(client, duplicate, {"target": rejected, "answer": ANSWER})
    assert (
        field_error(response, "target") == "A proposal cannot be merged into one with the status “Rejected”."
    )
    with app.app_context():
        assert db.session.get(Proposal, duplicate).status is S.SUBMITTED


def test_merge_page_suggests_similar_proposals_and_templates(app, client, people, make_proposal):
    from portal.moderation.models import AnswerTemplate

    with app.app_context():
        db.session.add(
            AnswerTemplate(title={"de": "Dublette"}, text={"de": "Das gibt es schon.", "en": "Exists."})
        )
        db.session.commit()
        template_id = db.session.scalar(select(AnswerTemplate.id))
    duplicate = make_proposal(title="Mehr Bänke im Stadtpark von Helmstedt")
    similar = make_proposal(title="Bänke im Stadtpark Helmstedt aufstellen")
    sign_in(client, people, "moderator")
    page = client.get(f"/verwaltung/vorschlaege/{duplicate}/zusammenfuehren").get_data(as_text=True)
    assert f"zusammenfuehren?ziel={similar}" in page
    response = _merge(client, duplicate, {"target": similar, "template": template_id, "insert_template": "1"})
    assert response.status_code == 200
    assert "Exists.</textarea>" in response.get_data(as_text=True)


def test_final_proposals_cannot_be_merged(client, people, make_proposal):
    accepted = make_proposal(status=S.ACCEPTED)
    sign_in(client, people, "moderator")
    assert client.get(f"/verwaltung/vorschlaege/{accepted}/zusammenfuehren").status_code == 403
