"""Municipality and Department."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import JSON
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from portal.core.db import Translations
from portal.core.db import str_enum
from portal.core.i18n import _l
from portal.extensions import db


class MunicipalityKind(StrEnum):
    CITY = "city"
    MUNICIPALITY = "municipality"
    JOINT_MUNICIPALITY = "joint_municipality"

    @property
    def label(self) -> str:
        """Translated name of the kind, resolved at render time."""
        return str(MUNICIPALITY_KIND_LABELS[self])


MUNICIPALITY_KIND_LABELS = {
    MunicipalityKind.CITY: _l("Town"),
    MunicipalityKind.MUNICIPALITY: _l("Municipality"),
    MunicipalityKind.JOINT_MUNICIPALITY: _l("Joint municipality"),
}


class Municipality(db.Model):
    """A municipal unit of the district (Stadt, Gemeinde, Samtgemeinde)."""

    __tablename__ = "municipalities"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[MunicipalityKind] = mapped_column(str_enum(MunicipalityKind))
    position: Mapped[int] = mapped_column(default=0)
    postcodes: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: "unverified" where the postcodes still need the operator's confirmation.
    postcodes_source: Mapped[str | None] = mapped_column(String(50))
    inhabitants: Mapped[int | None]
    inhabitants_date: Mapped[date | None]
    #: e.g. "unknown" where no figure is known; statistics then say so.
    inhabitants_note: Mapped[str | None] = mapped_column(String(200))
    members: Mapped[list[str]] = mapped_column(JSON, default=list)

    def __repr__(self) -> str:
        return f"<Municipality {self.key}>"


class Department(db.Model):
    """A unit of the district administration that assesses proposals and runs measures."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[Translations]
    position: Mapped[int] = mapped_column(default=0)
    #: Shipped demo data that the operator replaces.
    demo: Mapped[bool] = mapped_column(default=False)

    def __repr__(self) -> str:
        return f"<Department {self.key}>"
