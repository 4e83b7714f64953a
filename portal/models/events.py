"""Listening events for self-advocacy groups: one facilitator, many anonymous voices.

An event's answers are ordinary conversations (`Conversation.person_id` is NULL, source
"event"); `EventParticipant.conversation_id` links each to the event, so the aggregate can
count them as event answers in the event's area and by age band.

A participant has no account and no name. Their browser session holds a random token;
only its SHA-256 hash is stored here (`token_hash`), so the table alone cannot be used to
act as a participant.

`open_code` is the join code while the event is open and NULL once it is closed: it is
unique, so no two open events share a code, and a closed event's code can be used again.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.extensions import db
from portal.models._types import enum_check, utcnow


class AgeBand(enum.StrEnum):
    AGE_16_24 = "16-24"
    AGE_25_34 = "25-34"
    AGE_35_49 = "35-49"
    AGE_50_64 = "50-64"
    AGE_65_UP = "65+"
    NOT_SAID = "not_said"


class Event(db.Model):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    facilitator_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    title_en: Mapped[str] = mapped_column(String(120))
    title_cy: Mapped[str] = mapped_column(String(120))
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_cy: Mapped[str] = mapped_column(Text, default="")
    event_date: Mapped[date] = mapped_column()
    venue: Mapped[str] = mapped_column(String(200))
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authorities.id"))
    conversation_key: Mapped[str] = mapped_column(String(80))
    use_ratings: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The mats people may do at the event, as short keys separated by spaces ("" for none).
    mat_keys: Mapped[str] = mapped_column(String(800), default="", server_default="")
    # Group mode: the question on the projector, which the tablets follow; None: not on.
    group_question_key: Mapped[str | None] = mapped_column(String(80))
    join_code: Mapped[str] = mapped_column(String(12), index=True)
    open_code: Mapped[str | None] = mapped_column(String(12), unique=True)
    # Minutes without a touch before a shared tablet resets itself; None: never.
    reset_minutes: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column()

    facilitator = relationship("User")
    local_authority = relationship("LocalAuthority")
    participants: Mapped[list[EventParticipant]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventParticipant.id"
    )

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def mats(self) -> list[str]:
        return self.mat_keys.split()

    @property
    def has_activities(self) -> bool:
        """Something besides the conversation: then a participant chooses from a menu."""
        return bool(self.mats) or self.use_ratings

    def title(self, locale: str) -> str:
        return self.title_cy if locale == "cy" else self.title_en

    def description(self, locale: str) -> str:
        return self.description_cy if locale == "cy" else self.description_en


class EventParticipant(db.Model):
    __tablename__ = "event_participants"
    __table_args__ = (
        CheckConstraint(
            "age_band IS NULL OR " + enum_check("age_band", list(AgeBand)), name="age_band_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), unique=True
    )
    language: Mapped[str] = mapped_column(String(5))
    age_band: Mapped[str | None] = mapped_column(String(12))
    consented_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()

    event: Mapped[Event] = relationship(back_populates="participants")
    conversation = relationship("Conversation")
