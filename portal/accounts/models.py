"""User and RoleAssignment.

Every verified account can take part as a citizen; staff rights (RoleAssignment rows) come on
top. A municipality representative is tied to one municipality, department staff to departments.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import CheckConstraint
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from portal.core import clock
from portal.core.db import TimestampMixin
from portal.core.db import str_enum
from portal.core.i18n import _l
from portal.extensions import db


class Role(StrEnum):
    MUNICIPALITY_REP = "municipality_rep"
    DEPARTMENT_STAFF = "department_staff"
    MODERATOR = "moderator"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        """Translated name, resolved at render time."""
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.MUNICIPALITY_REP: _l("Municipality representative"),
    Role.DEPARTMENT_STAFF: _l("Department staff"),
    Role.MODERATOR: _l("Moderator"),
    Role.ADMIN: _l("Administrator"),
}

#: Roles that count as staff: two-factor login, no "remember me", shorter idle timeout.
STAFF_ROLES = frozenset({Role.DEPARTMENT_STAFF, Role.MODERATOR, Role.ADMIN})


class User(UserMixin, TimestampMixin, db.Model):
    """A person with an account."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased; unique.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    email_verified_at: Mapped[datetime | None]
    #: argon2 hash; None for an invited account that has not chosen a password yet.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(80))
    #: Self-declared municipality of residence (optional).
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipalities.id", ondelete="SET NULL"), index=True
    )
    language: Mapped[str] = mapped_column(String(8), default="de")
    #: Version of the privacy notice the user accepted, and when.
    privacy_version: Mapped[int | None]
    privacy_accepted_at: Mapped[datetime | None]
    #: Bumped on logout-everywhere and password change: older session cookies stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    #: The last TOTP time step accepted, so a code cannot be used twice (replay).
    totp_last_step: Mapped[int | None]
    last_login_at: Mapped[datetime | None]

    roles: Mapped[list[RoleAssignment]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        lazy="selectin",
        foreign_keys="RoleAssignment.user_id",
    )

    def get_id(self) -> str:
        """Flask-Login id: the id plus the session version, so bumping it signs out everywhere."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(assignment.role for assignment in self.roles)

    def has_role(self, role: Role) -> bool:
        return role in self.role_set

    @property
    def is_staff(self) -> bool:
        return bool(self.role_set & STAFF_ROLES)

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.role_set

    @property
    def is_moderator(self) -> bool:
        """Moderators and admins (admins may do everything moderators may)."""
        return bool(self.role_set & {Role.MODERATOR, Role.ADMIN})

    @property
    def represented_municipality_ids(self) -> frozenset[int]:
        return frozenset(
            a.municipality_id for a in self.roles if a.role is Role.MUNICIPALITY_REP and a.municipality_id
        )

    @property
    def department_ids(self) -> frozenset[int]:
        return frozenset(
            a.department_id for a in self.roles if a.role is Role.DEPARTMENT_STAFF and a.department_id
        )

    @property
    def totp_enabled(self) -> bool:
        return self.totp_enabled_at is not None and self.totp_secret is not None

    def mark_verified(self) -> None:
        if self.email_verified_at is None:
            self.email_verified_at = clock.now()

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class RoleAssignment(db.Model):
    """A staff right of a user; representatives name their municipality, staff their department."""

    __tablename__ = "role_assignments"
    __table_args__ = (
        CheckConstraint(
            "role != 'municipality_rep' OR municipality_id IS NOT NULL", name="rep_needs_municipality"
        ),
        CheckConstraint(
            "role != 'department_staff' OR department_id IS NOT NULL", name="staff_needs_department"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    user: Mapped[User] = relationship(back_populates="roles", foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<RoleAssignment {self.user_id} {self.role}>"
