"""Every rating session with the label of whose view it holds (portal/domain/perspectives.py):
the query behind it, since a proxy's label needs the circle member's relation."""

from __future__ import annotations

from sqlalchemy import and_, select

from portal.core.extensions import db
from portal.domain.perspectives import session_label
from portal.models import CircleMember, RatingSession


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
