"""Fixtures of the participation tests: users in every role, proposals, comments, uploads."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.extensions import limiter

#: The roles of the permission matrices; "author" is a citizen who wrote the object at hand.
ROLES = (
    "visitor",
    "unverified",
    "citizen",
    "author",
    "municipality_rep",
    "department_staff",
    "moderator",
    "admin",
)
DEPARTMENT = "demo-bauen-umwelt"


@pytest.fixture(scope="session")
def _one_password_hash() -> str:
    from portal.accounts.passwords import hash_password
    from tests.conftest import TEST_PASSWORD

    return hash_password(TEST_PASSWORD)


@pytest.fixture(autouse=True)
def _isolated(app: Flask, tmp_path, monkeypatch, _one_password_hash) -> None:
    """Uploads into a temporary folder; rate limits start from zero in every test.

    These tests sign people in without the form, so users share one precomputed argon2 hash
    instead of spending a quarter second per user on hashing.
    """
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    monkeypatch.setattr("portal.accounts.passwords.hash_password", lambda _password: _one_password_hash)
    limiter.reset()


@pytest.fixture
def people(demo, create_user) -> dict[str, int | None]:
    """One user id per role (``visitor`` is None)."""
    return {
        "visitor": None,
        "unverified": create_user(verified=False, display_name="Ulla U."),
        "citizen": create_user(display_name="Carla C."),
        "author": create_user(display_name="Anja K."),
        "municipality_rep": create_user(
            "municipality_rep", municipality="schoeningen", display_name="Rita R."
        ),
        "department_staff": create_user("department_staff", department=DEPARTMENT, display_name="Dirk D."),
        "moderator": create_user("moderator", display_name="Mona M."),
        "admin": create_user("admin", display_name="Adam A."),
    }


def user(user_id: int | None) -> Any:
    """The user object (or an anonymous one) for rule checks inside an app context."""
    from flask_login import AnonymousUserMixin

    from portal.accounts.models import User

    if user_id is None:
        return AnonymousUserMixin()
    return db.session.get(User, user_id)


def subgoal_id(number: str) -> int:
    from portal.strategy.models import SubGoal

    return db.session.scalar(select(SubGoal.id).where(SubGoal.number == number))


def municipality_id(key: str) -> int:
    from portal.organisations.models import Municipality

    return db.session.scalar(select(Municipality.id).where(Municipality.key == key))


@pytest.fixture
def make_proposal(app: Flask, demo) -> Callable[..., int]:
    """Factory: a proposal created through the service; returns its id.

    ``status`` moves it through the workflow as a moderator would (with answers).
    """
    from portal.accounts.models import Role
    from portal.accounts.models import RoleAssignment
    from portal.accounts.models import User
    from portal.proposals import services
    from portal.proposals import workflow
    from portal.proposals.models import CostClass
    from portal.proposals.models import Horizon
    from portal.proposals.models import Proposal
    from portal.proposals.models import ProposalStatus

    counter = iter(range(1, 10**6))

    def factory(
        author_id: int,
        *,
        title: str | None = None,
        body: str = "Eine ausführliche Beschreibung des Vorschlags mit allen wichtigen Einzelheiten.",
        subgoal: str = "1.2",
        municipality: str | None = "helmstedt",
        horizon: Horizon = Horizon.SHORT,
        status: ProposalStatus | None = None,
        supports: int = 0,
        comments: int = 0,
        published: bool = True,
    ) -> int:
        with app.test_request_context():
            author = db.session.get(User, author_id)
            data = services.ProposalData(
                subgoal_id=subgoal_id(subgoal),
                focus_area_id=None,
                title=title or f"Vorschlag Nummer {next(counter)} für den Landkreis",
                body=body,
                municipality_id=municipality_id(municipality) if municipality else None,
                horizon=horizon,
                cost_class=CostClass.MEDIUM,
            )
            proposal = services.create_proposal(author, data)
            if not published:
                proposal.published_at = None
            if status is not None and status is not ProposalStatus.SUBMITTED:
                moderator = db.session.scalar(
                    select(User)
                    .join(RoleAssignment, RoleAssignment.user_id == User.id)
                    .where(RoleAssignment.role == Role.MODERATOR)
                    .limit(1)
                )
                if moderator is None:
                    moderator = User(
                        email=f"mod{proposal.id}@example.org",
                        display_name="Mod",
                        email_verified_at=proposal.created_at,
                    )
                    moderator.roles.append(RoleAssignment(role=Role.MODERATOR))
                    db.session.add(moderator)
                    db.session.flush()
                path = {
                    ProposalStatus.PUBLISHED: [ProposalStatus.PUBLISHED],
                    ProposalStatus.UNDER_REVIEW: [ProposalStatus.UNDER_REVIEW],
                    ProposalStatus.ACCEPTED: [ProposalStatus.UNDER_REVIEW, ProposalStatus.ACCEPTED],
                    ProposalStatus.REJECTED: [ProposalStatus.REJECTED],
                    ProposalStatus.WITHDRAWN: [ProposalStatus.WITHDRAWN],
                }[status]
                for step in path:
                    if step is ProposalStatus.PUBLISHED:
                        proposal.published_at = None
                    actor = author if step is ProposalStatus.WITHDRAWN else moderator
                    workflow.transition(proposal, step, actor, "Begründung der Moderation.")
            for number in range(supports):
                supporter = User(
                    email=f"s{proposal.id}-{number}@example.org",
                    display_name=f"S {number}",
                    email_verified_at=proposal.created_at,
                )
                db.session.add(supporter)
                db.session.flush()
                services.support(proposal, supporter)
            if comments:
                from portal.comments import services as comment_services

                for number in range(comments):
                    comment_services.post_comment(proposal, author, f"Kommentar {number} zum Vorschlag")
            db.session.commit()
            return db.session.get(Proposal, proposal.id).id

    return factory


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    """The visible text of a page, whitespace collapsed."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    for entity, char in (("&#39;", "'"), ("&quot;", '"'), ("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">")):
        text = text.replace(entity, char)
    return re.sub(r"\s+", " ", text)


def field_error(response, field_id: str) -> str | None:  # type: ignore[no-untyped-def]
    """The error message shown next to a field, or None."""
    html = response.get_data(as_text=True)
    match = re.search(
        rf'<p class="kern-error" id="{re.escape(field_id)}-error"[^>]*>.*?<span>(.*?)</span>', html, re.S
    )
    return match.group(1).strip().replace("&#39;", "'").replace("&quot;", '"') if match else None


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    """The app's CLI runner (commands run inside the test's transaction)."""
    return app.test_cli_runner()
