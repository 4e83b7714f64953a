"""Reading and writing mat sessions. Database only: no requests, no templates.

Every write is idempotent: placing a card where it already is, or twice at once from a
double tap, leaves one row (UNIQUE(session, card)).
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from portal.answering.opening import by_open_key, open_once
from portal.content.scales import Mat, short_key
from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.models import MatPlacement, MatSession, Perspective, PlacementStatus

OWN_PREFIX = "own."
MAX_OWN_WORDS = 80
MAX_OWN_CARDS = 10


class NotOnThisMat(ValueError):
    """The card is not on this mat."""


class NotOnThisScale(ValueError):
    """The point is not on this mat's scale."""


class TooManyOwnCards(ValueError):
    """The person has added as many cards of their own as a mat can hold."""


class MatFinished(ValueError):
    """The mat is saved already: it is a record now, not something to change."""


def open_key(person_id: int, mat_key: str, user_id: int | None, perspective: str) -> str:
    return f"mat:{person_id}:{mat_key}:{user_id or '-'}:{perspective}"


def participant_open_key(participant_id: int, mat_key: str) -> str:
    """An event participant's open mat: one a mat, however often they tap "start"."""
    return f"mat:event:{participant_id}:{mat_key}"


def open_session(
    person_id: int, mat: Mat, user_id: int | None, language: str,
    perspective: str = Perspective.SELF,
) -> MatSession:
    """The open session of this mat for this person and view, made when there is none."""
    return _open(open_key(person_id, mat.key, user_id, perspective), mat, language,
                 person_id=person_id, rated_by_user_id=user_id, perspective=str(perspective))


def open_participant_session(participant_id: int, mat: Mat, language: str) -> MatSession:
    """An event participant's open session of this mat (anonymous: no person, no user)."""
    return _open(participant_open_key(participant_id, mat.key), mat, language,
                 participant_id=participant_id, perspective=str(Perspective.SELF))


def find_open_session(person_id: int, mat_key: str, user_id: int | None,
                      perspective: str = Perspective.SELF) -> MatSession | None:
    """The open session, if there is one: only a look, nothing is made."""
    return find_by_open_key(open_key(person_id, mat_key, user_id, perspective))


def find_by_open_key(key: str) -> MatSession | None:
    return by_open_key(MatSession, key)


def _open(key: str, mat: Mat, language: str, **owner) -> MatSession:
    return open_once(MatSession, key, mat_key=mat.key, mat_item_id=mat.item.id,
                     scale_item_id=mat.scale.item.id, language=language, **owner)


def session_of_person(session_id: int, person_id: int) -> MatSession | None:
    session = db.session.get(MatSession, session_id)
    return session if session is not None and session.person_id == person_id else None


def session_of_participant(session_id: int, participant_id: int) -> MatSession | None:
    session = db.session.get(MatSession, session_id)
    return session if session is not None and session.participant_id == participant_id else None


def own_card_key(words: str) -> str:
    """The same words make the same card, so pressing "Add" twice adds it once."""
    folded = " ".join(unicodedata.normalize("NFC", words).casefold().split())
    return OWN_PREFIX + hashlib.sha256(folded.encode()).hexdigest()[:16]


def _placement(session: MatSession, card_key: str) -> MatPlacement | None:
    return db.session.scalar(
        select(MatPlacement).where(
            MatPlacement.session_id == session.id, MatPlacement.card_key == card_key
        )
    )


def _upsert(session: MatSession, card_key: str, values: dict) -> MatPlacement:
    for _attempt in range(2):
        placement = _placement(session, card_key)
        if placement is None:
            placement = MatPlacement(session_id=session.id, card_key=card_key)
            db.session.add(placement)
        for name, value in values.items():
            setattr(placement, name, value)
        session.updated_at = utcnow()
        try:
            db.session.commit()
        except IntegrityError:  # the same card saved by a second request at the same moment
            db.session.rollback()
            continue
        # The commit expired the row; what the reply reads is what was just written, so it
        # is set back as loaded rather than read again (one SELECT less a move).
        for name, value in {"card_key": card_key, **values}.items():
            set_committed_value(placement, name, value)
        return placement
    raise RuntimeError("could not save the placement")


def place(session: MatSession, mat: Mat, card_key: str, point_key: str | None) -> MatPlacement:
    """Put a card under a point of the scale, or back with the cards to place (None)."""
    if session.finished_at is not None:
        raise MatFinished(session.id)
    card = mat.card(card_key)
    if card is None and not (card_key.startswith(OWN_PREFIX) and _placement(session, card_key)):
        raise NotOnThisMat(card_key)
    point = None
    if point_key is not None:
        point = mat.scale.point(point_key)
        if point is None:
            raise NotOnThisScale(point_key)
    values = {
        "scale_item_id": mat.scale.item.id,
        "status": PlacementStatus.PLACED if point else PlacementStatus.UNPLACED,
        "point_item_id": point.id if point else None,
        "score": mat.scale.normalised(point_key) if point else None,
    }
    if card is not None:
        values["card_item_id"] = card.id
    return _upsert(session, card_key, values)


