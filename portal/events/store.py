"""Reading and writing events and their participants. Database only: no requests."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal.conversations import store as conversation_store
from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.events import codes
from portal.events.counts import (
    DONT_KNOW_KEY,
    AnswerRow,
    PlacementRow,
    QuestionCount,
    RatingRow,
    count_answers,
    count_placements,
    count_ratings,
    flat_counts,
)
from portal.models import (
    Answer,
    ContentItem,
    Conversation,
    Event,
    EventParticipant,
    LocalAuthority,
    MatPlacement,
    MatSession,
    PlacementStatus,
    Rating,
    RatingSession,
    RatingStatus,
    Source,
    ThemeSource,
)

_CODE_TRIES = 20


def local_authorities() -> list[LocalAuthority]:
    return list(db.session.scalars(select(LocalAuthority).order_by(LocalAuthority.name_en)))


def events_of(facilitator_id: int) -> list[Event]:
    query = (
        select(Event)
        .where(Event.facilitator_id == facilitator_id)
        .order_by(Event.event_date.desc(), Event.id.desc())
    )
    return list(db.session.scalars(query))


def create_event(**fields) -> Event:
    """A new open event with a join code no other open event has.

    The unique `open_code` settles a race between two facilitators who draw the same code
    at the same moment: the second insert fails and draws again.
    """
    for _ in range(_CODE_TRIES):
        code = codes.new_code()
        event = Event(join_code=code, open_code=code, **fields)
        try:
            with db.session.begin_nested():
                db.session.add(event)
        except IntegrityError:
            continue
        return event
    raise RuntimeError("could not find a free join code")


def event_by_code(typed: str | None) -> Event | None:
    """The event a code opens: the open one with it, else the latest closed one (so a
    late arrival is told kindly that it has closed)."""
    code = codes.normalise(typed)
    if not codes.looks_like_code(code):
        return None
    found = db.session.scalar(select(Event).where(Event.open_code == code))
    if found is not None:
        return found
    return db.session.scalar(
        select(Event).where(Event.join_code == code).order_by(Event.closed_at.desc()).limit(1)
    )


def close_event(event: Event) -> None:
    if event.closed_at is None:
        event.closed_at = utcnow()
    event.open_code = None
    for participant in event.participants:
        if participant.conversation is not None:
            conversation_store.finish(participant.conversation)


# --- Participants --------------------------------------------------------------------------


def join(event: Event, *, language: str, age_band: str | None) -> tuple[EventParticipant, str]:
    """A new anonymous participant with their own conversation: (participant, token)."""
    token = codes.new_token()
    conversation = Conversation(
        person_id=None,
        conversation_key=event.conversation_key,
        source=Source.EVENT,
        language=language,
    )
    db.session.add(conversation)
    db.session.flush()
    participant = EventParticipant(
        event_id=event.id,
        token_hash=codes.token_hash(token),
        conversation_id=conversation.id,
        language=language,
        age_band=age_band,
    )
    db.session.add(participant)
    return participant, token


def participant_by_token(token: str | None) -> EventParticipant | None:
    if not token or not isinstance(token, str):
        return None
    # The event and the conversation come in the same query: every answer screen needs both.
    return db.session.scalar(
        select(EventParticipant)
        .options(joinedload(EventParticipant.event), joinedload(EventParticipant.conversation))
        .where(EventParticipant.token_hash == codes.token_hash(token))
    )


def finish_participant(participant: EventParticipant) -> None:
    if participant.finished_at is None:
        participant.finished_at = utcnow()
    if participant.conversation is not None:
        conversation_store.finish(participant.conversation)


# --- Counting ------------------------------------------------------------------------------


def answer_rows(event: Event) -> list[AnswerRow]:
    """Every stored answer of the event, without who gave it or their words."""
    query = (
        select(Answer)
        .join(EventParticipant, EventParticipant.conversation_id == Answer.conversation_id)
        .where(EventParticipant.event_id == event.id)
    )
    return [
        AnswerRow(answer.question_key, answer.status, tuple(answer.theme_keys(ThemeSource.CARD)),
                  answer.scale_point)
        for answer in db.session.scalars(query)
    ]


def question_keys(event: Event) -> list[str]:
    return [q.key for q in conversation_store.questions_for(event.conversation_key)]


def live_counts(event: Event) -> dict:
    joined = db.session.scalar(
        select(func.count(EventParticipant.id)).where(EventParticipant.event_id == event.id)
    )
    finished = db.session.scalar(
        select(func.count(EventParticipant.id)).where(
            EventParticipant.event_id == event.id, EventParticipant.finished_at.is_not(None)
        )
    )
    questions = count_answers(question_keys(event), answer_rows(event))
    return {"joined": joined or 0, "finished": finished or 0, "questions": questions,
            "mats": count_placements(placement_rows(event)),
            "ratings": count_ratings(rating_rows(event))}


def _point_key(content_key: str | None) -> str | None:
    # "scale_point.how-true.always" -> "always"
    return content_key.split(".", 2)[2] if content_key else None


def placement_rows(event: Event) -> list[PlacementRow]:
    """Where each card is on every participant's mat (open or saved), without who."""
    query = (
        select(MatSession.mat_key, MatPlacement.card_key, MatPlacement.status, ContentItem.key)
        .join(MatPlacement, MatPlacement.session_id == MatSession.id)
        .join(EventParticipant, EventParticipant.id == MatSession.participant_id)
        .outerjoin(ContentItem, ContentItem.id == MatPlacement.point_item_id)
        .where(EventParticipant.event_id == event.id)
    )
    return [
        PlacementRow(mat_key, card_key,
                     _point_key(point) if status == PlacementStatus.PLACED else None)
        for mat_key, card_key, status, point in db.session.execute(query)
    ]


