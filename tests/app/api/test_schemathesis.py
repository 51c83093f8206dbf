"""The API against its own OpenAPI document, property-based (schemathesis, stateless checks).

Every operation, valid and invalid inputs, a bounded number of examples each, on seeded data
with public prioritisation results.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck
from hypothesis import Phase
from hypothesis import given
from hypothesis import settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import content_type_conformance
from schemathesis.checks import negative_data_rejection
from schemathesis.checks import not_a_server_error
from schemathesis.checks import positive_data_acceptance
from schemathesis.checks import response_headers_conformance
from schemathesis.checks import response_schema_conformance
from schemathesis.checks import status_code_conformance

from portal.core import clock
from tests.app.priorities.conftest import AFTER

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance,
]
MAX_EXAMPLES = 20


def seed_everything(seed, create_user, make_measure, seed_ballot) -> None:  # type: ignore[no-untyped-def]
    author, rep = create_user(), create_user("municipality_rep", municipality="schoeningen")
    first = seed.proposal(author, "1.1", municipality="helmstedt", title="Radweg", body="Bitte **bauen**.")
    seed.comment(first, author, "Gute Idee")
    seed.comment(first, rep, "Die Stadt stimmt zu.", municipality="schoeningen")
    seed.support(first, rep)
    second = seed.proposal(author, "2.1", title="Gewerbegebiet")
    seed.status_change(second, "accepted", "Wird Maßnahme.", create_user("moderator"), source="submitted")
    seed.proposal(author, "3.1", status="withdrawn")
    seed.proposal(author, "3.1", hidden=True)
    make_measure()
    make_measure("Nicht öffentlich", public=False)
    seed_ballot(author, {"1.1": 3, "1.2": 3, "2.1": 3, "3.1": 1})


def test_every_operation_conforms_to_the_document(app, seed, create_user, make_measure, seed_ballot):
    seed_everything(seed, create_user, make_measure, seed_ballot)
    clock.freeze(AFTER)  # the prioritisation results are public
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 8
    skipped: list[str] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=MAX_EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def run(case):  # type: ignore[no-untyped-def]
                # Compressed bodies are checked in tests/app/test_http_cache.py; here the plain JSON.
                case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})

            try:
                run()
            except Unsatisfiable:
                # Nothing to make invalid (no parameters, or only free-text ones).
                assert mode is GenerationMode.NEGATIVE, operation.label
                skipped.append(operation.label)
    # Operations whose parameters can be made invalid were tested with invalid values too.
    assert "GET /api/v1/proposals" not in skipped and "GET /api/v1/measures" not in skipped
