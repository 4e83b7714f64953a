from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.extensions import db


class Region(db.Model):
    """A regional partnership board area (Bwrdd Partneriaeth Rhanbarthol)."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_cy: Mapped[str] = mapped_column(String(120))
    local_authorities: Mapped[list[LocalAuthority]] = relationship(
        back_populates="region", order_by="LocalAuthority.name_en"
    )

    def name(self, locale: str) -> str:
        return self.name_cy if locale == "cy" else self.name_en


class LocalAuthority(db.Model):
    """One of the 22 Welsh principal councils."""

    __tablename__ = "local_authorities"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_cy: Mapped[str] = mapped_column(String(120))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    region: Mapped[Region] = relationship(back_populates="local_authorities")

    def name(self, locale: str) -> str:
        return self.name_cy if locale == "cy" else self.name_en
