"""Reading and writing conversations. Database only: no requests, no templates."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

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
from portal.core.database import insert_unless_there
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
) -> Answer:
    """Store one answer: insert it, or update the one already there (a double tap, a retry,
    or a change later all end in one row)."""
    answer = _answer_row(conversation.id, question.key, {
        "question_item_id": item_id,
        "status": decision.status,
        "text": decision.words,
        "scale_point": decision.point,
        "typed_by_user_id": typed_by_user_id,
        "typed_for_person": bool(decision.words) and typed_for_person,
        "updated_at": utcnow(),
    })
    _set_themes(answer, decision.cards, ThemeSource.CARD, typed_by_user_id)
    conversation.updated_at = utcnow()
    return answer


def _answer_row(conversation_id: int, question_key: str, values: dict) -> Answer:
    """The answer row with these values: a new one, or the one there, updated.

    A new answer is one INSERT that does nothing if the row is already there (a change made
    later, or the same press arriving twice at once); then the row there is updated.
    """
    answer = db.session.scalar(
        insert_unless_there(Answer, "conversation_id", "question_key")
        .values(conversation_id=conversation_id, question_key=question_key, **values)
        .returning(Answer)
    )
    if answer is not None:
        # A new answer has no themes, so adding cards needs no query to find out.
        set_committed_value(answer, "themes", [])
        return answer
    found = db.session.scalars(
        select(Answer).where(
            Answer.conversation_id == conversation_id, Answer.question_key == question_key
        )
    ).one()
    for name, value in values.items():
        setattr(found, name, value)
    return found


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
