"""Reading and writing conversations. Database only: no requests, no templates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from sqlalchemy import and_, bindparam, case, delete, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal.content.cache import kept
from portal.content.scales import current_items
from portal.conversations.flow import (
    AnswerFacts,
    Decision,
    Question,
    question_from,
    questions_of,
    short_key,
)
from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.core.forms import posted_id as posted_id_of
from portal.models import (
    Answer,
    AnswerTheme,
    CircleMember,
    ContentItem,
    Conversation,
    Mode,
    Relationship,
    ThemeSource,
)

# --- Content -------------------------------------------------------------------------------


def _current(kind: str) -> list[ContentItem]:
    """Copies of the current items of one kind, kept while the content is unchanged."""
    return current_items(kind)


def conversation_items() -> list[ContentItem]:
    """The conversations on offer, in the order of the content file."""
    return sorted(_current("conversation"), key=lambda item: item.data.get("order", 0))


def conversation_item(key: str) -> ContentItem | None:
    return next((i for i in conversation_items() if short_key(i.key) == key), None)


def question_items() -> dict[str, ContentItem]:
    """{short key: current item} of every question."""
    return {short_key(item.key): item for item in _current("question")}


def questions_for(conversation_key: str, items: dict[str, ContentItem] | None = None):
    """The questions of a conversation, in order; without `items`, from the current content,
    kept while it is unchanged (a question page needs them on every request)."""
    if items is None:
        return list(kept(f"questions:{conversation_key}",
                         lambda: _questions_for(conversation_key, question_items())))
    return _questions_for(conversation_key, items)


def _questions_for(conversation_key: str, items: dict[str, ContentItem]):
    return questions_of(conversation_key, (
        question_from(i.key, i.id, i.data,
                      tuple(p.key.rsplit(".", 1)[1]
                            for p in scale_points(i.data.get("scale", ""))))
        for i in items.values()
    ))


def scale_points(scale_key: str) -> list[ContentItem]:
    """The current points of a scale, best first ([] for "" or an unknown scale)."""
    if not scale_key:
        return []
    points = [p for p in _current("scale_point") if p.data.get("scale") == scale_key]
    return sorted(points, key=lambda item: item.data.get("order", 0))


def point_item(scale_key: str, point: str | None) -> ContentItem | None:
    """The point's current words and picture (a yes/no answer shows them)."""
    if not point:
        return None
    return next((p for p in scale_points(scale_key) if p.key.endswith(f".{point}")), None)


def theme_items() -> dict[str, ContentItem]:
    """{short key: current item} of every theme, in the content file's order."""
    themes = sorted(_current("theme"), key=lambda item: item.data.get("order", 0))
    return {short_key(item.key): item for item in themes}


def shown_item_id(question: Question, posted_id: str | None) -> int:
    """The version of the question the person saw: the one the form says, if it is one of
    this question's versions (content may have been reloaded while the page was open)."""
    shown_id = posted_id_of(posted_id)
    if shown_id == question.item_id:
        return shown_id
    if shown_id is not None:
        item = db.session.get(ContentItem, shown_id)
        if item is not None and item.kind == "question" and short_key(item.key) == question.key:
            return item.id
    return question.item_id


# --- Who may hold a person's conversation --------------------------------------------------


def is_professional_in_circle(user_id: int, person_id: int) -> bool:
    query = select(CircleMember.id).where(
        CircleMember.person_id == person_id,
        CircleMember.user_id == user_id,
        CircleMember.relation == Relationship.PROFESSIONAL,
    )
    return db.session.scalar(query) is not None


# --- Conversations -------------------------------------------------------------------------


def open_conversation(person_id: int, key: str) -> Conversation | None:
    query = select(Conversation).where(
        Conversation.person_id == person_id,
        Conversation.conversation_key == key,
        Conversation.finished_at.is_(None),
    )
    return db.session.scalar(query)


def latest_finished(person_id: int, key: str) -> Conversation | None:
    query = (
        select(Conversation)
        .where(
            Conversation.person_id == person_id,
            Conversation.conversation_key == key,
            Conversation.finished_at.is_not(None),
        )
        .order_by(Conversation.finished_at.desc(), Conversation.id.desc())
        .limit(1)
    )
    return db.session.scalar(query)


