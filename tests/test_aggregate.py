"""The rollups stay true: after random inserts, edits and deletions through the ORM (the
same paths the rating pages use), the incremental rollups equal a full rebuild. Runs on
SQLite, and on PostgreSQL when PORTAL_TEST_DATABASE_URL points at one."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select

from portal import aggregate
from portal.content.store import load_content
from portal.demo import seed_areas
from portal.extensions import db
from portal.models import (
    CircleMember,
    ContentItem,
    LocalAuthority,
    Person,
    Perspective,
    Rating,
    RatingSession,
    RatingStatus,
    Relationship,
    Role,
    User,
)
from portal.rollups import expected_rollup, rebuild, rollup_table

START = datetime(2024, 1, 1)


def _fact(person=1, session=1, day=0, respondent="self", la=1, statement="safe", point="a",
          score=50.0):
    return aggregate.RatingFact(person, session, START + timedelta(days=day), respondent, la,
                                aggregate.REVIEW, aggregate.UNKNOWN_AGE, statement, point, score)


def test_a_person_counts_once_per_period_with_their_latest_rating():
    facts = [_fact(session=1, day=1, point="a", score=0.0),
             _fact(session=2, day=20, point="b", score=100.0)]
    table = aggregate.rollup(aggregate.contributions(facts))
    assert table[("2024-Q1", 1, "self", "review", "unknown", "safe", "b")] == (1, 100000)
    assert table[("2024", 1, "self", "review", "unknown", "safe", "b")] == (1, 100000)
    assert not any(cell[-1] == "a" for cell in table)


def test_proxy_views_count_by_label_and_as_any_proxy_never_as_self():
    facts = [_fact(respondent="proxy:family:proxy_own_view"), _fact(session=2, day=3)]
    cells = aggregate.rollup(aggregate.contributions(facts))
    respondents = {cell[2] for cell in cells}
    assert respondents == {"self", "proxy", "proxy:family:proxy_own_view"}
    assert cells[("2024-Q1", 1, "self", "review", "unknown", "safe", "a")] == (1, 50000)


def test_a_person_with_no_area_is_not_counted():
    assert aggregate.contributions([_fact(la=None)]) == {}


def test_delta_of_replacing_contributions_adds_up_to_the_new_rollup():
    old = aggregate.contributions([_fact(point="a", score=0.0)])
    new = aggregate.contributions([_fact(point="b", score=100.0, la=2)])
    before = aggregate.rollup(old)
    delta = aggregate.rollup_delta(old, new)
    after = dict(before)
    for cell, (p, s) in delta.items():
        got = after.get(cell, (0, 0))
        after[cell] = (got[0] + p, got[1] + s)
    assert {c: v for c, v in after.items() if v[0]} == aggregate.rollup(new)


# --- Against the database ----------------------------------------------------------------


def _setup(rng):
    load_content()
    seed_areas()
    las = list(db.session.scalars(select(LocalAuthority).order_by(LocalAuthority.id)))
    statements = list(db.session.scalars(select(ContentItem).where(
        ContentItem.kind == "statement", ContentItem.is_current)))
    points = list(db.session.scalars(select(ContentItem).where(
        ContentItem.kind == "scale_point", ContentItem.is_current,
        ContentItem.key.like("scale_point.how-true.%"))))
    scale = db.session.scalar(select(ContentItem).where(ContentItem.key == "scale.how-true"))
    helpers = []
    for i in range(3):
        user = User(username=f"helper-{i}", role=Role.SUPPORTER, display_name=f"Helper {i}")
        user.set_password("x-password-long")
        db.session.add(user)
        helpers.append(user)
    people = []
    for i in range(12):
        person = Person(display_name=f"Person {i}", local_authority_id=rng.choice(las[:4]).id)
        db.session.add(person)
        people.append(person)
    db.session.flush()
    for person in people:
        for user, relation in zip(helpers, list(Relationship)[:3], strict=False):
            if rng.random() < 0.6:
                db.session.add(CircleMember(person_id=person.id, user_id=user.id,
                                            relation=relation))
    db.session.commit()
    return las, statements, points, scale, helpers, people


def _random_op(rng, las, statements, points, scale, helpers, people):
    op = rng.random()
    sessions = list(db.session.scalars(select(RatingSession)))
    ratings = list(db.session.scalars(select(Rating)))
    live_people = [p for p in people if db.session.get(Person, p.id) is not None]
    if op < 0.35 or not sessions:
        person = rng.choice(live_people)
        proxy = rng.random() < 0.4
        session = RatingSession(
            person_id=person.id, language="en",
            perspective=rng.choice([Perspective.PROXY_OWN_VIEW, Perspective.PROXY_THEIR_VIEW])
            if proxy else Perspective.SELF,
            rated_by_user_id=rng.choice(helpers).id if proxy else None,
            finished_at=START + timedelta(days=rng.randrange(0, 730))
            if rng.random() < 0.8 else None,
        )
        for statement in rng.sample(statements, rng.randrange(1, 6)):
            point = rng.choice(points)
            rated = rng.random() < 0.85
            session.ratings.append(Rating(
                statement_key=statement.key.split(".", 1)[1], statement_item_id=statement.id,
                scale_item_id=scale.id, point_item_id=point.id if rated else None,
                status=RatingStatus.RATED if rated else RatingStatus.DONT_KNOW,
                score=round(100 * point.data["score"] / 3, 6) if rated else None))
        db.session.add(session)
    elif op < 0.6 and ratings:
        rating = rng.choice(ratings)
        point = rng.choice(points)
        rating.point_item_id, rating.status = point.id, RatingStatus.RATED
        rating.score = round(100 * point.data["score"] / 3, 6)
    elif op < 0.7 and ratings:
        db.session.delete(rng.choice(ratings))
    elif op < 0.78:
        session = rng.choice(sessions)
        session.finished_at = (START + timedelta(days=rng.randrange(0, 730))
                               if session.finished_at is None else None)
    elif op < 0.85:
        db.session.delete(rng.choice(sessions))
    elif op < 0.93:
        rng.choice(live_people).local_authority_id = rng.choice(las).id
    else:
        members = list(db.session.scalars(select(CircleMember)))
        if members:
            rng.choice(members).relation = rng.choice(list(Relationship))
    if rng.random() < 0.7:
        db.session.commit()
    else:
        db.session.rollback()


def test_incremental_rollups_equal_a_full_rebuild(app, clean_db):
    rng = random.Random(8)
    with app.app_context():
        world = _setup(rng)
        for step in range(150):
            _random_op(rng, *world)
            if step % 25 == 24:
                conn = db.session.connection()
                assert rollup_table(conn) == expected_rollup(conn), f"after step {step}"
                db.session.commit()
        conn = db.session.connection()
        incremental = rollup_table(conn)
        assert incremental, "the random operations left nothing to count"
        rebuild(conn)
        db.session.commit()
        assert rollup_table(db.session.connection()) == incremental
        # deleting a person removes everything they counted for
        for person in world[-1]:
            found = db.session.get(Person, person.id)
            if found is not None:
                db.session.delete(found)
        db.session.commit()
        assert rollup_table(db.session.connection()) == {}
