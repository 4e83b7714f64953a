"""What Matters conversations: who held one, and every answer given, kept as it was given.

Keys are the short content keys: `conversation_key` "what-matters" is the content item
"conversation.what-matters", `question_key` "wm-matters" is "question.wm-matters",
`theme_key` "friends" is "theme.friends". `question_item_id` points at the exact
version of the question the person saw.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.extensions import db
from portal.models._types import enum_check, utcnow

MAX_ANSWER_CHARS = 2000


class Mode(enum.StrEnum):
    ALONE = "alone"
    WITH_SUPPORTER = "with_supporter"
    WITH_PRACTITIONER = "with_practitioner"


class Source(enum.StrEnum):
    REVIEW = "review"  # a person's own conversation, alone or with their circle
    EVENT = "event"  # an anonymous answer at a listening event (later: no person)


class AnswerStatus(enum.StrEnum):
    ANSWERED = "answered"
    DONT_KNOW = "dont_know"
    SKIPPED = "skipped"


class ThemeSource(enum.StrEnum):
    CARD = "card"  # the person chose the picture card
    TAG = "tag"  # a practitioner or facilitator tagged typed words afterwards


_OPEN = text("finished_at IS NULL")


class Conversation(db.Model):
    __tablename__ = "conversations"
    __table_args__ = (
        CheckConstraint(enum_check("mode", list(Mode)), name="mode_known"),
        CheckConstraint(enum_check("source", list(Source)), name="source_known"),
        # One unfinished conversation of each kind per person: a double tap on "Start"
        # resumes it rather than making a second.
        Index(
            "uq_conversations_open",
            "person_id",
            "conversation_key",
            unique=True,
            sqlite_where=_OPEN,
            postgresql_where=_OPEN,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Nullable so that listening events can reuse this for anonymous participants.
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    conversation_key: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(12), default=Source.REVIEW)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    mode: Mapped[str] = mapped_column(String(20), default=Mode.ALONE)
    companion_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    language: Mapped[str] = mapped_column(String(5), default="en")
    # The question to open when the person comes back.
    current_position: Mapped[str | None] = mapped_column(String(80))
    share_words: Mapped[bool] = mapped_column(default=False, server_default=false())
    # When the person last answered the sharing question (None: not asked yet, so "No").
    share_decided_at: Mapped[datetime | None] = mapped_column()
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()

    person = relationship("Person")
    companion = relationship("User", foreign_keys=[companion_user_id])
    answers: Mapped[list[Answer]] = relationship(
        back_populates="conversation", cascade="all, delete-orphan", order_by="Answer.id"
    )

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class Answer(db.Model):
    __tablename__ = "answers"
    __table_args__ = (
        # A double tap or a retry updates the one row.
        UniqueConstraint(
            "conversation_id", "question_key", name="uq_answers_conversation_question"
        ),
        CheckConstraint(enum_check("status", list(AnswerStatus)), name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE")
    )
    question_key: Mapped[str] = mapped_column(String(80))
    question_item_id: Mapped[int] = mapped_column(ForeignKey("content_items.id"))
    status: Mapped[str] = mapped_column(String(12))
    text: Mapped[str | None] = mapped_column(Text)
    # The point chosen on a yes/no question's picture scale ("yes", "not-sure", "no"),
    # of the scale the question version names; None on questions without a scale.
    scale_point: Mapped[str | None] = mapped_column(String(40))
    typed_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    # The words are the person's own, typed by someone else for them.
    typed_for_person: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Saved during a hand-over (portal/handover): who was there is the hand-over's giver.
    hand_over_id: Mapped[int | None] = mapped_column(
        ForeignKey("hand_overs.id", ondelete="SET NULL"), index=True)

    conversation: Mapped[Conversation] = relationship(back_populates="answers")
    hand_over = relationship("HandOver")
    question_item = relationship("ContentItem")
    typed_by = relationship("User", foreign_keys=[typed_by_user_id])
    themes: Mapped[list[AnswerTheme]] = relationship(
        back_populates="answer", cascade="all, delete-orphan", order_by="AnswerTheme.id"
    )

    def theme_keys(self, source: str) -> list[str]:
        return [t.theme_key for t in self.themes if t.source == source]


class AnswerTheme(db.Model):
    __tablename__ = "answer_themes"
    __table_args__ = (
        UniqueConstraint(
            "answer_id", "theme_key", "source", name="uq_answer_themes_answer_theme_source"
        ),
        CheckConstraint(enum_check("source", list(ThemeSource)), name="source_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"))
    theme_key: Mapped[str] = mapped_column(String(80), index=True)
    source: Mapped[str] = mapped_column(String(8))
    tagged_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    answer: Mapped[Answer] = relationship(back_populates="themes")