def add_own_card(session: MatSession, mat: Mat, words: str) -> MatPlacement:
    if session.finished_at is not None:
        raise MatFinished(session.id)
    key = own_card_key(words)
    existing = _placement(session, key)
    if existing is not None:
        return existing
    if len(own_cards(session)) >= MAX_OWN_CARDS:
        raise TooManyOwnCards(session.id)
    return _upsert(session, key, {
        "own_words": " ".join(words.split()),
        "scale_item_id": mat.scale.item.id,
        "status": PlacementStatus.UNPLACED,
        "point_item_id": None,
        "score": None,
    })


def own_cards(session: MatSession) -> list[MatPlacement]:
    return [p for p in session.placements if p.card_key.startswith(OWN_PREFIX)]


def finish(session: MatSession, mat: Mat) -> None:
    """Save the mat: every card shown gets a row (unplaced ones too), the session closes."""
    placed = {p.card_key for p in session.placements}
    for card in mat.cards:
        if short_key(card) not in placed:
            session.placements.append(MatPlacement(
                card_key=short_key(card), card_item_id=card.id, scale_item_id=mat.scale.item.id,
                status=PlacementStatus.UNPLACED,
            ))
    session.finished_at = utcnow()
    session.open_key = None
    db.session.commit()


def finished_sessions(person_id: int, mat_key: str | None = None) -> list[MatSession]:
    """Saved mats, newest first."""
    query = select(MatSession).where(
        MatSession.person_id == person_id,
        MatSession.finished_at.is_not(None),
        MatSession.perspective == Perspective.SELF,
    )
    if mat_key is not None:
        query = query.where(MatSession.mat_key == mat_key)
    return list(db.session.scalars(query.order_by(MatSession.finished_at.desc(),
                                                  MatSession.id.desc())))


# --- The mat as the pages show it --------------------------------------------------------------


@dataclass
class Card:
    key: str
    words: str
    alt: str
    item: object | None  # the ContentItem, or None for the person's own words
    own: bool = False


@dataclass
class Column:
    key: str | None  # the point's short key; None for the cards still to place
    item: object | None
    words: str
    cards: list[Card] = field(default_factory=list)


@dataclass
class Board:
    columns: list[Column]
    unplaced: list[Card]
    placements: dict[str, str | None]  # card key -> point key or None

    @property
    def cards(self) -> list[Card]:
        return [*(c for col in self.columns for c in col.cards), *self.unplaced]

    @property
    def placed_count(self) -> int:
        return sum(len(col.cards) for col in self.columns)


def board(session: MatSession, mat: Mat, locale: str) -> Board:
    """Where each card is now, in the mat's card order, the person's own cards last.

    A finished session shows the versions it saved; an open one the current content.
    """
    rows = {p.card_key: p for p in session.placements}
    columns = [
        Column(mat.scale.point_key(p), p, p.words(locale)) for p in mat.scale.points
    ]
    by_point = {col.key: col for col in columns}
    unplaced: list[Card] = []
    placements: dict[str, str | None] = {}

    cards: list[Card] = []
    for item in mat.cards:
        row = rows.get(short_key(item))
        shown = row.card_item if row is not None and row.card_item is not None else item
        cards.append(Card(short_key(item), shown.words(locale), shown.alt(locale), shown))
    if session.finished_at is not None:  # cards since retired from the content stay shown
        known = {c.key for c in cards}
        for row in session.placements:
            if row.card_item is not None and row.card_key not in known:
                cards.append(Card(row.card_key, row.card_item.words(locale),
                                  row.card_item.alt(locale), row.card_item))
    for row in own_cards(session):
        cards.append(Card(row.card_key, row.own_words or "", "", None, own=True))

    for card in cards:
        row = rows.get(card.key)
        point_key = None
        if row is not None and row.status == PlacementStatus.PLACED and row.point_item:
            point_key = mat.scale.point_key(row.point_item)
        column = by_point.get(point_key)
        if column is None:
            unplaced.append(card)
            placements[card.key] = None
        else:
            column.cards.append(card)
            placements[card.key] = point_key
    return Board(columns, unplaced, placements)


def scores_by_card(session: MatSession) -> dict[str, float | None]:
    return {p.card_key: p.score for p in session.placements}
