"""Keeping the commissioning rollups in step with the ratings (issue 8).

Every flush that adds, changes or deletes a rating, a rating session, a person, a
circle member, a listening event or an event participant marks the people (and
participants) concerned; after the flush, in the same transaction,
their contributions are worked out again from the raw ratings (portal/commissioning/aggregate.py)
and
the rollup cells move by the difference. A rolled-back answer rolls back its rollup too.

Rows removed by plain SQL (not through the ORM) are not seen: call `refresh_people`
for the people concerned, or `rebuild` (`flask --app portal aggregate rebuild`).
Two saves for the same person at the same moment cannot both count: the second one
breaks the unique contribution key and is rolled back (the rating pages retry).

Who a contribution belongs to (`rating_contributions.person_id`, no foreign key): a
person's id, or minus the id of an event participant (`participant_key`). Participants
are anonymous and never have a person, so the two kinds of id cannot collide, and one
integer key keeps the unique contribution key and the rollup arithmetic as they were.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable

from sqlalchemy import and_, delete, event, func, insert, inspect, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from portal.commissioning import aggregate
from portal.domain import life_stage
from portal.domain.perspectives import session_label
from portal.models import (
    CircleMember,
    ContentItem,
    Event,
    EventParticipant,
    Person,
    Rating,
    RatingContribution,
    RatingRollup,
    RatingSession,
    RatingStatus,
    RollupStamp,
)
from portal.models.aggregate import DIMENSIONS

PEOPLE_KEY = "aggregate_people"
PENDING_KEY = "aggregate_pending"
UNFINISHED_KEY = "aggregate_unfinished"
CHUNK = 2000


def participant_key(participant_id: int) -> int:
    """The contribution key of an event participant: minus their id (see the top)."""
    return -participant_id


def _facts_query(person_ids: Iterable[int] | None = None):
    """Scored ratings of finished sessions owned by people (reviews)."""
    query = (
        select(
            RatingSession.person_id, RatingSession.id, RatingSession.finished_at,
            RatingSession.perspective, CircleMember.relation, Person.local_authority_id,
            Rating.statement_key, ContentItem.key, Rating.score, Person.date_of_birth,
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


def _event_facts_query(participant_ids: Iterable[int] | None = None):
    """Scored ratings of finished sessions owned by event participants: counted in the
    event's area, with the participant's age band."""
    query = (
        select(
            RatingSession.participant_id, RatingSession.id, RatingSession.finished_at,
            RatingSession.perspective, Event.local_authority_id, EventParticipant.age_band,
            Rating.statement_key, ContentItem.key, Rating.score,
        )
        .join(Rating, Rating.session_id == RatingSession.id)
        .join(EventParticipant, EventParticipant.id == RatingSession.participant_id)
        .join(Event, Event.id == EventParticipant.event_id)
        .join(ContentItem, ContentItem.id == Rating.point_item_id)
        .where(RatingSession.finished_at.is_not(None), Rating.status == RatingStatus.RATED,
               Rating.score.is_not(None))
    )
    if participant_ids is not None:
        query = query.where(RatingSession.participant_id.in_(list(participant_ids)))
    return query


def _facts(rows) -> list[aggregate.RatingFact]:
    return [
        aggregate.RatingFact(
            person_id=person_id, session_id=session_id, finished_at=finished_at,
            respondent=session_label(perspective, relation), local_authority_id=la,
            source=aggregate.REVIEW, age_band=life_stage.band(born, finished_at),
            statement_key=statement, point_key=point.removeprefix("scale_point."), score=score,
        )
        for (person_id, session_id, finished_at, perspective, relation, la, statement, point,
             score, born) in rows
    ]


def _event_facts(rows) -> list[aggregate.RatingFact]:
    return [
        aggregate.RatingFact(
            person_id=participant_key(participant_id), session_id=session_id,
            finished_at=finished_at, respondent=session_label(perspective, None),
            local_authority_id=la, source=aggregate.EVENT, age_band=aggregate.age_band(age),
            statement_key=statement, point_key=point.removeprefix("scale_point."), score=score,
        )
        for (participant_id, session_id, finished_at, perspective, la, age, statement, point,
             score) in rows
    ]


def _facts_of(conn: Connection, keys: Iterable[int] | None = None) -> list[aggregate.RatingFact]:
    """The facts of these contribution keys (people and participants), or of everyone."""
    if keys is None:
        return (_facts(conn.execute(_facts_query()))
                + _event_facts(conn.execute(_event_facts_query())))
    keys = list(keys)
    people = [k for k in keys if k > 0]
    participants = [-k for k in keys if k < 0]
    facts = _facts(conn.execute(_facts_query(people))) if people else []
    if participants:
        facts += _event_facts(conn.execute(_event_facts_query(participants)))
    return facts


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
    stamp_periods(conn, {cell[0] for cell in delta})


def stamp_periods(conn: Connection, periods: Iterable[str]) -> None:
    """Give these periods new stamps: every suppressed cube built from them is stale."""
    periods = sorted(set(periods))
    if not periods:
        return
    # An upsert, so two saves stamping the same period at once both succeed.
    stmt = _insert(conn)(RollupStamp.__table__)
    stmt = stmt.on_conflict_do_update(index_elements=["period"],
                                      set_={"stamp": stmt.excluded.stamp})
    conn.execute(stmt, [{"period": p, "stamp": uuid.uuid4().hex} for p in periods])


def refresh_people(conn: Connection, person_ids: Iterable[int]) -> None:
    """Work the contributions of these people out again and move the rollup to match."""
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        old = _stored(conn, chunk)
        new = aggregate.contributions(_facts_of(conn, chunk))
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
    finished = RatingSession.finished_at.is_not(None)
    person_ids = [r[0] for r in conn.execute(
        select(RatingSession.person_id).where(finished, RatingSession.person_id.is_not(None))
        .distinct().order_by(RatingSession.person_id))]
    person_ids += [participant_key(r[0]) for r in conn.execute(
        select(RatingSession.participant_id)
        .where(finished, RatingSession.participant_id.is_not(None))
        .distinct().order_by(RatingSession.participant_id))]
    totals: Counter = Counter()
    scores: Counter = Counter()
    for start in range(0, len(person_ids), CHUNK):
        chunk = person_ids[start:start + CHUNK]
        contribs = aggregate.contributions(_facts_of(conn, chunk))
        if contribs:
            conn.execute(insert(RatingContribution), _contribution_rows(contribs))
        for cell, (p, s) in aggregate.rollup(contribs).items():
            totals[cell] += p
            scores[cell] += s
    rows = [dict(zip(DIMENSIONS, cell, strict=True), people=totals[cell],
                 score_milli=scores[cell]) for cell in sorted(totals)]
    for start in range(0, len(rows), 5000):
        conn.execute(insert(RatingRollup), rows[start:start + 5000])
    conn.execute(delete(RollupStamp))
    stamp_periods(conn, {cell[0] for cell in totals})
    return len(rows)


def rollup_table(conn: Connection) -> dict:
    """Every non-empty rollup cell: for comparing incremental rollups with a rebuild."""
    r = RatingRollup
    rows = conn.execute(select(*[getattr(r, d) for d in DIMENSIONS], r.people, r.score_milli)
                        .where(r.people != 0))
    return {tuple(row[:7]): (row[7], row[8]) for row in rows}


def expected_rollup(conn: Connection) -> dict:
    """The rollup a full rebuild would give, worked out without writing anything."""
    return aggregate.rollup(aggregate.contributions(_facts_of(conn)))


def rating_count(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(Rating)).scalar_one()


# --- Keeping in step ---------------------------------------------------------------------


def _owner_keys(owner) -> list[int]:
    if owner.person_id is not None:
        return [owner.person_id]
    if owner.participant_id is not None:
        return [participant_key(owner.participant_id)]
    return []


def _mark_owner(owner: RatingSession, people: set[int], pending: list) -> None:
    keys = _owner_keys(owner)
    if keys:
        people.update(keys)
    else:
        pending.append(owner)


def _unchanged(obj, *names) -> bool:
    """None of these attributes of obj was set in this flush (a new obj: always true)."""
    state = inspect(obj)
    return state.pending or not any(state.attrs[n].history.added for n in names)


def _stays_unfinished(owner: RatingSession, session) -> bool:
    """An unfinished rating session that stays unfinished with the same owner in this flush.

    Its ratings are in no rollup (only finished sessions count: _facts_query and
    _event_facts_query), so changing them changes nothing there. What this session of the
    ORM knows may be old (another transaction may have finished it since): _refresh asks
    the database after the flush before leaving its owner out."""
    return (owner not in session.deleted and owner.finished_at is None
            and _unchanged(owner, "finished_at", "person_id", "participant_id")
            and bool(_owner_keys(owner)))


def _mark(session, flush_context, instances) -> None:
    people: set[int] = session.info.setdefault(PEOPLE_KEY, set())
    # A session whose owner is new in this same flush has no owner id yet: it is looked
    # at again after the flush, when the ids are known.
    pending: list = session.info.setdefault(PENDING_KEY, [])
    unfinished: set = session.info.setdefault(UNFINISHED_KEY, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Rating):
            owner = obj.session
            if owner is None and obj.session_id is not None:
                owner = session.get(RatingSession, obj.session_id)
            if owner is not None and obj not in session.deleted and _unchanged(
                    obj, "session_id", "session") and _stays_unfinished(owner, session):
                unfinished.add(owner)
            elif owner is not None:
                _mark_owner(owner, people, pending)
        elif isinstance(obj, RatingSession):
            if _stays_unfinished(obj, session):
                unfinished.add(obj)
                continue
            _mark_owner(obj, people, pending)
            # A session moved from one owner to another: the old owner changes too.
            for attr in ("person_id", "participant_id"):
                history = inspect(obj).attrs[attr].history
                for old in history.deleted or ():
                    if old is not None:
                        people.add(old if attr == "person_id" else participant_key(old))
        elif isinstance(obj, CircleMember) and obj.person_id is not None:
            people.add(obj.person_id)
        elif isinstance(obj, Person) and obj.id is not None:
            people.add(obj.id)
        elif isinstance(obj, EventParticipant) and obj.id is not None:
            people.add(participant_key(obj.id))
        elif isinstance(obj, Event) and obj.id is not None and obj not in session.new:
            # The event's area counts for every participant's ratings.
            people.update(participant_key(pid) for pid in session.scalars(
                select(EventParticipant.id).where(EventParticipant.event_id == obj.id)))


def _refresh(session, flush_context) -> None:
    people = session.info.pop(PEOPLE_KEY, None)
    for owner in session.info.pop(PENDING_KEY, ()):
        people = people or set()
        people.update(_owner_keys(owner))
    unfinished = session.info.pop(UNFINISHED_KEY, None)
    if unfinished:
        # Left out only if the database, after this flush, says they are unfinished too.
        ids = {owner.id: owner for owner in unfinished if owner.id is not None}
        for row in session.connection().execute(select(
                RatingSession.id, RatingSession.person_id, RatingSession.participant_id)
                .where(RatingSession.id.in_(sorted(ids)),
                       RatingSession.finished_at.is_not(None))):
            people = people or set()
            people.update(_owner_keys(row), _owner_keys(ids[row.id]))
    if people:
        refresh_people(session.connection(), people)


def install(session_class) -> None:
    """Listen to the flushes of this session class (once)."""
    if not event.contains(session_class, "before_flush", _mark):
        event.listen(session_class, "before_flush", _mark)
        event.listen(session_class, "after_flush", _refresh)
