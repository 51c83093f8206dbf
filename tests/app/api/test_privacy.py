"""No personal data, internal assessment or hidden content in any API response or CSV export.

The test seeds such data with unmistakable markers, then fetches every API endpoint (lists with
filters, every detail) and every CSV download, and searches each body for the markers.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.core import clock
from portal.extensions import db
from tests.app.priorities.conftest import AFTER

#: Strings that must never leave the portal through the API or an export.
SECRETS = {
    "author e-mail": "erika.geheim@example.org",
    "author name": "Erika Geheimnisträgerin",
    "representative e-mail": "rep.geheim@example.org",
    "representative name": "Rudi Vertretungsgeheim",
    "moderator e-mail": "mod.geheim@example.org",
    "moderator name": "Moderatorin Geheimname",
    "supporter name": "Sabine Unterstützergeheim",
    "hidden proposal": "VERSTECKTER-VORSCHLAG-7731",
    "hidden proposal text": "Verborgener-Text-4410",
    "hidden reason": "Beleidigung",
    "withdrawn proposal": "ZURUECKGEZOGEN-VORSCHLAG-9902",
    "unpublished proposal": "UNVEROEFFENTLICHT-VORSCHLAG-5521",
    "merged proposal": "ZUSAMMENGEFUEHRT-VORSCHLAG-3390",
    "hidden comment": "VERSTECKTER-KOMMENTAR-1187",
    "hidden statement": "VERSTECKTE-STELLUNGNAHME-6620",
    "deleted comment": "GELOESCHTER-KOMMENTAR-2205",
    "internal assessment": "INTERNE-BEWERTUNG-8841",
    "hidden measure": "ENTWURF-MASSNAHME-4471",
    "progress update author": "Fortschritt Autorgeheim",
}


def seed_secrets(app, seed, create_user, make_measure, seed_ballot) -> dict[str, int]:  # type: ignore[no-untyped-def]
    author = create_user(email=SECRETS["author e-mail"], display_name=SECRETS["author name"])
    rep = create_user(
        "municipality_rep",
        municipality="schoeningen",
        email=SECRETS["representative e-mail"],
        display_name=SECRETS["representative name"],
    )
    moderator = create_user(
        "moderator", email=SECRETS["moderator e-mail"], display_name=SECRETS["moderator name"]
    )
    supporter = create_user(display_name=SECRETS["supporter name"])

    listed = seed.proposal(author, "1.1", municipality="helmstedt", title="Öffentlicher Radweg")
    seed.support(listed, supporter)
    seed.comment(listed, author, "Öffentlicher Kommentar")
    seed.comment(listed, author, SECRETS["hidden comment"], hidden=True)
    seed.comment(listed, author, SECRETS["deleted comment"], deleted=True)
    seed.comment(listed, rep, "Öffentliche Stellungnahme", municipality="schoeningen")
    seed.comment(listed, rep, SECRETS["hidden statement"], municipality="schoeningen", hidden=True)
    seed.status_change(listed, "under_review", None, moderator, source="submitted")
    seed.status_change(listed, "accepted", "Wird umgesetzt.", moderator, source="under_review")

    hidden = seed.proposal(
        author, "1.1", title=SECRETS["hidden proposal"], body=SECRETS["hidden proposal text"], hidden=True
    )
    seed.support(hidden, supporter)
    seed.comment(hidden, supporter, "Kommentar am versteckten Vorschlag")
    withdrawn = seed.proposal(author, "1.2", title=SECRETS["withdrawn proposal"], status="withdrawn")
    seed.proposal(author, "1.3", title=SECRETS["unpublished proposal"], published_at=None)

    # a merged proposal: its target is listed, the merged one is not
    from portal.proposals.models import Proposal
    from portal.proposals.models import ProposalStatus

    merged = seed.proposal(author, "1.1", title=SECRETS["merged proposal"])
    with app.app_context():
        row = db.session.get(Proposal, merged)
        row.status = ProposalStatus.MERGED
        row.merged_into_id = listed
        db.session.commit()

    # an internal assessment of the listed proposal
    from portal.assessments.models import Assessment
    from portal.assessments.models import Feasibility
    from portal.assessments.models import Responsibility
    from portal.organisations.models import Department

    with app.app_context():
        department = db.session.scalar(select(Department).where(Department.key == "demo-bauen-umwelt"))
        db.session.add(
            Assessment(
                proposal_id=listed,
                department_id=department.id,
                author_id=moderator,
                feasibility=Feasibility.CONDITIONAL,
                cost_estimate=123456,
                responsibility=Responsibility.DISTRICT,
                text=SECRETS["internal assessment"],
            )
        )
        db.session.commit()

    public_measure = make_measure("Öffentliche Maßnahme")
    make_measure(SECRETS["hidden measure"], public=False)
    from portal.measures.models import ProgressUpdate
    from portal.measures.models import measure_proposals

    progress_author = create_user(display_name=SECRETS["progress update author"])
    with app.app_context():
        db.session.execute(
            measure_proposals.insert(),
            [
                {"measure_id": public_measure, "proposal_id": listed},
                {"measure_id": public_measure, "proposal_id": withdrawn},
                {"measure_id": public_measure, "proposal_id": hidden},
            ],
        )
        db.session.add(
            ProgressUpdate(
                measure_id=public_measure,
                published_on=clock.today(),
                body="Ausschreibung veröffentlicht.",
                body_html="<p>Ausschreibung veröffentlicht.</p>",
                author_id=progress_author,
            )
        )
        db.session.commit()

    seed_ballot(author, {"1.1": 3, "1.2": 3, "2.1": 3, "3.1": 1})
    seed_ballot(
        None, {"1.1": 3, "1.2": 3, "2.1": 3, "3.1": 1}, municipality_id=seed.municipality_id("schoeningen")
    )
    return {
        "listed": listed,
        "hidden": hidden,
        "withdrawn": withdrawn,
        "merged": merged,
        "measure": public_measure,
    }


def test_no_personal_or_hidden_data_in_api_and_exports(
    app, client, seed, create_user, make_measure, seed_ballot
):
    ids = seed_secrets(app, seed, create_user, make_measure, seed_ballot)
    clock.freeze(AFTER)  # prioritisation results public

    paths = [
        "/api/v1/",
        "/api/v1/openapi.json",
        "/api/v1/goals",
        "/api/v1/priorities",
        "/api/v1/statistics",
        "/api/v1/measures",
        "/api/v1/measures?per_page=100",
        "/api/v1/proposals?per_page=100",
        "/api/v1/proposals?stellungnahmen=1",
        "/api/v1/proposals?status=accepted",
        "/api/v1/proposals?q=VERSTECKTER",
        "/api/v1/proposals?sortierung=zufall&seed=1",
        # CSV downloads of the web pages
        "/vorschlaege.csv",
        "/vorschlaege.csv?stellungnahmen=1",
        "/statistik.csv",
        "/priorisierung/ergebnisse.csv",
        "/massnahmen/export.csv",
    ]
    listed = client.get("/api/v1/proposals?per_page=100").get_json()["data"]
    paths += [f"/api/v1/proposals/{item['id']}" for item in listed]
    measures = client.get("/api/v1/measures?per_page=100").get_json()["data"]
    paths += [f"/api/v1/measures/{item['id']}" for item in measures]
    assert [item["id"] for item in listed] == [ids["listed"]]
    assert [item["id"] for item in measures] == [ids["measure"]]

    checked = 0
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.get_data().decode("utf-8")
        for what, secret in SECRETS.items():
            assert secret not in body, f"{what} ({secret!r}) appears in {path}"
        checked += 1
    assert checked == len(paths) >= 19

    for key in ("hidden", "withdrawn", "merged"):
        assert client.get(f"/api/v1/proposals/{ids[key]}").status_code == 404
