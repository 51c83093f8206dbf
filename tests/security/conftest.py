"""Fixtures of the attack suites: a user per role, objects owned by someone else, sample URL
arguments for every route of the URL map (discovered, not hard-coded per route)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from dataclasses import field
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.routing import Rule

from portal.extensions import db
from portal.extensions import limiter

#: Every role of DESIGN.md; "visitor" is not signed in.
ROLES = (
    "visitor",
    "unverified",
    "citizen",
    "municipality_rep",
    "department_staff",
    "moderator",
    "admin",
)
NON_STAFF = ("visitor", "unverified", "citizen", "municipality_rep")
DEPARTMENT = "demo-bauen-umwelt"
OTHER_DEPARTMENT = "demo-soziales-gesundheit"
MUNICIPALITY = "schoeningen"
OTHER_MUNICIPALITY = "helmstedt"
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture(scope="session")
def _one_password_hash() -> str:
    from portal.accounts.passwords import hash_password
    from tests.conftest import TEST_PASSWORD

    return hash_password(TEST_PASSWORD)


@pytest.fixture(autouse=True)
def _isolated(request: pytest.FixtureRequest, tmp_path, monkeypatch, _one_password_hash) -> None:  # type: ignore[no-untyped-def]
    """Uploads into a temporary folder, rate limits from zero, one precomputed password hash."""
    if "app" not in request.fixturenames:
        yield
        return
    app: Flask = request.getfixturevalue("app")
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    monkeypatch.setattr("portal.accounts.passwords.hash_password", lambda _password: _one_password_hash)
    limiter.reset()
    yield
    limiter.reset()


def _department_key(app: Flask, wanted: str, *, not_this: str | None = None) -> str:
    from portal.organisations.models import Department

    with app.app_context():
        keys = list(db.session.scalars(select(Department.key).order_by(Department.id)))
    if wanted in keys:
        return wanted
    return next(key for key in keys if key != not_this)


@dataclass
class World:
    """Users per role plus objects owned by others, and sample values for URL arguments."""

    people: dict[str, int | None]
    owner: int
    proposal: int
    comment: int
    departments: tuple[str, str]
    samples: dict[str, Any] = field(default_factory=dict)

    def url_for_rule(self, rule: Rule) -> str | None:
        """A concrete URL for ``rule`` built from the samples (None when an argument is unknown)."""
        values: dict[str, Any] = {}
        for name in rule.arguments:
            if name in rule.defaults if rule.defaults else False:
                continue
            if name in self.samples:
                values[name] = self.samples[name]
                continue
            converter = rule._converters.get(name)  # type: ignore[attr-defined]
            kind = type(converter).__name__ if converter else ""
            if kind in ("IntegerConverter", "NumberConverter"):
                values[name] = 1
            elif kind == "PathConverter":
                return None
            else:
                values[name] = "beispiel"
        try:
            return rule.build(values, append_unknown=False)[1]  # type: ignore[index]
        except Exception:
            return None


@pytest.fixture
def world(app: Flask, demo, create_user) -> World:
    """Demo strategy, measures and pages; a user per role; a proposal and a comment of someone else."""
    from portal.accounts.models import User
    from portal.comments import services as comment_services
    from portal.proposals import services
    from portal.proposals.models import CostClass
    from portal.proposals.models import Horizon
    from portal.strategy.models import SubGoal

    department = _department_key(app, DEPARTMENT)
    other_department = _department_key(app, OTHER_DEPARTMENT, not_this=department)
    people: dict[str, int | None] = {
        "visitor": None,
        "unverified": create_user(verified=False, display_name="Ulla Unbestätigt"),
        "citizen": create_user(display_name="Carla Citizen"),
        "municipality_rep": create_user(
            "municipality_rep", municipality=MUNICIPALITY, display_name="Rita Rep"
        ),
        "department_staff": create_user("department_staff", department=department, display_name="Dirk Dept"),
        "moderator": create_user("moderator", display_name="Mona Mod"),
        "admin": create_user("admin", display_name="Adam Admin"),
    }
    owner = create_user(display_name="Olga Owner", email="owner@example.org")
    with app.test_request_context():
        author = db.session.get(User, owner)
        subgoal = db.session.scalar(select(SubGoal).where(SubGoal.number == "1.1"))
        proposal = services.create_proposal(
            author,
            services.ProposalData(
                subgoal_id=subgoal.id, focus_area_id=None, title="Ein Vorschlag von jemand anderem",
                body="Eine Beschreibung, die lang genug ist, um als Vorschlag zu gelten, und privat bleibt.",
                municipality_id=None, horizon=Horizon.SHORT, cost_class=CostClass.MEDIUM,
            ),
        )  # fmt: skip
        db.session.flush()
        comment = comment_services.post_comment(proposal, author, "Ein Kommentar von jemand anderem.")
        db.session.commit()
        proposal_id, comment_id = proposal.id, comment.id
    samples = _samples(app, proposal_id, comment_id, owner)
    return World(people, owner, proposal_id, comment_id, (department, other_department), samples)


@pytest.fixture
def full_world(app: Flask, world: World) -> World:
    """:func:`world` plus the demo site pages, measures and concept (for the route matrices)."""
    from portal.measures.demo import seed_demo_measures
    from portal.pages.services import seed_demo_pages

    with app.app_context():
        seed_demo_pages()
        seed_demo_measures()
        db.session.commit()
    world.samples = _samples(app, world.proposal, world.comment, world.owner)
    return world


def _samples(app: Flask, proposal_id: int, comment_id: int, owner: int) -> dict[str, Any]:
    """Values for the URL arguments the routes use, taken from the data."""
    from portal.accounts.models import RoleAssignment
    from portal.organisations.models import Department
    from portal.organisations.models import Municipality

    with app.app_context():
        first = lambda model: db.session.scalar(select(model.id).order_by(model.id).limit(1))  # noqa: E731
        samples: dict[str, Any] = {
            "proposal_id": proposal_id,
            "comment_id": comment_id,
            "user_id": owner,
            "number": 1,
            "slug": "impressum",
            "key": MUNICIPALITY,
            "token": secrets.token_urlsafe(16),
            "name": "AAAAAAAAAAAAAAAAAAAAAA.jpg",
            "lang": "de",
            "assignment_id": first(RoleAssignment) or 1,
            "municipality_id": first(Municipality) or 1,
            "department_id": first(Department) or 1,
        }
        for module, model_name, arg in (
            ("portal.measures.models", "Measure", "measure_id"),
            ("portal.measures.models", "Indicator", "indicator_id"),
            ("portal.statements.models", "StatementRequest", "request_id"),
            ("portal.assessments.models", "Assessment", "assessment_id"),
            ("portal.flags.models", "Flag", "flag_id"),
            ("portal.moderation.models", "AnswerTemplate", "template_id"),
            ("portal.strategy.models", "Goal", "goal_id"),
            ("portal.strategy.models", "SubGoal", "subgoal_id"),
            ("portal.process.models", "Phase", "phase_id"),
        ):
            try:
                model = getattr(__import__(module, fromlist=[model_name]), model_name)
            except (ImportError, AttributeError):
                continue
            samples[arg] = first(model) or 1
    return samples


def sign_in(client, user_id: int | None) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import login

    if user_id is not None:
        login(client, user_id)


def routes(app: Flask, methods: set[str] | None = None) -> list[Rule]:
    """The app's rules (static files excepted), optionally only those accepting ``methods``."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        if methods and not (set(rule.methods or ()) & methods):
            continue
        found.append(rule)
    return sorted(found, key=lambda rule: rule.rule)
