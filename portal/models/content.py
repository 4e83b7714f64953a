"""Easy-read content held in the database, versioned.

Each load of `easyread_assets/` adds a new version of an item only when its words,
alt text or picture change, so an answer can keep pointing at the exact wording the
person saw.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.extensions import db
from portal.models._types import utcnow


class ContentItem(db.Model):
    __tablename__ = "content_items"
    __table_args__ = (
        UniqueConstraint("key", "version", name="uq_content_items_key_version"),
        Index("ix_content_items_current", "kind", "is_current"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable name across versions, e.g. "theme.friends" or "scale.good-not-sure-bad.good".
    key: Mapped[str] = mapped_column(String(160), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(default=1)
    is_current: Mapped[bool] = mapped_column(default=True)
    words_en: Mapped[str] = mapped_column(Text)
    words_cy: Mapped[str] = mapped_column(Text)
    alt_en: Mapped[str] = mapped_column(Text)
    alt_cy: Mapped[str] = mapped_column(Text)
    picture: Mapped[str] = mapped_column(String(80))
    # Kind-specific fields (a theme's domain, a scale point's score, a parent key, order).
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    checksum: Mapped[str] = mapped_column(String(64))
    source_file: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def words(self, locale: str) -> str:
        return self.words_cy if locale == "cy" else self.words_en

    def alt(self, locale: str) -> str:
        return self.alt_cy if locale == "cy" else self.alt_en


class PictureUpload(db.Model):
    """An admin's own photo or symbol for a content item, re-encoded and resized."""

    __tablename__ = "picture_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_key: Mapped[str] = mapped_column(String(160), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    # {"96": "pictures/12/96.webp", ...}: paths under the instance folder.
    files: Mapped[dict] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AudioRecording(db.Model):
    """A human recording that replaces the synthetic audio for one sentence."""

    __tablename__ = "audio_recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The same key as the synthetic clip: sha256 of the language and the exact text.
    text_key: Mapped[str] = mapped_column(String(64), index=True)
    language: Mapped[str] = mapped_column(String(5))
    text: Mapped[str] = mapped_column(Text)
    content_key: Mapped[str | None] = mapped_column(String(160))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    mime_type: Mapped[str] = mapped_column(String(40))
    path: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ContentStamp(db.Model):
    """One row whose stamp changes with every change to content, pictures or recordings.

    Each worker keeps what the screens read of these (portal/content/cache.py) and reads
    it again only when the stamp differs. A random stamp rather than a counter: a change
    that was rolled back can never be mistaken for a later one.
    """

    __tablename__ = "content_stamp"

    id: Mapped[int] = mapped_column(primary_key=True)
    stamp: Mapped[str] = mapped_column(String(32))


@event.listens_for(ContentStamp.__table__, "after_create")
def _first_stamp(table, connection, **_kw) -> None:
    # db.create_all (the tests) starts with the row, as the migration does.
    connection.execute(table.insert().values(id=1, stamp=uuid.uuid4().hex))
