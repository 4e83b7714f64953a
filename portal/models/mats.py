"""Picture mats and outcome ratings.

Each answer points at the exact content versions the person saw (the mat, the card or
statement, the scale and the point) and keeps its score normalised to 0-100 when it was
given (portal/domain/scoring.py). "I don't know", skipped and unplaced answers have no score.

`rated_by_user_id` and `perspective` say whose view a session holds: the person's own
(self), or a member of their circle giving their own view or what they think the person
would say (proxy ratings, issue 6).

A session is open until it is saved. `open_key` is set only while it is open and is
unique, so two taps on "start" (or two tablets) can never open two sessions of the same
thing for the same person and view; NULLs do not clash in SQLite or PostgreSQL.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.extensions import db
from portal.models._types import enum_check, utcnow


class Perspective(enum.StrEnum):
    SELF = "self"
    PROXY_OWN_VIEW = "proxy_own_view"  # what the supporter thinks
    PROXY_THEIR_VIEW = "proxy_their_view"  # what the supporter thinks the person would say


class PlacementStatus(enum.StrEnum):
    PLACED = "placed"
    UNPLACED = "unplaced"


class RatingStatus(enum.StrEnum):
    RATED = "rated"
    DONT_KNOW = "dont_know"
    SKIPPED = "skipped"


def _content_fk(nullable: bool = False):
    return mapped_column(ForeignKey("content_items.id"), nullable=nullable)


class MatSession(db.Model):
    __tablename__ = "mat_sessions"
    __table_args__ = (
        CheckConstraint(enum_check("perspective", list(Perspective)), name="perspective_known"),
        CheckConstraint("(person_id IS NULL) <> (participant_id IS NULL)", name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    # At a listening event the answers are anonymous: the session belongs to the event's
    # participant instead of a person (exactly one of the two is set).
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_participants.id", ondelete="CASCADE"), index=True
    )
    rated_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    perspective: Mapped[str] = mapped_column(
        String(20), default=Perspective.SELF, server_default=Perspective.SELF.value
    )
    mat_key: Mapped[str] = mapped_column(String(160))
    mat_item_id: Mapped[int] = _content_fk()
    scale_item_id: Mapped[int] = _content_fk()
    language: Mapped[str] = mapped_column(String(5))
    open_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    # The saved picture of the mat, relative to the instance folder.
    picture_path: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()

    person = relationship("Person")
    participant = relationship("EventParticipant")
    mat_item = relationship("ContentItem", foreign_keys=[mat_item_id])
    scale_item = relationship("ContentItem", foreign_keys=[scale_item_id])
    placements: Mapped[list[MatPlacement]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="MatPlacement.id"
    )


class MatPlacement(db.Model):
    """Where one card is on a mat. A card of the person's own words ("Something else")
    has no content item: its words are kept here."""

    __tablename__ = "mat_placements"
    __table_args__ = (
        UniqueConstraint("session_id", "card_key", name="uq_mat_placements_session_card"),
        CheckConstraint(enum_check("status", list(PlacementStatus)), name="status_known"),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("mat_sessions.id", ondelete="CASCADE"))
    card_key: Mapped[str] = mapped_column(String(160))
    card_item_id: Mapped[int | None] = _content_fk(nullable=True)
    own_words: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default=PlacementStatus.UNPLACED)
    point_item_id: Mapped[int | None] = _content_fk(nullable=True)
    scale_item_id: Mapped[int] = _content_fk()
    score: Mapped[float | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Saved during a hand-over (portal/handover): who was there is the hand-over's giver.
    hand_over_id: Mapped[int | None] = mapped_column(
        ForeignKey("hand_overs.id", ondelete="SET NULL"), index=True)

    session: Mapped[MatSession] = relationship(back_populates="placements")
    hand_over = relationship("HandOver")
    card_item = relationship("ContentItem", foreign_keys=[card_item_id])
    point_item = relationship("ContentItem", foreign_keys=[point_item_id])


class RatingSession(db.Model):
    """One go at rating the National Well-being outcome statements."""

    __tablename__ = "rating_sessions"
    __table_args__ = (
        CheckConstraint(enum_check("perspective", list(Perspective)), name="perspective_known"),
        CheckConstraint("(person_id IS NULL) <> (participant_id IS NULL)", name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    # At a listening event the answers are anonymous: the session belongs to the event's
    # participant instead of a person (exactly one of the two is set).
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_participants.id", ondelete="CASCADE"), index=True
    )
    rated_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    perspective: Mapped[str] = mapped_column(
        String(20), default=Perspective.SELF, server_default=Perspective.SELF.value
    )
    language: Mapped[str] = mapped_column(String(5))
    # The statement the person last saw (1-based), to carry on from there.
    position: Mapped[int] = mapped_column(default=1)
    open_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()

    person = relationship("Person")
    participant = relationship("EventParticipant")
    ratings: Mapped[list[Rating]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Rating.id"
    )


class Rating(db.Model):
    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("session_id", "statement_key", name="uq_ratings_session_statement"),
        CheckConstraint(enum_check("status", list(RatingStatus)), name="status_known"),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("rating_sessions.id", ondelete="CASCADE"))
    statement_key: Mapped[str] = mapped_column(String(160))
    statement_item_id: Mapped[int] = _content_fk()
    scale_item_id: Mapped[int] = _content_fk()
    point_item_id: Mapped[int | None] = _content_fk(nullable=True)
    status: Mapped[str] = mapped_column(String(12))
    score: Mapped[float | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Saved during a hand-over (portal/handover): who was there is the hand-over's giver.
    hand_over_id: Mapped[int | None] = mapped_column(
        ForeignKey("hand_overs.id", ondelete="SET NULL"), index=True)

    session: Mapped[RatingSession] = relationship(back_populates="ratings")
    hand_over = relationship("HandOver")
    statement_item = relationship("ContentItem", foreign_keys=[statement_item_id])
    point_item = relationship("ContentItem", foreign_keys=[point_item_id])
