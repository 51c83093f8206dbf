"""Permission matrix of the back office: every rule of portal/moderation × every role, and every
back-office page of this package × every role (visitors are sent to the sign-in page)."""

from __future__ import annotations

import pytest

from portal.core.permissions import can
from portal.core.permissions import registered_rules
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus as S
from tests.app.moderation.conftest import ROLES
from tests.app.moderation.conftest import sign_in
from tests.app.moderation.conftest import user
from tests.conftest import post_form

STAFF = {"department_staff", "other_department", "moderator", "admin"}
MODERATORS = {"moderator", "admin"}
ADMINS = {"admin"}

#: rule → (the object's state, the roles allowed).
MATRIX = {
    "moderation.access": (None, STAFF),
    "moderation.queue": (None, MODERATORS),
    "moderation.bulk": (None, MODERATORS),
    "moderation.hide": ("visible", MODERATORS),
    "moderation.restore": ("hidden", MODERATORS),
    "moderation.change_status": ("visible", MODERATORS),
    "moderation.merge": ("visible", MODERATORS),
    "moderation.edit_templates": (None, ADMINS),
}


def test_every_rule_of_the_package_is_in_the_matrix(app):
    assert {name for name in registered_rules() if name.startswith("moderation.")} == set(MATRIX)


@pytest.mark.parametrize("rule_name", sorted(MATRIX))
def test_rule_matrix(app, people, make_proposal, rule_name):
    state, allowed = MATRIX[rule_name]
    ident = make_proposal() if state is not None else None
    with app.test_request_context():
        obj = db.session.get(Proposal, ident) if ident is not None else None
        if state == "hidden":
            from portal.core import clock

            obj.hidden_at, obj.hidden_reason = clock.now(), "Werbung"
        granted = {role for role in ROLES if can(rule_name, obj, user=user(people[role]))}
        assert granted == allowed


@pytest.mark.parametrize("status", [S.ACCEPTED, S.MERGED, S.WITHDRAWN])
def test_final_proposals_have_no_status_screen_or_merge(app, people, make_proposal, status):
    ident = make_proposal(status=status) if status is not S.MERGED else make_proposal()
    if status is S.MERGED:
        target = make_proposal()
        from portal.proposals import workflow

        with app.test_request_context():
            workflow.transition(
                db.session.get(Proposal, ident),
                S.MERGED,
                user(people["moderator"]),
                "Doppelt.",
                merge_into=db.session.get(Proposal, target),
            )
            db.session.commit()
    with app.test_request_context():
        proposal = db.session.get(Proposal, ident)
        for role in MODERATORS:
            assert not can("moderation.change_status", proposal, user=user(people[role]))
            assert not can("moderation.merge", proposal, user=user(people[role]))


def test_a_moderator_with_an_unconfirmed_address_has_no_access(app, client, make_user, people):
    unverified = make_user("moderator", verified=False)
    with app.test_request_context():
        assert not can("moderation.access", user=user(unverified))
        assert not can("moderation.queue", user=user(unverified))
    from tests.conftest import login

    login(client, unverified)
    assert client.get("/verwaltung/warteschlange").status_code == 403


def _pages(proposal: int, comment: int) -> dict[str, set[str]]:
    return {
        "/verwaltung": STAFF,
        "/verwaltung/warteschlange": MODERATORS,
        "/verwaltung/warteschlange?bereich=gemeldet": MODERATORS,
        f"/verwaltung/vorschlaege/{proposal}": MODERATORS,
        f"/verwaltung/vorschlaege/{proposal}/zusammenfuehren": MODERATORS,
        f"/verwaltung/kommentare/{comment}": MODERATORS,
        "/verwaltung/antwortvorlagen": ADMINS,
        "/verwaltung/antwortvorlagen/neu": ADMINS,
    }


@pytest.mark.parametrize("role", ROLES)
def test_page_matrix(client, people, make_proposal, make_comment, role):
    proposal = make_proposal()
    comment = make_comment(proposal, people["citizen"])
    sign_in(client, people, role)
    for url, allowed in _pages(proposal, comment).items():
        response = client.get(url)
        if role == "visitor":
            assert response.status_code == 302 and "/anmelden" in response.location, url
        else:
            assert response.status_code == (200 if role in allowed else 403), (url, role)


@pytest.mark.parametrize("role", ["citizen", "municipality_rep", "department_staff", "other_department"])
def test_actions_are_refused_to_non_moderators(app, client, people, make_proposal, role):
    proposal = make_proposal()
    sign_in(client, people, role)
    token_page = "/konto"
    posts = [
        (
            "/verwaltung/warteschlange?bereich=entscheidung",
            {"action": "hide", "proposal": proposal, "reason": "x"},
        ),
        (f"/verwaltung/vorschlaege/{proposal}/sichtbarkeit", {"visibility": "hide", "reason": "x"}),
        (f"/verwaltung/vorschlaege/{proposal}/status", {"status": "rejected", "answer": "x"}),
        (f"/verwaltung/vorschlaege/{proposal}/zusammenfuehren", {"target": proposal, "answer": "x"}),
        (f"/verwaltung/vorschlaege/{proposal}/geschaeftsbereiche", {"department": "1"}),
    ]
    for url, data in posts:
        assert post_form(client, url, data, form_url=token_page).status_code == 403, url
    with app.app_context():
        stored = db.session.get(Proposal, proposal)
        assert stored.hidden_at is None and stored.status is S.SUBMITTED


def test_a_moderator_cannot_do_admin_work(client, people):
    sign_in(client, people, "moderator")
    for url in (
        "/verwaltung/antwortvorlagen",
        "/verwaltung/zuordnung",
        "/verwaltung/strategie",
        "/verwaltung/phasen",
        "/verwaltung/meilensteine",
        "/verwaltung/gemeinden",
        "/verwaltung/geschaeftsbereiche",
        "/verwaltung/einstellungen",
        "/verwaltung/protokoll",
    ):
        assert client.get(url).status_code == 403, url
    response = post_form(
        client, "/verwaltung/antwortvorlagen/neu", {"title_de": "x", "text_de": "y"}, form_url="/verwaltung"
    )
    assert response.status_code == 403


def test_back_office_link_in_the_account_menu_only_for_staff(client, people):
    sign_in(client, people, "citizen")
    assert 'href="/verwaltung"' not in client.get("/").get_data(as_text=True)
    sign_in(client, people, "department_staff")
    page = client.get("/").get_data(as_text=True)
    assert 'href="/verwaltung"' in page
    main_nav = page.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert "/verwaltung" not in main_nav, "not in the public main navigation"