def rating_rows(event: Event) -> list[RatingRow]:
    query = (
        select(Rating.statement_key, Rating.status, ContentItem.key)
        .join(RatingSession, RatingSession.id == Rating.session_id)
        .join(EventParticipant, EventParticipant.id == RatingSession.participant_id)
        .outerjoin(ContentItem, ContentItem.id == Rating.point_item_id)
        .where(EventParticipant.event_id == event.id)
    )
    rows = []
    for statement_key, status, point in db.session.execute(query):
        if status == RatingStatus.DONT_KNOW:
            rows.append(RatingRow(statement_key, DONT_KNOW_KEY))
        elif status == RatingStatus.RATED:
            rows.append(RatingRow(statement_key, _point_key(point)))
        else:
            rows.append(RatingRow(statement_key, None))
    return rows


def finished_mats(participant: EventParticipant) -> set[str]:
    return set(db.session.scalars(select(MatSession.mat_key).where(
        MatSession.participant_id == participant.id, MatSession.finished_at.is_not(None))))


def counts_as_json(counts: dict) -> dict:
    def one(question: QuestionCount) -> dict:
        return {
            "key": question.key,
            "answered": question.answered,
            "dont_know": question.dont_know,
            "skipped": question.skipped,
            "total": question.total,
            "cards": dict(sorted(question.cards.items())),
        }

    return {
        "joined": counts["joined"],
        "finished": counts["finished"],
        "questions": [one(q) for q in counts["questions"]],
        "counts": flat_counts(counts.get("mats", {}), counts.get("ratings", {})),
    }


def shared_words(event: Event) -> list[tuple[str, str]]:
    """(question key, words) typed by participants who agreed their words may be shared."""
    query = (
        select(Answer.question_key, Answer.text)
        .join(Conversation, Conversation.id == Answer.conversation_id)
        .join(EventParticipant, EventParticipant.conversation_id == Conversation.id)
        .where(
            EventParticipant.event_id == event.id,
            Conversation.share_words.is_(True),
            Answer.text.is_not(None),
            Answer.text != "",
        )
        .order_by(Answer.question_key, Answer.id)
    )
    return [(key, text) for key, text in db.session.execute(query)]


def known_names(event: Event) -> list[str]:
    """Names a quote in the report must not carry: people and users of the portal, the
    event's facilitator, venue and every local authority."""
    from portal.models import Person, User

    names = [event.venue, *db.session.scalars(select(Person.display_name)),
             *db.session.scalars(select(User.display_name))]
    for en, cy in db.session.execute(select(LocalAuthority.name_en, LocalAuthority.name_cy)):
        names += [en, cy]
    # redact() also takes out each word of a name on its own: give it only the words that
    # name (capitalised), so "of" in "Isle of Anglesey" does not vanish from every quote.
    words = {word for name in names if name for word in re.split(r"[\s-]+", name)
             if len(word) >= 2 and word[0].isupper()}
    return sorted(words)
