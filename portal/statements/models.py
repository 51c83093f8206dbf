"""Statement requests: the district asks municipalities for official statements, with a deadline.

A request concerns chosen proposals or the draft concept. Each asked municipality has a row with
its state: requested, answered, or overdue (requested and the deadline has passed, computed from
the clock, never stored). Answers on proposals are also posted as official statements (comments
in the municipality's name) on the proposal; answers on the concept are shown on the request's
public page.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import Table
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from portal.core import clock
from portal.core.db import TimestampMixin
from portal.core.db import str_enum
from portal.core.i18n import _l
from portal.core.i18n import lazy_pgettext
from portal.extensions import db
from portal.organisations.models import Municipality
from portal.proposals.models import Proposal


class Subject(StrEnum):
    PROPOSALS = "proposals"
    CONCEPT = "concept"

    @property
    def label(self) -> str:
        """Translated name, resolved at render time."""
        return str(SUBJECT_LABELS[self])


SUBJECT_LABELS = {
    Subject.PROPOSALS: _l("Chosen proposals"),
    Subject.CONCEPT: _l("The draft concept"),
}


class AnswerState(StrEnum):
    REQUESTED = "requested"
    ANSWERED = "answered"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        """Translated name, resolved at render time."""
        return str(STATE_LABELS[self])

    @property
    def badge(self) -> str:
        """KERN badge variant (the state is always written out too)."""
        return {"requested": "info", "answered": "success", "overdue": "danger"}[self.value]


STATE_LABELS = {
    AnswerState.REQUESTED: lazy_pgettext("statement state", "Requested"),
    AnswerState.ANSWERED: lazy_pgettext("statement state", "Answered"),
    AnswerState.OVERDUE: lazy_pgettext("statement state", "Overdue"),
}

statement_request_proposals = Table(
    "statement_request_proposals",
    db.metadata,
    Column("request_id", ForeignKey("statement_requests.id", ondelete="CASCADE"), primary_key=True),
    Column("proposal_id", ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class StatementRequest(TimestampMixin, db.Model):
    """The district's request to some municipalities for statements, due by ``deadline`` (inclusive)."""

    __tablename__ = "statement_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[Subject] = mapped_column(str_enum(Subject))
    deadline: Mapped[date] = mapped_column(index=True)
    #: Representatives get a reminder this many days before the deadline (0: on the day).
    reminder_days: Mapped[int] = mapped_column(default=3)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None]

    proposals: Mapped[list[Proposal]] = relationship(
        secondary=statement_request_proposals, lazy="raise", order_by="Proposal.id"
    )
    municipalities: Mapped[list[StatementRequestMunicipality]] = relationship(
        back_populates="request",
        cascade="all, delete-orphan",
        lazy="raise",
        order_by="StatementRequestMunicipality.id",
    )

    def __repr__(self) -> str:
        return f"<StatementRequest {self.id}>"


class StatementRequestMunicipality(db.Model):
    """One asked municipality of a request and where its answer stands."""

    __tablename__ = "statement_request_municipalities"
    __table_args__ = (UniqueConstraint("request_id", "municipality_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("statement_requests.id", ondelete="CASCADE"), index=True
    )
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True
    )
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reminded_at: Mapped[datetime | None]

    request: Mapped[StatementRequest] = relationship(back_populates="municipalities", lazy="raise_on_sql")
    municipality: Mapped[Municipality] = relationship(lazy="raise")
    answers: Mapped[list[StatementAnswer]] = relationship(
        back_populates="asked", cascade="all, delete-orphan", lazy="raise", order_by="StatementAnswer.id"
    )

    def state(self, request: StatementRequest, today: date) -> AnswerState:
        """Answered; overdue once the deadline has passed (open requests only); else requested."""
        if self.answered_at is not None:
            return AnswerState.ANSWERED
        if request.closed_at is None and today > request.deadline:
            return AnswerState.OVERDUE
        return AnswerState.REQUESTED

    def __repr__(self) -> str:
        return f"<StatementRequestMunicipality {self.request_id} {self.municipality_id}>"


class StatementAnswer(db.Model):
    """A municipality's answer: on one proposal (also posted as an official statement) or on the concept."""

    __tablename__ = "statement_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    asked_id: Mapped[int] = mapped_column(
        ForeignKey("statement_request_municipalities.id", ondelete="CASCADE"), index=True
    )
    #: None: the answer is about the draft concept.
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    #: The official statement posted on the proposal (None for the concept, or once deleted).
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    asked: Mapped[StatementRequestMunicipality] = relationship(back_populates="answers", lazy="raise_on_sql")

    def __repr__(self) -> str:
        return f"<StatementAnswer {self.id}>"
