"""Circle of support: invites, consent, best-interests decisions, proxy rating comments and
safety follow-ups (issue 6).

Invites keep only a SHA-256 hash of their token: the link is shown once, to the
practitioner who made it. `used_at` makes a link work once.

Consent is kept per member of the circle. `basis` says where it came from: the person
agreed themselves, or a practitioner recorded a best-interests decision (the person lacked
capacity for that decision). A proxy rating can only start for a member with `may_rate`.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.extensions import db
from portal.models._types import enum_check, utcnow


class ConsentBasis(enum.StrEnum):
    PERSON_AGREED = "person_agreed"
    BEST_INTERESTS = "best_interests"


class CircleInvite(db.Model):
    __tablename__ = "circle_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("circle_members.id", ondelete="CASCADE"), index=True
    )
    invited_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    name: Mapped[str] = mapped_column(String(120))
    # Free text: an email address or a phone number. Nothing is sent to it.
    contact: Mapped[str | None] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()
    used_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    member = relationship("CircleMember")


class BestInterestsDecision(db.Model):
    __tablename__ = "best_interests_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    recorded_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    consulted: Mapped[str] = mapped_column(Text)
    decided_on: Mapped[date] = mapped_column()
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    recorded_by = relationship("User")


class MemberConsent(db.Model):
    """What one member of the circle may do, as the person (or a best-interests decision)
    said. One row a member; a later decision changes the same row."""

    __tablename__ = "member_consents"
    __table_args__ = (CheckConstraint(enum_check("basis", list(ConsentBasis)), name="basis_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("circle_members.id", ondelete="CASCADE"), unique=True
    )
    may_rate: Mapped[bool] = mapped_column(default=False, server_default=false())
    may_see_own_answers: Mapped[bool] = mapped_column(default=False, server_default=false())
    may_see_others: Mapped[bool] = mapped_column(default=False, server_default=false())
    basis: Mapped[str] = mapped_column(String(20))
    best_interests_id: Mapped[int | None] = mapped_column(
        ForeignKey("best_interests_decisions.id", ondelete="SET NULL")
    )
    recorded_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    member = relationship("CircleMember")
    best_interests = relationship("BestInterestsDecision")


class RatingComment(db.Model):
    """A proxy's optional words about one rating."""

    __tablename__ = "rating_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(
        ForeignKey("ratings.id", ondelete="CASCADE"), unique=True
    )
    comment: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SafetyFollowUp(db.Model):
    """A "Not true" to a safety statement: made in the same transaction as the rating.
    Seen only by practitioners who are professionals in the person's circle."""

    __tablename__ = "safety_follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    rating_id: Mapped[int | None] = mapped_column(
        ForeignKey("ratings.id", ondelete="SET NULL"), index=True
    )
    statement_key: Mapped[str] = mapped_column(String(160))
    raised_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    # "self", or the member's relationship when a proxy said it; with the perspective.
    raised_by_relation: Mapped[str] = mapped_column(String(20))
    perspective: Mapped[str] = mapped_column(String(20))
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column()
    done_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)

    person = relationship("Person")
    rating = relationship("Rating")
    raised_by = relationship("User", foreign_keys=[raised_by_user_id])
    done_by = relationship("User", foreign_keys=[done_by_user_id])
