"""Flag: a user's report of a proposal or comment, with a reason; feeds the moderation queue."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint
from sqlalchemy import ForeignKey
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from portal.core import clock
from portal.core.db import str_enum
from portal.core.i18n import _l
from portal.extensions import db


class FlagReason(StrEnum):
    SPAM = "spam"
    OFFENSIVE = "offensive"
    PERSONAL_DATA = "personal_data"
    OFF_TOPIC = "off_topic"
    OTHER = "other"

    @property
    def label(self) -> str:
        """Translated reason."""
        return str(FLAG_REASON_LABELS[self])


FLAG_REASON_LABELS = {
    FlagReason.SPAM: _l("Spam or advertising"),
    FlagReason.OFFENSIVE: _l("Insulting, discriminating or threatening"),
    FlagReason.PERSONAL_DATA: _l("Reveals personal data of others"),
    FlagReason.OFF_TOPIC: _l("Has nothing to do with the topic"),
    FlagReason.OTHER: _l("Other reason"),
}


class FlagDecision(StrEnum):
    HIDDEN = "hidden"  # the moderator agreed: the content stays hidden
    DISMISSED = "dismissed"  # the moderator disagreed: the content is visible (again)


class Flag(db.Model):
    """One report; a user reports a thing once. Open until a moderator decides."""

    __tablename__ = "flags"
    __table_args__ = (
        CheckConstraint("(proposal_id IS NULL) != (comment_id IS NULL)", name="one_thing"),
        UniqueConstraint("user_id", "proposal_id"),
        UniqueConstraint("user_id", "comment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    reason: Mapped[FlagReason] = mapped_column(str_enum(FlagReason))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    resolved_at: Mapped[datetime | None] = mapped_column(index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decision: Mapped[FlagDecision | None] = mapped_column(str_enum(FlagDecision))
