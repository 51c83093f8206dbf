"""Proposal (Vorschlag), its status history, supports and follows."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from portal.accounts.models import User
from portal.core import clock
from portal.core.db import TimestampMixin
from portal.core.db import str_enum
from portal.core.horizons import HORIZON_LABELS  # noqa: F401  (re-exported)
from portal.core.horizons import Horizon
from portal.core.i18n import _l
from portal.core.i18n import lazy_pgettext
from portal.extensions import db
from portal.organisations.models import Municipality
from portal.strategy.models import FocusArea
from portal.strategy.models import SubGoal


class ProposalStatus(StrEnum):
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    UNDER_REVIEW = "under_review"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    MERGED = "merged"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        """Translated name, resolved at render time."""
        return str(STATUS_LABELS[self])

    @property
    def badge(self) -> str:
        """KERN badge variant: the status is always shown as text, the colour only adds to it."""
        return STATUS_BADGES[self]


STATUS_LABELS = {
    ProposalStatus.SUBMITTED: lazy_pgettext("proposal status", "Submitted"),
    ProposalStatus.PUBLISHED: lazy_pgettext("proposal status", "Published"),
    ProposalStatus.UNDER_REVIEW: lazy_pgettext("proposal status", "Under review"),
    ProposalStatus.ACCEPTED: lazy_pgettext("proposal status", "Accepted"),
    ProposalStatus.REJECTED: lazy_pgettext("proposal status", "Rejected"),
    ProposalStatus.MERGED: lazy_pgettext("proposal status", "Merged"),
    ProposalStatus.WITHDRAWN: lazy_pgettext("proposal status", "Withdrawn"),
}
STATUS_BADGES = {
    ProposalStatus.SUBMITTED: "info",
    ProposalStatus.PUBLISHED: "info",
    ProposalStatus.UNDER_REVIEW: "warning",
    ProposalStatus.ACCEPTED: "success",
    ProposalStatus.REJECTED: "danger",
    ProposalStatus.MERGED: "info",
    ProposalStatus.WITHDRAWN: "warning",
}

#: Statuses in which a proposal can still be supported and commented on.
OPEN_STATUSES = frozenset({ProposalStatus.SUBMITTED, ProposalStatus.PUBLISHED, ProposalStatus.UNDER_REVIEW})


class CostClass(StrEnum):
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"
    VERY_LARGE = "very_large"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        """Translated rough amount."""
        return str(COST_LABELS[self])


COST_LABELS = {
    CostClass.SMALL: _l("Small (up to €10,000)"),
    CostClass.MEDIUM: _l("Medium (€10,000 to €100,000)"),
    CostClass.LARGE: _l("Large (€100,000 to €1 million)"),
    CostClass.VERY_LARGE: _l("Very large (more than €1 million)"),
    CostClass.UNKNOWN: _l("I don't know"),
}


class Proposal(TimestampMixin, db.Model):
    """A citizen's proposal for a measure under one Unterziel.

    ``published_at`` is set when the proposal becomes public: at once under post-moderation, when
    a moderator first acts on it under pre-moderation. ``hidden_at`` is the separate moderation
    flag (reports over the threshold, or a moderator). Counters are kept by the services.
    """

    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint(
            "(status = 'merged') = (merged_into_id IS NOT NULL)", name="merged_exactly_with_target"
        ),
        CheckConstraint("merged_into_id IS NULL OR merged_into_id != id", name="not_merged_into_itself"),
        CheckConstraint("supports_count >= 0 AND comments_count >= 0", name="counts_not_negative"),
        Index("ix_proposals_public_created", "published_at", "created_at"),
        # The lists: per Unterziel, per municipality and overall, each sort served by an index
        # scan that stops after one page (read backwards for the descending sorts). The
        # Unterziel and municipality indexes also serve plain lookups by those columns.
        Index("ix_proposals_subgoal_supports", "subgoal_id", "supports_count", "id"),
        Index("ix_proposals_subgoal_published", "subgoal_id", "published_at", "id"),
        Index("ix_proposals_subgoal_comments", "subgoal_id", "comments_count", "id"),
        Index("ix_proposals_municipality_supports", "municipality_id", "supports_count", "id"),
        Index("ix_proposals_municipality_published", "municipality_id", "published_at", "id"),
        Index("ix_proposals_supports", "supports_count", "id"),
        Index("ix_proposals_comments", "comments_count", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subgoal_id: Mapped[int] = mapped_column(ForeignKey("subgoals.id", ondelete="RESTRICT"))
    focus_area_id: Mapped[int | None] = mapped_column(ForeignKey("focus_areas.id", ondelete="SET NULL"))
    #: None: the whole district.
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id", ondelete="SET NULL"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(150))
    #: Markdown as typed, and the sanitised HTML rendered from it when written.
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # The language the author wrote in (an interface language code); pages mark the text with
    # lang="…" so that screen readers pronounce it correctly.
    language: Mapped[str] = mapped_column(String(8), default="de", server_default="de")
    horizon: Mapped[Horizon] = mapped_column(str_enum(Horizon), index=True)
    cost_class: Mapped[CostClass] = mapped_column(str_enum(CostClass))
    status: Mapped[ProposalStatus] = mapped_column(
        str_enum(ProposalStatus), default=ProposalStatus.SUBMITTED, index=True
    )
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="RESTRICT"))
    published_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(String(500))
    supports_count: Mapped[int] = mapped_column(default=0)
    comments_count: Mapped[int] = mapped_column(default=0)
    #: Random file name under the upload folder; re-encoded without metadata.
    image_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    image_alt: Mapped[str | None] = mapped_column(String(250))
    image_width: Mapped[int | None]
    image_height: Mapped[int | None]

    subgoal: Mapped[SubGoal] = relationship(lazy="raise")
    focus_area: Mapped[FocusArea | None] = relationship(lazy="raise")
    municipality: Mapped[Municipality | None] = relationship(lazy="raise")
    author: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[author_id])
    merged_into: Mapped[Proposal | None] = relationship(lazy="raise", remote_side=[id])
    history: Mapped[list[ProposalStatusChange]] = relationship(
        back_populates="proposal",
        order_by="ProposalStatusChange.id",
        cascade="all, delete-orphan",
        lazy="raise",
    )

    @property
    def is_public(self) -> bool:
        """Visible to everybody (published and not hidden)."""
        return self.published_at is not None and self.hidden_at is None

    @property
    def is_open(self) -> bool:
        """Still collecting supports and comments (status-wise; phases decide the rest)."""
        return self.status in OPEN_STATUSES

    def __repr__(self) -> str:
        return f"<Proposal {self.id} {self.status}>"


class ProposalStatusChange(db.Model):
    """One row of a proposal's public status history: who, when, from, to, and the answer."""

    __tablename__ = "proposal_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    #: None for the creation of the proposal.
    from_status: Mapped[ProposalStatus | None] = mapped_column(str_enum(ProposalStatus))
    to_status: Mapped[ProposalStatus] = mapped_column(str_enum(ProposalStatus))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The public answer (plain text).
    answer: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    proposal: Mapped[Proposal] = relationship(back_populates="history", lazy="raise")

    def __repr__(self) -> str:
        return f"<ProposalStatusChange {self.proposal_id} {self.from_status}->{self.to_status}>"


class Support(db.Model):
    """One verified person's support for a proposal; the constraint makes a second one impossible."""

    __tablename__ = "supports"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class Follow(db.Model):
    """A user follows a proposal: e-mail on status changes, statements, replies (per preference)."""

    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
