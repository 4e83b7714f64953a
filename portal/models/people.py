from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.extensions import db
from portal.models._types import enum_check, utcnow


class Relationship(enum.StrEnum):
    FAMILY = "family"
    FRIEND = "friend"
    PAID_CARER = "paid_carer"
    ADVOCATE = "advocate"
    PROFESSIONAL = "professional"


class Person(db.Model):
    """Someone the portal is about: a person with a learning disability.

    They may have their own sign-in (`user`), or take part only through their circle.
    """

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    # What they like to be called ("Give the tablet to Alex"); None: their name.
    preferred_name: Mapped[str | None] = mapped_column(String(120))
    # Only ever turned into a life-stage band for the aggregate
    # (portal/commissioning/life_stage.py).
    date_of_birth: Mapped[date | None] = mapped_column()
    local_authority_id: Mapped[int | None] = mapped_column(ForeignKey("local_authorities.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User", foreign_keys=[user_id])
    local_authority = relationship("LocalAuthority")
    circle: Mapped[list[CircleMember]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="CircleMember.id"
    )

    @property
    def called(self) -> str:
        return self.preferred_name or self.display_name


class CircleMember(db.Model):
    """A member of a person's circle of support."""

    __tablename__ = "circle_members"
    __table_args__ = (
        UniqueConstraint("person_id", "user_id", name="uq_circle_members_person_user"),
        CheckConstraint(enum_check("relation", list(Relationship)), name="relation_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Named `relation` so it does not shadow sqlalchemy.orm.relationship in this class.
    relation: Mapped[str] = mapped_column(String(20))
    # Free words, e.g. "Mum", "Key worker".
    role_label: Mapped[str | None] = mapped_column(String(80))
    known_for_years: Mapped[int | None] = mapped_column()
    contact_frequency: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(back_populates="circle")
    user = relationship("User")
