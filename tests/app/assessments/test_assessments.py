"""Departments and internal assessments: routing of new proposals, assignment by moderators, the
assessment form, a department never reads another's assessment, and assessments are never public."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.assessments.models import Assessment
from portal.assessments.models import Feasibility
from portal.assessments.models import ProposalDepartment
from portal.assessments.models import Responsibility
from portal.core.permissions import can
from portal.core.permissions import registered_rules
from portal.extensions import db
from tests.app.assessments.conftest import department_id
from tests.app.moderation.conftest import OTHER_DEPARTMENT
from tests.app.moderation.conftest import OWN_DEPARTMENT
from tests.app.moderation.conftest import ROLES
from tests.app.moderation.conftest import audit
from tests.app.moderation.conftest import field_error
from tests.app.moderation.conftest import sign_in
from tests.app.moderation.conftest import text_of
from tests.app.moderation.conftest import user
from tests.conftest import login
from tests.conftest import post_form

MARKER = "GEHEIM-BEWERTUNG-7f3a9c"
VALID = {
    "feasibility": "conditional",
    "cost_estimate": "250000",
    "responsibility": "shared",
    "text": "Prüfen.",
}


def _form(app, department_key: str, data: dict) -> dict:
    """The assessment form's fields are prefixed with the department's id."""
    with_prefix = {}
    with app.app_context():
        prefix = f"d{department_id(department_key)}-"
    for key, value in data.items():
        with_prefix[prefix + key] = value
    return with_prefix


# --- routing and assignment -----------------------------------------------------------------


def test_routing_assigns_new_proposals(app, client, people, make_proposal):
    sign_in(client, people, "admin")
    with app.app_context():
        from portal.strategy.models import SubGoal

        sub_12 = db.session.scalar(select(SubGoal.id).where(SubGoal.number == "1.2"))
        own, other = department_id(OWN_DEPARTMENT), department_id(OTHER_DEPARTMENT)
    response = post_form(client, "/verwaltung/zuordnung", {f"sg_{sub_12}": [own, other]})
    assert response.status_code == 303
    with app.app_context():
        assert audit("assessments.routing_changed")[0].actor_id == people["admin"]
    page = client.get("/verwaltung/zuordnung").get_data(as_text=True)
    assert f'name="sg_{sub_12}" type="checkbox" value="{own}" checked' in page or "checked" in page

    routed = make_proposal(subgoal="1.2")
    not_routed = make_proposal(subgoal="2.1")
    with app.app_context():
        rows = db.session.scalars(
            select(ProposalDepartment).where(ProposalDepartment.proposal_id == routed)
        ).all()
        assert {row.department_id for row in rows} == {own, other}
        assert all(row.routed and row.assigned_by_id is None for row in rows)
        assert (
            db.session.scalar(select(ProposalDepartment).where(ProposalDepartment.proposal_id == not_routed))
            is None
        )
    # The routing can be emptied again.
    post_form(client, "/verwaltung/zuordnung", {})
    later = make_proposal(subgoal="1.2")
    with app.app_context():
        assert (
            db.session.scalar(select(ProposalDepartment).where(ProposalDepartment.proposal_id == later))
            is None
        )


def test_routing_refuses_unknown_departments(app, client, people):
    sign_in(client, people, "admin")
    with app.app_context():
        from portal.strategy.models import SubGoal

        field = f"sg_{db.session.scalar(select(SubGoal.id).where(SubGoal.number == '1.1'))}"
    response = post_form(client, "/verwaltung/zuordnung", {field: ["999999"]})
    assert response.status_code == 422
    assert field_error(response, field) == "Choose only from the options offered."


def test_moderator_assigns_and_removes_departments(app, client, people, make_proposal):
    ident = make_proposal()
    sign_in(client, people, "moderator")
    with app.app_context():
        own = department_id(OWN_DEPARTMENT)
    url = f"/verwaltung/vorschlaege/{ident}/geschaeftsbereiche"
    response = post_form(client, url, {"department": ""}, form_url=f"/verwaltung/vorschlaege/{ident}")
    assert response.status_code == 422
    assert field_error(response, "department") == "Choose a department."
    response = post_form(client, url, {"department": own}, form_url=f"/verwaltung/vorschlaege/{ident}")
    assert response.status_code == 303
    with app.app_context():
        row = db.session.scalar(select(ProposalDepartment).where(ProposalDepartment.proposal_id == ident))
        assert row.department_id == own and row.assigned_by_id == people["moderator"] and not row.routed
        assert audit("assessments.assigned")[0].details["department"] == OWN_DEPARTMENT
    response = post_form(client, url, {"department": own}, form_url=f"/verwaltung/vorschlaege/{ident}")
    assert response.status_code == 422, "an assigned department is no longer offered"
    response = post_form(client, f"{url}/{own}/entfernen", {}, form_url=f"/verwaltung/vorschlaege/{ident}")
    assert response.status_code == 303
    with app.app_context():
        assert (
            db.session.scalar(select(ProposalDepartment).where(ProposalDepartment.proposal_id == ident))
            is None
        )
        assert audit("assessments.unassigned")


# --- the assessment list and form -----------------------------------------------------------


def test_staff_see_only_their_departments_proposals(client, people, make_proposal, assign):
    mine = make_proposal(title="Vorschlag für den eigenen Geschäftsbereich")
    theirs = make_proposal(title="Vorschlag für einen anderen Geschäftsbereich")
    assign(mine, OWN_DEPARTMENT)
    assign(theirs, OTHER_DEPARTMENT)
    sign_in(client, people, "department_staff")
    text = text_of(client.get("/verwaltung/bewertungen"))
    assert "Vorschlag für den eigenen Geschäftsbereich" in text
    assert "Vorschlag für einen anderen Geschäftsbereich" not in text
    assert client.get(f"/verwaltung/bewertungen/{theirs}").status_code == 403
    # Asking for the other department in the filter shows nothing of it.
    text = text_of(client.get(f"/verwaltung/bewertungen?geschaeftsbereich={OTHER_DEPARTMENT}"))
    assert "Vorschlag für einen anderen Geschäftsbereich" not in text


def test_staff_write_an_assessment(app, client, people, make_proposal, assign):
    ident = make_proposal()
    assign(ident, OWN_DEPARTMENT)
    sign_in(client, people, "department_staff")
    url = f"/verwaltung/bewertungen/{ident}/{OWN_DEPARTMENT}"
    response = post_form(
        client, url, _form(app, OWN_DEPARTMENT, VALID), form_url=f"/verwaltung/bewertungen/{ident}"
    )
    assert response.status_code == 303
    with app.app_context():
        assessment = db.session.scalar(select(Assessment))
        assert assessment.feasibility is Feasibility.CONDITIONAL
        assert assessment.responsibility is Responsibility.SHARED
        assert assessment.cost_estimate == 250000 and assessment.text == "Prüfen."
        assert assessment.author_id == people["department_staff"]
        [event] = audit("assessments.written")
        assert "Prüfen." not in str(event.details) and event.reason is None
    page = text_of(client.get(f"/verwaltung/bewertungen/{ident}"))
    assert "Prüfen." in page
    assert "Assessed" in text_of(client.get("/verwaltung/bewertungen?zustand=bewertet"))
    # Changing it overwrites the department's one assessment.
    post_form(
        client,
        url,
        _form(app, OWN_DEPARTMENT, {**VALID, "cost_estimate": ""}),
        form_url=f"/verwaltung/bewertungen/{ident}",
    )
    with app.app_context():
        assert db.session.scalar(select(Assessment.cost_estimate)) is None
        assert len(db.session.scalars(select(Assessment)).all()) == 1
        assert audit("assessments.changed")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("feasibility", "", "Choose how feasible the proposal is."),
        ("feasibility", "maybe", "Choose how feasible the proposal is."),
        ("responsibility", "", "Choose who is responsible."),
        ("cost_estimate", "-5", "Enter a whole number of euros, 0 or more."),
        ("cost_estimate", "viel", "Enter a whole number."),
        ("text", "x" * 10001, "At most 10000 characters."),
    ],
)
def test_assessment_validation(app, client, people, make_proposal, assign, field, value, message):
    ident = make_proposal()
    assign(ident, OWN_DEPARTMENT)
    sign_in(client, people, "department_staff")
    data = _form(app, OWN_DEPARTMENT, {**VALID, field: value})
    response = post_form(
        client,
        f"/verwaltung/bewertungen/{ident}/{OWN_DEPARTMENT}",
        data,
        form_url=f"/verwaltung/bewertungen/{ident}",
    )
    assert response.status_code == 422
    with app.app_context():
        prefix = f"d{department_id(OWN_DEPARTMENT)}-"
    assert field_error(response, prefix + field) == message


def test_a_department_cannot_read_or_write_another_departments_assessment(
    app, client, people, make_proposal, assign, assess
):
    ident = make_proposal()
    assign(ident, OWN_DEPARTMENT)
    assign(ident, OTHER_DEPARTMENT)
    assess(ident, OWN_DEPARTMENT, people["department_staff"], text=MARKER)
    sign_in(client, people, "other_department")
    page = client.get(f"/verwaltung/bewertungen/{ident}")
    assert page.status_code == 200, "the proposal is assigned to both"
    assert MARKER not in page.get_data(as_text=True)
    response = post_form(
        client,
        f"/verwaltung/bewertungen/{ident}/{OWN_DEPARTMENT}",
        _form(app, OWN_DEPARTMENT, VALID),
        form_url=f"/verwaltung/bewertungen/{ident}",
    )
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(Assessment.text)) == MARKER
        mine = db.session.scalar(select(Assessment))
        assert not can("assessments.read", mine, user=user(people["other_department"]))
    # The own department and the moderators read it.
    sign_in(client, people, "department_staff")
    assert MARKER in client.get(f"/verwaltung/bewertungen/{ident}").get_data(as_text=True)
    sign_in(client, people, "moderator")
    assert MARKER in client.get(f"/verwaltung/vorschlaege/{ident}").get_data(as_text=True)
    # Moderators read, but do not write assessments.
    response = post_form(
        client,
        f"/verwaltung/bewertungen/{ident}/{OWN_DEPARTMENT}",
        _form(app, OWN_DEPARTMENT, VALID),
        form_url=f"/verwaltung/bewertungen/{ident}",
    )
    assert response.status_code == 403


def _public_urls(app, proposal_id: int) -> list[str]:
    """Every GET page outside the back office that needs no argument, or only a proposal id."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith("/verwaltung") or rule.endpoint == "static":
            continue
        if not rule.arguments:
            urls.append(rule.rule)
        elif rule.arguments == {"proposal_id"}:
            urls.append(rule.rule.replace("<int:proposal_id>", str(proposal_id)))
    return urls


