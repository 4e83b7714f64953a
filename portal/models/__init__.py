"""Typed SQLAlchemy 2.0 models, one module per area. Import them all here so that
Alembic and `db.create_all` see every table."""

from portal.models.accounts import LoginThrottle, Role, User
from portal.models.areas import LocalAuthority, Region
from portal.models.content import AudioRecording, ContentItem, PictureUpload
from portal.models.conversations import (
    Answer,
    AnswerStatus,
    AnswerTheme,
    Conversation,
    Mode,
    Source,
    ThemeSource,
)
from portal.models.mats import (
    MatPlacement,
    MatSession,
    Perspective,
    PlacementStatus,
    Rating,
    RatingSession,
    RatingStatus,
)
from portal.models.people import CircleMember, Person, Relationship

__all__ = [
    "Answer",
    "AnswerStatus",
    "AnswerTheme",
    "Conversation",
    "Mode",
    "Source",
    "ThemeSource",
    "MatPlacement",
    "MatSession",
    "Perspective",
    "PlacementStatus",
    "Rating",
    "RatingSession",
    "RatingStatus",
    "AudioRecording",
    "ContentItem",
    "PictureUpload",
    "CircleMember",
    "LocalAuthority",
    "LoginThrottle",
    "Person",
    "Region",
    "Relationship",
    "Role",
    "User",
]
