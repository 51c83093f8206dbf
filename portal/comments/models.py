"""Comment: one level of replies; an official statement when written as a municipality or department."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from portal.accounts.models import User
from portal.core import clock
from portal.extensions import db
from portal.organisations.models import Department
from portal.organisations.models import Municipality


class Comment(db.Model):
    """A comment on a proposal, a reply to one (``parent_id``), or an official statement.

    A deleted comment keeps its row (so its replies keep their place) with the text removed and
    ``deleted_at`` set; the page shows a "deleted" marker.
    """

    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint(
            "official_municipality_id IS NULL OR official_department_id IS NULL", name="one_official_voice"
        ),
        CheckConstraint(
            "parent_id IS NULL OR (official_municipality_id IS NULL AND official_department_id IS NULL)",
            name="statements_are_top_level",
        ),
        # A proposal's top-level comments in page order (proposal, parent IS NULL, created_at, id).
        Index("ix_comments_thread", "proposal_id", "parent_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    #: Indexed: the replies of a page's comments are loaded by ``parent_id IN (…)``.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: Markdown as typed, and the sanitised HTML rendered when written ("" once deleted).
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # The language the author wrote in (an interface language code); pages mark the text with
    # lang="…" so that screen readers pronounce it correctly.
    language: Mapped[str] = mapped_column(String(8), default="de", server_default="de")
    official_municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipalities.id", ondelete="SET NULL"), index=True
    )
    official_department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(Text)

    author: Mapped[User | None] = relationship(lazy="raise")
    official_municipality: Mapped[Municipality | None] = relationship(lazy="raise")
    official_department: Mapped[Department | None] = relationship(lazy="raise")
    parent: Mapped[Comment | None] = relationship(lazy="raise", remote_side=[id], back_populates="replies")
    replies: Mapped[list[Comment]] = relationship(
        lazy="raise", back_populates="parent", order_by="Comment.id", passive_deletes=True
    )

    @property
    def is_official(self) -> bool:
        """An official statement of a municipality or department."""
        return self.official_municipality_id is not None or self.official_department_id is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def __repr__(self) -> str:
        return f"<Comment {self.id} on {self.proposal_id}>"
