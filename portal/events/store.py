"""Reading and writing events and their participants. Database only: no requests."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.conversations import store as conversation_store
from portal.events import codes
from portal.events.counts import AnswerRow, QuestionCount, count_answers
from portal.extensions import db
from portal.models import (
    Answer,
    Conversation,
    Event,
    EventParticipant,
    LocalAuthority,
    Source,
    ThemeSource,
)
from portal.models._types import utcnow

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
    return db.session.scalar(
        select(EventParticipant).where(EventParticipant.token_hash == codes.token_hash(token))
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
        AnswerRow(answer.question_key, answer.status, tuple(answer.theme_keys(ThemeSource.CARD)))
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
    return {"joined": joined or 0, "finished": finished or 0, "questions": questions}


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
