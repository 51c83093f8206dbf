"""The ballot in the person's data export, and on account deletion (removed or anonymised)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.priorities.models import PriorityBallot
from tests.app.priorities.conftest import municipality_id
from tests.conftest import TEST_PASSWORD

POINTS = {"1.1": 3, "2.1": 3, "3.1": 3, "1.2": 1}


def test_export_contains_the_ballot(app, create_user, demo, seed_ballot):
    from portal.accounts.models import User
    from portal.accounts.services import export_data

    user_id = create_user()
    seed_ballot(user_id, POINTS)
    with app.test_request_context():
        data = export_data(db.session.get(User, user_id))
    assert data["priorities"]["points"] == {"1.1": 3, "1.2": 1, "2.1": 3, "3.1": 3}
    other = create_user()
    with app.test_request_context():
        assert export_data(db.session.get(User, other))["priorities"] is None


@pytest.mark.parametrize(("mode", "kept"), [("remove", False), ("anonymise", True)])
def test_account_deletion(app, create_user, demo, seed_ballot, mode, kept):
    from portal.accounts.models import User
    from portal.accounts.privacy import DeletionMode
    from portal.accounts.services import delete_account

    user_id = create_user("municipality_rep", municipality="lehre")
    ballot_id = seed_ballot(user_id, POINTS)
    official_id = seed_ballot(None, POINTS, municipality_id=municipality_id(app, "lehre"))
    with app.test_request_context():
        official = db.session.get(PriorityBallot, official_id)
        official.cast_by_id = user_id
        db.session.commit()
    with app.test_request_context():
        delete_account(db.session.get(User, user_id), DeletionMode(mode), TEST_PASSWORD)
        db.session.commit()
    with app.app_context():
        remaining = db.session.get(PriorityBallot, ballot_id)
        assert (remaining is not None) is kept
        if kept:
            assert remaining.user_id is None
        official = db.session.get(PriorityBallot, official_id)
        assert official is not None and official.cast_by_id is None
        assert db.session.scalar(select(PriorityBallot.id).where(PriorityBallot.user_id == user_id)) is None
