"""Safety follow-ups: a "Not true" to a safety statement makes a follow-up for the
practitioner in the same transaction as the rating (issue 6).

A `before_flush` hook sees every new or changed Rating, whoever saved it (the person's own
rating pages or a proxy's), so no rating path can forget it. "Not true" is the worst end of
the scale, which scores 0 after normalisation (portal/domain/scoring.py); "I don't know" and
"Skip" have no score and never raise a follow-up.
"""

from __future__ import annotations

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from portal.core.extensions import db
from portal.models import (
    CircleMember,
    ContentItem,
    Perspective,
    Rating,
    RatingSession,
    RatingStatus,
    Relationship,
    SafetyFollowUp,
)

SELF = "self"


def _is_unsafe(session: Session, rating: Rating) -> bool:
    if rating.status != RatingStatus.RATED or rating.score is None or rating.score > 0:
        return False
    statement = session.get(ContentItem, rating.statement_item_id)
    return bool(statement is not None and (statement.data or {}).get("safety"))


def _answer_changed(rating: Rating) -> bool:
    state = inspect(rating)
    if state.pending:
        return True
    return any(state.attrs[name].history.has_changes() for name in ("score", "point_item_id"))


def _raised_by(session: Session, rating_session: RatingSession) -> str:
    if rating_session.perspective == Perspective.SELF:
        return SELF
    member = session.scalar(select(CircleMember).where(
        CircleMember.person_id == rating_session.person_id,
        CircleMember.user_id == rating_session.rated_by_user_id))
    return member.relation if member is not None else "unknown"


def raise_follow_ups(session: Session, _flush_context, _instances) -> None:
    with session.no_autoflush:
        for obj in [*session.new, *session.dirty]:
            if not isinstance(obj, Rating) or not _answer_changed(obj):
                continue
            if not _is_unsafe(session, obj):
                continue
            rating_session = obj.session or session.get(RatingSession, obj.session_id)
            if rating_session is None or rating_session.person_id is None:
                # An event participant is anonymous: there is nobody to follow up. The
                # thank-you page tells everyone at the event who they can talk to.
                continue
            if obj.id is not None and session.scalar(select(SafetyFollowUp.id).where(
                    SafetyFollowUp.rating_id == obj.id, SafetyFollowUp.done_at.is_(None))):
                continue  # the same answer again: one open follow-up is enough
            follow_up = SafetyFollowUp(
                person_id=rating_session.person_id,
                statement_key=obj.statement_key,
                raised_by_user_id=rating_session.rated_by_user_id,
                raised_by_relation=_raised_by(session, rating_session),
                perspective=rating_session.perspective,
            )
            follow_up.rating = obj
            session.add(follow_up)


def open_follow_ups(practitioner_id: int) -> list[SafetyFollowUp]:
    """Open follow-ups about people in whose circle the practitioner is a professional."""
    people = select(CircleMember.person_id).where(
        CircleMember.user_id == practitioner_id,
        CircleMember.relation == Relationship.PROFESSIONAL)
    query = select(SafetyFollowUp).where(
        SafetyFollowUp.person_id.in_(people), SafetyFollowUp.done_at.is_(None),
    ).order_by(SafetyFollowUp.raised_at, SafetyFollowUp.id)
    return list(db.session.scalars(query))
