"""MilestoneDocument: a document of a milestone (an uploaded PDF or a link to another site).

Uploaded files are stored under ``instance/documents`` (config ``DOCUMENTS_FOLDER``) with random
names and served by :func:`portal.admin.documents_views.download` as attachments.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from portal.core import clock
from portal.core.db import Translations
from portal.extensions import db


class MilestoneDocument(db.Model):
    """An uploaded PDF (``file_name``) or a link (``url``), with a title per language."""

    __tablename__ = "milestone_documents"
    __table_args__ = (CheckConstraint("(file_name IS NULL) != (url IS NULL)", name="file_or_link"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id", ondelete="CASCADE"), index=True)
    title: Mapped[Translations]
    #: Random name under the documents folder.
    file_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: The name the file is downloaded as.
    download_name: Mapped[str | None] = mapped_column(String(120))
    size: Mapped[int | None]
    url: Mapped[str | None] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    @property
    def is_file(self) -> bool:
        return self.file_name is not None

    def __repr__(self) -> str:
        return f"<MilestoneDocument {self.id}>"
