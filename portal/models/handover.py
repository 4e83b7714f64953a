"""A hand-over: a staff member gives their signed-in tablet to a person for a visit.

While it lasts the tablet acts as the person; what the person saves (answers, mat
placements, ratings) points here, so "who was there" can be asked of every saved thing.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.extensions import db
from portal.models._types import enum_check, utcnow


class HandOverEnd(enum.StrEnum):
    TAKEN_BACK = "taken_back"
    SIGNED_OUT = "signed_out"  # sign-out, idle sign-out, or the staff account ended


class HandOver(db.Model):
    __tablename__ = "hand_overs"
    __table_args__ = (
        CheckConstraint("ended_how IS NULL OR " + enum_check("ended_how", list(HandOverEnd)),
                        name="ended_how_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"),
                                           index=True)
    # Who was there: the practitioner or supporter who gave the tablet.
    given_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column()
    ended_how: Mapped[str | None] = mapped_column(String(12))

    person = relationship("Person")
    given_by = relationship("User", foreign_keys=[given_by_user_id])
