"""AnswerTemplate: prepared public answers that admins write and moderators pick to prefill a decision."""

from __future__ import annotations

from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from portal.core.db import TimestampMixin
from portal.core.db import Translations
from portal.extensions import db


class AnswerTemplate(TimestampMixin, db.Model):
    """A reusable answer: a title for the list and the text, both per language."""

    __tablename__ = "answer_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[Translations]
    text: Mapped[Translations]
    position: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<AnswerTemplate {self.id}>"
