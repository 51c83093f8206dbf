"""The open-data API contract: envelopes, pages, filters, exclusions, ETag, caching, CORS, errors."""

from __future__ import annotations

import pytest

from portal.core import clock
from tests.app.priorities.conftest import AFTER

BASE = "http://localhost"


def urls_in(value, path="$"):  # type: ignore[no-untyped-def]
    """Every (path, url) pair of a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "url":
                yield path, item
            else:
                yield from urls_in(item, f"{path}.{key}")
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from urls_in(item, f"{path}[{number}]")


@pytest.fixture
def proposals(seed, create_user):  # type: ignore[no-untyped-def]
    """Three listed proposals (different goals, places, supports) plus some that must not show."""
    author, rep, moderator = (
        create_user(),
        create_user("municipality_rep", municipality="schoeningen"),
        create_user("moderator"),
    )
    supporters = [create_user() for _ in range(3)]
    ids = {
        "radweg": seed.proposal(author, "1.4", municipality="helmstedt", title="Radweg", supports_count=3),
        "gewerbe": seed.proposal(author, "2.1", title="Gewerbegebiet", supports_count=1),
        "schule": seed.proposal(author, "1.2", municipality="schoeningen", title="Schule", supports_count=2),
        "hidden": seed.proposal(author, "1.4", title="Versteckt", hidden=True),
        "withdrawn": seed.proposal(author, "1.4", title="Zurückgezogen", status="withdrawn"),
        "unpublished": seed.proposal(author, "1.4", title="Unveröffentlicht", published_at=None),
    }
    for user in supporters:
        seed.support(ids["radweg"], user)
    seed.comment(ids["radweg"], author, "Gute Idee")
    seed.comment(ids["radweg"], author, "Versteckter Kommentar", hidden=True)
    seed.comment(ids["radweg"], author, "Gelöscht", deleted=True)
    seed.comment(ids["radweg"], rep, "Die Stadt Schöningen stimmt zu.", municipality="schoeningen")
    seed.comment(ids["radweg"], rep, "Zurückgezogene Stellungnahme", municipality="schoeningen", hidden=True)
    seed.comment(ids["schule"], rep, "Der Geschäftsbereich prüft.", department="demo-schule-kultur-sport")
    seed.status_change(ids["gewerbe"], "under_review", None, moderator, source="submitted")
    seed.status_change(
        ids["gewerbe"], "accepted", "Wird Teil einer Maßnahme.", moderator, source="under_review"
    )
    return ids


def test_index_lists_the_endpoints(client, demo):
    data = client.get("/api/v1/").get_json()
    assert data["endpoints"]["proposals"] == f"{BASE}/api/v1/proposals"
    assert data["openapi"] == f"{BASE}/api/v1/openapi.json"


def test_goals_carry_texts_per_language_and_urls(client, demo):
    response = client.get("/api/v1/goals")
    assert response.status_code == 200
    data = response.get_json()
    title = data["strategy"]["title"]
    assert title["de"] == "Kreisentwicklungskonzept 2026"
    assert title["en"] == "District Development Concept 2026"
    assert set(title) <= {"de", "en", "tr", "ar", "uk", "ru", "pl"}
    assert [goal["number"] for goal in data["data"]] == [1, 2, 3]
    subgoals = [sub for goal in data["data"] for sub in goal["subgoals"]]
    assert len(subgoals) == 13
    first = data["data"][0]["subgoals"][0]
    assert first["url"] == f"{BASE}/unterziele/1.1"
    assert first["focus_areas"][0]["title"]["de"] == "Generationsgerechtes Wohnen"
    assert data["data"][0]["url"] == f"{BASE}/oberziele/1"
    assert all(url.startswith(BASE + "/") for _path, url in urls_in(data))


def test_proposals_list_excludes_what_is_not_public(client, proposals):
    data = client.get("/api/v1/proposals").get_json()
    titles = [item["title"] for item in data["data"]]
    assert sorted(titles) == ["Gewerbegebiet", "Radweg", "Schule"]
    assert data["meta"] == {"page": 1, "per_page": 20, "total": 3, "pages": 1}
    for key in ("hidden", "withdrawn", "unpublished"):
        assert client.get(f"/api/v1/proposals/{proposals[key]}").status_code == 404
    radweg = next(item for item in data["data"] if item["title"] == "Radweg")
    assert radweg["url"] == f"{BASE}/vorschlaege/{proposals['radweg']}"
    assert (radweg["comments_count"], radweg["statements_count"]) == (1, 1)
    assert radweg["municipality"] == {"key": "helmstedt", "name": "Stadt Helmstedt"}
    assert radweg["subgoal"]["number"] == "1.4"
    assert "author" not in radweg and "author_id" not in radweg


def test_proposal_detail_has_history_and_statements(client, proposals):
    data = client.get(f"/api/v1/proposals/{proposals['gewerbe']}").get_json()
    assert [(step["from_status"], step["to_status"], step["answer"]) for step in data["history"]] == [
        ("submitted", "under_review", None),
        ("under_review", "accepted", "Wird Teil einer Maßnahme."),
    ]
    assert all(set(step) == {"from_status", "to_status", "answer", "at"} for step in data["history"])
    radweg = client.get(f"/api/v1/proposals/{proposals['radweg']}").get_json()
    assert radweg["statements"] == [
        {
            "municipality": {"key": "schoeningen", "name": "Stadt Schöningen"},
            "department": None,
            "body": "Die Stadt Schöningen stimmt zu.",
            "at": radweg["statements"][0]["at"],
        }
    ]
    schule = client.get(f"/api/v1/proposals/{proposals['schule']}").get_json()
    assert schule["statements"][0]["department"]["key"] == "demo-schule-kultur-sport"
    assert schule["statements"][0]["municipality"] is None


def test_pagination_with_absolute_links(client, proposals):
    first = client.get("/api/v1/proposals?per_page=1&sortierung=unterstuetzt").get_json()
    assert first["meta"] == {"page": 1, "per_page": 1, "total": 3, "pages": 3}
    assert [item["title"] for item in first["data"]] == ["Radweg"]
    links = first["links"]
    assert links["prev"] is None
    assert links["next"] == f"{BASE}/api/v1/proposals?sortierung=unterstuetzt&page=2&per_page=1"
    assert links["last"] == f"{BASE}/api/v1/proposals?sortierung=unterstuetzt&page=3&per_page=1"
    second = client.get(links["next"].removeprefix(BASE)).get_json()
    assert [item["title"] for item in second["data"]] == ["Schule"]
    assert second["links"]["prev"] == f"{BASE}/api/v1/proposals?sortierung=unterstuetzt&page=1&per_page=1"
    assert client.get("/api/v1/proposals?page=4&per_page=1").status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("per_page=101", "per_page must be between 1 and 100"),
        ("per_page=0", "per_page must be between 1 and 100"),
        ("page=0", "page must be at least 1"),
        ("page=x", "page must be a whole number"),
        ("status=withdrawn", "status must be one of"),
        ("status=merged", "status must be one of"),
        ("unterziel=9.9", "unterziel: no such sub-goal"),
        ("oberziel=7", "oberziel: no such main goal"),
        ("gemeinde=atlantis", "gemeinde must be"),
        ("sortierung=alt", "sortierung must be one of"),
        ("horizont=ewig", "horizont must be one of"),
        ("seite=2", "unknown query parameter: seite"),
        ("page=1&page=2", "query parameter given more than once: page"),
    ],
)
def test_invalid_parameters_are_json_400(client, demo, query, message):
    response = client.get(f"/api/v1/proposals?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["error"] == 400 and message in body["message"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("unterziel=1.4", ["Radweg"]),
        ("oberziel=1", ["Radweg", "Schule"]),
        ("gemeinde=district", ["Gewerbegebiet"]),
        ("gemeinde=schoeningen", ["Schule"]),
        ("status=accepted", ["Gewerbegebiet"]),
        ("stellungnahmen=1", ["Radweg", "Schule"]),
        ("sortierung=unterstuetzt", ["Radweg", "Schule", "Gewerbegebiet"]),
    ],
)
def test_filters_and_order_like_the_web_list(client, proposals, query, titles):
    data = client.get(f"/api/v1/proposals?{query}").get_json()
    found = [item["title"] for item in data["data"]]
    assert (found if "sortierung" in query else sorted(found)) == titles


def test_random_order_is_stable_for_a_seed(client, proposals):
    first = client.get("/api/v1/proposals?sortierung=zufall&seed=42").get_json()
    again = client.get("/api/v1/proposals?sortierung=zufall&seed=42").get_json()
    assert [item["id"] for item in first["data"]] == [item["id"] for item in again["data"]]
    assert "seed=42" in first["links"]["self"]


def test_etag_and_304(app, client, seed, proposals):
    response = client.get("/api/v1/proposals")
    etag = response.headers["ETag"]
    assert etag.startswith('"') and len(etag) > 10
    assert response.headers["Cache-Control"] == "public, max-age=60"
    again = client.get("/api/v1/proposals", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == "public, max-age=60"
    weak = client.get("/api/v1/proposals", headers={"If-None-Match": f'"other", W/{etag}'})
    assert weak.status_code == 304  # If-None-Match compares weakly (RFC 9110)
    seed.proposal(None, "3.1", title="Neu")
    changed = client.get("/api/v1/proposals", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_cors_for_get_only_and_no_cookies(client, demo):
    response = client.get("/api/v1/goals", headers={"Origin": "https://example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in response.headers
    preflight = client.options(
        "/api/v1/goals",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET, HEAD"
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    posted = client.post("/api/v1/goals")
    assert posted.status_code == 405
    assert posted.mimetype == "application/json"
    assert "POST" not in posted.headers["Allow"] and "GET" in posted.headers["Allow"]


def test_signed_in_callers_get_no_session_cookie(client, create_user, demo):
    from tests.conftest import login

    login(client, create_user())
    with client.session_transaction() as session:
        session.permanent = True  # "stay signed in": Flask would refresh the cookie on every request
    response = client.get("/api/v1/goals")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert "Set-Cookie" in client.get("/").headers  # the web pages still keep the session fresh


def test_ids_beyond_the_database_range_are_404(client, demo):
    for path in ("/api/v1/proposals/2147483648", "/api/v1/measures/99999999999999", "/api/v1/proposals/0"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.get_json()["error"] == 404


def test_unknown_api_path_is_json_404(client, demo):
    response = client.get("/api/v1/gibt-es-nicht")
    assert response.status_code == 404
    assert response.get_json()["error"] == 404
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"] == "no-store"


def test_measures_only_public_with_lines_and_indicators(app, client, seed, proposals, make_measure):
    public = make_measure()
    hidden = make_measure("Entwurf", public=False)
    from portal.extensions import db
    from portal.measures.models import measure_proposals

    with app.app_context():
        db.session.execute(
            measure_proposals.insert(),
            [
                {"measure_id": public, "proposal_id": proposals["gewerbe"]},
                {"measure_id": public, "proposal_id": proposals["withdrawn"]},
            ],
        )
        db.session.commit()
    data = client.get("/api/v1/measures").get_json()
    assert [item["title"] for item in data["data"]] == ["Radweg Helmstedt–Schöningen"]
    item = data["data"][0]
    assert item["budget_total"] == {"cents": 6234567, "euros": "62345.67", "currency": "EUR"}
    assert [sub["number"] for sub in item["subgoals"]] == ["1.2", "1.4"]
    assert client.get(f"/api/v1/measures/{hidden}").status_code == 404
    detail = client.get(f"/api/v1/measures/{public}").get_json()
    assert detail["url"] == f"{BASE}/massnahmen/{public}"
    assert [line["year"] for line in detail["budget_lines"]] == [2027, 2028]
    assert detail["budget_lines"][1]["funding_source"] == "Förderung Land"
    indicator = detail["indicators"][0]
    assert indicator["values"] == [{"year": 2027, "value": 3.5}]
    assert indicator["target"] == {"value": 12.5, "year": 2029}
    assert [source["title"] for source in detail["source_proposals"]] == ["Gewerbegebiet"]
    assert (
        client.get("/api/v1/measures?status=planned&department=demo-ordnung-verkehr").get_json()["meta"][
            "total"
        ]
        == 1
    )
    assert client.get("/api/v1/measures?status=completed").get_json()["meta"]["total"] == 0
    assert client.get("/api/v1/measures?department=gibt-es-nicht").status_code == 400


def test_priorities_only_when_public(app, client, demo, create_user, seed_ballot):
    seed_ballot(create_user(), {"1.1": 3, "1.2": 3, "2.1": 3, "3.1": 1})
    closed = client.get("/api/v1/priorities")
    assert closed.status_code == 404
    assert closed.get_json()["message"] == "the prioritisation results are not public yet"
    clock.freeze(AFTER)
    data = client.get("/api/v1/priorities").get_json()
    assert data["public"] is True and data["participants"] == 1
    assert data["subgoals"][0]["url"].startswith(f"{BASE}/unterziele/")
    assert data["url"] == f"{BASE}/priorisierung/ergebnisse"
    assert "subgoal_id" not in data["subgoals"][0]


def test_statistics_match_the_page(app, client, proposals):
    data = client.get("/api/v1/statistics").get_json()
    assert data["totals"]["proposals"] == 3
    assert data["totals"]["statements"] == 2
    assert data["outcomes"]["answered"] == 1 and data["outcomes"]["accepted"] == 1
    assert data["url"] == f"{BASE}/statistik"
    grasleben = next(row for row in data["municipalities"] if row["key"] == "grasleben")
    assert grasleben["inhabitants"] is None and grasleben["per_thousand"]["participants"] is None


def test_every_item_carries_an_absolute_url(client, proposals, make_measure):
    measure = make_measure()
    for path in (
        "/api/v1/goals",
        "/api/v1/proposals",
        f"/api/v1/proposals/{proposals['radweg']}",
        "/api/v1/measures",
        f"/api/v1/measures/{measure}",
        "/api/v1/statistics",
    ):
        data = client.get(path).get_json()
        found = list(urls_in(data))
        assert found, path
        assert all(url.startswith(BASE + "/") for _where, url in found), path
    items = (
        client.get("/api/v1/proposals").get_json()["data"] + client.get("/api/v1/measures").get_json()["data"]
    )
    assert all("url" in item for item in items)


def test_openapi_document(client, demo):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == {
        "/api/v1/",
        "/api/v1/goals",
        "/api/v1/proposals",
        "/api/v1/proposals/{proposal_id}",
        "/api/v1/measures",
        "/api/v1/measures/{measure_id}",
        "/api/v1/priorities",
        "/api/v1/statistics",
    }
    parameters = {p["name"]: p for p in document["paths"]["/api/v1/proposals"]["get"]["parameters"]}
    assert "1.1" in parameters["unterziel"]["schema"]["enum"]
    assert parameters["per_page"]["schema"]["maximum"] == 100


def test_list_query_counts_do_not_grow(
    app, client, seed, create_user, proposals, make_measure, count_queries
):
    make_measure()
    client.get("/api/v1/proposals")
    with count_queries() as few:
        client.get("/api/v1/proposals")
    with count_queries() as few_measures:
        client.get("/api/v1/measures")
    author = create_user()
    for number in range(8):
        proposal = seed.proposal(author, "3.2", municipality="lehre", title=f"Mehr {number}")
        seed.comment(proposal, author)
        make_measure(f"Maßnahme {number}")
    with count_queries() as many:
        client.get("/api/v1/proposals")
    with count_queries() as many_measures:
        client.get("/api/v1/measures")
    assert many.count == few.count <= 10
    assert many_measures.count == few_measures.count <= 10


def test_proposals_csv_download(client, proposals):
    response = client.get("/vorschlaege.csv?sortierung=unterstuetzt")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    body = response.get_data().decode("utf-8")
    assert body.startswith("\ufeffVorschlagsnummer;Link;Titel;Unterziel;Oberziel;")
    lines = body.splitlines()[1:]
    assert [line.split(";")[2] for line in lines] == ["Radweg", "Schule", "Gewerbegebiet"]
    assert lines[0].split(";")[1] == f"{BASE}/vorschlaege/{proposals['radweg']}"
    assert "Stadt Helmstedt" in lines[0]
    filtered = client.get("/vorschlaege.csv?gemeinde=schoeningen").get_data().decode("utf-8")
    assert len(filtered.splitlines()) == 2 and ";Schule;" in filtered
