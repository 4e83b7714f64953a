"""Typed SQLAlchemy 2.0 models, one module per area. Import them all here so that
Alembic and `db.create_all` see every table."""

from portal.models.accounts import LoginThrottle, Role, User
from portal.models.aggregate import (
    CommissionerArea,
    RatingContribution,
    RatingRollup,
    RollupStamp,
)
from portal.models.areas import LocalAuthority, Region
from portal.models.audit import AuditAction, AuditEntry
from portal.models.circle import (
    BestInterestsDecision,
    CircleInvite,
    ConsentBasis,
    MemberConsent,
    RatingComment,
    SafetyFollowUp,
)
from portal.models.content import AudioRecording, ContentItem, ContentStamp, PictureUpload
from portal.models.conversations import (
    Answer,
    AnswerStatus,
    AnswerTheme,
    Conversation,
    Mode,
    Source,
    ThemeSource,
)
from portal.models.events import AgeBand, Event, EventParticipant
from portal.models.feedback import YouSaidWeDid
from portal.models.handover import HandOver, HandOverEnd
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
from portal.models.second_step import BackupCode, SecondStep
from portal.models.setup_links import SetupLink
from portal.models.signin import PasskeyCredential, PasskeySetupCode, SignInCard

__all__ = [
    "HandOver",
    "HandOverEnd",
    "AuditAction",
    "AuditEntry",
    "ContentStamp",
    "CommissionerArea",
    "YouSaidWeDid",
    "RatingContribution",
    "RatingRollup",
    "RollupStamp",
    "AgeBand",
    "Event",
    "EventParticipant",
    "BestInterestsDecision",
    "CircleInvite",
    "ConsentBasis",
    "MemberConsent",
    "RatingComment",
    "SafetyFollowUp",
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
    "PasskeyCredential",
    "PasskeySetupCode",
    "SignInCard",
    "SetupLink",
    "BackupCode",
    "SecondStep",
]
