"""Date of birth is used only as a life-stage band in the aggregate (issue 15): the band
at the time the person answered, the bands the aggregate already uses, and "unknown"
without a date or under 16. The rollups move when a practitioner changes the date."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from portal.commissioning import aggregate
from portal.commissioning.life_stage import age_on, band
from portal.commissioning.rollups import expected_rollup, rollup_table
from portal.content.store import load_content
from portal.core.extensions import db
from portal.models import ContentItem, LocalAuthority, Person, Rating, RatingSession, RatingStatus
from portal.ops.demo import seed_areas


@pytest.mark.parametrize(("born", "when", "expected"), [
    (date(2000, 6, 15), date(2016, 6, 14), aggregate.UNKNOWN_AGE),  # 15: no band
    (date(2000, 6, 15), date(2016, 6, 15), "16-24"),
    (date(2000, 6, 15), date(2025, 6, 14), "16-24"),
    (date(2000, 6, 15), date(2025, 6, 15), "25-34"),
    (date(1980, 1, 1), date(2025, 1, 1), "35-49"),
    (date(1970, 12, 31), date(2025, 12, 30), "50-64"),
    (date(1960, 1, 1), datetime(2025, 1, 1, 9, 30), "65+"),
    (None, date(2025, 1, 1), aggregate.UNKNOWN_AGE),
    (date(2030, 1, 1), date(2025, 1, 1), aggregate.UNKNOWN_AGE),
])
def test_the_band_at_the_time_of_answering(born, when, expected):
    assert band(born, when) == expected
    assert expected in aggregate.AGE_BANDS


def test_a_birthday_on_the_29th_of_february():
    assert age_on(date(2004, 2, 29), date(2025, 2, 28)) == 20
    assert age_on(date(2004, 2, 29), date(2025, 3, 1)) == 21


def _rated_person(born: date | None) -> int:
    load_content()
    seed_areas()
    la = db.session.scalars(select(LocalAuthority)).first()
    statement = db.session.scalar(select(ContentItem).where(
        ContentItem.kind == "statement", ContentItem.is_current))
    point = db.session.scalar(select(ContentItem).where(
        ContentItem.kind == "scale_point", ContentItem.key.like("scale_point.how-true.%")))
    scale = db.session.scalar(select(ContentItem).where(ContentItem.key == "scale.how-true"))
    person = Person(display_name="Eira", local_authority_id=la.id, date_of_birth=born)
    session = RatingSession(language="en", finished_at=datetime(2025, 5, 1), person=person)
    session.ratings.append(Rating(
        statement_key=statement.key.split(".", 1)[1], statement_item_id=statement.id,
        scale_item_id=scale.id, point_item_id=point.id, status=RatingStatus.RATED,
        score=round(100 * point.data["score"] / 3, 6)))
    db.session.add(session)
    db.session.commit()
    return person.id


def _bands() -> set[str]:
    return {cell[4] for cell in rollup_table(db.session.connection())}


def test_a_review_rating_counts_in_the_band_of_the_date_of_birth(app, clean_db):
    with app.app_context():
        person_id = _rated_person(date(1990, 3, 27))
        assert _bands() == {"35-49"}
        # The practitioner corrects the date: the rollup moves with it.
        db.session.get(Person, person_id).date_of_birth = date(1995, 3, 27)
        db.session.commit()
        assert _bands() == {"25-34"}
        db.session.get(Person, person_id).date_of_birth = None
        db.session.commit()
        assert _bands() == {aggregate.UNKNOWN_AGE}
        conn = db.session.connection()
        assert rollup_table(conn) == expected_rollup(conn)
        db.session.remove()