def conversations_of(person_id: int) -> list[Conversation]:
    query = (
        select(Conversation)
        .where(Conversation.person_id == person_id)
        .order_by(Conversation.started_at.desc(), Conversation.id.desc())
    )
    return list(db.session.scalars(query))


def start_or_resume(
    person_id: int,
    key: str,
    *,
    started_by_id: int,
    language: str,
    mode: str = Mode.ALONE,
    companion_user_id: int | None = None,
) -> tuple[Conversation, bool]:
    """The person's unfinished conversation of this kind, or a new one: (it, is_new).

    A unique index allows one unfinished conversation of each kind per person, so two
    presses of "Start" at once give one conversation, not two.
    """
    existing = open_conversation(person_id, key)
    if existing is not None:
        return existing, False
    conversation = Conversation(
        person_id=person_id,
        conversation_key=key,
        started_by_id=started_by_id,
        language=language,
        mode=mode,
        companion_user_id=companion_user_id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(conversation)
    except IntegrityError:
        existing = open_conversation(person_id, key)
        if existing is None:
            raise
        return existing, False
    return conversation, True


def set_companion(conversation: Conversation, mode: str, companion_user_id: int | None) -> None:
    conversation.mode = mode
    conversation.companion_user_id = companion_user_id
    conversation.updated_at = utcnow()


def answers_by_key(conversation: Conversation) -> dict[str, Answer]:
    return {answer.question_key: answer for answer in conversation.answers}


def answer_to(conversation: Conversation, question_key: str) -> Answer | None:
    """The answer to one question, with its themes, in one query (a question page shows
    one answer: it need not load the others)."""
    return _answer_with_themes(conversation.id, question_key)


@dataclass(frozen=True)
class ShownAnswer:
    """What a question page shows of the answer given: its cards, point and words."""

    cards: list[str]
    point: str | None
    words: str | None
    typed_for_person: bool


def shown_answer(conversation_id: int, question_key: str) -> ShownAnswer | None:
    """The answer a question page fills its form from, as plain values: one query of a
    row a card, without the ORM's objects, which cost more than the query (issue 18)."""
    rows = db.session.execute(_shown_answer_query(), {
        "conversation_id": conversation_id, "question_key": question_key,
        "source": ThemeSource.CARD}).all()
    if not rows:
        return None
    first = rows[0]
    return ShownAnswer([row.theme_key for row in rows if row.theme_key is not None],
                       first.scale_point, first.text, bool(first.typed_for_person))


@cache
def _shown_answer_query():
    answers, themes = Answer.__table__, AnswerTheme.__table__
    return (
        select(answers.c.scale_point, answers.c.text, answers.c.typed_for_person,
               themes.c.theme_key)
        .outerjoin(themes, and_(themes.c.answer_id == answers.c.id,
                                themes.c.source == bindparam("source")))
        .where(answers.c.conversation_id == bindparam("conversation_id"),
               answers.c.question_key == bindparam("question_key"))
        .order_by(themes.c.id)
    )


def _answer_with_themes(conversation_id: int, question_key: str) -> Answer | None:
    return db.session.scalars(
        select(Answer).where(
            Answer.conversation_id == conversation_id, Answer.question_key == question_key
        ).options(joinedload(Answer.themes))
    ).unique().one_or_none()


def save_answer(
    conversation: Conversation,
    question: Question,
    decision: Decision,
    *,
    item_id: int,
    typed_by_user_id: int | None,
    typed_for_person: bool,
) -> int:
    """Store one answer and its cards: the answer row's id.

    Three statements, each safe when the same press arrives twice at once (a double tap or
    a retry): the row is inserted or updated in one upsert, then its cards are the ones
    sent. No row is read first, so nothing can be out of date by the time it is written,
    and the database's write lock (SQLite's is the whole file) is held only for these
    statements and the commit, not for the ORM's work around them: a room of tablets
    answering at once waits less for each other (benchmarks/event_load.py).
    """
    now = utcnow()
    values = {
        "question_item_id": item_id,
        "status": decision.status,
        "text": decision.words,
        "scale_point": decision.point,
        "typed_by_user_id": typed_by_user_id,
        "typed_for_person": bool(decision.words) and typed_for_person,
        "updated_at": now,
    }
    dialect = db.session.get_bind().dialect.name
    upsert, drop_others, add_missing = _answer_statements(dialect)
    answer_id = db.session.execute(upsert, {
        "conversation_id": conversation.id, "question_key": question.key, "created_at": now,
        **values}).scalar_one()
    wanted = list(dict.fromkeys(decision.cards))
    source = ThemeSource.CARD
    db.session.execute(drop_others, {"answer_id": answer_id, "source": source, "keep": wanted})
    if wanted:
        db.session.execute(add_missing, [
            {"answer_id": answer_id, "theme_key": key, "source": source,
             "tagged_by_user_id": typed_by_user_id, "created_at": now} for key in wanted])
    conversation.updated_at = now
    return answer_id


@cache
def _answer_statements(dialect: str) -> tuple:
    """save_answer's three statements for this database, built once (building and keying a
    statement costs more than running it), on the tables, not the ORM classes, which would
    send them through the ORM's bulk machinery for nothing.

    - The upsert: INSERT the answer, or UPDATE the one there, giving its id. The hand-over
      hook (portal/handover/state.py) adds `hand_over_id` to the INSERT's values when a
      handed-over tablet answers. On a change it is taken only when the answer itself
      (status or words) changes, as the ORM hook does for a flushed change: Next on an
      unchanged answer keeps who was there when it was given.
    - The cards: the answer's other themes of this source deleted, the missing inserted
      (one already there, from a press arriving at the same moment, is kept).
    """
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    answers, themes = Answer.__table__, AnswerTheme.__table__
    new = insert(answers).excluded
    changed = or_(answers.c.status.is_distinct_from(new.status),
                  answers.c.text.is_distinct_from(new.text))
    upsert = insert(answers).on_conflict_do_update(
        index_elements=["conversation_id", "question_key"],
        set_={**{name: new[name] for name in _ANSWER_VALUES},
              "hand_over_id": case((changed, new.hand_over_id), else_=answers.c.hand_over_id)},
    ).returning(answers.c.id)
    drop_others = delete(themes).where(
        themes.c.answer_id == bindparam("answer_id"), themes.c.source == bindparam("source"),
        themes.c.theme_key.not_in(bindparam("keep", expanding=True)))
    add_missing = insert(themes).on_conflict_do_nothing(
        index_elements=["answer_id", "theme_key", "source"])
    return upsert, drop_others, add_missing


# The columns a save writes, on a new answer and on a change.
_ANSWER_VALUES = ("question_item_id", "status", "text", "scale_point", "typed_by_user_id",
                  "typed_for_person", "updated_at")


def set_tags(answer: Answer, theme_keys: Iterable[str], user_id: int) -> None:
    """A practitioner's themes for typed words (the person's own cards are kept apart)."""
    _set_themes(answer, tuple(theme_keys), ThemeSource.TAG, user_id)
    answer.updated_at = utcnow()


def _set_themes(answer: Answer, keys: tuple[str, ...], source: str, user_id: int | None) -> None:
    wanted = list(dict.fromkeys(keys))
    for theme in list(answer.themes):
        if theme.source == source and theme.theme_key not in wanted:
            answer.themes.remove(theme)
    have = set(answer.theme_keys(source))
    for key in wanted:
        if key not in have:
            answer.themes.append(
                AnswerTheme(theme_key=key, source=source, tagged_by_user_id=user_id)
            )


def finish(conversation: Conversation) -> None:
    if conversation.finished_at is None:
        conversation.finished_at = utcnow()
    conversation.updated_at = utcnow()


def set_sharing(conversation: Conversation, share: bool) -> None:
    conversation.share_words = share
    conversation.share_decided_at = utcnow()
    conversation.updated_at = utcnow()


# --- For the aggregate ---------------------------------------------------------------------


def answer_facts(conversations: Iterable[Conversation]) -> list[AnswerFacts]:
    """Plain facts of every answer, each with the purpose of the question version shown."""
    facts = []
    for conversation in conversations:
        for answer in conversation.answers:
            themes = tuple(dict.fromkeys(t.theme_key for t in answer.themes))
            facts.append(
                AnswerFacts(
                    question_key=answer.question_key,
                    purpose=str(answer.question_item.data.get("purpose", "")),
                    status=answer.status,
                    words=answer.text,
                    themes=themes,
                    point=answer.scale_point,
                )
            )
    return facts
