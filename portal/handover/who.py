"""Who was there: the givers of the hand-overs in which a person's things were saved."""

from __future__ import annotations

from sqlalchemy import select

from portal.core.extensions import db
from portal.models import HandOver, Rating, User


def rating_givers(rating_session_id: int) -> list[str]:
    """Names of the staff who handed their tablet over while these ratings were given."""
    return list(db.session.scalars(
        select(User.display_name).distinct()
        .join(HandOver, HandOver.given_by_user_id == User.id)
        .join(Rating, Rating.hand_over_id == HandOver.id)
        .where(Rating.session_id == rating_session_id)
        .order_by(User.display_name)))
