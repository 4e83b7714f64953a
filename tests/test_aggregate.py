"""The rollups stay true: after random inserts, edits and deletions through the ORM (the
same paths the rating pages use), the incremental rollups equal a full rebuild. Runs on
SQLite, and on PostgreSQL when PORTAL_TEST_DATABASE_URL points at one."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import select, update

from portal.commissioning import aggregate
from portal.commissioning.rollups import expected_rollup, rebuild, rollup_table
from portal.content.store import load_content
from portal.core.extensions import db
from portal.models import (
    AgeBand,
    CircleMember,
    ContentItem,
    Event,
    EventParticipant,
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
from portal.ops.demo import seed_areas
from tests.sql import statements_on

START = datetime(2024, 1, 1)


def _fact(person=1, session=1, day=0, respondent="self", la=1, statement="safe", point="a",
          score=50.0):
    return aggregate.RatingFact(aggregate.person(person), session, START + timedelta(days=day),
                                respondent, la, aggregate.REVIEW, aggregate.UNKNOWN_AGE,
                                statement, point, score)


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


def test_event_ratings_count_as_events_in_the_events_area_and_age_band():
    fact = aggregate.RatingFact(aggregate.participant(7), 1, START, "self", 3, aggregate.EVENT,
                                aggregate.age_band("25-34"), "safe", "a", 100.0)
    cells = aggregate.rollup(aggregate.contributions([fact]))
    assert cells[("2024-Q1", 3, "self", "event", "25-34", "safe", "a")] == (1, 100000)
    assert aggregate.age_band("not_said") == aggregate.age_band(None) == aggregate.UNKNOWN_AGE
    # a participant never shares a key with a person of the same id
    assert aggregate.participant(7) != aggregate.person(7)


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
    events = []
    for i in range(2):
        event = Event(facilitator_id=helpers[0].id, title_en=f"Event {i}", title_cy=f"Digwydd {i}",
                      event_date=date(2024, 3, 1), venue="Hall",
                      local_authority_id=rng.choice(las[:4]).id,
                      conversation_key="what-matters", join_code=f"CODE{i}")
        for j in range(4):
            event.participants.append(EventParticipant(
                token_hash=f"{i}-{j}".ljust(64, "0"), language="en",
                age_band=rng.choice([None, *list(AgeBand)])))
        db.session.add(event)
        events.append(event)
    db.session.commit()
    return las, statements, points, scale, helpers, people


def _random_event_op(rng, las):
    """Change an event's area, a participant's age band, or remove a participant."""
    op = rng.random()
    if op < 0.4:
        event = rng.choice(list(db.session.scalars(select(Event))))
        event.local_authority_id = rng.choice(las).id
        return
    participants = list(db.session.scalars(select(EventParticipant)))
    if len(participants) < 3:
        return
    if op < 0.8:
        rng.choice(participants).age_band = rng.choice([None, *list(AgeBand)])
    else:
        db.session.delete(rng.choice(participants))


def _random_op(rng, las, statements, points, scale, helpers, people):
    op = rng.random()
    sessions = list(db.session.scalars(select(RatingSession)))
    ratings = list(db.session.scalars(select(Rating)))
    live_people = [p for p in people if db.session.get(Person, p.id) is not None]
    participants = list(db.session.scalars(select(EventParticipant.id)))
    if (op < 0.1 or not sessions) and participants:
        # An event participant rates: anonymous, always their own view.
        session = RatingSession(
            participant_id=rng.choice(participants), language="en",
            finished_at=START + timedelta(days=rng.randrange(0, 730))
            if rng.random() < 0.8 else None,
        )
        for statement in rng.sample(statements, rng.randrange(1, 6)):
            point = rng.choice(points)
            session.ratings.append(Rating(
                statement_key=statement.key.split(".", 1)[1], statement_item_id=statement.id,
                scale_item_id=scale.id, point_item_id=point.id, status=RatingStatus.RATED,
                score=round(100 * point.data["score"] / 3, 6)))
        db.session.add(session)
    elif op < 0.35:
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
    elif op < 0.9:
        rng.choice(live_people).local_authority_id = rng.choice(las).id
    elif op < 0.95:
        _random_event_op(rng, las)
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
        for step in range(200):
            _random_op(rng, *world)
            if step % 25 == 24:
                conn = db.session.connection()
                assert rollup_table(conn) == expected_rollup(conn), f"after step {step}"
                db.session.commit()
        conn = db.session.connection()
        incremental = rollup_table(conn)
        assert incremental, "the random operations left nothing to count"
        sources = {cell[3] for cell in incremental}
        assert sources == {aggregate.REVIEW, aggregate.EVENT}, sources
        rebuild(conn)
        db.session.commit()
        assert rollup_table(db.session.connection()) == incremental
        # deleting a person (or an event) removes everything they counted for
        for person in world[-1]:
            found = db.session.get(Person, person.id)
            if found is not None:
                db.session.delete(found)
        for event in db.session.scalars(select(Event)):
            db.session.delete(event)
        db.session.commit()
        assert rollup_table(db.session.connection()) == {}


def test_a_new_owner_and_their_ratings_in_one_flush_are_counted(app, clean_db):
    """A person (or participant) made in the same flush as their session has no id when
    the flush starts: they are counted once the ids are known."""
    rng = random.Random(3)
    with app.app_context():
        las, statements, points, scale, helpers, _people = _setup(rng)
        person = Person(display_name="New", local_authority_id=las[0].id)
        event = db.session.scalars(select(Event)).first()
        participant = EventParticipant(token_hash="n".ljust(64, "0"), language="en",
                                       age_band="16-24")
        event.participants.append(participant)
        point = points[0]
        for owner in ({"person": person}, {"participant": participant}):
            session = RatingSession(language="en", finished_at=START, **owner)
            session.ratings.append(Rating(
                statement_key=statements[0].key.split(".", 1)[1],
                statement_item_id=statements[0].id, scale_item_id=scale.id,
                point_item_id=point.id, status=RatingStatus.RATED,
                score=round(100 * point.data["score"] / 3, 6)))
            db.session.add(session)
        db.session.commit()
        conn = db.session.connection()
        table = rollup_table(conn)
        assert table == expected_rollup(conn)
        assert {cell[3] for cell in table} == {aggregate.REVIEW, aggregate.EVENT}


def _rated(statement, point, scale) -> Rating:
    return Rating(statement_key=statement.key.split(".", 1)[1], statement_item_id=statement.id,
                  scale_item_id=scale.id, point_item_id=point.id, status=RatingStatus.RATED,
                  score=round(100 * point.data["score"] / 3, 6))


def test_an_unfinished_session_s_ratings_change_no_rollup_until_it_is_finished(app, clean_db):
    """Only finished sessions count: rating in an unfinished one leaves the rollups (and
    the contributions) alone, without working them out again; finishing it counts it."""
    rng = random.Random(5)
    with app.app_context():
        las, statements, points, scale, _helpers, people = _setup(rng)
        person, participant = people[0], db.session.scalars(select(EventParticipant)).first()
        for owner in ({"person_id": person.id}, {"participant_id": participant.id}):
            done = RatingSession(language="en", finished_at=START, **owner)
            done.ratings.append(_rated(statements[0], points[0], scale))
            db.session.add(done)
        db.session.commit()
        before = rollup_table(db.session.connection())
        assert before, "the finished sessions count"
        db.session.commit()

        open_sessions = []
        for owner in ({"person_id": person.id}, {"participant_id": participant.id}):
            session = RatingSession(language="en", **owner)
            session.ratings.append(_rated(statements[1], points[1], scale))
            db.session.add(session)
            open_sessions.append(session)
        seen = statements_on(db.engine, db.session.commit)
        assert not any("rating_contributions" in s or "rating_rollups" in s for s in seen), seen
        for session in open_sessions:  # another answer, and a changed one
            session.ratings.append(_rated(statements[2], points[2], scale))
            session.ratings[0].point_item_id, session.ratings[0].score = points[0].id, 0.0
            session.position = 2
        seen = statements_on(db.engine, db.session.commit)
        assert not any("rating_contributions" in s or "rating_rollups" in s for s in seen), seen
        conn = db.session.connection()
        assert rollup_table(conn) == before == expected_rollup(conn)
        db.session.commit()

        for session in open_sessions:
            session.finished_at = START + timedelta(days=40)
        db.session.commit()
        conn = db.session.connection()
        after = rollup_table(conn)
        assert after != before
        assert after == expected_rollup(conn)


def test_a_session_finished_behind_the_orm_s_back_is_still_counted(app, clean_db):
    """What the ORM remembers of a session may be old (another request finished it): the
    database is asked after the flush before its ratings are left out of the rollups."""
    rng = random.Random(6)
    with app.app_context():
        _las, statements, points, scale, _helpers, people = _setup(rng)
        session = RatingSession(language="en", person_id=people[1].id)
        session.ratings.append(_rated(statements[0], points[0], scale))
        db.session.add(session)
        db.session.commit()
        assert session.finished_at is None
        # Finished by plain SQL, as another request's commit would be: not seen here.
        db.session.execute(update(RatingSession).where(RatingSession.id == session.id)
                           .values(finished_at=START),
                           execution_options={"synchronize_session": False})
        assert session.finished_at is None  # what this ORM session still believes
        session.ratings.append(_rated(statements[1], points[1], scale))
        db.session.commit()
        conn = db.session.connection()
        table = rollup_table(conn)
        assert table and table == expected_rollup(conn)


def test_deleting_contributions_finds_them_by_their_owners_key():
    """A changed rating in a finished session deletes the owner's old contributions. On
    SQLite a row-value IN alone is planned as a scan of the whole table
    (benchmarks/README.md has the cost): the delete must reach the rows through the
    owners' unique keys, for people and for participants."""
    from sqlalchemy import create_engine, event

    from portal.commissioning.rollups import _delete_contributions
    from portal.models import RatingContribution

    engine = create_engine("sqlite://")
    RatingContribution.__table__.create(engine)
    seen = []
    event.listen(engine, "before_cursor_execute",
                 lambda _c, _cur, statement, params, *_a: seen.append((statement, params)))
    keys = [(aggregate.person(7), "2025", "self", "safe"),
            (aggregate.participant(7), "2025", "self", "safe")]
    with engine.begin() as connection:
        _delete_contributions(connection, keys)
        deletes = [(s, p) for s, p in seen if s.startswith("DELETE")]
        plans = [" ".join(row[-1] for row in connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + statement, params)) for statement, params in deletes]
    assert len(plans) == 2, plans
    assert "USING INDEX uq_rating_contributions_key" in plans[0], plans[0]
    assert "USING INDEX uq_rating_contributions_participant_key" in plans[1], plans[1]
    assert not any("SCAN rating_contributions" in plan for plan in plans), plans
