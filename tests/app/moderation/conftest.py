"""Fixtures of the back-office tests (moderation, assessments, statements, admin): people in
every role, proposals and comments made through the services, and helpers to read pages and mail.
The other back-office test packages import these fixtures in their own conftest.py."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.extensions import limiter
from tests.conftest import login

#: Every role of the permission matrices. "department_staff" works in OWN_DEPARTMENT,
#: "other_department" in OTHER_DEPARTMENT.
ROLES = (
    "visitor",
    "unverified",
    "citizen",
    "municipality_rep",
    "department_staff",
    "other_department",
    "moderator",
    "admin",
)
OWN_DEPARTMENT = "demo-bauen-umwelt"
OTHER_DEPARTMENT = "demo-schule-kultur-sport"
ANSWER = "Vielen Dank, wir prüfen das gemeinsam mit dem Geschäftsbereich."


@pytest.fixture(autouse=True)
def _isolated(app: Flask, tmp_path, monkeypatch) -> None:
    """Files into temporary folders; rate limits start from zero in every test."""
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    monkeypatch.setitem(app.config, "DOCUMENTS_FOLDER", str(tmp_path / "documents"))
    limiter.reset()


_user_numbers = iter(range(1, 10**6))
_password_hash: list[str] = []


@pytest.fixture
def make_user(app: Flask):  # type: ignore[no-untyped-def]
    """Like ``create_user`` but fast: the password hash (argon2, slow on purpose) is made once."""
    from portal.accounts.models import Role
    from portal.accounts.models import RoleAssignment
    from portal.accounts.models import User
    from portal.core import clock
    from portal.organisations.models import Department
    from portal.organisations.models import Municipality

    def factory(role: str | None = None, *, verified: bool = True, municipality: str | None = None,
                department: str | None = None, **fields: Any) -> int:  # fmt: skip
        if not _password_hash:
            from portal.accounts.passwords import hash_password
            from tests.conftest import TEST_PASSWORD

            _password_hash.append(hash_password(TEST_PASSWORD))
        number = next(_user_numbers)
        with app.app_context():
            user = User(
                email=str(fields.pop("email", f"staff{number}@example.org")).lower(),
                display_name=str(fields.pop("display_name", f"Person {number}")),
                password_hash=_password_hash[0],
                email_verified_at=clock.now() if verified else None,
                language=str(fields.pop("language", "de")),
                **fields,
            )
            if role:
                assignment = RoleAssignment(role=Role(role))
                if municipality:
                    assignment.municipality_id = key_id(Municipality, municipality)
                if department:
                    assignment.department_id = key_id(Department, department)
                user.roles.append(assignment)
            db.session.add(user)
            db.session.commit()
            return user.id

    return factory


@pytest.fixture
def people(demo, make_user) -> dict[str, int | None]:
    """One user id per role (``visitor`` is None), plus an author of proposals."""
    create_user = make_user
    return {
        "visitor": None,
        "unverified": create_user(verified=False, display_name="Ulla U."),
        "citizen": create_user(display_name="Carla C."),
        "author": create_user(display_name="Anja K.", email="anja@example.org"),
        "municipality_rep": create_user(
            "municipality_rep", municipality="schoeningen", display_name="Rita R."
        ),
        "department_staff": create_user(
            "department_staff", department=OWN_DEPARTMENT, display_name="Dirk D."
        ),
        "other_department": create_user(
            "department_staff", department=OTHER_DEPARTMENT, display_name="Olga O."
        ),
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


def sign_in(client, people: dict[str, int | None], role: str) -> None:  # type: ignore[no-untyped-def]
    """Sign the client in as ``role`` in a fresh session (visitors stay anonymous); pages speak
    English, so tests read the message ids."""
    with client.session_transaction() as session:
        session.clear()
        session["lang"] = "en"
    if people[role] is not None:
        login(client, people[role])


def key_id(model: type, key: str) -> int:
    """The id of a municipality or department by its key."""
    return db.session.scalar(select(model.id).where(model.key == key))  # type: ignore[attr-defined]


def subgoal_id(number: str) -> int:
    from portal.strategy.models import SubGoal

    return db.session.scalar(select(SubGoal.id).where(SubGoal.number == number))


@pytest.fixture
def make_proposal(app: Flask, demo, people) -> Callable[..., int]:
    """Factory: a proposal created through the service (routing included); returns its id.

    ``status`` moves it through the workflow as the moderator; ``published=False`` makes it wait
    for pre-moderation.
    """
    from portal.accounts.models import User
    from portal.organisations.models import Municipality
    from portal.proposals import services
    from portal.proposals import workflow
    from portal.proposals.models import CostClass
    from portal.proposals.models import Horizon
    from portal.proposals.models import ProposalStatus

    counter = iter(range(1, 10**6))
    paths = {
        ProposalStatus.PUBLISHED: [ProposalStatus.PUBLISHED],
        ProposalStatus.UNDER_REVIEW: [ProposalStatus.UNDER_REVIEW],
        ProposalStatus.ACCEPTED: [ProposalStatus.UNDER_REVIEW, ProposalStatus.ACCEPTED],
        ProposalStatus.REJECTED: [ProposalStatus.REJECTED],
        ProposalStatus.WITHDRAWN: [ProposalStatus.WITHDRAWN],
    }

    def factory(
        author_id: int | None = None,
        *,
        title: str | None = None,
        body: str = "Eine ausführliche Beschreibung des Vorschlags mit allen wichtigen Einzelheiten.",
        subgoal: str = "1.2",
        municipality: str | None = "helmstedt",
        status: ProposalStatus | None = None,
        published: bool = True,
    ) -> int:
        with app.test_request_context():
            author = db.session.get(User, author_id or people["author"])
            proposal = services.create_proposal(
                author,
                services.ProposalData(
                    subgoal_id=subgoal_id(subgoal),
                    focus_area_id=None,
                    title=title or f"Vorschlag Nummer {next(counter)} für den Landkreis",
                    body=body,
                    municipality_id=key_id(Municipality, municipality) if municipality else None,
                    horizon=Horizon.SHORT,
                    cost_class=CostClass.MEDIUM,
                ),
            )
            if not published or status is ProposalStatus.PUBLISHED:
                proposal.published_at = None
            moderator = db.session.get(User, people["moderator"])
            for step in paths.get(status, []) if status else []:
                actor = author if step is ProposalStatus.WITHDRAWN else moderator
                workflow.transition(proposal, step, actor, ANSWER)
            db.session.commit()
            return proposal.id

    return factory


@pytest.fixture
def support(app: Flask) -> Callable[[int, int], None]:
    """``support(proposal_id, user_id)`` through the service."""
    from portal.accounts.models import User
    from portal.proposals import services
    from portal.proposals.models import Proposal

    def factory(proposal_id: int, user_id: int) -> None:
        with app.test_request_context():
            services.support(db.session.get(Proposal, proposal_id), db.session.get(User, user_id))
            db.session.commit()

    return factory


@pytest.fixture
def make_comment(app: Flask) -> Callable[..., int]:
    """``make_comment(proposal_id, author_id, body)`` through the service; returns its id."""
    from portal.accounts.models import User
    from portal.comments import services
    from portal.proposals.models import Proposal

    def factory(proposal_id: int, author_id: int, body: str = "Ein Kommentar zu diesem Vorschlag.") -> int:
        with app.test_request_context():
            comment = services.post_comment(
                db.session.get(Proposal, proposal_id), db.session.get(User, author_id), body
            )
            db.session.commit()
            return comment.id

    return factory


@pytest.fixture
def report(app: Flask) -> Callable[..., None]:
    """``report(obj_id, user_id, kind="proposal"|"comment", reason=FlagReason.SPAM, note=None)``."""
    from portal.accounts.models import User
    from portal.comments.models import Comment
    from portal.flags import services
    from portal.flags.models import FlagReason
    from portal.proposals.models import Proposal

    def factory(obj_id: int, user_id: int, kind: str = "proposal", reason: Any = FlagReason.SPAM,
                note: str | None = None) -> None:  # fmt: skip
        with app.test_request_context():
            obj = db.session.get(Proposal if kind == "proposal" else Comment, obj_id)
            services.report(obj, db.session.get(User, user_id), reason, note)
            db.session.commit()

    return factory


def outbox(recipient: str | None = None) -> list[Any]:
    """Queued mail (to ``recipient``), oldest first."""
    from portal.mail.models import OutboxMessage

    statement = select(OutboxMessage).order_by(OutboxMessage.id)
    if recipient:
        statement = statement.where(OutboxMessage.recipient == recipient)
    return list(db.session.scalars(statement))


def audit(action: str | None = None) -> list[Any]:
    """Audit events (with ``action``), oldest first."""
    from portal.audit.models import AuditEvent

    statement = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        statement = statement.where(AuditEvent.action == action)
    return list(db.session.scalars(statement))


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    """The visible text of a page, whitespace collapsed, entities decoded."""
    import html as html_module

    page = response.get_data(as_text=True)
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", page)))


def field_error(response, field_id: str) -> str | None:  # type: ignore[no-untyped-def]
    """The error message shown next to a field, or None."""
    import html as html_module

    page = response.get_data(as_text=True)
    match = re.search(
        rf'<p class="kern-error" id="{re.escape(field_id)}-error"[^>]*>.*?<span>(.*?)</span>', page, re.S
    )
    return html_module.unescape(match.group(1).strip()) if match else None


def set_setting(app: Flask, key: str, value: Any) -> None:
    """Store a runtime setting (committed in the test's transaction)."""
    from portal.core.settings import set_setting as store

    with app.test_request_context():
        store(key, value)
        db.session.commit()
