"""Participation data written straight into the database (no phases, no services): proposals,
comments, statements, supports, status changes. Shared by the statistics and API tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from portal.core import clock
from portal.extensions import db


class Seeder:
    """``seed.proposal(...)``, ``seed.comment(...)``, ...: each commits and returns the new id."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def _ids(self, model: Any, column: Any, key: Any) -> int:
        return db.session.scalar(select(model.id).where(column == key))

    def subgoal_id(self, number: str) -> int:
        from portal.strategy.models import SubGoal

        with self.app.app_context():
            return self._ids(SubGoal, SubGoal.number, number)

    def municipality_id(self, key: str) -> int:
        from portal.organisations.models import Municipality

        with self.app.app_context():
            return self._ids(Municipality, Municipality.key, key)

    def proposal(
        self,
        author_id: int | None,
        subgoal: str = "1.1",
        *,
        title: str = "Ein Vorschlag",
        body: str = "Text des Vorschlags",
        municipality: str | None = None,
        status: str = "submitted",
        published_at: datetime | str | None = "now",
        hidden: bool = False,
        when: datetime | None = None,
        supports_count: int = 0,
        comments_count: int = 0,
    ) -> int:
        from portal.proposals.models import CostClass
        from portal.proposals.models import Horizon
        from portal.proposals.models import Proposal
        from portal.proposals.models import ProposalStatus

        moment = when or clock.now()
        with self.app.app_context():
            proposal = Proposal(
                author_id=author_id,
                subgoal_id=self.subgoal_id(subgoal),
                municipality_id=self.municipality_id(municipality) if municipality else None,
                title=title,
                body=body,
                body_html=f"<p>{body}</p>",
                horizon=Horizon.SHORT,
                cost_class=CostClass.SMALL,
                status=ProposalStatus(status),
                published_at=moment if published_at == "now" else published_at,
                hidden_at=moment if hidden else None,
                hidden_reason="Beleidigung" if hidden else None,
                supports_count=supports_count,
                comments_count=comments_count,
                created_at=moment,
                updated_at=moment,
            )
            db.session.add(proposal)
            db.session.commit()
            return proposal.id

    def comment(
        self,
        proposal_id: int,
        author_id: int | None,
        body: str = "Ein Kommentar",
        *,
        municipality: str | None = None,
        department: str | None = None,
        hidden: bool = False,
        deleted: bool = False,
        when: datetime | None = None,
    ) -> int:
        from portal.comments.models import Comment
        from portal.organisations.models import Department

        moment = when or clock.now()
        with self.app.app_context():
            comment = Comment(
                proposal_id=proposal_id,
                author_id=author_id,
                body="" if deleted else body,
                body_html="" if deleted else f"<p>{body}</p>",
                official_municipality_id=self.municipality_id(municipality) if municipality else None,
                official_department_id=(
                    self._ids(Department, Department.key, department) if department else None
                ),
                created_at=moment,
                hidden_at=moment if hidden else None,
                deleted_at=moment if deleted else None,
            )
            db.session.add(comment)
            db.session.commit()
            return comment.id

    def support(self, proposal_id: int, user_id: int, when: datetime | None = None) -> int:
        from portal.proposals.models import Support

        with self.app.app_context():
            support = Support(proposal_id=proposal_id, user_id=user_id, created_at=when or clock.now())
            db.session.add(support)
            db.session.commit()
            return support.id

    def status_change(
        self,
        proposal_id: int,
        to: str,
        answer: str | None,
        actor_id: int | None = None,
        source: str | None = None,
    ) -> int:
        from portal.proposals.models import Proposal
        from portal.proposals.models import ProposalStatus
        from portal.proposals.models import ProposalStatusChange

        with self.app.app_context():
            change = ProposalStatusChange(
                proposal_id=proposal_id,
                from_status=ProposalStatus(source) if source else None,
                to_status=ProposalStatus(to),
                actor_id=actor_id,
                answer=answer,
            )
            db.session.add(change)
            db.session.get(Proposal, proposal_id).status = ProposalStatus(to)
            db.session.commit()
            return change.id
