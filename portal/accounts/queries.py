"""Reads for accounts: users by address, the admin's user list, choices for forms."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select

from portal.accounts.models import Role
from portal.accounts.models import RoleAssignment
from portal.accounts.models import User
from portal.extensions import db
from portal.organisations.models import Department
from portal.organisations.models import Municipality

PER_PAGE = 25


def normalise_email(email: str | None) -> str:
    """Addresses are stored and compared lower-cased and trimmed."""
    return (email or "").strip().lower()


def find_user_by_email(email: str | None) -> User | None:
    """The account with this address, if any."""
    address = normalise_email(email)
    if not address:
        return None
    return db.session.scalar(select(User).where(User.email == address))


def get_user(user_id: int) -> User | None:
    """A user by id (roles are loaded with it)."""
    return db.session.get(User, user_id)


def search_users(query: str = "", role: str = "", page: int = 1) -> Pagination:
    """Users whose name or address contains ``query``, optionally with ``role``, newest first.

    Three statements whatever the size: the count, the page, the page's role assignments.
    """
    statement = select(User).order_by(User.created_at.desc(), User.id.desc())
    text = query.strip().lower()
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(
            or_(
                func.lower(User.email).like(pattern, escape="\\"),
                func.lower(User.display_name).like(pattern, escape="\\"),
            )
        )
    if role in {member.value for member in Role}:
        statement = statement.where(
            User.id.in_(select(RoleAssignment.user_id).where(RoleAssignment.role == Role(role)))
        )
    return db.paginate(statement, page=page, per_page=PER_PAGE, error_out=False)


def municipality_choices() -> list[tuple[str, str]]:
    """(key, name) of every municipality, in the data file's order."""
    rows = db.session.execute(
        select(Municipality.key, Municipality.name).order_by(Municipality.position, Municipality.name)
    )
    return [(key, name) for key, name in rows]


def department_choices() -> list[tuple[str, dict[str, str]]]:
    """(key, translated names) of every department."""
    rows = db.session.execute(select(Department.key, Department.name).order_by(Department.position))
    return [(key, name) for key, name in rows]


def municipality_names() -> dict[int, str]:
    """Names of the municipalities by id (one small query, for lists)."""
    return {row[0]: row[1] for row in db.session.execute(select(Municipality.id, Municipality.name))}


def department_names() -> dict[int, dict[str, str]]:
    """Translated names of the departments by id."""
    return {row[0]: row[1] for row in db.session.execute(select(Department.id, Department.name))}


def municipality_id(key: str | None) -> int | None:
    """The id of the municipality with ``key``."""
    if not key:
        return None
    return db.session.scalar(select(Municipality.id).where(Municipality.key == key))


def department_id(key: str | None) -> int | None:
    """The id of the department with ``key``."""
    if not key:
        return None
    return db.session.scalar(select(Department.id).where(Department.key == key))


def count_admins() -> int:
    """How many accounts hold the admin role."""
    return (
        db.session.scalar(
            select(func.count(func.distinct(RoleAssignment.user_id))).where(RoleAssignment.role == Role.ADMIN)
        )
        or 0
    )
