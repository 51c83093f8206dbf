"""The back-office fixtures (tests/app/moderation/conftest.py), and assessment helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from tests.app.moderation.conftest import _isolated  # noqa: F401
from tests.app.moderation.conftest import make_comment  # noqa: F401
from tests.app.moderation.conftest import make_proposal  # noqa: F401
from tests.app.moderation.conftest import make_user  # noqa: F401
from tests.app.moderation.conftest import people  # noqa: F401
from tests.app.moderation.conftest import support  # noqa: F401


def department_id(key: str) -> int:
    from portal.organisations.models import Department

    return db.session.scalar(select(Department.id).where(Department.key == key))


@pytest.fixture
def assign(app: Flask, people) -> Callable[[int, str], None]:  # noqa: F811
    """``assign(proposal_id, department_key)`` as the moderator."""
    from portal.accounts.models import User
    from portal.assessments import services
    from portal.organisations.models import Department
    from portal.proposals.models import Proposal

    def factory(proposal_id: int, key: str) -> None:
        with app.test_request_context():
            department = db.session.scalar(select(Department).where(Department.key == key))
            services.assign(
                db.session.get(Proposal, proposal_id), department, db.session.get(User, people["moderator"])
            )
            db.session.commit()

    return factory


@pytest.fixture
def assess(app: Flask) -> Callable[..., None]:
    """``assess(proposal_id, department_key, author_id, text=...)`` through the service."""
    from portal.accounts.models import User
    from portal.assessments import services
    from portal.assessments.models import Feasibility
    from portal.assessments.models import ProposalDepartment
    from portal.assessments.models import Responsibility

    def factory(proposal_id: int, key: str, author_id: int, text: str = "Machbar.", **values: Any) -> None:
        with app.test_request_context():
            assignment = db.session.scalar(
                select(ProposalDepartment).where(
                    ProposalDepartment.proposal_id == proposal_id,
                    ProposalDepartment.department_id == department_id(key),
                )
            )
            services.save_assessment(
                assignment,
                services.AssessmentData(
                    feasibility=values.get("feasibility", Feasibility.CONDITIONAL),
                    cost_estimate=values.get("cost_estimate", 125000),
                    responsibility=values.get("responsibility", Responsibility.SHARED),
                    text=text,
                ),
                db.session.get(User, author_id),
            )
            db.session.commit()

    return factory
