"""Notification preferences per kind, and the items waiting for a user's daily digest."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from portal.core import clock
from portal.core.db import str_enum
from portal.core.i18n import _l
from portal.extensions import db


class NotificationKind(StrEnum):
    STATUS_CHANGES = "status_changes"
    OFFICIAL_STATEMENTS = "official_statements"
    REPLIES = "replies"

    @property
    def label(self) -> str:
        """Translated name of the kind."""
        return str(KIND_LABELS[self])

    @property
    def hint(self) -> str:
        """Translated explanation of what the kind covers."""
        return str(KIND_HINTS[self])


KIND_LABELS = {
    NotificationKind.STATUS_CHANGES: _l("Status changes"),
    NotificationKind.OFFICIAL_STATEMENTS: _l("Official statements"),
    NotificationKind.REPLIES: _l("Replies and comments"),
}
KIND_HINTS = {
    NotificationKind.STATUS_CHANGES: _l(
        "When a proposal you follow is reviewed, accepted, rejected, merged or withdrawn."
    ),
    NotificationKind.OFFICIAL_STATEMENTS: _l(
        "When a municipality or department publishes a statement on a proposal you follow."
    ),
    NotificationKind.REPLIES: _l("When somebody replies to your comment or comments on your proposal."),
}


class Frequency(StrEnum):
    IMMEDIATELY = "immediately"
    DAILY = "daily"
    OFF = "off"

    @property
    def label(self) -> str:
        """Translated choice."""
        return str(FREQUENCY_LABELS[self])


FREQUENCY_LABELS = {
    Frequency.IMMEDIATELY: _l("Immediately, one e-mail each"),
    Frequency.DAILY: _l("Once a day, as a summary"),
    Frequency.OFF: _l("Never"),
}

#: Without a stored preference a kind is sent immediately.
DEFAULT_FREQUENCY = Frequency.IMMEDIATELY


class NotificationPreference(db.Model):
    """How often a user wants e-mail of one kind; no row means the default."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[NotificationKind] = mapped_column(str_enum(NotificationKind), primary_key=True)
    frequency: Mapped[Frequency] = mapped_column(str_enum(Frequency))


class DigestItem(db.Model):
    """An event waiting for the recipient's daily digest (``send-digest`` sends and marks it)."""

    __tablename__ = "digest_items"
    __table_args__ = (Index("ix_digest_items_sent_at_user_id", "sent_at", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(str_enum(NotificationKind))
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    #: For status changes: the new status.
    status: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    sent_at: Mapped[datetime | None]
