"""The permission matrix of measures and the concept: every rule × every role, own vs others' objects."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin

from portal.accounts.models import User
from portal.core.permissions import can
from portal.core.permissions import registered_rules
from portal.extensions import db
from portal.measures.queries import get_measure
from tests.app.measures.conftest import OTHER_DEPARTMENT
from tests.app.measures.conftest import OWN_DEPARTMENT
from tests.app.measures.conftest import ROLES
from tests.conftest import csrf_token
from tests.conftest import login

STAFF = {"moderator", "admin"}

#: rule -> object kind -> roles that may. Objects: "public"/"hidden" measure of OWN_DEPARTMENT.
MATRIX: dict[str, dict[str, set[str]]] = {
    "measures.view": {
        "public": set(ROLES),
        "hidden": STAFF | {"staff_own"},
    },
    "measures.back_office": {"none": STAFF | {"staff_own", "staff_other"}},
    "measures.create": {"none": STAFF},
    "measures.edit": {"public": STAFF, "hidden": STAFF},
    "measures.record_progress": {"public": STAFF | {"staff_own"}, "hidden": STAFF | {"staff_own"}},
    "measures.export_all": {"none": STAFF | {"staff_own", "staff_other"}},
    "concept.preview": {"none": STAFF},
    "concept.publish": {"none": STAFF},
}


def test_every_rule_of_the_domain_is_in_the_matrix(app):
    ours = {name for name in registered_rules() if name.startswith(("measures.", "concept."))}
    assert ours == {*MATRIX, "concept.view"}


@pytest.fixture
def objects(make_measure) -> dict[str, int | None]:
    return {
        "public": make_measure("Öffentliche Maßnahme", departments=[OWN_DEPARTMENT]),
        "hidden": make_measure("Interne Maßnahme", departments=[OWN_DEPARTMENT], public=False),
        "none": None,
    }


@pytest.mark.parametrize("rule", list(MATRIX))
def test_permission_matrix(app, users, objects, rule):
    """For each object kind of the rule: exactly the expected roles may."""
    wrong = []
    with app.test_request_context():
        for kind, allowed_roles in MATRIX[rule].items():
            obj = get_measure(objects[kind]) if objects[kind] else None
            for role in ROLES:
                user = AnonymousUserMixin() if users[role] is None else db.session.get(User, users[role])
                if can(rule, obj, user=user) != (role in allowed_roles):
                    wrong.append(f"{role} on {kind}")
    assert not wrong, f"{rule}: unexpected answer for {', '.join(wrong)}"


def test_staff_of_another_department_never_records_progress(app, users, make_measure):
    other = make_measure("Maßnahme Verkehr", departments=[OTHER_DEPARTMENT])
    shared = make_measure("Gemeinsame Maßnahme", departments=[OWN_DEPARTMENT, OTHER_DEPARTMENT])
    with app.test_request_context():
        own_staff = db.session.get(User, users["staff_own"])
        assert not can("measures.record_progress", get_measure(other), user=own_staff)
        assert can("measures.record_progress", get_measure(shared), user=own_staff)


# ---- The same matrix through the routes ------------------------------------------------------

ROUTE_EXPECTATIONS = {
    # role: (back-office list, edit form, values form of own-department measure)
    "visitor": (302, 302, 302),
    "unverified": (403, 403, 403),
    "citizen": (403, 403, 403),
    "municipality_rep": (403, 403, 403),
    "staff_own": (200, 403, 200),
    "staff_other": (200, 403, 403),
    "moderator": (200, 200, 200),
    "admin": (200, 200, 200),
}


@pytest.mark.parametrize("role", ROLES)
def test_back_office_routes_by_role(client, users, objects, role):
    if users[role] is not None:
        login(client, users[role])
    measure_id = objects["public"]
    statuses = (
        client.get("/verwaltung/massnahmen").status_code,
        client.get(f"/verwaltung/massnahmen/{measure_id}").status_code,
        client.get(f"/verwaltung/massnahmen/{measure_id}/werte").status_code,
    )
    assert statuses == ROUTE_EXPECTATIONS[role]
    new = client.get("/verwaltung/massnahmen/neu").status_code
    assert new == (200 if role in STAFF else 302 if role == "visitor" else 403)
    concept = client.get("/verwaltung/konzept").status_code
    assert concept == (200 if role in STAFF else 302 if role == "visitor" else 403)
    preview = client.get("/konzept/entwurf").status_code
    assert preview == (200 if role in STAFF else 302 if role == "visitor" else 403)


@pytest.mark.parametrize("role", ROLES)
def test_unpublished_measure_page_is_hidden_from_the_public(client, users, objects, role):
    if users[role] is not None:
        login(client, users[role])
    status = client.get(f"/massnahmen/{objects['hidden']}").status_code
    assert status == (200 if role in STAFF | {"staff_own"} else 404)
    assert client.get(f"/massnahmen/{objects['public']}").status_code == 200


def test_visitor_is_sent_to_the_sign_in_page(client, objects):
    response = client.get(f"/verwaltung/massnahmen/{objects['public']}/werte")
    assert response.status_code == 302
    assert "/anmelden" in response.headers["Location"]


def test_staff_of_another_department_cannot_post_values(client, users, make_measure, app):
    measure_id = make_measure(
        "Maßnahme Bauen",
        departments=[OWN_DEPARTMENT],
        indicators=[("Bäume", "", "higher", 0, 2025, 10, 2030)],
    )
    login(client, users["staff_own"])
    form_url = f"/verwaltung/massnahmen/{measure_id}/werte"
    token = csrf_token(client, form_url)  # the session's token, taken while it may see the form
    login(client, users["staff_other"])
    response = client.post(form_url, data={"status": "in_progress", "progress": "50", "csrf_token": token})
    assert response.status_code == 403
    with app.app_context():
        assert get_measure(measure_id).progress == 0


def test_staff_list_shows_only_their_departments_measures(client, users, make_measure):
    make_measure("Maßnahme des eigenen Bereichs", departments=[OWN_DEPARTMENT])
    make_measure("Maßnahme eines anderen Bereichs", departments=[OTHER_DEPARTMENT])
    login(client, users["staff_own"])
    page = client.get("/verwaltung/massnahmen").get_data(as_text=True)
    assert "Maßnahme des eigenen Bereichs" in page
    assert "Maßnahme eines anderen Bereichs" not in page
    login(client, users["moderator"])
    page = client.get("/verwaltung/massnahmen").get_data(as_text=True)
    assert "Maßnahme des eigenen Bereichs" in page
    assert "Maßnahme eines anderen Bereichs" in page
