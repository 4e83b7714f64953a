"""Keeping the commissioning rollups in step with the ratings (issue 8).

Every flush that adds, changes or deletes a rating, a rating session, a person, a
circle member, a listening event or an event participant marks the people (and
participants) concerned (`mark_changed`); after the flush, in the same transaction,
their contributions are worked out again from the raw ratings
(portal/commissioning/aggregate.py) and the rollup cells move by the difference
(`refresh_marked`); portal/core/hooks.py installs both. A rolled-back answer rolls back
its rollup too.

Rows removed by plain SQL (not through the ORM) are not seen: call `refresh_owners`
for the people and participants concerned, or `rebuild` (`flask --app portal aggregate rebuild`).
Two saves for the same person at the same moment cannot both count: the second one
breaks the unique contribution key and is rolled back (the rating pages retry).

Who a contribution belongs to is an `aggregate.Owner`: a person
(`rating_contributions.person_id`) or an anonymous event participant (`participant_id`),
exactly one of the two (portal/models/aggregate.py says why neither is a foreign key).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable

from sqlalchemy import and_, delete, func, insert, inspect, or_, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from portal.commissioning import aggregate, life_stage
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

OWNERS_KEY = "aggregate_owners"
PENDING_KEY = "aggregate_pending"
UNFINISHED_KEY = "aggregate_unfinished"
CHUNK = 2000


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
            owner=aggregate.person(person_id), session_id=session_id, finished_at=finished_at,
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
            owner=aggregate.participant(participant_id), session_id=session_id,
            finished_at=finished_at, respondent=session_label(perspective, None),
            local_authority_id=la, source=aggregate.EVENT, age_band=aggregate.age_band(age),
            statement_key=statement, point_key=point.removeprefix("scale_point."), score=score,
        )
        for (participant_id, session_id, finished_at, perspective, la, age, statement, point,
             score) in rows
    ]


def _ids(owners: Iterable[aggregate.Owner], kind: str) -> list[int]:
    return [owner.id for owner in owners if owner.kind == kind]


def _facts_of(conn: Connection, owners: Iterable[aggregate.Owner] | None = None
              ) -> list[aggregate.RatingFact]:
    """The facts of these owners (people and participants), or of everyone."""
    if owners is None:
        return (_facts(conn.execute(_facts_query()))
                + _event_facts(conn.execute(_event_facts_query())))
    owners = list(owners)
    people = _ids(owners, aggregate.PERSON)
    participants = _ids(owners, aggregate.PARTICIPANT)
    facts = _facts(conn.execute(_facts_query(people))) if people else []
    if participants:
        facts += _event_facts(conn.execute(_event_facts_query(participants)))
    return facts


def _owner_of(person_id: int | None, participant_id: int | None) -> aggregate.Owner:
    if person_id is not None:
        return aggregate.person(person_id)
    return aggregate.participant(participant_id)


def _stored(conn: Connection, owners: list[aggregate.Owner]) -> dict:
    c = RatingContribution
    people = _ids(owners, aggregate.PERSON)
    participants = _ids(owners, aggregate.PARTICIPANT)
    rows = conn.execute(select(c.person_id, c.participant_id, c.period, c.respondent,
                               c.statement_key, c.local_authority_id, c.source, c.age_band,
                               c.point_key, c.score_milli)
                        .where(or_(c.person_id.in_(people), c.participant_id.in_(participants))))
    return {(_owner_of(*r[:2]), *r[2:5]): tuple(r[5:]) for r in rows}


def _insert(conn: Connection):
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)


def _owner_columns(owner: aggregate.Owner) -> dict:
    person = owner.kind == aggregate.PERSON
    return {"person_id": owner.id if person else None,
            "participant_id": None if person else owner.id}


def _contribution_rows(contribs: dict) -> list[dict]:
    return [
        {**_owner_columns(owner), "period": period, "respondent": r, "statement_key": s,
         "local_authority_id": la, "source": src, "age_band": age, "point_key": pt,
         "score_milli": score}
        for (owner, period, r, s), (la, src, age, pt, score) in contribs.items()
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


def _delete_contributions(conn: Connection, keys: list) -> None:
    """Delete these contributions, by the unique key of each kind of owner."""
    c = RatingContribution
    for kind, column in ((aggregate.PERSON, c.person_id),
                         (aggregate.PARTICIPANT, c.participant_id)):
        rows = [(owner.id, *rest) for owner, *rest in keys if owner.kind == kind]
        for part in range(0, len(rows), 500):
            chunk = rows[part:part + 500]
            # The owners' ids too: SQLite plans a row-value IN alone as a scan of the whole
            # table, but finds these owners' rows through their unique key.
            conn.execute(delete(c).where(
                column.in_(sorted({row[0] for row in chunk})),
                tuple_(column, c.period, c.respondent, c.statement_key).in_(chunk)))


def refresh_owners(conn: Connection, owners: Iterable[aggregate.Owner]) -> None:
    """Work the contributions of these people and participants out again and move the
    rollup to match."""
    owners = sorted(set(owners))
    for start in range(0, len(owners), CHUNK):
        chunk = owners[start:start + CHUNK]
        old = _stored(conn, chunk)
        new = aggregate.contributions(_facts_of(conn, chunk))
        delta = aggregate.rollup_delta(old, new)
        if not delta and old == new:
            continue
        _delete_contributions(conn, [k for k in old if k not in new or new[k] != old[k]])
        added = {k: v for k, v in new.items() if old.get(k) != v}
        if added:
            conn.execute(insert(RatingContribution), _contribution_rows(added))
        _apply_delta(conn, delta)


def rebuild(conn: Connection) -> int:
    """Recompute every contribution and rollup from the raw ratings; return the cells."""
    conn.execute(delete(RatingContribution))
    conn.execute(delete(RatingRollup))
    finished = RatingSession.finished_at.is_not(None)
    owners = [aggregate.person(r[0]) for r in conn.execute(
        select(RatingSession.person_id).where(finished, RatingSession.person_id.is_not(None))
        .distinct().order_by(RatingSession.person_id))]
    owners += [aggregate.participant(r[0]) for r in conn.execute(
        select(RatingSession.participant_id)
        .where(finished, RatingSession.participant_id.is_not(None))
        .distinct().order_by(RatingSession.participant_id))]
    totals: Counter = Counter()
    scores: Counter = Counter()
    for start in range(0, len(owners), CHUNK):
        chunk = owners[start:start + CHUNK]
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


def _owners_of(rating_session: RatingSession) -> list[aggregate.Owner]:
    if rating_session.person_id is not None:
        return [aggregate.person(rating_session.person_id)]
    if rating_session.participant_id is not None:
        return [aggregate.participant(rating_session.participant_id)]
    return []


def _mark_owner(rating_session: RatingSession, owners: set, pending: list) -> None:
    found = _owners_of(rating_session)
    if found:
        owners.update(found)
    else:
        pending.append(rating_session)


def _unchanged(obj, *names) -> bool:
    """None of these attributes of obj was set in this flush (a new obj: always true)."""
    state = inspect(obj)
    return state.pending or not any(state.attrs[n].history.added for n in names)


def _stays_unfinished(rating_session: RatingSession, session) -> bool:
    """An unfinished rating session that stays unfinished with the same owner in this flush.

    Its ratings are in no rollup (only finished sessions count: _facts_query and
    _event_facts_query), so changing them changes nothing there. What this session of the
    ORM knows may be old (another transaction may have finished it since): refresh_marked
    asks the database after the flush before leaving its owner out."""
    return (rating_session not in session.deleted and rating_session.finished_at is None
            and _unchanged(rating_session, "finished_at", "person_id", "participant_id")
            and bool(_owners_of(rating_session)))


def mark_changed(session, flush_context, instances) -> None:
    owners: set[aggregate.Owner] = session.info.setdefault(OWNERS_KEY, set())
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
                _mark_owner(owner, owners, pending)
        elif isinstance(obj, RatingSession):
            if _stays_unfinished(obj, session):
                unfinished.add(obj)
                continue
            _mark_owner(obj, owners, pending)
            # A session moved from one owner to another: the old owner changes too.
            for attr, owner_of in (("person_id", aggregate.person),
                                   ("participant_id", aggregate.participant)):
                history = inspect(obj).attrs[attr].history
                owners.update(owner_of(old) for old in history.deleted or () if old is not None)
        elif isinstance(obj, CircleMember) and obj.person_id is not None:
            owners.add(aggregate.person(obj.person_id))
        elif isinstance(obj, Person) and obj.id is not None:
            owners.add(aggregate.person(obj.id))
        elif isinstance(obj, EventParticipant) and obj.id is not None:
            owners.add(aggregate.participant(obj.id))
        elif isinstance(obj, Event) and obj.id is not None and obj not in session.new:
            # The event's area counts for every participant's ratings.
            owners.update(aggregate.participant(pid) for pid in session.scalars(
                select(EventParticipant.id).where(EventParticipant.event_id == obj.id)))


def refresh_marked(session, flush_context) -> None:
    owners = session.info.pop(OWNERS_KEY, None)
    for rating_session in session.info.pop(PENDING_KEY, ()):
        owners = owners or set()
        owners.update(_owners_of(rating_session))
    unfinished = session.info.pop(UNFINISHED_KEY, None)
    if unfinished:
        # Left out only if the database, after this flush, says they are unfinished too.
        ids = {found.id: found for found in unfinished if found.id is not None}
        for row in session.connection().execute(select(
                RatingSession.id, RatingSession.person_id, RatingSession.participant_id)
                .where(RatingSession.id.in_(sorted(ids)),
                       RatingSession.finished_at.is_not(None))):
            owners = owners or set()
            owners.update(_owners_of(row), _owners_of(ids[row.id]))
    if owners:
        refresh_owners(session.connection(), owners)
