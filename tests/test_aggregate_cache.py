"""A suppressed cube is reused only while the rollups it came from are unchanged."""

from __future__ import annotations

from sqlalchemy import select

from portal.commissioning import data
from portal.content.store import load_content
from portal.core.extensions import db
from portal.models import ContentItem, Perspective, Rating, RatingSession
from portal.ops.aggregate_demo import seed_results


def test_a_cube_is_reused_until_a_rating_changes(app, demo):
    with app.app_context():
        load_content()
        seed_results(people=20, la_codes=("cardiff",))
        data.cubes().clear()
        # A rating of the latest session, so that it is the one that counts: with no order,
        # PostgreSQL could give one that a later session (same day, higher id) outranks,
        # whose change moves no cell and no stamp.
        rating = db.session.scalar(select(Rating).join(Rating.session).where(
            RatingSession.person_id.is_not(None), RatingSession.finished_at.is_not(None),
            RatingSession.perspective == Perspective.SELF)
            .order_by(RatingSession.finished_at.desc(), RatingSession.id.desc()))
        period = str(rating.session.finished_at.year)
        first = data.cube(period, "self", 10)
        assert data.cube(period, "self", 10).protected is first.protected
        # The year's quarters are slices of the same linked cube (issue 16).
        quarter = f"{period}-Q{(rating.session.finished_at.month - 1) // 3 + 1}"
        assert data.cube(quarter, "self", 10).protected is first.protected
        # another threshold, another cube
        assert data.cube(period, "self", 5).protected is not first.protected
        # A changed rating: the next cube is built again from the new counts.
        other = db.session.scalar(select(ContentItem).where(
            ContentItem.key.like("scale_point.how-true.%"),
            ContentItem.id != rating.point_item_id))
        rating.point_item_id, rating.score = other.id, 100 * other.data["score"] / 3
        db.session.commit()
        again = data.cube(period, "self", 10)
        assert again.protected is not first.protected
        assert again.protected.coded != first.protected.coded or again.scores.coded != \
            first.scores.coded
        db.session.remove()
