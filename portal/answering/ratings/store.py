"""Reading and writing rating sessions. Database only: no requests, no templates.

UNIQUE(session, statement) keeps one rating a statement: a second press of "Next"
changes the same row.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.answering.opening import by_open_key, open_once
from portal.content.scales import StatementSet, short_key
from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.domain.scoring import domain_scores
from portal.models import ContentItem, Perspective, Rating, RatingSession, RatingStatus

DONT_KNOW = "dont_know"


class NotInThisSet(ValueError):
    """The statement is not one of the statements being rated."""


class NotOnThisScale(ValueError):
    """The answer is not a point of the statement's scale."""


class RatingsFinished(ValueError):
    """The session is saved already."""


def open_key(person_id: int, user_id: int | None, perspective: str) -> str:
    return f"ratings:{person_id}:{user_id or '-'}:{perspective}"


def participant_open_key(participant_id: int) -> str:
    """An event participant's open ratings: one set, however often they tap "start"."""
    return f"ratings:event:{participant_id}"


def open_session(person_id: int, user_id: int | None, language: str,
                 perspective: str = Perspective.SELF) -> RatingSession:
    return _open(open_key(person_id, user_id, perspective), language, person_id=person_id,
                 rated_by_user_id=user_id, perspective=str(perspective))


def open_participant_session(participant_id: int, language: str) -> RatingSession:
    """An event participant's open ratings (anonymous: no person, no user)."""
    return _open(participant_open_key(participant_id), language,
                 participant_id=participant_id, perspective=str(Perspective.SELF))


def _open(key: str, language: str, **owner) -> RatingSession:
    return open_once(RatingSession, key, language=language, **owner)


def find_open_session(person_id: int, user_id: int | None,
                      perspective: str = Perspective.SELF) -> RatingSession | None:
    return by_open_key(RatingSession, open_key(person_id, user_id, perspective))


def find_participant_session(participant_id: int) -> RatingSession | None:
    """The participant's ratings, open or saved (an event asks for them once)."""
    return db.session.scalar(
        select(RatingSession).where(RatingSession.participant_id == participant_id)
        .order_by(RatingSession.id.desc()).limit(1))


def session_of_person(session_id: int, person_id: int) -> RatingSession | None:
    session = db.session.get(RatingSession, session_id)
    return session if session is not None and session.person_id == person_id else None


def ratings_by_statement(session: RatingSession) -> dict[str, Rating]:
    return {r.statement_key: r for r in session.ratings}


def rating_of(session: RatingSession, statement_key: str) -> Rating | None:
    """The session's rating of one statement (one row, not every rating of the session)."""
    return _rating_row(session.id, statement_key)


def _rating_row(session_id: int, statement_key: str) -> Rating | None:
    return db.session.scalar(select(Rating).where(
        Rating.session_id == session_id, Rating.statement_key == statement_key))


def _shown_version(statement: ContentItem, shown_id: int | None) -> ContentItem:
    """The version the person saw, when the form says one of this statement's versions."""
    if shown_id == statement.id:  # the current one (kept in the worker: no query)
        return statement
    if shown_id:
        item = db.session.get(ContentItem, shown_id)
        if item is not None and item.kind == "statement" and item.key == statement.key:
            return item
    return statement


def rate(session: RatingSession, statements: StatementSet, statement_key: str,
         answer: str | None, shown_id: int | None = None) -> Rating:
    """Save one answer: a point key, "dont_know", or None for "Skip"."""
    if session.finished_at is not None:
        raise RatingsFinished(session.id)
    number = statements.number_of(statement_key)
    if number is None:
        raise NotInThisSet(statement_key)
    statement = statements.at(number)
    scale = statements.scale_of(statement)
    point = None
    if answer is None:
        status, score = RatingStatus.SKIPPED, None
    elif answer == DONT_KNOW:
        status, score = RatingStatus.DONT_KNOW, None
    else:
        point = scale.point(answer)
        if point is None:
            raise NotOnThisScale(answer)
        status, score = RatingStatus.RATED, scale.normalised(answer)
    values = {
        "statement_item_id": _shown_version(statement, shown_id).id,
        "scale_item_id": scale.item.id,
        "point_item_id": point.id if point else None,
        "status": status,
        "score": score,
    }
    for _attempt in range(2):
        rating = _rating_row(session.id, statement_key)
        if rating is None:
            rating = Rating(session_id=session.id, statement_key=statement_key)
            db.session.add(rating)
        for name, value in values.items():
            setattr(rating, name, value)
        session.position = min(number + 1, len(statements))
        session.updated_at = utcnow()
        try:
            db.session.commit()
            return rating
        except IntegrityError:  # the same answer from a double tap, a moment earlier
            db.session.rollback()
    raise RuntimeError("could not save the rating")


def first_unanswered(session: RatingSession, statements: StatementSet) -> int | None:
    answered = ratings_by_statement(session)
    for number, item in enumerate(statements.statements, start=1):
        if short_key(item) not in answered:
            return number
    return None


def finish(session: RatingSession, statements: StatementSet) -> None:
    """Save the answers: statements never answered are kept as skipped; the session closes."""
    answered = ratings_by_statement(session)
    for item in statements.statements:
        if short_key(item) not in answered:
            session.ratings.append(Rating(
                statement_key=short_key(item), statement_item_id=item.id,
                scale_item_id=statements.scale_of(item).item.id,
                status=RatingStatus.SKIPPED, score=None,
            ))
    session.finished_at = utcnow()
    session.open_key = None
    db.session.commit()


def finished_sessions(person_id: int) -> list[RatingSession]:
    query = select(RatingSession).where(
        RatingSession.person_id == person_id,
        RatingSession.finished_at.is_not(None),
        RatingSession.perspective == Perspective.SELF,
    ).order_by(RatingSession.finished_at.desc(), RatingSession.id.desc())
    return list(db.session.scalars(query))


def scores_by_statement(session: RatingSession) -> dict[str, float | None]:
    return {r.statement_key: r.score for r in session.ratings}


def scores_by_domain(session: RatingSession, statements: StatementSet):
    domain_of = {short_key(s): s.data["domain"] for s in statements.statements}
    pairs = [(domain_of[r.statement_key], r.score)
             for r in session.ratings if r.statement_key in domain_of]
    return domain_scores(pairs)
