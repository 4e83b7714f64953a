""""You said, we did" (issue 8): a commissioner's answer to a theme people raised, in
Welsh and English, for one of their areas. People in that area see it on their home page
in easy read, and facilitators whose listening events raised the theme see it too."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.extensions import db
from portal.models._types import utcnow


class YouSaidWeDid(db.Model):
    __tablename__ = "you_said_we_did"
    __table_args__ = (
        # For a whole region or one local authority, as a commissioner's areas are.
        CheckConstraint("(region_id IS NULL) <> (local_authority_id IS NULL)", name="one_area"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept when the commissioner's account goes: the promise was made to people.
    commissioner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    region_id: Mapped[int | None] = mapped_column(
        ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    local_authority_id: Mapped[int | None] = mapped_column(
        ForeignKey("local_authorities.id", ondelete="CASCADE"), index=True)
    theme_key: Mapped[str] = mapped_column(String(80), index=True)
    heard_en: Mapped[str] = mapped_column(Text)
    heard_cy: Mapped[str] = mapped_column(Text)
    doing_en: Mapped[str] = mapped_column(Text)
    doing_cy: Mapped[str] = mapped_column(Text)
    by_when: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    region = relationship("Region")
    local_authority = relationship("LocalAuthority")

    def heard(self, locale: str) -> str:
        return self.heard_cy if locale == "cy" else self.heard_en

    def doing(self, locale: str) -> str:
        return self.doing_cy if locale == "cy" else self.doing_en