def _contains(response, marker: str) -> bool:
    """Whether a response holds ``marker`` (text, or any member of a zip file such as .xlsx)."""
    import io
    import zipfile

    data = response.data
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(marker.encode() in archive.read(name) for name in archive.namelist())
    return marker.encode() in data


def test_assessments_are_never_public(app, client, people, make_proposal, assign, assess, make_comment):
    ident = make_proposal(title="Ein öffentlicher Vorschlag mit interner Bewertung")
    make_comment(ident, people["citizen"])
    assign(ident, OWN_DEPARTMENT)
    assess(ident, OWN_DEPARTMENT, people["department_staff"], text=MARKER)
    urls = _public_urls(app, ident)
    assert f"/vorschlaege/{ident}" in urls
    extra = [f"/vorschlaege/{ident}?lang=en"]
    for role in ("visitor", "author", "department_staff"):
        browser = app.test_client()
        if people[role] is not None:
            login(browser, people[role])
        for url in urls + extra:
            assert not _contains(browser.get(url), MARKER), (role, url)
    # Searching for the text of the assessment does not find the proposal.
    found = text_of(app.test_client().get(f"/vorschlaege?q={MARKER}"))
    assert "Ein öffentlicher Vorschlag mit interner Bewertung" not in found
    # The data export of the proposal's author and of the assessment's author.
    for role in ("author", "department_staff"):
        browser = app.test_client()
        login(browser, people[role])
        export = browser.get("/konto/daten")
        assert export.status_code == 200
        assert not _contains(export, MARKER)


