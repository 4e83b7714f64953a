"""Whose view a rating session holds, as a label the aggregate can group by (issue 6).

Self and proxy ratings are never merged: each session is labelled `self`, or
`proxy:<relation>:<perspective>` (e.g. `proxy:family:proxy_their_view`), so that counts
and means can be kept apart by respondent type, relationship and perspective.
"""

from __future__ import annotations

from sqlalchemy import and_, select

from portal.core.extensions import db
from portal.models import CircleMember, Perspective, RatingSession

SELF = "self"


def session_label(perspective: str, relation: str | None) -> str:
    """Pure: the label for a session's perspective and, for a proxy, the member's relation."""
    if perspective == Perspective.SELF:
        return SELF
    return f"proxy:{relation or 'unknown'}:{perspective}"


def labelled_sessions(person_ids=None, finished_only: bool = True) -> list[tuple[int, str]]:
    """(rating session id, label) for every session, optionally for some people only."""
    query = select(RatingSession.id, RatingSession.perspective, CircleMember.relation).outerjoin(
        CircleMember,
        and_(CircleMember.person_id == RatingSession.person_id,
             CircleMember.user_id == RatingSession.rated_by_user_id),
    ).order_by(RatingSession.id)
    if finished_only:
        query = query.where(RatingSession.finished_at.is_not(None))
    if person_ids is not None:
        query = query.where(RatingSession.person_id.in_(list(person_ids)))
    return [(sid, session_label(perspective, relation))
            for sid, perspective, relation in db.session.execute(query)]
