"""Keeping the commissioning rollups in step with the ratings (issue 8).

Every flush that adds, changes or deletes a rating, a rating session, a person or a
circle member marks the people concerned; after the flush, in the same transaction,
their contributions are worked out again from the raw ratings (portal/aggregate.py) and
the rollup cells move by the difference. A rolled-back answer rolls back its rollup too.

Rows removed by plain SQL (not through the ORM) are not seen: call `refresh_people`
for the people concerned, or `rebuild` (`flask --app portal aggregate rebuild`).
Two saves for the same person at the same moment cannot both count: the second one
breaks the unique contribution key and is rolled back (the rating pages retry).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import and_, delete, event, func, insert, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from portal import aggregate
from portal.models import (
    CircleMember,
    ContentItem,
    Person,
    Rating,
    RatingContribution,
    RatingRollup,
    RatingSession,
    RatingStatus,
)
from portal.models.aggregate import DIMENSIONS
from portal.perspectives import session_label

PEOPLE_KEY = "aggregate_people"
CHUNK = 2000


def _facts_query(person_ids: Iterable[int] | None = None):
    query = (
        select(
            RatingSession.person_id, RatingSession.id, RatingSession.finished_at,
            RatingSession.perspective, CircleMember.relation, Person.local_authority_id,
            Rating.statement_key, ContentItem.key, Rating.score,
        )
        .join(Rating, Rating.session_id == RatingSession.id)
        .join(Person, Person.id == RatingSession.person_id)
        .join(ContentItem, ContentItem.id == Rating.point_item_id)
        .outerjoin(CircleMember, and_(CircleMember.person_id == RatingSession.person_id,
                                      CircleMember.user_id == RatingSession.rated_by_user_id))
        .where(RatingSession.finished_at.is_not(None), Rating.status == RatingStatus.RATED,
               Rating.score.is_not(None))
    )
    if person_ids is not None:
        query = query.where(RatingSession.person_id.in_(list(person_ids)))
    return query


def _facts(rows) -> list[aggregate.RatingFact]:
    return [
        aggregate.RatingFact(
            person_id=person_id, session_id=session_id, finished_at=finished_at,
            respondent=session_label(perspective, relation), local_authority_id=la,
            source=aggregate.REVIEW, age_band=aggregate.UNKNOWN_AGE, statement_key=statement,
            point_key=point.removeprefix("scale_point."), score=score,
        )
        for (person_id, session_id, finished_at, perspective, relation, la, statement, point,
             score) in rows
    ]


def _stored(conn: Connection, person_ids: list[int]) -> dict:
    c = RatingContribution
    rows = conn.execute(select(c.person_id, c.period, c.respondent, c.statement_key,
                               c.local_authority_id, c.source, c.age_band, c.point_key,
                               c.score_milli).where(c.person_id.in_(person_ids)))
    return {tuple(r[:4]): tuple(r[4:]) for r in rows}


def _insert(conn: Connection):
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)


def _contribution_rows(contribs: dict) -> list[dict]:
    return [
        {"person_id": p, "period": period, "respondent": r, "statement_key": s,
         "local_authority_id": la, "source": src, "age_band": age, "point_key": pt,
         "score_milli": score}
        for (p, period, r, s), (la, src, age, pt, score) in contribs.items()
    ]


def _apply_delta(conn: Connection, delta: dict) -> None:
    if not delta:
        return
    stmt = _insert(conn)(RatingRollup.__table__)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(DIMENSIONS),
        set_={"people": RatingRollup.people + stmt.excluded.people,
              "score_milli": RatingRollup.score_milli + stmt.excluded.score_milli},
    )
    conn.execute(stmt, [dict(zip(DIMENSIONS, cell, strict=True), people=p, score_milli=s)
                        for cell, (p, s) in sorted(delta.items())])
    conn.execute(delete(RatingRollup).where(RatingRollup.people == 0))


def refresh_people(conn: Connection, person_ids: Iterable[int]) -> None:
    """Work the contributions of these people out again and move the rollup to match."""
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        old = _stored(conn, chunk)
        new = aggregate.contributions(_facts(conn.execute(_facts_query(chunk))))
        delta = aggregate.rollup_delta(old, new)
        if not delta and old == new:
            continue
        gone = [k for k in old if k not in new or new[k] != old[k]]
        c = RatingContribution
        for part in range(0, len(gone), 500):
            conn.execute(delete(c).where(
                tuple_(c.person_id, c.period, c.respondent, c.statement_key).in_(
                    gone[part:part + 500])))
        added = {k: v for k, v in new.items() if old.get(k) != v}
        if added:
            conn.execute(insert(c), _contribution_rows(added))
        _apply_delta(conn, delta)


def rebuild(conn: Connection) -> int:
    """Recompute every contribution and rollup from the raw ratings; return the cells."""
    conn.execute(delete(RatingContribution))
    conn.execute(delete(RatingRollup))
    person_ids = [r[0] for r in conn.execute(
        select(RatingSession.person_id).where(RatingSession.finished_at.is_not(None))
        .distinct().order_by(RatingSession.person_id))]
    totals: Counter = Counter()
    scores: Counter = Counter()
    for start in range(0, len(person_ids), CHUNK):
        chunk = person_ids[start:start + CHUNK]
        contribs = aggregate.contributions(_facts(conn.execute(_facts_query(chunk))))
        if contribs:
            conn.execute(insert(RatingContribution), _contribution_rows(contribs))
        for cell, (p, s) in aggregate.rollup(contribs).items():
            totals[cell] += p
            scores[cell] += s
    rows = [dict(zip(DIMENSIONS, cell, strict=True), people=totals[cell],
                 score_milli=scores[cell]) for cell in sorted(totals)]
    for start in range(0, len(rows), 5000):
        conn.execute(insert(RatingRollup), rows[start:start + 5000])
    return len(rows)


def rollup_table(conn: Connection) -> dict:
    """Every non-empty rollup cell: for comparing incremental rollups with a rebuild."""
    r = RatingRollup
    rows = conn.execute(select(*[getattr(r, d) for d in DIMENSIONS], r.people, r.score_milli)
                        .where(r.people != 0))
    return {tuple(row[:7]): (row[7], row[8]) for row in rows}


def expected_rollup(conn: Connection) -> dict:
    """The rollup a full rebuild would give, worked out without writing anything."""
    facts = _facts(conn.execute(_facts_query()))
    return aggregate.rollup(aggregate.contributions(facts))


def rating_count(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(Rating)).scalar_one()


# --- Keeping in step ---------------------------------------------------------------------


def _mark(session, flush_context, instances) -> None:
    people: set[int] = session.info.setdefault(PEOPLE_KEY, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Rating):
            owner = obj.session
            if owner is None and obj.session_id is not None:
                owner = session.get(RatingSession, obj.session_id)
            if owner is not None and owner.person_id is not None:
                people.add(owner.person_id)
        elif isinstance(obj, RatingSession | CircleMember) and obj.person_id is not None:
            people.add(obj.person_id)
        elif isinstance(obj, Person) and obj.id is not None:
            people.add(obj.id)


def _refresh(session, flush_context) -> None:
    people = session.info.pop(PEOPLE_KEY, None)
    if people:
        refresh_people(session.connection(), people)


def install(session_class) -> None:
    """Listen to the flushes of this session class (once)."""
    if not event.contains(session_class, "before_flush", _mark):
        event.listen(session_class, "before_flush", _mark)
        event.listen(session_class, "after_flush", _refresh)
