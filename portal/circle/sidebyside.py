"""Gather the person's own latest ratings and each proxy's, and compare them
(portal/domain/comparison.py). Database only: no requests, no templates.

Who sees which columns: a practitioner who is a professional in the circle sees all; any
other member sees their own ratings, the person's own answers only when the person agreed
(`may_see_own_answers`), and other members' ratings only when the person agreed
(`may_see_others`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from portal.answering.ratings import store as ratings
from portal.circle import consent as consents
from portal.content.scales import StatementSet, domains, short_key
from portal.core.extensions import db
from portal.domain.comparison import compare
from portal.models import CircleMember, Perspective, Rating, RatingSession, RatingStatus


@dataclass
class Column:
    session: RatingSession
    member: CircleMember | None
    answers: dict[str, int | None]
    ratings: dict[str, Rating]
    rows: list | None = None
    by_domain: list | None = None
    overall: object = None


def category(rating: Rating | None, statements: StatementSet) -> int | None:
    """The rating's place on its scale (0 = the first point shown), or None if missing."""
    if rating is None or rating.status != RatingStatus.RATED or rating.point_item is None:
        return None
    for statement in statements.statements:
        if short_key(statement) == rating.statement_key:
            scale = statements.scale_of(statement)
            keys = scale.point_keys
            key = scale.point_key(rating.point_item)
            return keys.index(key) if key in keys else None
    return None


def _column(session: RatingSession, member, statements) -> Column:
    by_key = ratings.ratings_by_statement(session)
    return Column(session, member, {k: category(r, statements) for k, r in by_key.items()},
                  by_key)


def latest_proxy_sessions(person_id: int) -> list[RatingSession]:
    """The latest finished session of each member and perspective."""
    query = select(RatingSession).where(
        RatingSession.person_id == person_id, RatingSession.perspective != Perspective.SELF,
        RatingSession.finished_at.is_not(None),
    ).order_by(RatingSession.finished_at.desc(), RatingSession.id.desc())
    latest: dict[tuple, RatingSession] = {}
    for session in db.session.scalars(query):
        latest.setdefault((session.rated_by_user_id, session.perspective), session)
    return list(latest.values())


def side_by_side(person, statements: StatementSet, viewer_member: CircleMember,
                 sees_all: bool):
    """(own column or None, proxy columns, categories, domain names by key)."""
    members = {m.user_id: m for m in person.circle if m.user_id is not None}
    consent = consents.consent_of(viewer_member.id)
    sees_own = sees_all or bool(consent and consent.may_see_own_answers)
    sees_others = sees_all or bool(consent and consent.may_see_others)
    own_sessions = ratings.finished_sessions(person.id)
    own = _column(own_sessions[0], None, statements) if (own_sessions and sees_own) else None
    columns = []
    for session in latest_proxy_sessions(person.id):
        mine = session.rated_by_user_id == viewer_member.user_id
        if mine or sees_others:
            columns.append(_column(session, members.get(session.rated_by_user_id), statements))
    columns.sort(key=lambda c: (c.session.rated_by_user_id or 0, c.session.perspective))
    categories = max((len(s.points) for s in statements.scales.values()), default=2)
    keyed = [(short_key(s), s.data.get("domain", "")) for s in statements.statements]
    for column in columns:
        baseline = own.answers if own else {}
        column.rows, column.by_domain, column.overall = compare(
            keyed, baseline, column.answers, categories)
    names = {short_key(d): d for d in domains()}
    return own, columns, categories, names


def for_person(person, statements: StatementSet):
    """Everything about the person, for their own easy-read page."""
    members = {m.user_id: m for m in person.circle if m.user_id is not None}
    own_sessions = ratings.finished_sessions(person.id)
    own = _column(own_sessions[0], None, statements) if own_sessions else None
    columns = [_column(s, members.get(s.rated_by_user_id), statements)
               for s in latest_proxy_sessions(person.id)]
    return own, columns