# --- permission matrix and query counts -----------------------------------------------------

ALL_STAFF_LIST = {"department_staff", "other_department", "moderator", "admin"}


def test_rule_matrix(app, people, make_proposal, assign, assess):
    ident = make_proposal()
    assign(ident, OWN_DEPARTMENT)
    assess(ident, OWN_DEPARTMENT, people["department_staff"])
    expected = {
        "assessments.assign": {"moderator", "admin"},
        "assessments.configure_routing": {"admin"},
        "assessments.list": ALL_STAFF_LIST,
        "assessments.view_proposal": {"department_staff", "moderator", "admin"},
        "assessments.read": {"department_staff", "moderator", "admin"},
        "assessments.write": {"department_staff"},
    }
    assert {name for name in registered_rules() if name.startswith("assessments.")} == set(expected)
    with app.test_request_context():
        assignment = db.session.scalar(select(ProposalDepartment))
        assessment = db.session.scalar(select(Assessment))
        objects = {
            "assessments.view_proposal": {assignment.department_id},
            "assessments.read": assessment,
            "assessments.write": assignment,
        }
        for rule_name, allowed in expected.items():
            granted = {
                role for role in ROLES if can(rule_name, objects.get(rule_name), user=user(people[role]))
            }
            assert granted == allowed, rule_name


@pytest.mark.parametrize("role", ROLES)
def test_page_matrix(client, people, make_proposal, assign, role):
    ident = make_proposal()
    assign(ident, OWN_DEPARTMENT)
    sign_in(client, people, role)
    pages = {
        "/verwaltung/bewertungen": ALL_STAFF_LIST,
        f"/verwaltung/bewertungen/{ident}": {"department_staff", "moderator", "admin"},
        "/verwaltung/zuordnung": {"admin"},
    }
    for url, allowed in pages.items():
        response = client.get(url)
        if role == "visitor":
            assert response.status_code == 302, url
        else:
            assert response.status_code == (200 if role in allowed else 403), (url, role)


def test_assessment_list_query_count_does_not_grow(
    client, people, make_proposal, assign, assess, count_queries
):
    sign_in(client, people, "department_staff")

    def add(number):
        for _index in range(number):
            ident = make_proposal()
            assign(ident, OWN_DEPARTMENT)
            assess(ident, OWN_DEPARTMENT, people["department_staff"])

    add(2)
    client.get("/verwaltung/bewertungen")
    with count_queries() as few:
        client.get("/verwaltung/bewertungen")
    add(6)
    with count_queries() as many:
        client.get("/verwaltung/bewertungen")
    assert many.count == few.count
